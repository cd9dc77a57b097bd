"""Rule-based extraction of actor mentions, dated events and relations from one text, with spans.

Pure functions: a text, its document id and date, and the case's actors go in; records with spans come
out (:class:`Extraction`). Storage, case files and the CLI live elsewhere.

How it works, sentence by sentence (sentences from :mod:`accord.evidence.segment`):

* **Actors**: every name and alias of the case's actors, longest first, on word boundaries. A name
  directly followed by "conflict", "region", "issue" ... names the topic, not a participant.
* **Events**: each date expression (:mod:`accord.evidence.dates`, resolved against the document date)
  is attached to one event cue of the cue lexicon (:data:`EVENT_CUES`): first a cue right after a date
  used as a modifier ("the 2011 Kazan summit"), then the nearest cue in the date's own clause (before the
  date, then after), then the nearest unclaimed cue in the neighbouring clauses. A cue serves one date,
  except that a list of dates ("in 2014, in April 2016 and this past July") shares it. Events more
  than two months after the document date are dropped (plans, deadlines).
* **Relations**: cue patterns per type (:data:`RELATION_CUES`) with role rules: "X as a mediator",
  "brokered by X", "arms sales to X", "X's support for Y", "alliance with X", "member of X"; when a
  rule finds no actor the nearest mention in the clause is used. A negation just before the cue
  ("not", "no", "neither", "refrain") drops it. Arms supply picks up a share ("55% of X's arms
  imports") and a period (a date range in the sentence).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from accord.evidence.dates import Anchor, DateMention, find_dates
from accord.evidence.segment import sentences

__all__ = [
    "ActorMention",
    "ActorResolver",
    "ExtractedEvent",
    "ExtractedRelation",
    "Extraction",
    "EVENT_CUES",
    "RELATION_CUES",
    "extract",
]

# ---------------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorMention:
    actor: str
    start: int
    end: int
    topic: bool = False  # "the Karabakh conflict": names the subject matter, not a participant


@dataclass(frozen=True)
class ExtractedEvent:
    """A dated event proposed from a sentence: its span (the sentence), date, type and actors."""

    doc: str
    start: int
    end: int
    date: str
    precision: str
    type: str
    actors: tuple[str, ...]
    cue: tuple[int, int]
    date_span: tuple[int, int]
    end_date: str | None = None


@dataclass(frozen=True)
class ExtractedRelation:
    """A relation proposed from a sentence: type, from -> to, the cue's span, and arms-supply details."""

    doc: str
    start: int
    end: int
    type: str
    from_: str
    to: str | None
    cue: tuple[int, int]
    share: float | None = None
    period: tuple[str, str] | None = None
    since: str | None = None
    parties: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, str | None]:
        """(type, from, to) with undirected pairs sorted and mediation keyed by the mediator alone."""
        if self.type == "mediation":
            return (self.type, self.from_, None)
        if self.type in UNDIRECTED and self.to is not None:
            a, b = sorted((self.from_, self.to))
            return (self.type, a, b)
        return (self.type, self.from_, self.to)


@dataclass
class Extraction:
    doc: str
    mentions: list[ActorMention] = field(default_factory=list)
    events: list[ExtractedEvent] = field(default_factory=list)
    relations: list[ExtractedRelation] = field(default_factory=list)


UNDIRECTED = {"alliance", "hostility", "no_diplomatic_relations", "closed_border", "partnership"}

# ---------------------------------------------------------------------------------------------------
# Actors
# ---------------------------------------------------------------------------------------------------

_TOPIC_AFTER = re.compile(
    r"[’']?s?\s+(?:conflict|region|issue|dispute|peace\s+process|question|problem|settlement|resolution|line\s+of\s+contact|war)\b",
    re.IGNORECASE,
)


def _form_pattern(form: str) -> str:
    """A name as a pattern: exact, except that a capital or small first letter both match ("The guild")."""
    first = form[0]
    head = f"[{re.escape(first.upper())}{re.escape(first.lower())}]" if first.upper() != first.lower() else re.escape(first)
    return head + re.escape(form[1:])


