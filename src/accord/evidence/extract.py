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
    r"[’']?s?\s+(?:conflict|region|issue|dispute|peace\s+process|question|problem|settlement|resolution|line\s+of\s+contact)\b",
    re.IGNORECASE,
)


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
        body = "|".join(re.escape(f) for f in alternatives) or r"(?!x)x"
        self._pattern = re.compile(rf"(?<![\w-])(?:the\s+)?({body})(?![\w])")

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
            found.append(ActorMention(self.forms[m.group(1)], s, e, topic))
        return found


# ---------------------------------------------------------------------------------------------------
# Event cues
# ---------------------------------------------------------------------------------------------------


def _cues(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


EVENT_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("ceasefire_breach", _cues(
        r"cease-?\s?fires?\s+(?:was|were|had\s+been|has\s+been)?\s*(?:broken|violated|breached|collapsed|broke\s+down)",
        r"(?:violations?|breach(?:es)?|breakdown)\s+of\s+the\s+(?:\w+\s+){0,2}cease-?\s?fire",
        r"cease-?\s?fire\s+violations?",
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
    if not _DETERMINER_BEFORE.search(text[max(0, first.start - 30) : first.start]):
        return None
    for cue in cues:
        if cue.claimed or cue.start < last.end:
            continue
        between = text[last.end : cue.start]
        if re.fullmatch(r"\s+(?:[\w’'-]+\s+){0,3}", between) and not re.search(r"[,;:.]", between):
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
        r"(?:supplier|supplies)\s+(?:of\s+(?:arms|weapons|military\s+equipment)\s+)?to",
        r"(?:weapons|military\s+equipment)\s+(?:sales?|deliveries|supplies)",
        r"provision\s+of\s+weapons", r"supplier\s+of\s+military\s+equipment", r"(?:Turkish|Russian|Israeli)\s+weapons",
    )),
    ("military_presence", _cues(
        r"military\s+bases?", r"military\s+presence", r"troops\s+(?:deployed|stationed)", r"(?:deployed|stationed)\s+troops",
    )),
    ("membership", _cues(
        r"(?:is|are|was|were|became)\s+(?:a\s+)?(?:founding\s+)?(?:part|members?)\s+of", r"founding\s+member", r"co-chairs?",
        r"member\s+of", r"joined", r"co-chair\s+countries",
    )),
    ("mediation", _cues(r"mediat(?:or|ors|ion|ed|es|e|ing)", r"(?:honest|peace|chief|acceptable|unbiased)\s+broker", r"broker(?:ed|ing|s)?", r"brokering")),
    ("alliance", _cues(r"allian(?:ce|ces)", r"all(?:y|ies)", r"allied", r"union\s+with")),
    ("partnership", _cues(r"partner(?:s|ship)?", r"cooperat(?:e|es|ion|ing)", r"collaborat(?:e|es|ing|ion)")),
    ("backing", _cues(
        r"support(?:s|ed|ing)?", r"backing", r"backed\s+by", r"patron(?:\s+and\s+protector)?", r"client", r"military\s+assistance",
        r"sided\s+with",
    )),
    ("hostility", _cues(
        r"hostile", r"hostility", r"enmity", r"enem(?:y|ies)", r"rivalry", r"strained\s+relations", r"deteriorat(?:ing|ion\s+of)\s+relations",
    )),
]

