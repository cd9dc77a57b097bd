"""More expressions counted from the latest date mentioned or from the document: "by the end of the
month", "later in the day", "the following spring", "the day before yesterday". Used by
:mod:`accord.extract.relative_dates`, whose pattern list they join (same resolver signature)."""

from __future__ import annotations

import datetime as dt
import re

from accord.extract.partial_dates import Anchor, Resolver, _fmt, _State

__all__ = ["CONTEXT_OFFSETS", "CONTEXT_PATTERNS"]

_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _end_of_period(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'by the end of the month' (the latest month mentioned), 'at the end of the year' (its year)."""
    if state.last is None:
        return None
    date, precision = state.last
    if m["unit"].lower() == "year" or precision == "year":
        return (*_fmt(int(date[:4])), None, True)
    return date[:7], "month", None, True


def _in_the_day(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'later in the day', 'earlier in the day': the latest day mentioned."""
    if state.last_day is None:
        return None
    return state.last_day, "day", None, True


def _following_season(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'the following spring', 'the next summer': the first such season after the latest date (a year)."""
    if state.last is None:
        return None
    date, precision = state.last
    year, step = int(date[:4]), 1 if m["which"].lower() in ("following", "next") else -1
    first = _SEASON_START[m["season"].lower()]
    if step == 1 and precision != "year" and int(date[5:7]) < first:
        return (*_fmt(year), None, True)  # "in March 2019 ... the following summer": 2019
    return (*_fmt(year + step), None, True)


def _back_then(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'back then', 'at that time': the latest date mentioned, at its own precision (within 300 characters,
    so that the phrase points back to a date the reader still has in mind)."""
    if state.last is None or m.start() - state.last_end > 300:
        return None
    date, precision = state.last
    return date, precision, None, True


def _day_before_yesterday(m: re.Match[str], anchor: Anchor | None, state: _State):
    if anchor is None or anchor.precision != "day":
        return None
    when = anchor.date - dt.timedelta(days=2)
    return (*_fmt(when.year, when.month, when.day), None, True)


CONTEXT_PATTERNS: list[tuple[re.Pattern[str], Resolver]] = [
    (
        re.compile(
            r"\b(?:back\s+then|at\s+that\s+(?:time|point)|at\s+the\s+time(?!\s+(?:of|when|being)\b))", re.I
        ),
        _back_then,
    ),
    (re.compile(r"\b(?:the\s+)?day\s+before\s+yesterday\b", re.IGNORECASE), _day_before_yesterday),
    (
        re.compile(
            r"\b(?:by|at|towards?|before)\s+the\s+end\s+of\s+(?:the|that)\s+(?P<unit>month|year)\b", re.I
        ),
        _end_of_period,
    ),
    (re.compile(r"\b(?:later|earlier)\s+in\s+the\s+day\b", re.IGNORECASE), _in_the_day),
    (
        re.compile(
            r"\bthe\s+(?P<which>following|next|previous)\s+(?P<season>spring|summer|autumn|fall|winter)\b",
            re.I,
        ),
        _following_season,
    ),
]
CONTEXT_OFFSETS = {_back_then, _end_of_period, _in_the_day, _following_season, _day_before_yesterday}
