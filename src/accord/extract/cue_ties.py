"""The rules that date one unclaimed cue from a dated event of its sentence (or the one before), for
:mod:`accord.extract.ties`: a consequence ("led to"), a breakdown of a dated ceasefire, a duration
("after 14 years of talks"), a clause right after a date ("since 2012, when ..."), "X followed", a second
verb joined by "and", two formal acts, "the following initiative"; and the window refinement.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from accord.extract.events import _NOMINAL_BREAKDOWN, Cue, ExtractedEvent
from accord.extract.numbers import NUMBER, number_value
from accord.extract.partial_dates import parse_partial

__all__ = [
    "breakdown_of",
    "clause_after_date",
    "coarsen",
    "consequence",
    "coordinated",
    "coordinated_before",
    "duration",
    "followed",
    "near",
    "object_of_tie",
    "refine_by_window",
    "subsequent",
]

_CONSEQUENCE = re.compile(
    r"\b(?:led\s+to|leading\s+to|resulted\s+in|resulting\s+in|culminated\s+in|ended\s+(?:up\s+)?(?:in|with))\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_DURATION = re.compile(
    rf"\b(?:after|following)\s+(?P<n>{NUMBER})\s+(?P<unit>years?)\s+of\s+(?:[\w-]+\s+)?$", re.IGNORECASE
)


def coarsen(date: str, precision: str) -> tuple[str, str]:
    if precision == "day":
        return date[:7], "month"
    return date[:4], "year"


def near(date: str, precision: str) -> tuple[str, str]:
    """Just before or after a dated event: its month when it has a day (the next days may fall in the
    next month only rarely), else its own date. An independent reader dates "following clashes in July,
    X criticised" to July, not to the year."""
    if precision == "day":
        return date[:7], "month"
    return date, precision


def consequence(
    text: str, s: int, cue: Cue, primary: list[ExtractedEvent]
) -> tuple[str, str, str | None] | None:
    """'..., which led to the ceasefire agreement': the end of the dated event before it."""
    if not _CONSEQUENCE.search(text, max(s, cue.start - 40), cue.start):
        return None
    before = [ev for ev in primary if ev.cue[1] <= cue.start]
    if not before:
        return None
    event = before[-1]
    return (event.end_date or event.date, event.precision, None)


_AFTER_DATE = re.compile(
    r"\s*,?\s*(?:(?P<same>when|while)|(?P<shift>after|following|before))\s+(?:[\w’'-]+\s+){0,8}",
    re.IGNORECASE,
)
_FOLLOWED = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:followed|ensued)\b", re.IGNORECASE)
_AND_THEN = re.compile(r"[^;:.()\[\]]*?\s(?:and|then)\s+(?:(?:then|later|also|thus|so)\s+)?", re.IGNORECASE)
_AND_VERB_OBJECT = re.compile(
    r"[^;:.()\[\]]*?\s(?:and|then)\s+(?:(?:then|later|also|thus|so)\s+)?"
    r"(?:[a-z]+ed|held|made|took|sent|set|put|gave|won|lost|began|broke|struck|shot|fought|sold|bought|cut)\s+"
    r"(?:(?:a|an|the|its|their|his|her|new|fresh)\s+)?(?:[\w’'-]+\s+){0,2}",
    re.IGNORECASE,
)
_ACTS = re.compile(r"\s*,?\s*and\s+(?:the\s+|its\s+|their\s+)?")
_AND_DECREED = re.compile(
    r"\s(?:and|then)\s+(?:declared|announced|imposed|ordered|proclaimed|suspended|extended|launched|began|started|"
    r"signed|held|closed|opened|lifted|introduced)$",
    re.IGNORECASE,
)
_OBJECT_GAP = re.compile(r"\s+(?:(?:a|an|the|its|their|his|her|new|fresh)\s+)?(?:[\w’'-]+\s+){0,2}")
_PAST_VERB = re.compile(r"[a-z]+ed\b|(?:met|held|sold|bought|fought|told|said|put|made|took|began|broke)\b")


def clause_after_date(
    text: str, cue: Cue, primary: list[ExtractedEvent]
) -> tuple[tuple[str, str, str | None], str] | None:
    """'since 2012, when the two governments signed a treaty' (the same date), 'broke off in 2009 after
    Sorvia withdrew its delegation' (the date coarsened one step): a clause right after a date."""
    for event in reversed(primary):
        if event.date_span[1] > cue.start:
            continue
        m = _AFTER_DATE.fullmatch(text, event.date_span[1], cue.start)
        if m is None:
            continue
        if m.group("same"):
            return (event.date, event.precision, event.end_date), "same"
        return (*near(event.date, event.precision), None), "shift"
    return None


