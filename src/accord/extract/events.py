"""Dated events in one sentence: date expressions attached to event cues (see :mod:`accord.extract.pipeline`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from accord.extract.actors import ActorMention
from accord.extract.dates import Anchor, DateMention

__all__ = ["EVENT_CUES", "Cue", "ExtractedEvent", "events_in_sentence", "sentence_events", "too_late"]


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
    tie: str | None = (
        None  # how a date without its own expression was found: same, shift, consequence, duration
    )


def _cues(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


# General English event vocabulary per type (nouns and verbs), not phrases of any one text. Order
# matters only for ties between cues of equal length: the longer cue wins an overlap.
EVENT_CUES: list[tuple[str, re.Pattern[str]]] = [
    (
        "ceasefire_breach",
        _cues(
            r"cease-?\s?fires?\s+(?:was|were|had\s+been|has\s+been)?\s*(?:broken|violated|breached|collapsed|broke\s+down|faltered)",
            r"cease-?\s?fire\s+violations?",
            r"violations?\s+of\s+the\s+cease-?\s?fire",
            r"(?:broke|breaking)\s+down",
            r"(?:broke|violated|breached)\s+the\s+(?:[\w-]+\s+)?(?:cease-?\s?fire|truce)",
        ),
    ),
    (
        "ceasefire",
        _cues(
            r"cease-?\s?fires?(?:\s+agreements?)?",
            r"truces?",
            r"armistice",
            r"cessation\s+of\s+(?:hostilities|fighting|combat)",
            r"put\s+an\s+end\s+to\s+the\s+(?:[\w-]+\s+){0,2}war",
            r"halt\s+to\s+the\s+fighting",
        ),
    ),
    (
        "war",
        _cues(
            r"(?<!cold\s)(?<!post-cold\s)wars?(?!\s+(?:rhetoric|games|crimes))",
            r"large-scale\s+military\s+action",
            r"invasion",
            r"invaded",
            r"military\s+intervention",
            r"outbreak\s+of\s+(?:the\s+)?hostilities",
        ),
    ),
    (
        "clashes",
        _cues(
            r"clash(?:es|ed)?",
            r"fighting",
            r"fought",
            r"hostilities",
            r"skirmish(?:es)?",
            r"flare-ups?",
            r"escalations?",
            r"violence",
            r"(?<!diplomatic\s)(?<!charm\s)offensive",
            r"military\s+(?:operation|action)",
            r"shelling",
            r"(?:armed|border|military)\s+incidents?",
            r"incidents",
            r"attacks?",
            r"air\s?strikes?",
            r"battles?",
        ),
    ),
    (
        "arms_deal",
        _cues(
            r"arms\s+(?:sales?|deals?|supplies|supplied|deliveries|transfers?|imports|exports|purchases?)",
            r"(?:weapons|military\s+equipment)\s+(?:sales?|deliveries|supplies)",
            r"(?:sold|supplied|delivered|purchased|bought)\s+(?:[\w-]+\s+){0,2}(?:arms|weapons|missiles|drones|systems)",
        ),
    ),
    (
        "agreement",
        _cues(
            r"agreements?",
            r"treaty",
            r"treaties",
            r"protocol",
            r"accords?",
            r"demarcat(?:ed|ion)",
            r"deals?(?!\s+with)",
            r"signed",
            r"memorandum",
        ),
    ),
    ("summit", _cues(r"summits?", r"(?:presidents|leaders)\s+met")),
    (
        "talks",
        _cues(
            r"talks",
            r"negotiations?",
            r"negotiating",
            r"negotiated",
            r"discussions",
            r"consultations?",
            r"consulted",
            r"consulting",
            r"meetings?",
            r"met\s+with",
            r"convened",
            r"mediation",
            r"mediated",
            r"visit(?:ed|s)?",
            r"phone\s+calls?",
            r"(?:peace|negotiation)\s+process",
        ),
    ),
    (
        "plan",
        _cues(
            r"plan",
            r"Principles",
            r"road\s?map",
            r"(?:peace\s+)?proposals?",
            r"initiatives?",
            r"put\s+forward",
        ),
    ),
    (
        "statement",
        _cues(
            r"statements?",
            r"interviews?",
            r"speech",
            r"speaking",
            r"remarks?",
            r"called\s+(?:on|for)",
            r"criticised",
            r"criticized",
            r"condemned",
            r"declared(?!\s+(?:its|their)\s+(?:exit|independence|secession))",
            r"announced",
            r"said",
            r"stated",
            r"claimed",
            r"accused",
            r"warned",
            r"urged",
            r"demanded",
            r"insisted",
            r"pledged",
            r"denied",
            r"expressed",
            r"indicated",
            r"reiterated",
            r"stressed",
            r"threatened",
            r"appealed",
            r"(?<!military\s)reactions?",
            r"responded",
        ),
    ),
    (
        "decision",
        _cues(
            r"decisions?",
            r"decided",
            r"extradition",
            r"extradited",
            r"pardon(?:ing|ed)?",
            r"declared\s+(?:its|their)\s+(?:exit|independence|secession)",
            r"imposed",
            r"recogni[sz](?:ed|ing)",
            r"recognition",
            r"annex(?:ed|ation)",
            r"ratified",
            r"closed\s+(?:its|the)\s+border",
            r"kept\s+its\s+border\s+closed",
            r"granted",
            r"grant",
        ),
    ),
    (
        "movement",
        _cues(
            r"protests?",
            r"demonstrations",
            r"rall(?:y|ies)",
            r"uprising",
            r"movement",
            r"mobilisation",
            r"mobilization",
        ),
    ),
    (
        "military_drill",
        _cues(
            r"(?:military\s+)?drills",
            r"(?:military|joint)\s+exercises",
            r"war\s+games",
            r"manoeuvres",
            r"maneuvers",
        ),
    ),
    (
        "institution",
        _cues(
            r"founded",
            r"founding\s+member",
            r"newly-created",
            r"became\s+(?:a\s+)?co-chair",
            r"was\s+(?:set\s+up|established|created)",
            r"(?:a\s+)?member\s+of",
            r"membership",
            r"joined",
            r"accession",
            r"withdrew\s+from",
        ),
    ),
    (
        "other",
        _cues(
            r"(?:expanded|deepened|strengthened)\s+(?:its|their)\s+(?:[\w-]+\s+)?(?:ties|cooperation|relations)",
            r"killed",
            r"murdered",
            r"assassinated",
            r"axed",
        ),
    ),
]

_VERB_AFTER_NOUN = re.compile(
    r"(?i)negotiated|signed|mediated|brokered|clashed|agreed|put\s+forward|announced|imposed|granted"
)
_ANNOUNCING = re.compile(r"(?i)announced|declared|unveiled|expressed|indicated")
_CLAUSE_BREAK = re.compile(
    r"[,;:()\[\]–—]|\s-\s|\b(?:which|who|whose|when|while|whereas|although|though|but)\b", re.IGNORECASE
)
_DETERMINER_BEFORE = re.compile(
    r"\b(?:the|a|an|its|their|his|her|this|that)\s+(?:[a-z]+\s+)?$", re.IGNORECASE
)
_LIST_GAP = re.compile(r"^\s*,?\s*(?:and|or)?\s*(?:in|on|of)?\s*(?:the\s+)?$")
FUTURE_DAYS = 62


@dataclass
class Cue:
    type: str
    start: int
    end: int
    claimed: bool = False


def _event_cues(text: str, start: int, end: int) -> list[Cue]:
    found: list[Cue] = []
    for kind, pattern in EVENT_CUES:
        for m in pattern.finditer(text, start, end):
            found.append(Cue(kind, m.start(), m.end()))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Cue] = []
    for cue in sorted(found, key=lambda c: -(c.end - c.start)):  # longest first wins overlaps
        if not any(cue.start < k.end and k.start < cue.end for k in kept):
            kept.append(cue)
    kept.sort(key=lambda c: c.start)
    merged: list[Cue] = []
    for cue in kept:
        gap = text[merged[-1].end : cue.start] if merged else ""
        if merged and merged[-1].type == cue.type and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", gap):
            merged[-1].end = cue.end  # "extradition and pardoning": one happening, one cue
        elif merged and re.fullmatch(r"\s+", gap) and _VERB_AFTER_NOUN.fullmatch(text, cue.start, cue.end):
            merged[
                -1
            ].end = cue.end  # "the ceasefire negotiated": the verb tells how the noun's event came about
        elif (
            merged
            and merged[-1].type == "statement"
            and _ANNOUNCING.fullmatch(text, merged[-1].start, merged[-1].end)
            and re.fullmatch(r"\s+(?:(?:an?|the|its|their|new)\s+)?(?:[\w-]+\s+){0,2}", gap)
        ):
            merged[-1] = cue  # "announced a cooperation agreement": the event is what was announced
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


def _modifier_cue(text: str, group: list[DateMention], cues: list[Cue]) -> Cue | None:
    """'the 2011 Kazan summit', 'an August 2010 agreement': a cue within three words after the date."""
    first, last = group[0], group[-1]
    written = text[first.start : first.end]
    if re.match(r"(?i)(?:the\s+same|that)\s", written):
        return None  # "on the same day as X's interview": the date is not a modifier
    starts_with_determiner = re.match(r"(?i)(?:the|an?)\s", written)
    if not starts_with_determiner and not _DETERMINER_BEFORE.search(
        text[max(0, first.start - 30) : first.start]
    ):
        return None
    for cue in cues:
        if cue.claimed or cue.start < last.end:
            continue
        between = text[last.end : cue.start]
        if re.fullmatch(r"\s+(?:[\w’'-]+\s+){0,3}", between) and not re.search(
            r"[,;:.]|\b(?:as|of|with|in|on|at|by|for|to|from)\b", between
        ):
            return cue
        break
    return None


def _nearest(cues: list[Cue], lo: int, hi: int, pos: int, before: bool) -> Cue | None:
    chosen = None
    for cue in cues:
        if cue.claimed or not (lo <= cue.start and cue.end <= hi):
            continue
        if before and cue.end <= pos:
            chosen = cue  # keeps the last one before pos
        elif not before and cue.start >= pos:
            return cue
    return chosen


_MAY_POINT_BACK = re.compile(
    r"\b(?:when|during|amid|after|following|ahead|before|prior|aftermath|wake|response|reaction|faced)\b",
    re.IGNORECASE,
)
_VERSION = re.compile(r"\s+(?:version|edition|revision|update|draft|round|text)\b", re.IGNORECASE)


def _version_of(text: str, group: list[DateMention], cues: list[Cue]) -> Cue | None:
    """'the Principles adopted in 2007 and, in their updated 2009 version, ...': a dated re-reference to
    the event named before it takes that event's type (a new cue on the head noun)."""
    first, last = group[0], group[-1]
    head = _VERSION.match(text, last.end)
    if head is None or not _DETERMINER_BEFORE.search(text[max(0, first.start - 30) : first.start]):
        return None
    before = [c for c in cues if c.end <= first.start]
    return Cue(before[-1].type, head.start() + 1, head.end()) if before else None


