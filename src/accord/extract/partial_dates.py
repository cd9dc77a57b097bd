"""Partial dates and what the date finders share: the document's :class:`Anchor`, the
:class:`DateMention` records, calendar helpers and the running :class:`_State` of a text (the latest
date mentioned, for "that year", "the next day", "in December" after "November 2017").

Pure: no I/O. :mod:`accord.extract.dates` finds the expressions; :mod:`accord.extract.relative_dates`
resolves the ones that count from another date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Anchor", "DateMention", "context_year", "parse_anchor", "parse_partial"]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_SEASONS = {"spring", "summer", "autumn", "fall", "winter"}

MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
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
    window: tuple[str, str] | None = None  # the days a coarse expression spans ("over the weekend")

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


Resolver = Callable[[re.Match[str], Anchor | None, "_State"], tuple | None]


@dataclass
class _State:
    """What was mentioned so far, for "that year" and "the same day"."""

    last_year: int | None = None
    last_day: str | None = None
    last: tuple[str, str] | None = None  # the latest (date, precision), for "two years later"
    last_end: int = -1  # where the latest mention ends, for the year a narrative is in


_SENTENCE_END = re.compile(r"[.!?]\s")
CONTEXT_CHARS = 300
_NEXT_PARAGRAPH_CHARS = 120  # a new paragraph that opens with the next step of the story keeps its year


def context_year(m: re.Match[str], state: _State, month: int) -> int | None:
    """The year a narrative is in, for a month or day written without one: "a first ceasefire in
    November 2017 ... shelling resumed in December" is December 2017, not the December before the
    document. Only a date just before (within 300 characters, in the same paragraph or at most a short
    sentence into the next, the same sentence for a bare year) and only forward in that year (a month
    before the context month is left to the anchor)."""
    if state.last is None or state.last_end < 0:
        return None
    between = m.string[state.last_end : m.start()]
    if len(between) > CONTEXT_CHARS or ("\n\n" in between and len(between) > _NEXT_PARAGRAPH_CHARS):
        return None
    date, precision = state.last
    if precision == "year":
        return None if _SENTENCE_END.search(between) else int(date[:4])
    return int(date[:4]) if month >= int(date[5:7]) else None


def parse_partial(date: str, precision: str) -> tuple[dt.date, str]:
    parts = [int(x) for x in date.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2]), precision


def _coarsest(a: str, b: str) -> str:
    order = ["year", "month", "day"]
    return order[min(order.index(a), order.index(b))]
