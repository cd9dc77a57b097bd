"""Finding date expressions in English text and resolving them to partial dates with a precision.

Every mention becomes ``YYYY-MM-DD`` (day), ``YYYY-MM`` (month) or ``YYYY`` (year): the first day the
expression covers, at the finest precision that contains all of it. "late December 2012" is the month
2012-12, "the summer of 2014" the year 2014, "1992-1994" the year 1992 with end 1994.

Relative expressions resolve against an *anchor*, the date of the document they occur in:

* a month or day without a year ("on October 9", "in July") is the latest such month or day on or
  before the anchor, unless the next one comes within two months after it;
* "this past July" / "last July" is the latest July strictly before the anchor's month; "this month",
  "this year", "last month", "last year" count from the anchor; "over the weekend" is the weekend
  before the anchor;
* "that year", "the same year" and "the same day" repeat the latest year or day mentioned before them;
  "two years later", "three days earlier" and "the following year" count from the latest date
  mentioned; "two years ago", "yesterday", "on Monday", "this week" count from the anchor.

Without an anchor, relative expressions are skipped (never guessed). The module is pure: text in,
:class:`DateMention` records out.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from accord.extract.numbers import NUMBER, WEEKDAYS, number_value, shift_date

__all__ = [
    "NUMBER",
    "Anchor",
    "DateMention",
    "find_dates",
    "find_standalone_date",
    "number_value",
    "parse_anchor",
]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_SEASONS = {"spring", "summer", "autumn", "fall", "winter"}

MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
YEAR = r"(?:1[5-9]\d\d|20\d\d)(?![\d%])"
DASH = r"\s*(?:-|–|—|to|and|until|through)\s*"


@dataclass(frozen=True)
class Anchor:
    """The date a document was written: relative expressions in it count from here."""

    date: dt.date
    precision: str = "day"  # day, month or year: how far relative days and months can be resolved


@dataclass(frozen=True)
class DateMention:
    """A date expression found at ``[start, end)`` of the text, resolved to a partial date."""

    start: int
    end: int
    date: str
    precision: str
    end_date: str | None = None
    relative: bool = False

    @property
    def year(self) -> int:
        return int(self.date[:4])


def parse_anchor(text: str | None, precision: str | None = None) -> Anchor | None:
    """An :class:`Anchor` from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (``None`` if absent or unreadable).

    A precision of ``estimated`` (as in ``sources.yaml``) keeps the precision of the written date.
    """
    if not text:
        return None
    text = str(text).strip()
    for fmt, found in (("%Y-%m-%d", "day"), ("%Y-%m", "month"), ("%Y", "year")):
        try:
            date = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if precision in ("day", "month", "year"):
            order = ["year", "month", "day"]
            found = order[min(order.index(found), order.index(precision))]
        return Anchor(date, found)
    return None


# ---- formatting helpers ---------------------------------------------------------------------------


def _fmt(year: int, month: int | None = None, day: int | None = None) -> tuple[str, str]:
    if month is None:
        return f"{year:04d}", "year"
    if day is None:
        return f"{year:04d}-{month:02d}", "month"
    return f"{year:04d}-{month:02d}-{day:02d}", "day"


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


def _valid(year: int, month: int, day: int | None = None) -> bool:
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return False
    return True


def _nearest_year(anchor: dt.date, month: int, day: int | None) -> int:
    """The year for a month (and day) written without one: the latest occurrence on or before the
    anchor, unless the next one falls within two months after it ("talks on October 9" written on
    October 8). Texts mostly report the past, so a July mentioned in February is last July."""
    for year in (anchor.year + 1, anchor.year, anchor.year - 1):
        if not _valid(year, month, day):
            continue
        start = dt.date(year, month, day or 1)
        if start > anchor:
            if (start - anchor).days <= 62:
                return year
            continue
        return year
    return anchor.year


# ---- the patterns, most specific first --------------------------------------------------------------

Resolver = Callable[[re.Match[str], Anchor | None, "_State"], tuple[str, str, str | None, bool] | None]


@dataclass
class _State:
    """What was mentioned so far, for "that year" and "the same day"."""

    last_year: int | None = None
    last_day: str | None = None
    last: tuple[str, str] | None = None  # the latest (date, precision), for "two years later"


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
        year = _nearest_year(anchor.date, month, day)
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


def _past_month(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'this past July', 'last July': the latest such month strictly before the anchor's month."""
    if anchor is None or anchor.precision == "year":
        return None
    month = _month(m["month"])
    year = anchor.date.year if month < anchor.date.month else anchor.date.year - 1
    return (*_fmt(year, month), None, True)