def _attach(
    text: str, groups: list[list[DateMention]], cues: list[Cue], clauses: list[tuple[int, int]]
) -> dict[int, Cue]:
    """Give each date group at most one cue, in three passes of decreasing certainty."""
    chosen: dict[int, Cue] = {}

    def claim(i: int, cue: Cue | None) -> None:
        if cue is not None and i not in chosen:
            cue.claimed = True
            chosen[i] = cue

    for i, group in enumerate(groups):
        claim(i, _modifier_cue(text, group, cues) or _version_of(text, group, cues))
    for i, group in enumerate(groups):
        if i in chosen:
            continue
        a, _ = clauses[_clause_index(clauses, group[0].start)]
        _, b = clauses[_clause_index(clauses, group[-1].end - 1)]
        claim(
            i,
            _nearest(cues, a, group[0].start, group[0].start, True)
            or _nearest(cues, group[-1].end, b, group[-1].end, False),
        )
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


def too_late(date: DateMention, anchor: Anchor | None) -> bool:
    if anchor is None:
        return False
    start = dt.date(
        int(date.date[:4]),
        int(date.date[5:7] or 1) if len(date.date) > 4 else 1,
        int(date.date[8:10]) if len(date.date) > 7 else 1,
    )
    return (start - anchor.date).days > FUTURE_DAYS


