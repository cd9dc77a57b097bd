"""Relations in one sentence: cue patterns per type with role rules (see :mod:`accord.extract.pipeline`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from accord.extract.actors import ActorMention
from accord.extract.dates import DateMention
from accord.extract.events import _clause_index, _clauses, _cues

__all__ = ["RELATION_CUES", "UNDIRECTED", "ExtractedRelation", "relations_in_sentence"]

UNDIRECTED = {"alliance", "hostility", "no_diplomatic_relations", "closed_border", "partnership"}


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


RELATION_CUES: list[tuple[str, re.Pattern[str]]] = [
    (
        "no_diplomatic_relations",
        _cues(
            r"(?:no|not\s+have|lacks?|without|absence\s+of|never\s+established)\s+(?:any\s+)?diplomatic\s+(?:relations|ties)",
            r"diplomatic\s+(?:relations|ties)\s+(?:were|have\s+been|was)?\s*(?:severed|broken\s+off|cut)",
        ),
    ),
    (
        "closed_border",
        _cues(
            r"closed\s+(?:its\s+|the\s+)?border",
            r"border\s+(?:with\s+[\w-]+\s+)?(?:closed|shut)",
            r"(?:kept|keeps)\s+its\s+border",
        ),
    ),
    (
        "arms_supply",
        _cues(
            r"arms\s+(?:sales?|deals?|supplies|supplied|deliveries|transfers?|imports|exports|supplier)",
            r"(?:supplier|supplies)(?:\s+of\s+(?:arms|weapons|military\s+equipment))?(?=\s+to\b)",
            r"(?:weapons|military\s+equipment)\s+(?:sales?|deliveries|supplies)",
            r"provision\s+of\s+weapons",
            r"supplier\s+of\s+military\s+equipment",
        ),
    ),
    (
        "military_presence",
        _cues(
            r"military\s+bases?",
            r"military\s+presence",
            r"troops\s+(?:deployed|stationed)",
            r"(?:deployed|stationed)\s+troops",
        ),
    ),
    (
        "membership",
        _cues(
            r"(?:is|are|was|were|became)\s+(?:a\s+)?(?:founding\s+)?(?:part|members?|co-chairs?)\s+of",
            r"founding\s+member",
            r"co-chairs?",
            r"member\s+of",
            r"joined",
            r"co-chair\s+countries",
        ),
    ),
    (
        "mediation",
        _cues(
            r"mediat(?:or|ors|ion|ed|es|e|ing)",
            r"(?:honest|peace|chief|acceptable|unbiased)\s+broker",
            r"broker(?:ed|ing|s)?",
            r"brokering",
        ),
    ),
    ("alliance", _cues(r"allian(?:ce|ces)", r"all(?:y|ies)", r"allied", r"union\s+with")),
    ("partnership", _cues(r"partner(?:s|ship)?", r"cooperat(?:e|es|ion|ing)", r"collaborat(?:e|es|ing|ion)")),
    (
        "backing",
        _cues(
            r"support(?:s|ed|ing)?",
            r"backing",
            r"backed\s+by",
            r"backs",
            r"backed(?!\s+by)",
            r"patron(?:\s+and\s+protector)?",
            r"client",
            r"military\s+assistance",
            r"sided\s+with",
        ),
    ),
    (
        "hostility",
        _cues(
            r"hostile",
            r"hostility",
            r"enmity",
            r"enem(?:y|ies)",
            r"rivalry",
            r"strained\s+relations",
            r"deteriorat(?:ing|ion\s+of)\s+relations",
        ),
    ),
]

_NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|without|refrain(?:s|ed)?|refusing|refuse[sd]?|wants?\s+to|would|could|might|n[’']t)\b[^.]{0,40}$",
    re.IGNORECASE,
)
_SHARE = re.compile(
    r"(?:(?:over|about|around|nearly|almost|some|roughly)\s+)?(\d{1,3}(?:\.\d+)?)\s?%\s+of\s+(?:all\s+)?(?:([\w’'-]+?)[’']s\b)?",
    re.IGNORECASE,
)
_ORGANISATION_KINDS = {"organisation", "alliance"}
_PRONOUN_BEFORE = re.compile(r"\b(?:its|their|his|her)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
_OWNER_GAP = re.compile(
    r"^(?:[’']s(?:\s+[\w-]+){0,3}\s+as\s+|[’']s\s+(?:[\w-]+\s+){0,2}|\s+as\s+(?:an?|the)\s+|\s+(?:[\w-]+\s+)?|-)$"
)
_UNRESOLVED = re.compile(
    r"^\s+(?:of|to|with|between|for)\s+(?:the\s+two|both|either|one\s+of\s+the)\b", re.IGNORECASE
)
_DEMONSTRATIVE_BEFORE = re.compile(r"\b(?:this|that|such|these|those)\s+$", re.IGNORECASE)
_STATE_ONLY = {"alliance", "closed_border", "no_diplomatic_relations"}


def _negated(text: str, sentence_start: int, cue_start: int) -> bool:
    window = text[max(sentence_start, cue_start - 45) : cue_start]
    return bool(_NEGATION.search(window))


def _after(
    mentions: list[ActorMention], pos: int, limit: int, exclude: Iterable[str] = ()
) -> ActorMention | None:
    for m in mentions:
        if pos <= m.start <= pos + limit and m.actor not in exclude:
            return m
    return None


def _before(
    mentions: list[ActorMention], pos: int, limit: int, exclude: Iterable[str] = ()
) -> ActorMention | None:
    found = None
    for m in mentions:
        if pos - limit <= m.start and m.end <= pos and m.actor not in exclude:
            found = m
    return found


def _prep_after(
    text: str, mentions: list[ActorMention], pos: int, preps: str, limit: int = 60, gap: int = 3
) -> ActorMention | None:
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
        """Whether 'its'/'their' stands right before the cue, and the actor it points back to in the
        clause."""
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
            candidates = [
                m for m in self.mentions if lo <= m.start and m.end <= self.cue[0] and m.actor not in exclude
            ]
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
        listed = [
            m
            for m in members
            if e <= m.start <= e + 60 and not re.search(r"[.;]|\band\s+called\b", ctx.text[e : m.start])
        ]
        return [(m.actor, org.actor, None) for m in listed] if org else []
    targets = list(dict.fromkeys(m.actor for m in orgs if e <= m.start <= e + 100))
    member = (
        _before(members, s, 60) or _Context(ctx.text, ctx.cue, ctx.clause, ctx.sentence, members).subject()
    )
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
        backed = (
            _after(mentions, e + 10, 150, {backer.actor})
            if backer and (backed is None or backed.start < e)
            else backed
        )
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


def relations_in_sentence(
    doc: str,
    text: str,
    span: tuple[int, int],
    dates: list[DateMention],
    mentions: list[ActorMention],
    kinds: dict[str, str],
) -> list[ExtractedRelation]:
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
            if _UNRESOLVED.match(text, cue[1]) or _DEMONSTRATIVE_BEFORE.search(
                text, max(s, cue[0] - 8), cue[0]
            ):
                continue  # "allies of the two sides", "this support": the other party is not named here
            usable = [
                m
                for m in participants
                if rel_type not in _STATE_ONLY or kinds.get(m.actor) not in _ORGANISATION_KINDS
            ]
            ctx = _Context(text, cue, clauses[_clause_index(clauses, cue[0])], span, usable)
            triples = _roles(rel_type, ctx, kinds)
            if triples:
                taken.append(cue)
            for from_, to, share in triples:
                period = _period(text, span, dates) if rel_type == "arms_supply" else None
                since = (
                    since_match.group(1)
                    if since_match and rel_type in ("membership", "closed_border", "alliance")
                    else None
                )
                found.append(ExtractedRelation(doc, s, e, rel_type, from_, to, cue, share, period, since))
    return found