class ActorResolver:
    """Finds mentions of a case's actors by name and alias (case-sensitive, longest alias first)."""

    def __init__(self, actors: Iterable[tuple[str, Sequence[str]]], kinds: dict[str, str] | None = None):
        forms: dict[str, str] = {}
        for actor_id, names in actors:
            for name in names:
                if name and name.strip():
                    forms.setdefault(name.strip(), actor_id)
        self.forms = forms
        self.kinds = kinds or {}
        alternatives = sorted(forms, key=len, reverse=True)
        body = "|".join(_form_pattern(f) for f in alternatives) or r"(?!x)x"
        self._pattern = re.compile(rf"(?<![\w-])(?:the\s+)?({body})(?![\w])")

    def _actor(self, surface: str) -> str:
        if surface in self.forms:
            return self.forms[surface]
        return next(a for f, a in self.forms.items() if f[1:] == surface[1:] and f[:1].lower() == surface[:1].lower())

    @classmethod
    def from_case(cls, case) -> ActorResolver:  # noqa: ANN001 - accord.case.model.Case
        return cls(((a.id, [a.name, *a.aliases]) for a in case.actors), {a.id: a.kind.value for a in case.actors})

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[ActorMention]:
        end = len(text) if end is None else end
        found = []
        for m in self._pattern.finditer(text, start, end):
            s, e = m.span(1)
            if text.startswith("-led", e):
                continue  # "the Russia-led CSTO": a modifier, not a party
            topic = bool(_TOPIC_AFTER.match(text, e))
            found.append(ActorMention(self._actor(m.group(1)), s, e, topic))
        return found


# ---------------------------------------------------------------------------------------------------
# Event cues
# ---------------------------------------------------------------------------------------------------


def _cues(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


EVENT_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("ceasefire_breach", _cues(
        r"cease-?\s?fires?\s+(?:was|were|had\s+been|has\s+been)?\s*(?:broken|violated|breached|collapsed|broke\s+down)",
        r"cease-?\s?fire\s+violations?", r"violations?\s+of\s+the\s+cease-?\s?fire",
    )),
    ("ceasefire", _cues(
        r"cease-?\s?fire(?:\s+agreements?)?", r"truces?", r"armistice", r"cessation\s+of\s+(?:hostilities|fighting|combat)",
        r"put\s+an\s+end\s+to\s+the\s+(?:[\w-]+\s+){0,2}war",
    )),
    ("war", _cues(r"(?<!cold\s)(?<!post-cold\s)wars?(?!\s+(?:rhetoric|games|crimes))", r"large-scale\s+military\s+action")),
    ("clashes", _cues(
        r"clash(?:es)?", r"fighting", r"fought", r"hostilities", r"skirmish(?:es)?", r"flare-ups?", r"escalations?",
        r"violence", r"(?<!diplomatic\s)(?<!charm\s)offensive", r"military\s+(?:operation|action)",
    )),
    ("arms_deal", _cues(
        r"arms\s+(?:sales?|deals?|supplies|deliveries|transfers?|imports|exports|purchases?)",
        r"(?:weapons|military\s+equipment)\s+(?:sales?|deliveries|supplies)",
    )),
    ("agreement", _cues(r"agreements?", r"treaty", r"treaties", r"protocol", r"accords?", r"demarcat(?:ed|ion)", r"deals?(?!\s+with)")),
    ("summit", _cues(r"summits?")),
    ("talks", _cues(
        r"talks", r"negotiations?", r"negotiating", r"discussions", r"consultations?", r"consulted", r"meetings?",
        r"convened", r"mediation",
    )),
    ("plan", _cues(r"plan", r"Principles", r"road\s?map", r"peace\s+proposals?")),
    ("statement", _cues(
        r"statements?", r"interviews?", r"speech", r"speaking", r"remarks?", r"called\s+on", r"criticised", r"criticized",
        r"condemned", r"declared(?!\s+(?:its|their)\s+(?:exit|independence|secession))",
    )),
    ("decision", _cues(
        r"decisions?", r"decided", r"extradition", r"pardon(?:ing|ed)?",
        r"declared\s+(?:its|their)\s+(?:exit|independence|secession)",
    )),
    ("military_drill", _cues(r"(?:military\s+)?drills", r"military\s+exercises", r"war\s+games")),
    ("institution", _cues(
        r"founded", r"founding\s+member", r"newly-created", r"became\s+(?:a\s+)?co-chair", r"was\s+(?:set\s+up|established|created)",
    )),
]