def events_in_sentence(
    doc: str,
    text: str,
    span: tuple[int, int],
    dates: list[DateMention],
    mentions: list[ActorMention],
    anchor: Anchor | None,
) -> list[ExtractedEvent]:
    """The events whose cue a date expression of the sentence attaches to (see :func:`sentence_events`)."""
    return sentence_events(doc, text, span, dates, mentions, anchor)[0]


def sentence_events(
    doc: str,
    text: str,
    span: tuple[int, int],
    dates: list[DateMention],
    mentions: list[ActorMention],
    anchor: Anchor | None,
) -> tuple[list[ExtractedEvent], list[Cue]]:
    """The dated events of one sentence and all its event cues (claimed ones serve a date), so that
    :mod:`accord.extract.ties` can date the unclaimed cues tied to a dated event."""
    s, e = span
    if not dates and not _MAY_POINT_BACK.search(text, s, e):
        return (
            [],
            [],
        )  # no date and nothing to tie to an earlier one ("following the ceasefire"): no cues needed
    cues = _event_cues(text, s, e)
    if not cues or not dates:
        return [], cues
    groups = _group_dates(text, dates)
    chosen = _attach(text, groups, cues, _clauses(text, s, e))
    actors = tuple(dict.fromkeys(m.actor for m in mentions if not m.topic))
    events = []
    for i, cue in sorted(chosen.items()):
        for date in groups[i]:
            if too_late(date, anchor):
                continue
            events.append(
                ExtractedEvent(
                    doc,
                    s,
                    e,
                    date.date,
                    date.precision,
                    cue.type,
                    actors,
                    (cue.start, cue.end),
                    (date.start, date.end),
                    date.end_date,
                )
            )
    return events, cues
