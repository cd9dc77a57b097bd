"""Dated events in one sentence: date expressions attached to event cues (see
:mod:`accord.extract.pipeline`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from accord.extract.actors import ActorMention
from accord.extract.dates import Anchor, DateMention
from accord.extract.lexicon import BREAKDOWN, EVENT_CUES, WEAK, cue_pattern

__all__ = [
    "EVENT_CUES",
    "Cue",
    "ExtractedEvent",
    "events_in_sentence",
    "sentence_cues",
    "sentence_events",
    "too_late",
]


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
    window: tuple[str, str] | None = None  # days it lies within, when finer than its precision


_cues = cue_pattern  # kept for accord.extract.relations

_VERB_AFTER_NOUN = re.compile(
    r"(?i)negotiated|signed|mediated|brokered|clashed|agreed(?:\s+(?:to|on|upon))?|put\s+forward|announced|imposed|granted"
)
_LEADERS = re.compile(
    r"\b(?:presidents|prime\s+ministers|heads\s+of\s+(?:state|government)|leaders)\b", re.IGNORECASE
)
_SHORT_GAP = re.compile(r"\s+(?:[\w’'-]+\s+){0,3}")
_ANNOUNCING = re.compile(r"(?i)announced|declared|unveiled|expressed|indicated")
_CLAUSE_BREAK = re.compile(
    r"[,;:()\[\]–—]|\s-\s|\b(?:which|who|whose|when|while|whereas|although|though|but)\b", re.IGNORECASE
)
_DETERMINER_BEFORE = re.compile(
    r"\b(?:the|a|an|its|their|his|her|this|that)\s+(?:[a-z]+\s+)?$", re.IGNORECASE
)
_ACT_LIST = re.compile(r"\s*,?\s*and\s+(?:the\s+|its\s+|their\s+)?")
_PASSIVE_GAP = re.compile(r"\s+(?:(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+)?", re.IGNORECASE)
_NOMINAL_BREAKDOWN = re.compile(
    r"\b(?:breakdown|failure|collapse|unravell?ing|violations?|breach(?:es)?)\s+of\s+(?:the|a|this|that|its)\s+"
    r"(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
_LIST_GAP = re.compile(
    r"^\s*,?\s*(?:and|or|as|like)?\s*(?:(?:again|another(?:\s+one)?|once\s+more)\s*)?(?:in|on|of)?\s*(?:the\s+)?$",
    re.IGNORECASE,
)
# "for the first time since 2010", "the worst fighting since 1994": the year is a yardstick, not the
# time of what the clause reports (a named event after it, "since the 1994 ceasefire", keeps its date)
_YARDSTICK = re.compile(
    r"\b(?:first|worst|largest|biggest|deadliest|heaviest|highest|lowest|fiercest|most\s+(?!of\b)[\w-]+)\s+"
    r"(?:(?!of\b)[\w-]+\s+){0,2}since\s+(?:the\s+)?$",
    re.IGNORECASE,
)
FUTURE_DAYS = 366  # a scheduled event counts (elections next spring); a distant deadline does not


@dataclass
class Cue:
    type: str
    start: int
    end: int
    claimed: bool = False


def _event_cues(text: str, start: int, end: int, dates: Sequence[DateMention] = ()) -> list[Cue]:
    """The sentence's event cues, longest first on overlaps, then merged where several words name one
    happening ("signed a framework agreement", "the truce ... collapsed")."""
    found: list[Cue] = []
    for kind, pattern in EVENT_CUES:
        for m in pattern.finditer(text, start, end):
            found.append(Cue(kind, m.start(), m.end()))
    kept: list[Cue] = []
    for cue in sorted(found, key=lambda c: -(c.end - c.start)):  # longest first wins overlaps
        if not any(cue.start < k.end and k.start < cue.end for k in kept):
            kept.append(cue)
    kept.sort(key=lambda c: c.start)
    kept = _breakdowns(text, start, end, _merge_cues(text, kept, dates), dates)
    if _leaders_meet(text, start, end):
        for cue in kept:
            if cue.type == "talks" and re.match(r"(?i)meet|met\b", text[cue.start : cue.end]):
                cue.type = "summit"  # a meeting of presidents is a summit
    if any(c.type == "ceasefire" for c in kept):
        for cue in kept:
            if cue.type == "agreement" and text[cue.start : cue.end].lower().startswith("agreement"):
                cue.type = "ceasefire"  # "the agreement of 17 October" in a sentence about a ceasefire
    return kept


_OTHER_RANK = re.compile(
    r"(?i)\b(?:ministers?|envoys?|diplomats?|delegat(?:es|ions?)|officials|negotiators)\b"
)


def _leaders_meet(text: str, start: int, end: int) -> bool:
    """Whether the meeting of this sentence is one of leaders: named here, or shortly before in its paragraph
    when this one names no other rank ("... met the two presidents. ... The 2011 Kazan meeting stalled")."""
    if _LEADERS.search(text, start, end):
        return True
    if _OTHER_RANK.search(text, start, end):
        return False
    before = max(text.rfind("\n", 0, start), start - 400, 0)
    return bool(_LEADERS.search(text, before, start))


def sentence_cues(text: str, start: int, end: int) -> list[Cue]:
    """The event cues of a sentence without a date (for statements dated by their paragraph's frame)."""
    return _event_cues(text, start, end)


def _dated_between(dates: Sequence[DateMention], a: int, b: int) -> bool:
    return any(a <= d.start and d.end <= b for d in dates)


def _merge_cues(text: str, kept: list[Cue], dates: Sequence[DateMention]) -> list[Cue]:
    merged: list[Cue] = []
    for cue in kept:
        gap = text[merged[-1].end : cue.start] if merged else ""
        if merged and merged[-1].type == cue.type == "decision" and _ACT_LIST.fullmatch(gap):
            merged.append(cue)  # "the extradition and the pardon", "resigned and was replaced": two acts
        elif merged and merged[-1].type == cue.type and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", gap):
            merged[-1].end = cue.end  # "denied and accused", "clashes and shelling": one happening, one cue
        elif (
            merged
            and merged[-1].type == cue.type
            and _SHORT_GAP.fullmatch(gap)
            and not _dated_between(dates, merged[-1].end, cue.start)
        ):
            merged[-1].end = cue.end  # "signed a framework agreement", "put forward a peace plan"
        elif merged and _PASSIVE_GAP.fullmatch(gap) and _VERB_AFTER_NOUN.fullmatch(text, cue.start, cue.end):
            merged[-1].end = cue.end  # "the ceasefire (was) negotiated": how the noun's event came about
        elif (
            merged
            and merged[-1].type == "statement"
            and _ANNOUNCING.fullmatch(text, merged[-1].start, merged[-1].end)
            and re.fullmatch(r"\s+(?:(?:an?|the|its|their|new)\s+)?(?:[\w-]+\s+){0,2}", gap)
        ):
            merged[-1] = cue  # "announced a cooperation agreement": the event is what was announced
        else:
            merged.append(cue)
    return merged


def _breakdowns(text: str, start: int, end: int, cues: list[Cue], dates: Sequence[DateMention]) -> list[Cue]:
    """'The truce between A and B collapsed on Tuesday': the breakdown verb joins the noun before it (a
    ceasefire that collapsed is a breach). When a date stands between them ("the ceasefire agreed on
    Sunday broke down"), the ceasefire keeps its date and the breakdown is a breach cue of its own."""
    for cue in cues:  # "the failure of the 10 October ceasefire": a breach, dated by the ceasefire's date
        if cue.type == "ceasefire" and _NOMINAL_BREAKDOWN.search(text, max(start, cue.start - 60), cue.start):
            cue.type = "ceasefire_breach"
    for m in BREAKDOWN.finditer(text, start, end):
        if any(m.start() < c.end and c.start < m.end() for c in cues):
            continue
        before = [c for c in cues if c.end <= m.start()]
        if not before:
            continue
        noun, gap = before[-1], text[before[-1].end : m.start()]
        if _dated_between(dates, noun.end, m.start()):
            # "talks opened in 1996 but broke off in 2009": the end of the talks is a talks event
            cues.append(
                Cue("ceasefire_breach" if noun.type == "ceasefire" else noun.type, m.start(), m.end())
            )
        elif len(gap.split()) <= 8 and not _CLAUSE_BREAK.search(gap):
            noun.end = m.end()
            if noun.type == "ceasefire":
                noun.type = "ceasefire_breach"
    cues.sort(key=lambda c: c.start)
    return cues


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    bounds = [start]
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        bounds.append(m.start())
    bounds.append(end)
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _group_dates(text: str, dates: list[DateMention], cues: Sequence[Cue] = ()) -> list[list[DateMention]]:
    """Consecutive dates joined only by commas, 'and', 'or', 'in' form one list sharing a cue, unless the
    later date has a predicate of its own ("in early March, and on 21 March two ships collided")."""
    groups: list[list[DateMention]] = []
    for date in dates:
        if (
            groups
            and _LIST_GAP.match(text[groups[-1][-1].end : date.start])
            and not _own_cue_after(text, date, cues)
        ):
            groups[-1].append(date)
        else:
            groups.append([date])
    return groups


def _own_cue_after(text: str, date: DateMention, cues: Sequence[Cue]) -> bool:
    brk = _CLAUSE_BREAK.search(text, date.end)
    stop = brk.start() if brk else len(text)
    return any(date.end <= c.start and c.end <= stop for c in cues)


def _clause_index(clauses: list[tuple[int, int]], pos: int) -> int:
    for i, (a, b) in enumerate(clauses):
        if a <= pos < b:
            return i
    return len(clauses) - 1


def _modifier_cue(text: str, group: list[DateMention], cues: list[Cue]) -> Cue | None:
    """'the 2011 Kazan summit', 'an August 2010 agreement': a cue within three words after the date."""
    first, last = group[0], group[-1]
    written = text[first.start : first.end]
    if re.match(
        r"(?i)(?:the\s+same|that)\s|(?:in|on|at|by|since|during|from|until|till|before|after)\b", written
    ):
        return None  # "on the same day as X's interview", "in October": the date is not a modifier
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
            r"[,;:.]|\b(?:as|of|with|in|on|at|by|for|to|from|and|or|but)\b", between
        ):
            return cue
        break
    return None


