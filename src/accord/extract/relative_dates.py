"""Date expressions that count from another date: the document's (its *anchor*: "last week", "this
month", "two years ago", "yesterday", "on Monday", "this past July", "in the last year") or the latest date
mentioned before ("that year", "the next day", "three days earlier", "the following month"), and months or
seasons written without a year ("in December", "in May and June", "in the summer"), which take the year
the narrative is in (:func:`~accord.extract.partial_dates.context_year`) or else the nearest to the anchor.

Without an anchor, expressions that need one are skipped (never guessed).
"""

from __future__ import annotations

import datetime as dt
import re

from accord.extract.context_dates import CONTEXT_OFFSETS, CONTEXT_PATTERNS
from accord.extract.numbers import NUMBER, WEEKDAYS, number_value, shift_date
from accord.extract.partial_dates import (
    FULL_MONTH,
    Anchor,
    Resolver,
    _coarsest,
    _fmt,
    _month,
    _nearest_year,
    _State,
    context_year,
    parse_partial,
)

__all__ = ["NTH_WEEKDAY", "OFFSETS", "RELATIVE_PATTERNS"]


def _past_month(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'this past July', 'last July': the latest such month strictly before the anchor's month."""
    if anchor is None or anchor.precision == "year":
        return None
    month = _month(m["month"])
    year = anchor.date.year if month < anchor.date.month else anchor.date.year - 1
    return (*_fmt(year, month), None, True)


_YEAR_AFTER = re.compile(r"\s+(?P<w>last|this|next)\s+year\b", re.IGNORECASE)
_SINCE = re.compile(r"\b(?:since|after|following)\b[^,;.]*$", re.IGNORECASE)


def _bare_month(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'in July', 'since March', 'the August incidents': the year the narrative is in, else the nearest
    such month to the anchor."""
    if anchor is None or anchor.precision == "year":
        return None
    month = _month(m["month"])
    year = context_year(m, state, month)
    if year is None and _SINCE.search(m.string, max(0, m.start() - 40), m.end()):  # "since July": the last
        year = anchor.date.year if month <= anchor.date.month else anchor.date.year - 1
    if year is None and _looks_ahead(m):  # "elections are scheduled for March": the next March
        year = anchor.date.year + (month < anchor.date.month)
    year = year or _nearest_year(anchor.date, month, None)
    if (which := _YEAR_AFTER.match(m.string, m.end())) is not None:  # "in May last year"
        year = anchor.date.year + {"last": -1, "this": 0, "next": 1}[which["w"].lower()]
    return (*_fmt(year, month), None, True)


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
    """'over the weekend', 'last weekend': the Saturday and Sunday before the anchor day, at the precision
    that holds both, with the two days as a window (an event the text dates inside it is that day)."""
    if anchor is None or anchor.precision != "day":
        return None
    sunday = anchor.date - dt.timedelta(days=(anchor.date.weekday() + 1) % 7 or 7)
    saturday = sunday - dt.timedelta(days=1)
    window = (saturday.isoformat(), sunday.isoformat())
    if saturday.month == sunday.month:
        return (*_fmt(saturday.year, saturday.month), None, True, window)
    return (*_fmt(saturday.year), None, True, window)


def _that_year(m: re.Match[str], anchor: Anchor | None, state: _State):
    if state.last_year is None:
        return None
    return (*_fmt(state.last_year), None, True)


def _same_day(m: re.Match[str], anchor: Anchor | None, state: _State):
    if state.last_day is None:
        return None
    return state.last_day, "day", None, True


_UNIT_PRECISION = {"year": "year", "month": "month", "week": "month", "day": "day"}  # a week is seldom exact


def _uncounted(m: re.Match[str], state: _State):
    """'hours after' (the same day), 'days later', 'weeks later' (that month), 'months later' (that year),
    from the latest date mentioned; 'years later' is too vague."""
    unit, direction = m["unit"].lower().rstrip("s"), m["dir"].lower()
    if (
        state.last is None
        or direction == "ago"
        or unit in ("year", "decade")
        or not m["unit"].lower().endswith("s")
    ):
        return None
    if (
        direction in ("after", "before")
        and not _conjunction(m, state)
        and _CLAUSE_FOLLOWS.match(m.string, m.end())
    ):
        return None
    date, precision = state.last
    if unit == "hour":
        return date, precision, None, True
    if unit == "month" or precision == "year":
        return (*_fmt(int(date[:4])), None, True)
    return date[:7], "month", None, True


def _offset(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'two years ago' (from the document date), 'twenty-six years later', 'three days earlier' (from the
    latest date mentioned before): shifted, at the unit's precision and no finer than its base."""
    if m["n"] is None:
        return _uncounted(m, state)
    unit, n = m["unit"].lower().rstrip("s"), number_value(m["n"])
    if unit in ("decade", "fortnight"):  # ten years, two weeks
        unit, n = ("year", 10 * n) if unit == "decade" else ("week", 2 * n)
    if m["dir"].lower() == "ago" and m["today"] and anchor is not None:
        # "ten years ago today / this week": the day (the month) of the document, that many units back
        when = shift_date(anchor.date, unit, -n)
        if m["today"].lower().startswith(("today", "tonight")) and anchor.precision == "day":
            return (*_fmt(when.year, when.month, when.day), None, True)
        return (*_fmt(when.year, when.month), None, True)
    if m["dir"].lower() == "ago":
        if anchor is None:
            return None
        base, base_precision, n = anchor.date, anchor.precision, -n
    elif m["dir"].lower() in ("after", "before"):
        # "on 2 May, three weeks after parliament voted": the vote was three weeks before the 2nd
        if state.last is None:
            return None
        if not _conjunction(m, state):
            if _CLAUSE_FOLLOWS.match(m.string, m.end()):
                return None  # "three weeks after the vote" with no date to count from
            base, base_precision = parse_partial(*state.last)  # "two days after, the truce failed"
            n = -n if m["dir"].lower() == "before" else n
        else:
            base, base_precision = parse_partial(*state.last)
            n = -n if m["dir"].lower() == "after" else n
    else:
        if state.last is None:
            return None
        base, base_precision = parse_partial(*state.last)
        n = -n if m["dir"].lower() == "earlier" else n
    precision = _coarsest(_UNIT_PRECISION[unit], base_precision)
    when = shift_date(base, unit, n)
    return (
        *_fmt(
            when.year, when.month if precision != "year" else None, when.day if precision == "day" else None
        ),
        None,
        True,
    )


def _next_year(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'the following year', 'the next year', 'the previous year': one year from the latest year mentioned."""
    if state.last_year is None:
        return None
    step = -1 if m["which"].lower() == "previous" else 1
    return (*_fmt(state.last_year + step), None, True)


_FUTURE = re.compile(
    r"\b(?:will|shall|(?:is|are)\s+(?:due|set|scheduled|expected|planned|to)|plans?\s+to|planned|"
    r"scheduled|called\s+(?:a|an|for)\b[^.;,]*\bfor)\b[^.;!?,]*$",
    re.IGNORECASE,
)


def _looks_ahead(m: re.Match[str]) -> bool:
    """'The council will meet on Friday', 'a strike called for next Tuesday': the clause before the
    expression speaks of what is to come, so a weekday is the next one, not the last."""
    return bool(_FUTURE.search(m.string, max(0, m.start() - 90), m.start()))


def _day_word(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'yesterday', 'today', 'tonight', 'this morning', 'on Monday' (the latest such day before the
    document's day, or the next one after it when the clause speaks of the future or says 'next')."""
    if anchor is None or anchor.precision != "day":
        return None
    word = m["word"].lower()
    pre = (m.groupdict().get("pre") or "").lower()
    if word in ("today", "tonight") or word.startswith("this"):
        when = anchor.date
    elif word == "yesterday":
        when = anchor.date - dt.timedelta(days=1)
    elif word == "tomorrow":
        when = anchor.date + dt.timedelta(days=1)
    elif pre == "next" or (pre in ("on", "") and _looks_ahead(m)):
        when = anchor.date + dt.timedelta(days=(WEEKDAYS.index(word) - anchor.date.weekday()) % 7 or 7)
    else:
        when = anchor.date - dt.timedelta(days=(anchor.date.weekday() - WEEKDAYS.index(word)) % 7 or 7)
    return (*_fmt(when.year, when.month, when.day), None, True)


def _next_period(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'next week', 'next month', 'next year' (counted from the document): a week is its month when it
    lies in one."""
    if anchor is None:
        return None
    unit, date = m["unit"].lower(), anchor.date
    if unit == "year":
        return (*_fmt(date.year + 1), None, True)
    if anchor.precision != "day" and unit == "week":
        return None
    if unit == "month":
        index = date.year * 12 + date.month
        return (*_fmt(index // 12, index % 12 + 1), None, True)
    monday = date + dt.timedelta(days=7 - date.weekday())
    sunday = monday + dt.timedelta(days=6)
    if monday.month != sunday.month:
        return None
    return (*_fmt(monday.year, monday.month), None, True, (monday.isoformat(), sunday.isoformat()))


_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3}


def _nth_weekday(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'the first Sunday of August', 'the last Friday in May 2019': that day of that month."""
    month, weekday = _month(m["month"]), WEEKDAYS.index(m["wd"].lower())
    if m["year"]:
        year = int(m["year"])
    elif anchor is None or anchor.precision == "year":
        return None
    else:
        year = context_year(m, state, month) or _nearest_year(anchor.date, month, None)
    first = dt.date(year, month, 1)
    if m["ord"].lower() == "last":
        nxt = shift_date(first, "month", 1)
        last = nxt - dt.timedelta(days=1)
        when = last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    else:
        when = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * _ORDINALS[m["ord"].lower()])
        if when.month != month:
            return None
    return (*_fmt(when.year, when.month, when.day), None, m["year"] is None)


def _week(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'this week', 'last week': the month when the whole week lies in one, else the year."""
    if anchor is None or anchor.precision != "day":
        return None
    monday = anchor.date - dt.timedelta(
        days=anchor.date.weekday() + (7 if m["which"].lower() == "last" else 0)
    )
    sunday = monday + dt.timedelta(days=6)
    window = (monday.isoformat(), sunday.isoformat())
    if monday.month == sunday.month:
        return (*_fmt(monday.year, monday.month), None, True, window)
    return (*_fmt(monday.year), None, True, window) if monday.year == sunday.year else None


def _next_week(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'the following week', 'the previous week': the week after (before) the latest day mentioned, as
    a month when it lies in one, else its year; its days are the window."""
    if state.last is None or state.last[1] != "day":
        return None
    day = parse_partial(*state.last)[0]
    monday = (
        day
        - dt.timedelta(days=day.weekday())
        + dt.timedelta(days=-7 if m["which"].lower() == "previous" else 7)
    )
    sunday = monday + dt.timedelta(days=6)
    window = (monday.isoformat(), sunday.isoformat())
    if monday.month == sunday.month:
        return (*_fmt(monday.year, monday.month), None, True, window)
    return (*_fmt(monday.year), None, True, window) if monday.year == sunday.year else None


# between a date and "three weeks after": the rest of its clause, no new verb ("and, four months after")
_RIGHT_AFTER = re.compile(r"(?:(?!\b(?:and|but|while|whereas)\b)[^;.:()])*", re.IGNORECASE)
_CLAUSE_FOLLOWS = re.compile(r"\s+(?!that\b|which\b)[A-Za-z]")


def _conjunction(m: re.Match[str], state: _State) -> bool:
    """'(on 2 May,) three weeks after parliament voted': "after"/"before" opens a clause whose event the
    expression dates, counted back (forward) from the date just before it in the same sentence."""
    if state.last_end < 0 or not _RIGHT_AFTER.fullmatch(m.string, state.last_end, m.start()):
        return False  # "in June 2014 and, four months after X, received ...": another verb's time
    return bool(_CLAUSE_FOLLOWS.match(m.string, m.end()))


def _next_day(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'the next day', 'the following day', 'the day before': one day from the latest day mentioned."""
    if state.last is None or state.last[1] != "day":
        return None
    step = -1 if (m["which"] or m["which2"]).lower() in ("previous", "before") else 1
    if m["which2"] and _conjunction(m, state):
        step = -step  # "detained on 26 July, the day after she tried ...": what she tried was the 25th
    when = parse_partial(*state.last)[0] + dt.timedelta(days=step)
    return (*_fmt(when.year, when.month, when.day), None, True)


def _same_month(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'that month', 'the same month', 'the following month': from the latest month mentioned."""
    if state.last is None or state.last[1] == "year":
        return None
    which = (m["which"] or "same").lower()
    step = {"following": 1, "next": 1, "previous": -1}.get(which, 0)
    index = int(state.last[0][:4]) * 12 + int(state.last[0][5:7]) - 1 + step
    return (*_fmt(index // 12, index % 12 + 1), None, True)


def _within(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'within hours' (the same day), 'within days', 'within weeks' (that month), 'within months' (that
    year), counted from the latest date mentioned."""
    if state.last is None:
        return None
    date, precision = state.last
    unit = m["unit"].lower().rstrip("s")
    if unit == "hour":
        return date, precision, None, True
    if unit == "month" or precision == "year":
        return (*_fmt(int(date[:4])), None, True)
    return date[:7], "month", None, True


def _past_year(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'in the last year', 'over the past twelve months': the twelve months before the document, which
    straddle two calendar years: from the year before to the document's year."""
    if anchor is None:
        return None
    return (*_fmt(anchor.date.year - 1), f"{anchor.date.year:04d}", True)


_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}


def _bare_season(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'in the summer' (the year the narrative is in, else the latest summer begun by the document
    date), 'this spring', 'last autumn': a season is its year. Winter spans two years: only in context."""
    season, which = m["season"].lower(), m["which"].lower()
    which = "last" if which.startswith("this") and "past" in which else which
    if which not in ("this", "last"):
        year = context_year(m, state, _SEASON_MONTHS.get(season, (12, 2))[0])
        if year is not None:
            return (*_fmt(year), None, True)
    if anchor is None or season not in _SEASON_MONTHS:
        return None
    first, last = _SEASON_MONTHS[season]
    year = anchor.date.year
    if which == "last":
        year -= 0 if anchor.date.month > last else 1
    elif which != "this" and anchor.date.month < first:
        year -= 1
    return (*_fmt(year), None, True)


def _month_range(m: re.Match[str], anchor: Anchor | None, state: _State):
    """'in May and June', 'from March to May' without a year: one span of months."""
    if anchor is None or anchor.precision == "year":
        return None
    first, last = _month(m["m1"]), _month(m["m2"])
    if last <= first:
        return None
    year = context_year(m, state, first) or _nearest_year(anchor.date, first, None)
    return (*_fmt(year, first), _fmt(year, last)[0], True)


# Before the calendar patterns: "the last Friday in April 2019" is a day, not the month.
NTH_WEEKDAY: tuple[re.Pattern[str], Resolver] = (
    re.compile(
        r"\b(?:the\s+)?(?P<ord>first|second|third|fourth|last)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|"
        r"Friday|Saturday|Sunday)\s+(?:of|in)\s+(?P<month>" + FULL_MONTH + r")(?:,?\s+(?P<year>\d{4}))?\b",
        re.IGNORECASE,
    ),
    _nth_weekday,
)

RELATIVE_PATTERNS: list[tuple[re.Pattern[str], Resolver]] = [
    *CONTEXT_PATTERNS,
    (re.compile(r"\b(?i:this\s+past|last)\s+(?P<month>" + FULL_MONTH + r")\b"), _past_month),
    (
        re.compile(
            rf"\b(?i:in|from|between|during)\s+(?P<m1>{FULL_MONTH})\s*(?:-|–|to|until|till|through|and|or)\s*(?P<m2>{FULL_MONTH})\b(?!\s+\d)"
        ),
        _month_range,
    ),
    (
        re.compile(
            r"(?:\b(?i:in|since|until|till|by|from|during|of|for|early|late|mid|before|after)[-\s]+)(?P<month>"
            + FULL_MONTH
            + r")\b(?!\s+\d)"
        ),
        _bare_month,
    ),
    (re.compile(rf"\b(?i:the)\s+(?P<month>{FULL_MONTH})\s+(?=[a-z])"), _bare_month),
    (
        re.compile(
            r"\b(?:in|over|during)\s+the\s+(?:last|past)\s+(?:year|twelve\s+months|12\s+months)\b(?!\s+or\b)",
            re.IGNORECASE,
        ),
        _past_year,
    ),
    (re.compile(r"(?<!the )\b(?P<which>[Tt]his|[Ll]ast)\s+(?P<unit>month|year)\b"), _this_period),
    (re.compile(r"\b(?:over\s+the|this\s+past|last|at\s+the)\s+weekend\b", re.IGNORECASE), _weekend),
    (re.compile(r"\b(?:that|the\s+same)\s+year\b", re.IGNORECASE), _that_year),
    (
        re.compile(r"\b(?:the\s+same|that)\s+(?:day|evening|morning|afternoon|night)\b", re.IGNORECASE),
        _same_day,
    ),
    (re.compile(r"\bthe\s+(?P<which>following|next|previous)\s+week\b", re.IGNORECASE), _next_week),
    (
        re.compile(
            r"\b(?P<pre>[Oo]n|[Ll]ast|[Nn]ext|[Tt]his\s+past)\s+(?P<word>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
        ),
        _day_word,
    ),
    (re.compile(r"(?<![Tt]he )(?<![Tt]his )\b[Nn]ext\s+(?P<unit>week|month|year)\b"), _next_period),
    (
        re.compile(
            r"\bthe\s+(?:(?P<which>next|following|previous)\s+(?:day|morning|afternoon|evening|night)|"
            r"day\s+(?P<which2>before|after))\b",
            re.IGNORECASE,
        ),
        _next_day,
    ),
    (
        re.compile(
            r"\b(?:that|the\s+same|the\s+(?P<which>following|next|previous))\s+month\b", re.IGNORECASE
        ),
        _same_month,
    ),
    (
        re.compile(
            rf"\b(?:(?P<n>{NUMBER})\s+)?(?P<unit>decades?|years?|months?|fortnights?|weeks?|days?|hours?)\s+"
            r"(?P<dir>later|earlier|ago|after|before)(?:\s+(?P<today>today|tonight|this\s+(?:week|month)))?\b",
            re.IGNORECASE,
        ),
        _offset,
    ),
    (re.compile(r"\bthe\s+(?P<which>following|next|previous)\s+year\b", re.IGNORECASE), _next_year),
    (
        re.compile(
            r"\b[Ww]ithin\s+(?:(?:a\s+few|a|one|two|three|several)\s+)?(?P<unit>hours?|days?|weeks?|months?)\b(?!\s+of\b)"
        ),
        _within,
    ),
    (
        re.compile(
            r"\b(?:on\s+)?(?P<word>(?i:yesterday|today|tonight|tomorrow|this\s+(?:morning|afternoon|evening))|"
            r"(?<=on\s|ce\s)(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b"
        ),
        _day_word,
    ),
    (re.compile(r"\b(?P<which>[Tt]his|[Ll]ast)\s+week\b"), _week),
    (
        re.compile(
            r"\b(?P<which>in|during|over|by|this(?:\s+past)?|last)\s+(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)\b(?!\s+(?:of\s+)?\d)",
            re.IGNORECASE,
        ),
        _bare_season,
    ),
]

# Expressions counted from another date; beside a calendar date for the same moment they give way to it
# ("three weeks earlier, on 21 February": the calendar date).
OFFSETS = {
    *CONTEXT_OFFSETS,
    _within,
    _next_week,
    _next_period,
    _this_period,
    _weekend,
    _that_year,
    _same_day,
    _offset,
    _next_year,
    _day_word,
    _week,
    _next_day,
    _same_month,
    _past_year,
}
