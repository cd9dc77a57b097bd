"""Finding date expressions in English text and resolving them to partial dates with a precision.

Every mention becomes ``YYYY-MM-DD`` (day), ``YYYY-MM`` (month) or ``YYYY`` (year): the first day the
expression covers, at the finest precision that contains all of it. "late December 2012" is the month
2012-12, "the summer of 2014" the year 2014, "1992-1994" the year 1992 with end 1994, "from May to July
2020" the month 2020-05 with end 2020-07.

This module holds the calendar expressions with their own year and the scan over a text; the
expressions that count from another date, or lack their year, are in
:mod:`accord.extract.relative_dates`, resolved against an *anchor* (the document's date) and the
narrative so far:

* a month or day without a year ("on October 9", "in July") takes the year the narrative is in when a
  date just before gives it ("in November 2017 ... in December"), else the latest such month or day on or
  before the anchor, unless the next one comes within two months after it;
* "this past July", "this month", "last year", "over the weekend", "two years ago", "yesterday", "on
  Monday", "this week", "in the last year" count from the anchor;
* "that year", "the same day", "the next day", "the following month", "two years later", "three days
  earlier", "the following year" count from the latest date mentioned.

Beside a calendar date for the same moment ("three weeks earlier, on 21 February"), a counted
expression gives way. Without an anchor, relative expressions are skipped (never guessed). The module is
pure: text in, :class:`DateMention` records out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from accord.extract.numbers import NUMBER, number_value
from accord.extract.partial_dates import (
    DASH,
    DAY,
    MONTH,
    YEAR,
    Anchor,
    DateMention,
    Resolver,
    _day,
    _fmt,
    _month,
    _nearest_year,
    _State,
    _valid,
    context_year,
    parse_anchor,
)
from accord.extract.relative_dates import NTH_WEEKDAY, OFFSETS, RELATIVE_PATTERNS

__all__ = [
    "NUMBER",
    "Anchor",
    "DateMention",
    "find_dates",
    "find_standalone_date",
    "number_value",
    "parse_anchor",
]


def _iso(m: re.Match[str], anchor: Anchor | None, state: _State):
    year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
    if not _valid(year, month, day):
        return None
    return (*_fmt(year, month, day), None, False)


def _day_month(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'9 October 2020', 'the 9th and 10th of October 2020', 'October 9, 2020', 'October 9-10'."""
    month = _month(m["month"])
    day = _day(m["d1"])
    relative = m["year"] is None
    if relative:
        if anchor is None:
            return None
        year = context_year(m, state, month) or _nearest_year(anchor.date, month, day)
        if which := re.match(r"\s+(last|this|next)\s+year\b", m.string[m.end() :], re.IGNORECASE):
            year = (
                anchor.date.year + {"last": -1, "this": 0, "next": 1}[which[1].lower()]
            )  # "3 March next year"
    else:
        year = int(m["year"])
    if not _valid(year, month, day):
        return None
    date, precision = _fmt(year, month, day)
    end = None
    if m["d2"] and _valid(year, month, _day(m["d2"])) and _day(m["d2"]) > day:
        end = _fmt(year, month, _day(m["d2"]))[0]
    return date, precision, end, relative