_CLAUSE_BREAK = re.compile(r"[,;:()\[\]–—]|\s-\s|\b(?:which|who|whose|when|while|whereas|although|though|but)\b", re.IGNORECASE)
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|this|that)\s+(?:[a-z]+\s+)?$", re.IGNORECASE)
_LIST_GAP = re.compile(r"^\s*,?\s*(?:and|or)?\s*(?:in|on|of)?\s*(?:the\s+)?$")
FUTURE_DAYS = 62


@dataclass
class _Cue:
    type: str
    start: int
    end: int
    claimed: bool = False


def _event_cues(text: str, start: int, end: int) -> list[_Cue]:
    found: list[_Cue] = []
    for kind, pattern in EVENT_CUES:
        for m in pattern.finditer(text, start, end):
            found.append(_Cue(kind, m.start(), m.end()))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[_Cue] = []
    for cue in sorted(found, key=lambda c: -(c.end - c.start)):  # longest first wins overlaps
        if not any(cue.start < k.end and k.start < cue.end for k in kept):
            kept.append(cue)
    kept.sort(key=lambda c: c.start)
    merged: list[_Cue] = []
    for cue in kept:  # "extradition and pardoning": one happening, one cue
        if merged and merged[-1].type == cue.type and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", text[merged[-1].end : cue.start]):
            merged[-1].end = cue.end
        else:
            merged.append(cue)
    kept = merged
    if any(c.type == "ceasefire" for c in kept):
        for cue in kept:
            if cue.type == "agreement" and text[cue.start : cue.end].lower().startswith("agreement"):
                cue.type = "ceasefire"  # "the agreement of 17 October" in a sentence about a ceasefire
    return kept


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    bounds = [start]
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        bounds.append(m.start())
    bounds.append(end)
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _group_dates(text: str, dates: list[DateMention]) -> list[list[DateMention]]:
    """Consecutive dates joined only by commas, 'and', 'or', 'in' form one list sharing a cue."""
    groups: list[list[DateMention]] = []
    for date in dates:
        if groups and _LIST_GAP.match(text[groups[-1][-1].end : date.start]):
            groups[-1].append(date)
        else:
            groups.append([date])
    return groups


def _clause_index(clauses: list[tuple[int, int]], pos: int) -> int:
    for i, (a, b) in enumerate(clauses):
        if a <= pos < b:
            return i
    return len(clauses) - 1


def _modifier_cue(text: str, group: list[DateMention], cues: list[_Cue]) -> _Cue | None:
    """'the 2011 Kazan summit', 'an August 2010 agreement': a cue within three words after the date."""
    first, last = group[0], group[-1]
    written = text[first.start : first.end]
    if re.match(r"(?i)(?:the\s+same|that)\s", written):
        return None  # "on the same day as X's interview": the date is not a modifier
    starts_with_determiner = re.match(r"(?i)(?:the|an?)\s", written)
    if not starts_with_determiner and not _DETERMINER_BEFORE.search(text[max(0, first.start - 30) : first.start]):
        return None
    for cue in cues:
        if cue.claimed or cue.start < last.end:
            continue
        between = text[last.end : cue.start]
        if re.fullmatch(r"\s+(?:[\w’'-]+\s+){0,3}", between) and not re.search(r"[,;:.]|\b(?:as|of|with|in|on|at|by|for|to|from)\b", between):
            return cue
        break
    return None


def _nearest(cues: list[_Cue], lo: int, hi: int, pos: int, before: bool) -> _Cue | None:
    chosen = None
    for cue in cues:
        if cue.claimed or not (lo <= cue.start and cue.end <= hi):
            continue
        if before and cue.end <= pos:
            chosen = cue  # keeps the last one before pos
        elif not before and cue.start >= pos:
            return cue
    return chosen


def _attach(text: str, groups: list[list[DateMention]], cues: list[_Cue], clauses: list[tuple[int, int]]) -> dict[int, _Cue]:
    """Give each date group at most one cue, in three passes of decreasing certainty."""
    chosen: dict[int, _Cue] = {}

    def claim(i: int, cue: _Cue | None) -> None:
        if cue is not None and i not in chosen:
            cue.claimed = True
            chosen[i] = cue

    for i, group in enumerate(groups):
        claim(i, _modifier_cue(text, group, cues))
    for i, group in enumerate(groups):
        if i in chosen:
            continue
        a, _ = clauses[_clause_index(clauses, group[0].start)]
        _, b = clauses[_clause_index(clauses, group[-1].end - 1)]
        claim(i, _nearest(cues, a, group[0].start, group[0].start, True) or _nearest(cues, group[-1].end, b, group[-1].end, False))
    for i, group in enumerate(groups):
        if i in chosen:
            continue
        here = _clause_index(clauses, group[0].start)
        for step in range(1, len(clauses)):
            for j in (here - step, here + step):
                if 0 <= j < len(clauses):
                    a, b = clauses[j]
                    claim(i, _nearest(cues, a, b, b if j < here else a, j < here))
                if i in chosen:
                    break
            if i in chosen:
                break
    return chosen