def followed(text: str, cue: Cue, primary: list[ExtractedEvent]) -> tuple[str, str, str | None] | None:
    """'proclaimed autonomy in March 1992, and a year of war followed': after the dated event before it."""
    if not _FOLLOWED.match(text, cue.end):
        return None
    before = [ev for ev in primary if ev.cue[1] <= cue.start]
    return (*coarsen(before[-1].date, before[-1].precision), None) if before else None


def coordinated(text: str, cue: Cue, primary: list[ExtractedEvent]) -> tuple[str, str, str | None] | None:
    """'met at a summit on 3-4 June 2019 ... and agreed to reopen a hotline': a second verb of the same
    subject, right after "and", shares the dated clause's time (no new subject, no date of its own)."""
    before = [ev for ev in primary if max(ev.cue[1], ev.date_span[1]) <= cue.start]
    if not before:
        return None
    event = max(before, key=lambda ev: max(ev.cue[1], ev.date_span[1]))
    gap = (text, max(event.cue[1], event.date_span[1]), cue.start)
    if event.type == cue.type == "decision" and _ACTS.fullmatch(*gap):
        return event.date, event.precision, event.end_date  # "the extradition and the pardon": two acts
    if event.type == cue.type:
        return None  # "denied the charge yesterday and accused ...": one statement
    if event.date_span[1] <= event.cue[0] and _DETERMINER_END.search(
        text, max(0, event.date_span[0] - 8), event.date_span[0]
    ):
        return None  # "called it a breach of the 2015 declaration and said ...": the date is the noun's own
    if _PAST_VERB.match(text, cue.start) and _AND_THEN.fullmatch(*gap):
        return event.date, event.precision, event.end_date
    if _AND_VERB_OBJECT.fullmatch(*gap):  # "... and then imposed a curfew": the verb's object names it
        return event.date, event.precision, event.end_date
    if _AND_DECREED.search(text, event.cue[0], event.cue[1]) and _OBJECT_GAP.fullmatch(*gap):
        # "addressed the nation and declared martial law": the second verb, merged into the first cue,
        # brings a happening of its own as its object (not a topic: "criticised and condemned the sale")
        return event.date, event.precision, event.end_date
    return None


def coordinated_before(
    text: str, cue: Cue, primary: list[ExtractedEvent]
) -> tuple[str, str, str | None] | None:
    """'On 19 October the council convened and called on both sides to ...': a first verb of the same
    subject, before the dated one and joined to it by "and", shares its time (the date went to the
    stronger cue; the meeting is a happening of its own)."""
    if not _PAST_VERB.match(text, cue.start):
        return None
    after = [ev for ev in primary if ev.cue[0] >= cue.end]
    if not after:
        return None
    event = min(after, key=lambda ev: ev.cue[0])
    if event.type == cue.type or not _AND_THEN.fullmatch(text, cue.end, event.cue[0]):
        return None
    return event.date, event.precision, event.end_date


_YARDSTICK_REF = re.compile(r"\b(?:since|than)\s+(?:the\s+)?$", re.IGNORECASE)  # "worst since the 1994 truce"
_SUBSEQUENT = re.compile(
    r"\b(?:the|a)\s+(?:following|subsequent|next|later)\s+(?:[\w-]+\s+)?$", re.IGNORECASE
)


def subsequent(
    text: str, s: int, cue: Cue, primary: list[ExtractedEvent], history: list[ExtractedEvent]
) -> tuple[str, str, str | None] | None:
    """'the following initiative', 'a subsequent agreement': after the latest dated event (its date
    coarsened one step)."""
    if not _SUBSEQUENT.search(text, max(s, cue.start - 30), cue.start):
        return None
    earlier = sorted(
        (
            ev
            for ev in primary
            if ev.cue[1] <= cue.start and not _YARDSTICK_REF.search(text, s, ev.date_span[0])
        ),
        key=lambda ev: ev.cue[1],
    )
    earlier = earlier or history
    if not earlier:
        return None
    return (*coarsen(earlier[-1].date, earlier[-1].precision), None)