def _nearest(cues: list[Cue], lo: int, hi: int, pos: int, before: bool, text: str = "") -> Cue | None:
    """The unclaimed cue in ``[lo, hi)`` nearest to ``pos`` on one side, a named happening before a weak
    word ("skirmishes killed eleven soldiers on 2 August": the skirmishes)."""
    free = [
        c for c in cues if not c.claimed and c.start < hi and c.end > lo
    ]  # a merged cue may cross a comma
    side = [c for c in free if c.end <= pos] if before else [c for c in free if c.start >= pos]
    strong = [c for c in side if not (text and WEAK.fullmatch(text, c.start, c.end))]
    pool = strong or side
    if not pool:
        return None
    return pool[-1] if before else pool[0]


_MAY_POINT_BACK = re.compile(
    r"\b(?:when|during|amid|after|afterwards|thereafter|following|ahead|before|prior|aftermath|wake|response|"
    r"reaction|faced|followed|ensued|at\s+(?:the|that|this|its))\b",
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


_NEGOTIATING = re.compile(
    r"\b(?:negotiating|negotiation\s+of|negotiations\s+(?:on|over|for))\s+(?:(?:the|an?)\s+)?$", re.IGNORECASE
)


def _negotiating(text: str, group: list[DateMention], cues: list[Cue], cue: Cue | None) -> Cue | None:
    """'crucial in negotiating the 1994 protocol': the gerund (or the noun) of negotiating before a dated
    agreement names the talks that produced it, which the readers list as talks; a finite verb ("signed the
    1994 protocol", "negotiated the 2007 deal") reports the outcome and keeps the agreement."""
    if cue is None or cue.type not in ("agreement", "ceasefire"):
        return cue
    m = _NEGOTIATING.search(text, max(0, group[0].start - 40), group[0].start)
    talks = m and next(
        (c for c in cues if c.type == "talks" and c.start == m.start() and not c.claimed), None
    )
    return talks or cue


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
        claim(
            i,
            _negotiating(text, group, cues, _modifier_cue(text, group, cues))
            or _version_of(text, group, cues),
        )
    yardsticks = {
        i
        for i, group in enumerate(groups)
        if i not in chosen and _YARDSTICK.search(text, max(0, group[0].start - 60), group[0].start)
    }
    for i, group in enumerate(groups):
        if i in chosen or i in yardsticks:
            continue
        a, _ = clauses[_clause_index(clauses, group[0].start)]
        _, b = clauses[_clause_index(clauses, group[-1].end - 1)]
        claim(
            i,
            _nearest(cues, a, group[0].start, group[0].start, True, text)
            or _nearest(cues, group[-1].end, b, group[-1].end, False, text),
        )
    for i, group in enumerate(groups):
        if i in chosen or i in yardsticks:
            continue
        here = _clause_index(clauses, group[0].start)
        for step in range(1, len(clauses)):
            for j in (here - step, here + step):
                if 0 <= j < len(clauses):
                    a, b = clauses[j]
                    claim(i, _nearest(cues, a, b, b if j < here else a, j < here, text))
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
    cues = _event_cues(text, s, e, dates)
    dates = [d for d in dates if not too_late(d, anchor)]  # a deadline ("expires in 2030") claims no cue
    if not cues or not dates:
        return [], cues
    groups = _group_dates(text, dates, cues)
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
                    window=date.window,
                )
            )
    return events + _venues(text, events, cues), cues


_VENUE = re.compile(
    r"\b(?:speaking|spoke|remarks|said|told\s+[\w-]+|address(?:ed|ing)?)\s+(?:[\w-]+\s+){0,3}?(?:at|to)\s+"
    r"(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?P<noun>session|summit|meeting|conference|forum|assembly)\b",
    re.IGNORECASE,
)
_A_LEADER = re.compile(r"(?i)\b(?:presidents?|prime\s+ministers?|leaders?|heads?\s+of\s+state)\b")


def _venues(text: str, events: list[ExtractedEvent], cues: list[Cue]) -> list[ExtractedEvent]:
    """'speaking at a bloc's session in the capital, the president said ...': the gathering where a dated
    statement was made is a happening of its own at that date (a summit when a leader speaks)."""
    out = []
    for event in events:
        if event.type != "statement":
            continue
        m = _VENUE.search(text, event.start, event.end)
        if m is None or any(c.claimed and c.start < m.end() and m.start("noun") < c.end for c in cues):
            continue
        leader = m["noun"].lower() == "summit" or _A_LEADER.search(text, event.start, event.end)
        out.append(replace(event, type="summit" if leader else "talks", cue=(m.start("noun"), m.end("noun"))))
        break  # one gathering per sentence
    return out