def _too_late(date: DateMention, anchor: Anchor | None) -> bool:
    if anchor is None:
        return False
    start = dt.date(int(date.date[:4]), int(date.date[5:7] or 1) if len(date.date) > 4 else 1, int(date.date[8:10]) if len(date.date) > 7 else 1)
    return (start - anchor.date).days > FUTURE_DAYS


def _events_in_sentence(
    doc: str, text: str, span: tuple[int, int], dates: list[DateMention], mentions: list[ActorMention], anchor: Anchor | None
) -> list[ExtractedEvent]:
    s, e = span
    cues = _event_cues(text, s, e)
    if not cues or not dates:
        return []
    groups = _group_dates(text, dates)
    chosen = _attach(text, groups, cues, _clauses(text, s, e))
    actors = tuple(dict.fromkeys(m.actor for m in mentions if not m.topic))
    events = []
    for i, cue in sorted(chosen.items()):
        for date in groups[i]:
            if _too_late(date, anchor):
                continue
            events.append(
                ExtractedEvent(doc, s, e, date.date, date.precision, cue.type, actors, (cue.start, cue.end),
                               (date.start, date.end), date.end_date)
            )
    return events


# ---------------------------------------------------------------------------------------------------
# Relations
# ---------------------------------------------------------------------------------------------------

RELATION_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("no_diplomatic_relations", _cues(
        r"(?:no|not\s+have|lacks?|without|absence\s+of|never\s+established)\s+(?:any\s+)?diplomatic\s+(?:relations|ties)",
        r"diplomatic\s+(?:relations|ties)\s+(?:were|have\s+been|was)?\s*(?:severed|broken\s+off|cut)",
    )),
    ("closed_border", _cues(r"closed\s+(?:its\s+|the\s+)?border", r"border\s+(?:with\s+[\w-]+\s+)?(?:closed|shut)", r"(?:kept|keeps)\s+its\s+border")),
    ("arms_supply", _cues(
        r"arms\s+(?:sales?|deals?|supplies|supplied|deliveries|transfers?|imports|exports|supplier)",
        r"(?:supplier|supplies)(?:\s+of\s+(?:arms|weapons|military\s+equipment))?(?=\s+to\b)",
        r"(?:weapons|military\s+equipment)\s+(?:sales?|deliveries|supplies)",
        r"provision\s+of\s+weapons", r"supplier\s+of\s+military\s+equipment",
    )),
    ("military_presence", _cues(
        r"military\s+bases?", r"military\s+presence", r"troops\s+(?:deployed|stationed)", r"(?:deployed|stationed)\s+troops",
    )),
    ("membership", _cues(
        r"(?:is|are|was|were|became)\s+(?:a\s+)?(?:founding\s+)?(?:part|members?|co-chairs?)\s+of", r"founding\s+member", r"co-chairs?",
        r"member\s+of", r"joined", r"co-chair\s+countries",
    )),
    ("mediation", _cues(r"mediat(?:or|ors|ion|ed|es|e|ing)", r"(?:honest|peace|chief|acceptable|unbiased)\s+broker", r"broker(?:ed|ing|s)?", r"brokering")),
    ("alliance", _cues(r"allian(?:ce|ces)", r"all(?:y|ies)", r"allied", r"union\s+with")),
    ("partnership", _cues(r"partner(?:s|ship)?", r"cooperat(?:e|es|ion|ing)", r"collaborat(?:e|es|ing|ion)")),
    ("backing", _cues(
        r"support(?:s|ed|ing)?", r"backing", r"backed\s+by", r"backs", r"backed(?!\s+by)", r"patron(?:\s+and\s+protector)?", r"client", r"military\s+assistance",
        r"sided\s+with",
    )),
    ("hostility", _cues(
        r"hostile", r"hostility", r"enmity", r"enem(?:y|ies)", r"rivalry", r"strained\s+relations", r"deteriorat(?:ing|ion\s+of)\s+relations",
    )),
]

_NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|without|refrain(?:s|ed)?|refusing|refuse[sd]?|wants?\s+to|would|could|might|n[’']t)\b[^.]{0,40}$",
    re.IGNORECASE,
)
_SHARE = re.compile(r"(?:(?:over|about|around|nearly|almost|some|roughly)\s+)?(\d{1,3}(?:\.\d+)?)\s?%\s+of\s+(?:all\s+)?(?:([\w’'-]+?)[’']s\b)?", re.IGNORECASE)
_ORGANISATION_KINDS = {"organisation", "alliance"}
_PRONOUN_BEFORE = re.compile(r"\b(?:its|their|his|her)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
_OWNER_GAP = re.compile(r"^(?:[’']s(?:\s+[\w-]+){0,3}\s+as\s+|[’']s\s+(?:[\w-]+\s+){0,2}|\s+as\s+(?:an?|the)\s+|\s+(?:[\w-]+\s+)?|-)$")
_UNRESOLVED = re.compile(r"^\s+(?:of|to|with|between|for)\s+(?:the\s+two|both|either|one\s+of\s+the)\b", re.IGNORECASE)
_DEMONSTRATIVE_BEFORE = re.compile(r"\b(?:this|that|such|these|those)\s+$", re.IGNORECASE)
_STATE_ONLY = {"alliance", "closed_border", "no_diplomatic_relations"}


def _negated(text: str, sentence_start: int, cue_start: int) -> bool:
    window = text[max(sentence_start, cue_start - 45) : cue_start]
    return bool(_NEGATION.search(window))


def _after(mentions: list[ActorMention], pos: int, limit: int, exclude: Iterable[str] = ()) -> ActorMention | None:
    for m in mentions:
        if pos <= m.start <= pos + limit and m.actor not in exclude:
            return m
    return None


def _before(mentions: list[ActorMention], pos: int, limit: int, exclude: Iterable[str] = ()) -> ActorMention | None:
    found = None
    for m in mentions:
        if pos - limit <= m.start and m.end <= pos and m.actor not in exclude:
            found = m
    return found


def _prep_after(text: str, mentions: list[ActorMention], pos: int, preps: str, limit: int = 60, gap: int = 3) -> ActorMention | None:
    """The actor named in 'PREP [the] X' shortly after ``pos`` (e.g. 'to Azerbaijan', 'by the US')."""
    pattern = re.compile(rf"\b(?:{preps})\s+(?:the\s+|its\s+|their\s+)?", re.IGNORECASE)
    for m in pattern.finditer(text, pos, pos + limit):
        hit = _after(mentions, m.end(), gap)
        if hit is not None:
            return hit
    return None


@dataclass(frozen=True)
class _Context:
    """One relation cue in its sentence, with the helpers the role rules share."""

    text: str
    cue: tuple[int, int]
    clause: tuple[int, int]
    sentence: tuple[int, int]
    mentions: list[ActorMention]

    def owner(self, exclude: Iterable[str] = ()) -> ActorMention | None:
        """An actor right before the cue: 'Russia's arms', 'Turkish support', 'Moscow as a mediator'."""
        s = self.cue[0]
        for m in reversed(self.mentions):
            if m.end <= s and m.actor not in exclude and _OWNER_GAP.match(self.text[m.end : s]):
                return m
            if m.end <= s - 40:
                break
        return None

    def pronoun(self) -> tuple[bool, ActorMention | None]:
        """Whether 'its'/'their' stands right before the cue, and the actor it points back to in the clause."""
        s = self.cue[0]
        found = _PRONOUN_BEFORE.search(self.text, max(self.clause[0], s - 25), s)
        if not found:
            return False, None
        return True, _before(self.mentions, found.start(), found.start() - self.clause[0])

    def subject(self, exclude: Iterable[str] = ()) -> ActorMention | None:
        """The first actor before the cue in its clause, else in its sentence; possessives ("Yerevan's
        perspective") only when nothing else is there."""
        exclude = set(exclude)
        for lo in (self.clause[0], self.sentence[0]):
            candidates = [m for m in self.mentions if lo <= m.start and m.end <= self.cue[0] and m.actor not in exclude]
            plain = [m for m in candidates if not re.match(r"[’']s\b", self.text[m.end : m.end + 2])]
            if plain or candidates:
                return (plain or candidates)[0]
        return None

    def agent(self, exclude: Iterable[str] = ()) -> ActorMention | None:
        """Who does it: the adjacent owner, the antecedent of 'its', or the subject."""
        owner = self.owner(exclude)
        if owner is not None:
            return owner
        has_pronoun, antecedent = self.pronoun()
        if has_pronoun:
            return antecedent if antecedent is not None and antecedent.actor not in set(exclude) else None
        return self.subject(exclude)


def _roles(rel_type: str, ctx: _Context, kinds: dict[str, str]) -> list[tuple[str, str | None, float | None]]:
    """(from, to, share) triples for one relation cue, by the role rules of its type."""
    text, (s, e), mentions = ctx.text, ctx.cue, ctx.mentions
    if rel_type == "mediation":
        named = _prep_after(text, mentions, e, "by", 30, gap=25) or ctx.agent()
        return [(named.actor, None, None)] if named else []
    if rel_type == "membership":
        return _membership(ctx, kinds)
    if rel_type == "arms_supply":
        return _arms(ctx)
    if rel_type in ("backing", "military_presence"):
        pair = _backing(ctx) if rel_type == "backing" else _presence(ctx)
        return [(pair[0], pair[1], None)] if pair else []
    other = _prep_after(text, mentions, e, "with|of|between|to", 60)
    first = ctx.agent({other.actor} if other else set())
    if other is None and first is not None:
        other = _before(mentions, first.start, 40, {first.actor}) or _after(mentions, e, 60, {first.actor})
    if first is None and other is not None:
        first = _after(mentions, e, 200, {other.actor}) or _before(mentions, s, 200, {other.actor})
    if first is None or other is None or first.actor == other.actor:
        return []
    return [(first.actor, other.actor, None)]


def _membership(ctx: _Context, kinds: dict[str, str]) -> list[tuple[str, str | None, float | None]]:
    s, e = ctx.cue
    orgs = [m for m in ctx.mentions if kinds.get(m.actor) in _ORGANISATION_KINDS]
    members = [m for m in ctx.mentions if kinds.get(m.actor) not in _ORGANISATION_KINDS and not m.topic]
    word = ctx.text[s:e].lower()
    if word.startswith("co-chair"):
        org = _before(orgs, s, 80) or _after(orgs, e, 30)
        listed = [m for m in members if e <= m.start <= e + 60 and not re.search(r"[.;]|\band\s+called\b", ctx.text[e : m.start])]
        return [(m.actor, org.actor, None) for m in listed] if org else []
    targets = list(dict.fromkeys(m.actor for m in orgs if e <= m.start <= e + 100))
    member = _before(members, s, 60) or _Context(ctx.text, ctx.cue, ctx.clause, ctx.sentence, members).subject()
    return [(member.actor, org, None) for org in targets if org != member.actor] if member else []


def _arms(ctx: _Context) -> list[tuple[str, str | None, float | None]]:
    text, (s, e), mentions = ctx.text, ctx.cue, ctx.mentions
    source = _prep_after(text, mentions, e, "from", 60)
    target = _prep_after(text, mentions, e, "to|for", 40, gap=3)
    if target is None:
        owner = re.search(r"([\w’'-]+)[’']s\s+$", text[max(0, s - 30) : s])
        target = _before(mentions, s, 15) if owner else None
    shares = []  # e.g. "40% of X's and 70% of Y's arms imports": each owner is a recipient
    for m in _SHARE.finditer(text, *ctx.sentence):
        named = [x for x in mentions if m.group(2) and x.start == m.start(2)]
        if named:
            shares.append((named[0].actor, float(m.group(1)) / 100))
    exclude = {target.actor} if target else set()
    exclude |= {actor for actor, _ in shares}
    source = source or ctx.agent(exclude)
    if source is not None and shares:
        return [(source.actor, actor, share) for actor, share in shares if actor != source.actor]
    if target is None and source is not None:
        target = _after(mentions, e, 60, {source.actor})
    if source is None or target is None or source.actor == target.actor:
        return []
    share = next((float(m.group(1)) / 100 for m in _SHARE.finditer(text, *ctx.sentence)), None)
    return [(source.actor, target.actor, share)]


def _backing(ctx: _Context) -> tuple[str, str] | None:
    text, (s, e), mentions = ctx.text, ctx.cue, ctx.mentions
    word = text[s:e].lower()
    if word.startswith("backed by"):
        backer = _after(mentions, e, 10)
        backed = ctx.subject({backer.actor}) if backer else None
        backed = _after(mentions, e + 10, 150, {backer.actor}) if backer and (backed is None or backed.start < e) else backed
        return (backer.actor, backed.actor) if backer and backed else None
    if word == "client":
        owner = ctx.owner()
        client = _before(mentions, owner.start, 40, {owner.actor}) if owner else None
        return (owner.actor, client.actor) if owner and client else None
    target = _prep_after(text, mentions, e, "for|of|to", 40)
    if target is None and (word.startswith("support") or word.startswith("back")):
        target = _after(mentions, e, 6)  # "supported Azerbaijan's claims", "to support Azerbaijan"
    if target is None:
        following = _after(mentions, e, 25)  # "Thanks to Turkish support, Azerbaijan believes"
        target = following if following and re.match(r"\s*,", text[e:]) else None
    if target is None:
        return None
    source = _prep_after(text, mentions, e, "from", 30) or ctx.agent({target.actor})
    return (source.actor, target.actor) if source and source.actor != target.actor else None


def _presence(ctx: _Context) -> tuple[str, str] | None:
    text, e, mentions = ctx.text, ctx.cue[1], ctx.mentions
    host = _prep_after(text, mentions, e, "in", 40)
    owner = ctx.owner({host.actor} if host else set())
    if host is None and owner is not None:
        host = ctx.subject({owner.actor})  # "Armenia ... hosts a Russian military base"
    if owner is None and host is not None:
        owner = ctx.subject({host.actor})
    if owner is None or host is None or owner.actor == host.actor:
        return None
    return owner.actor, host.actor


def _period(text: str, span: tuple[int, int], dates: list[DateMention]) -> tuple[str, str] | None:
    """The first date (or range) of the sentence, as a period of years."""
    for d in dates:
        if span[0] <= d.start < span[1]:
            return d.date[:4], (d.end_date or d.date)[:4]
    return None


def _relations_in_sentence(doc: str, text: str, span: tuple[int, int], dates: list[DateMention],
                           mentions: list[ActorMention], kinds: dict[str, str]) -> list[ExtractedRelation]:
    s, e = span
    participants = [m for m in mentions if not m.topic]
    if not participants:
        return []
    clauses = _clauses(text, s, e)
    taken: list[tuple[int, int]] = []
    found: list[ExtractedRelation] = []
    since_match = re.search(r"\bsince\s+(\d{4})\b", text[s:e])
    for rel_type, pattern in RELATION_CUES:
        for m in pattern.finditer(text, s, e):
            cue = m.span()
            if any(cue[0] < te and ts < cue[1] for ts, te in taken) or _negated(text, s, cue[0]):
                continue
            if _UNRESOLVED.match(text, cue[1]) or _DEMONSTRATIVE_BEFORE.search(text, max(s, cue[0] - 8), cue[0]):
                continue  # "allies of the two sides", "this support": the other party is not named here
            usable = [m for m in participants if rel_type not in _STATE_ONLY or kinds.get(m.actor) not in _ORGANISATION_KINDS]
            ctx = _Context(text, cue, clauses[_clause_index(clauses, cue[0])], span, usable)
            triples = _roles(rel_type, ctx, kinds)
            if triples:
                taken.append(cue)
            for from_, to, share in triples:
                period = _period(text, span, dates) if rel_type == "arms_supply" else None
                since = since_match.group(1) if since_match and rel_type in ("membership", "closed_border", "alliance") else None
                found.append(ExtractedRelation(doc, s, e, rel_type, from_, to, cue, share, period, since))
    return found


# ---------------------------------------------------------------------------------------------------
# The whole text
# ---------------------------------------------------------------------------------------------------


def extract(text: str, doc: str, resolver: ActorResolver, anchor: Anchor | None = None) -> Extraction:
    """Actor mentions, dated events and relations of one document, each with its span."""
    result = Extraction(doc)
    all_dates = find_dates(text, anchor)
    mentions = resolver.find(text)
    result.mentions = mentions
    for span in sentences(text):
        s, e = span
        dates = [d for d in all_dates if s <= d.start and d.end <= e]
        here = [m for m in mentions if s <= m.start and m.end <= e]
        result.events += _events_in_sentence(doc, text, span, dates, here, anchor)
        result.relations += _relations_in_sentence(doc, text, span, dates, here, resolver.kinds)
    return result