def breakdown_of(
    cue: Cue, primary: list[ExtractedEvent]
) -> tuple[tuple[str, str, str | None], str, tuple[str, str]] | None:
    """'the ceasefire agreed over the weekend quickly broke down': the breach follows the dated ceasefire
    (its date coarsened one step), within a month of it; a breach the text dates inside that month is it."""
    if cue.type != "ceasefire_breach":
        return None
    before = [ev for ev in primary if ev.type == "ceasefire" and ev.cue[1] <= cue.start]
    if not before:
        return None
    event = before[-1]
    first = event.window[0] if event.window else parse_partial(event.date, event.precision)[0].isoformat()
    last = (dt.date.fromisoformat(first) + dt.timedelta(days=31)).isoformat()
    return (*coarsen(event.date, event.precision), None), "shift", (first, last)


def refine_by_window(events: list[ExtractedEvent]) -> list[ExtractedEvent]:
    """An event dated coarsely within a window of days ("over the weekend") that the document dates to
    one day elsewhere (the same type, a day inside the window) takes that day: the finest honest date."""
    out = []
    for event in events:
        if event.window and event.precision != "day":
            days = {
                e.date
                for e in events
                if e is not event
                and e.type == event.type
                and e.precision == "day"
                and event.window[0] <= e.date <= event.window[1]
            }
            if len(days) == 1:
                event = replace(event, date=days.pop(), precision="day", end_date=None)
        out.append(event)
    return out


def duration(
    text: str, s: int, cue: Cue, primary: list[ExtractedEvent]
) -> tuple[str, str, str | None] | None:
    """'demarcated in 2010 after 14 years of talks': the talks ran from 1996 to 2010."""
    m = _DURATION.search(text, max(s, cue.start - 40), cue.start)
    dated = [ev for ev in primary if abs(ev.cue[0] - cue.start) < 80]
    if m is None or not dated:
        return None
    end = dated[0].end_date or dated[0].date
    return f"{int(end[:4]) - number_value(m['n']):04d}", "year", end[:4]


_DETERMINER_END = re.compile(r"\b(?:the|a|an|its|their|this|that)\s+$", re.IGNORECASE)
_COUNTED_BEFORE = re.compile(r"\b(?:\w+)\s+(?:days?|weeks?|months?|years?|decades?)\s+$", re.IGNORECASE)
_TIE_OBJECT = re.compile(
    r"\b(?P<kind>after|following|amid|during)\s+(?:(?:the|a|an|mass|its|their|his|her|new|fresh)\s+)?(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)


def object_of_tie(
    text: str, s: int, cue: Cue, events: list[ExtractedEvent]
) -> tuple[str, str, str | None] | None:
    """'which Voronin rejected at the last minute after mass protests': an undated happening named after
    "after"/"amid" in a dated clause lies just before (at) the clause's event: its month (its date)."""
    m = _TIE_OBJECT.search(text, max(s, cue.start - 40), cue.start)
    if (
        m is None
        or _PAST_VERB.match(text, cue.start)
        or _COUNTED_BEFORE.search(text, max(s, m.start() - 30), m.start())
    ):
        return None  # a clause of its own ("after Russia invaded"), or "four months after": not near it
    before = [
        ev for ev in events if ev.cue[1] <= m.start() and not re.search(r"[;:.]", text[ev.cue[1] : m.start()])
    ]
    if not before:
        return None
    event = max(before, key=lambda ev: ev.cue[1])
    if m["kind"].lower() in ("amid", "during"):
        return event.date, event.precision, event.end_date
    return (*near(event.date, event.precision), None)


_CEASEFIRE_NOUN = re.compile(r"(?i)(?:cease-?\s?fires?|truces?|armistice)")


def broken_ceasefires(text: str, events: list[ExtractedEvent]) -> list[ExtractedEvent]:
    """'the breakdown of the ceasefire of 10 October': a breach named through its ceasefire, whose own date
    stands beside it, also tells that the ceasefire was agreed on that date. Independent readers list both
    (three of four golds); the ceasefire is added on its first mention, not again for each later failure."""
    out: list[ExtractedEvent] = []
    agreed: set[str] = set()  # dates of ceasefires already listed above in the document
    for event in events:
        out.append(event)
        if event.type == "ceasefire":
            agreed.add(event.date)
        a, b = event.cue
        near = event.date_span[0] - b if event.date_span[0] >= b else a - event.date_span[1]
        if (
            event.type == "ceasefire_breach"
            and event.tie is None
            and _CEASEFIRE_NOUN.fullmatch(text, a, b)
            and _NOMINAL_BREAKDOWN.search(text, max(0, a - 60), a)
            and 0 <= near <= 4
            and event.date not in agreed
        ):
            agreed.add(event.date)
            out.append(replace(event, type="ceasefire"))
    return out