_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|without|refrain(?:s|ed)?|refusing|refuse[sd]?|n[’']t)\b[^.]{0,40}$", re.IGNORECASE)
_SHARE = re.compile(r"(?:(?:over|about|around|nearly|almost|some|roughly)\s+)?(\d{1,3}(?:\.\d+)?)\s?%\s+of\s+(?:all\s+)?(?:([\w’'-]+?)[’']s\s+)?", re.IGNORECASE)
_ORGANISATION_KINDS = {"organisation", "alliance"}


def _negated(text: str, sentence_start: int, cue_start: int) -> bool:
    window = text[max(sentence_start, cue_start - 45) : cue_start]
    return bool(_NEGATION.search(window))


def _after(mentions: list[ActorMention], pos: int, limit: int, exclude: set[str] = frozenset()) -> ActorMention | None:  # type: ignore[assignment]
    for m in mentions:
        if pos <= m.start <= pos + limit and m.actor not in exclude:
            return m
    return None


def _before(mentions: list[ActorMention], pos: int, limit: int, exclude: set[str] = frozenset()) -> ActorMention | None:  # type: ignore[assignment]
    found = None
    for m in mentions:
        if pos - limit <= m.start and m.end <= pos and m.actor not in exclude:
            found = m
    return found


def _prep_after(text: str, mentions: list[ActorMention], pos: int, preps: str, limit: int = 60) -> ActorMention | None:
    """The actor named in 'PREP [the] X' shortly after ``pos`` (e.g. 'to Azerbaijan', 'by the US')."""
    pattern = re.compile(rf"\b(?:{preps})\s+(?:the\s+|its\s+|their\s+)?", re.IGNORECASE)
    for m in pattern.finditer(text, pos, pos + limit):
        hit = _after(mentions, m.end(), 3)
        if hit is not None:
            return hit
    return None


def _roles(rel_type: str, text: str, cue: tuple[int, int], clause: tuple[int, int], mentions: list[ActorMention],
           kinds: dict[str, str]) -> list[tuple[str, str | None]]:
    """(from, to) pairs for one relation cue, by the role rules of its type."""
    s, e = cue
    a, b = clause
    near_before = _before(mentions, s, s - a + 1) or _before(mentions, s, 120)
    if rel_type == "mediation":
        named = (
            _before(mentions, s, 12)  # "Russia as a mediator" is handled by the cue's closeness
            or _prep_after(text, mentions, e, "by", 30)
            or near_before
        )
        return [(named.actor, None)] if named else []
    if rel_type == "membership":
        orgs = [m for m in mentions if kinds.get(m.actor) in _ORGANISATION_KINDS]
        members = [m for m in mentions if kinds.get(m.actor) not in _ORGANISATION_KINDS and not m.topic]
        org = _after(orgs, e, 80) or _before(orgs, s, 80)
        if org is None:
            return []
        if "co-chair" in text[s:e].lower():
            return [(m.actor, org.actor) for m in members if a - 80 <= m.start <= b + 80]
        member = _before(members, s, 80) or _after(members, e, 60)
        return [(member.actor, org.actor)] if member else []
    if rel_type in ("arms_supply", "backing", "military_presence"):
        return _directed(rel_type, text, cue, mentions, near_before)
    # undirected pairs
    other = _prep_after(text, mentions, e, "with|of|between|to", 60)
    first = _before(mentions, s, 60, {other.actor} if other else set()) or near_before
    if other is None:
        other = _after(mentions, e, 60, {first.actor} if first else set())
    if first is None or other is None or first.actor == other.actor:
        return []
    return [(first.actor, other.actor)]


def _directed(rel_type: str, text: str, cue: tuple[int, int], mentions: list[ActorMention],
              near_before: ActorMention | None) -> list[tuple[str, str | None]]:
    s, e = cue
    word = text[s:e].lower()
    if rel_type == "backing" and word.startswith("backed by"):
        backer = _after(mentions, e, 10)
        backed = _after(mentions, e + 20, 120, {backer.actor} if backer else set()) if backer else None
        return [(backer.actor, backed.actor)] if backer and backed else []
    if rel_type == "backing" and word == "client":
        owner = _before(mentions, s, 12)
        client = _before(mentions, s - 15, 40, {owner.actor} if owner else set()) if owner else None
        return [(owner.actor, client.actor)] if owner and client else []
    target_preps = {"arms_supply": "to|for", "backing": "for|of|to", "military_presence": "in"}[rel_type]
    target = _prep_after(text, mentions, e, target_preps, 40)
    if target is None and rel_type == "backing" and word.startswith("support") and word != "support":
        target = _after(mentions, e, 6)  # "supported Azerbaijan's claims"
    if target is None and rel_type == "backing":
        following = _after(mentions, e, 25)  # "Thanks to Turkish support, Azerbaijan believes"
        target = following if following and re.match(r"\s*,", text[e:]) else None
    if target is None and rel_type == "arms_supply":
        owner = re.search(r"([\w’'-]+)[’']s\s+(?:arms\s+)?imports", text[s : e + 20])
        target = _before(mentions, s, 15) if owner else None
    source = _prep_after(text, mentions, e, "from", 60) if rel_type == "arms_supply" else None
    exclude = {target.actor} if target else set()
    source = source or _before(mentions, s, 15, exclude) or (near_before if near_before and near_before.actor not in exclude else None)
    if rel_type == "military_presence" and target is None:
        host = _before(mentions, s, 40)  # "hosts a Russian military base": adjectival owner, host before
        owner = _before(mentions, s, 10, {host.actor} if host else set())
        if owner and host and owner.actor != host.actor:
            return [(owner.actor, host.actor)]
        return []
    if source is None or target is None or source.actor == target.actor:
        return []
    return [(source.actor, target.actor)]


def _arms_details(text: str, span: tuple[int, int], cue: tuple[int, int], to: str, dates: list[DateMention],
                  mentions: list[ActorMention]) -> tuple[float | None, tuple[str, str] | None]:
    s, e = span
    share = None
    for m in _SHARE.finditer(text, s, e):
        owner = m.group(2)
        if owner:
            named = [x for x in mentions if x.start == m.start(2)]
            if named and named[0].actor != to:
                continue
        share = float(m.group(1)) / 100
        if owner:
            break
    period = None
    ranges = [d for d in dates if s <= d.start < e]
    if ranges:
        d = ranges[0]
        period = (d.date[:4], (d.end_date or d.date)[:4])
    return share, period


def _relations_in_sentence(doc: str, text: str, span: tuple[int, int], dates: list[DateMention],
                           mentions: list[ActorMention], kinds: dict[str, str]) -> list[ExtractedRelation]:
    s, e = span
    participants = [m for m in mentions if not m.topic]
    if not participants:
        return []
    clauses = _clauses(text, s, e)
    taken: list[tuple[int, int]] = []
    found: list[ExtractedRelation] = []
    for rel_type, pattern in RELATION_CUES:
        for m in pattern.finditer(text, s, e):
            cue = m.span()
            if any(cue[0] < te and ts < cue[1] for ts, te in taken) or _negated(text, s, cue[0]):
                continue
            clause = clauses[_clause_index(clauses, cue[0])]
            pairs = _roles(rel_type, text, cue, clause, participants, kinds)
            if pairs:
                taken.append(cue)
            for from_, to in pairs:
                share = period = since = None
                if rel_type == "arms_supply" and to:
                    share, period = _arms_details(text, span, cue, to, dates, participants)
                if rel_type in ("membership", "closed_border", "alliance"):
                    since_match = re.search(r"\bsince\s+(\d{4})\b", text[s:e])
                    since = since_match.group(1) if since_match else None
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