def _month_year(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'May 1994', 'late December 2012', 'mid-July 2014'."""
    return (*_fmt(int(m["year"]), _month(m["month"])), None, False)


def _season_year(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'the summer of 2014', 'Summer 2020', 'early 2015', 'mid-2014': a part of a year is the year."""
    return (*_fmt(int(m["year"])), None, False)


def _year_range(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'1992-1994', '1991–94', 'from 2007 to 2011', 'between 2007 and 2011'."""
    first = int(m["y1"])
    tail = m["y2"]
    last = int(tail) if len(tail) == 4 else (first // 100) * 100 + int(tail)
    if not first < last <= first + 100:
        return None
    return (*_fmt(first), _fmt(last)[0], False)


def _year(m: re.Match[str], anchor: Anchor | None, state: _State):
    return (*_fmt(int(m["year"])), None, False)


def _decade(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'in the 1990s': the ten years (an 'early'/'late' part of a decade is too vague to date)."""
    first = int(m["y"])
    return (*_fmt(first), _fmt(first + 9)[0], False)


def _month_span(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'from May to July 2020', 'between March and May 2019': one span of months."""
    year, first, last = int(m["year"]), _month(m["m1"]), _month(m["m2"])
    if last <= first:
        return None
    return (*_fmt(year, first), _fmt(year, last)[0], False)


_PATTERNS: list[tuple[re.Pattern[str], Resolver]] = [
    (re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"), _iso),
    NTH_WEEKDAY,
    (
        re.compile(
            rf"\b(?:the\s+)?(?P<d1>{DAY})(?:{DASH}(?:the\s+)?(?P<d2>{DAY}))?\s+(?:of\s+)?(?P<month>{MONTH})(?:,?\s+(?P<year>{YEAR}))?\b"
        ),
        _day_month,
    ),
    (
        re.compile(
            rf"\b(?P<month>{MONTH})\s+(?P<d1>{DAY})(?:{DASH}(?P<d2>{DAY}))?(?:,?\s+(?P<year>{YEAR}))?\b"
        ),
        _day_month,
    ),
    (
        re.compile(
            rf"\b(?:(?i:from|between)\s+)?(?P<m1>{MONTH})\s*(?:-|–|—|to|until|till|through|and)\s*(?P<m2>{MONTH}),?\s+(?P<year>{YEAR})\b"
        ),
        _month_span,
    ),
    (
        re.compile(rf"\b(?:(?i:early|late|mid)[-\s]+)?(?P<month>{MONTH}),?\s+(?:of\s+)?(?P<year>{YEAR})\b"),
        _month_year,
    ),
    (
        re.compile(
            rf"\b(?:(?:the\s+)?(?:early|late|mid)[-\s]+(?:(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?)?|(?:the\s+)?(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?)(?P<year>{YEAR})\b",
            re.IGNORECASE,
        ),
        _season_year,
    ),
    (re.compile(rf"\b(?P<y1>{YEAR})\s*[-–—]\s*(?P<y2>\d{{4}}|\d{{2}})(?![\d%])"), _year_range),
    (
        re.compile(rf"\b(?i:from)\s+(?P<y1>{YEAR})\s+(?:to|until|till|through)\s+(?P<y2>\d{{4}})(?![\d%])"),
        _year_range,
    ),
    (re.compile(rf"\b(?i:between)\s+(?P<y1>{YEAR})\s+and\s+(?P<y2>\d{{4}})(?![\d%])"), _year_range),
    (
        re.compile(r"(?<![Ee]arly\s)(?<![Ll]ate\s)(?<![Mm]id-)(?<![Mm]id\s)\b(?P<y>1[5-9]\d0|20\d0)s\b"),
        _decade,
    ),
    *RELATIVE_PATTERNS,
    (re.compile(rf"(?<![\d,.$€£-])\b(?P<year>{YEAR})\b(?!-\d)"), _year),
]


_NOT_A_YEAR_AFTER = re.compile(
    r"\s*(?:%|per\s?cent|percent|people|troops|soldiers|km|kilometres|miles|tons|tonnes|dollars|euros|men|units)\b",
    re.IGNORECASE,
)


def _candidates(text: str, start: int, end: int) -> Iterator[tuple[int, int, Resolver, re.Match[str]]]:
    taken: list[tuple[int, int]] = []
    for pattern, resolver in _PATTERNS:
        for m in pattern.finditer(text, start, end):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if resolver is _year and _NOT_A_YEAR_AFTER.match(text, e):
                continue
            taken.append((s, e))
            yield s, e, resolver, m


_APPOSITION = re.compile(r"\s*,?\s*(?:(?:on|in|at)\s+)?(?:the\s+)?")


def find_dates(
    text: str, anchor: Anchor | None = None, start: int = 0, end: int | None = None
) -> list[DateMention]:
    """Every date expression in ``text[start:end]``, in text order, resolved against ``anchor``."""
    end = len(text) if end is None else end
    found = sorted(_candidates(text, start, end), key=lambda c: c[0])
    state = _State()
    mentions: list[DateMention] = []
    last_offset = False
    for s, e, resolver, m in found:
        resolved = resolver(m, anchor, state)
        if resolved is None:
            continue
        date, precision, end_date, relative, *window = resolved
        offset = resolver in OFFSETS
        s, e = _trim(text, s, e)
        conjunction = offset and text[s:e].lower().endswith(("after", "before"))  # "three weeks after X"
        if (
            mentions
            and last_offset != offset
            and not conjunction
            and _APPOSITION.fullmatch(text, mentions[-1].end, s)
        ):
            if offset:
                continue  # "on 9 October 2020, two days later": the calendar date already says it
            mentions.pop()  # "three weeks earlier, on 21 February": likewise
        mentions += _two_days(
            text, DateMention(s, e, date, precision, end_date, relative, window[0] if window else None)
        )
        last_offset = offset
        state.last, state.last_end = (date, precision), e
        state.last_year = int(date[:4])
        if precision == "day":
            state.last_day = date
    return mentions


_DAY_LIST = re.compile(r"(?:the\s+)?(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+and\s+(?:the\s+)?(?P<d2>\d{1,2})")


def _two_days(text: str, mention: DateMention) -> list[DateMention]:
    """'on 9 and 23 March': two days, not the span between them (days next to each other, '9 and 10
    October', stay one span, as '9-10 October')."""
    m = _DAY_LIST.match(text, mention.start, mention.end)
    if m is None or mention.end_date is None or int(m["d2"]) - int(m["d1"]) <= 1:
        return [mention]
    first = DateMention(mention.start, m.end("d1"), mention.date, "day", None, mention.relative)
    second = DateMention(m.start("d2"), mention.end, mention.end_date, "day", None, mention.relative)
    return [first, second]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def find_standalone_date(line: str) -> tuple[str, str] | None:
    """The date of a line that holds nothing but an explicit date (a by-line), else ``None``."""
    stripped = line.strip()
    if not stripped or len(stripped) > 40:
        return None
    mentions = [m for m in find_dates(stripped) if not m.relative]
    if (
        len(mentions) == 1
        and mentions[0].start == 0
        and mentions[0].end == len(stripped)
        and mentions[0].precision != "year"
    ):
        return mentions[0].date, mentions[0].precision
    return None