def _bare_month(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'in July', 'since March': the nearest such month to the anchor."""
    if anchor is None or anchor.precision == "year":
        return None
    month = _month(m["month"])
    return (*_fmt(_nearest_year(anchor.date, month, None), month), None, True)


def _this_period(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'this month', 'last month', 'this year', 'last year'."""
    if anchor is None:
        return None
    unit, last = m["unit"].lower(), m["which"].lower() == "last"
    date = anchor.date
    if unit == "year":
        return (*_fmt(date.year - last), None, True)
    if anchor.precision == "year":
        return None
    month_index = date.year * 12 + date.month - 1 - last
    return (*_fmt(month_index // 12, month_index % 12 + 1), None, True)


def _weekend(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'over the weekend', 'last weekend': the Saturday and Sunday before the anchor day."""
    if anchor is None or anchor.precision != "day":
        return None
    sunday = anchor.date - dt.timedelta(days=(anchor.date.weekday() + 1) % 7 or 7)
    saturday = sunday - dt.timedelta(days=1)
    if saturday.month == sunday.month:
        return (*_fmt(saturday.year, saturday.month), None, True)
    return (*_fmt(saturday.year), None, True)


def _that_year(m: re.Match[str], anchor: Anchor | None, state: _State):
    if state.last_year is None:
        return None
    return (*_fmt(state.last_year), None, True)


def _same_day(m: re.Match[str], anchor: Anchor | None, state: _State):
    if state.last_day is None:
        return None
    return state.last_day, "day", None, True


_UNIT_PRECISION = {"year": "year", "month": "month", "week": "month", "day": "day"}  # a week is seldom exact


def _coarsest(a: str, b: str) -> str:
    order = ["year", "month", "day"]
    return order[min(order.index(a), order.index(b))]


def _offset(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'two years ago' (from the document date), 'twenty-six years later', 'three days earlier' (from the
    latest date mentioned before): shifted, at the unit's precision and no finer than its base."""
    unit, n = m["unit"].lower(), number_value(m["n"])
    if m["dir"].lower() == "ago":
        if anchor is None:
            return None
        base, base_precision, n = anchor.date, anchor.precision, -n
    else:
        if state.last is None:
            return None
        base, base_precision = parse_partial(*state.last)
        n = -n if m["dir"].lower() == "earlier" else n
    precision = _coarsest(_UNIT_PRECISION[unit.rstrip("s")], base_precision)
    when = shift_date(base, unit, n)
    return (
        *_fmt(
            when.year, when.month if precision != "year" else None, when.day if precision == "day" else None
        ),
        None,
        True,
    )


def parse_partial(date: str, precision: str) -> tuple[dt.date, str]:
    parts = [int(x) for x in date.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2]), precision


def _next_year(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'the following year', 'the next year', 'the previous year': one year from the latest year mentioned."""
    if state.last_year is None:
        return None
    step = -1 if m["which"].lower() == "previous" else 1
    return (*_fmt(state.last_year + step), None, True)


def _day_word(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'yesterday', 'today', 'on Monday' (the latest such day before the document's day)."""
    if anchor is None or anchor.precision != "day":
        return None
    word = m["word"].lower()
    if word == "today":
        when = anchor.date
    elif word == "yesterday":
        when = anchor.date - dt.timedelta(days=1)
    else:
        when = anchor.date - dt.timedelta(days=(anchor.date.weekday() - WEEKDAYS.index(word)) % 7 or 7)
    return (*_fmt(when.year, when.month, when.day), None, True)


def _week(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'this week', 'last week': the month when the whole week lies in one, else the year."""
    if anchor is None or anchor.precision != "day":
        return None
    monday = anchor.date - dt.timedelta(
        days=anchor.date.weekday() + (7 if m["which"].lower() == "last" else 0)
    )
    sunday = monday + dt.timedelta(days=6)
    if monday.month == sunday.month:
        return (*_fmt(monday.year, monday.month), None, True)
    return (*_fmt(monday.year), None, True) if monday.year == sunday.year else None


_PATTERNS: list[tuple[re.Pattern[str], Resolver]] = [
    (re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"), _iso),
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
    (re.compile(r"\b(?i:this\s+past|last)\s+(?P<month>" + FULL_MONTH + r")\b"), _past_month),
    (
        re.compile(
            r"(?:\b(?:in|since|until|till|by|from|during|of|early|late|mid|before|after)[-\s]+)(?P<month>"
            + FULL_MONTH
            + r")\b(?!\s+\d)"
        ),
        _bare_month,
    ),
    (re.compile(r"(?<!the )\b(?P<which>[Tt]his|[Ll]ast)\s+(?P<unit>month|year)\b"), _this_period),
    (re.compile(r"\b(?:over\s+the|this\s+past|last|at\s+the)\s+weekend\b", re.IGNORECASE), _weekend),
    (re.compile(r"\b(?:that|the\s+same)\s+year\b", re.IGNORECASE), _that_year),
    (re.compile(r"\bthe\s+same\s+day\b", re.IGNORECASE), _same_day),
    (
        re.compile(
            rf"\b(?P<n>{NUMBER})\s+(?P<unit>years?|months?|weeks?|days?)\s+(?P<dir>later|earlier|ago)\b",
            re.IGNORECASE,
        ),
        _offset,
    ),
    (re.compile(r"\bthe\s+(?P<which>following|next|previous)\s+year\b", re.IGNORECASE), _next_year),
    (
        re.compile(
            r"\b(?:on\s+)?(?P<word>yesterday|today|(?<=on\s)(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b"
        ),
        _day_word,
    ),
    (re.compile(r"\b(?P<which>[Tt]his|[Ll]ast)\s+week\b"), _week),
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
    for s, e, resolver, m in found:
        resolved = resolver(m, anchor, state)
        if resolved is None:
            continue
        date, precision, end_date, relative = resolved
        s, e = _trim(text, s, e)
        if (
            mentions
            and mentions[-1].relative != relative
            and _APPOSITION.fullmatch(text, mentions[-1].end, s)
        ):
            if relative:
                continue  # "on 9 October 2020, two days later": the explicit date already says it
            mentions.pop()  # "twenty-six years later, on 9 October 2020": likewise
        mentions.append(DateMention(s, e, date, precision, end_date, relative))
        state.last = (date, precision)
        state.last_year = int(date[:4])
        if precision == "day":
            state.last_day = date
    return mentions


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
