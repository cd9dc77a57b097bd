"""Counting words of relative dates ('twenty-six years later', 'two weeks ago') and calendar arithmetic."""

from __future__ import annotations

import datetime as dt

__all__ = ["NUMBER", "WEEKDAYS", "number_value", "shift_date"]

_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
NUMBER = (
    r"(?:\d{1,3}|a|an|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|"
    + "|".join(sorted(_NUMBERS, key=len, reverse=True))
    + ")"
)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def number_value(word: str) -> int:
    """'26', 'twenty-six', 'a' as a number."""
    word = word.lower()
    if word.isdigit():
        return int(word)
    if word in ("a", "an"):
        return 1
    tens, _, unit = word.partition("-")
    return _TENS.get(tens, 0) + _NUMBERS.get(unit or tens, 0) if tens in _TENS else _NUMBERS[word]


def shift_date(date: dt.date, unit: str, n: int) -> dt.date:
    """``date`` moved by ``n`` years, months, weeks or days (``unit``), the day kept where it exists."""
    if unit.startswith("year"):
        return date.replace(year=date.year + n, day=min(date.day, 28) if date.month == 2 else date.day)
    if unit.startswith("month"):
        index = date.year * 12 + date.month - 1 + n
        return dt.date(index // 12, index % 12 + 1, min(date.day, 28))
    return date + dt.timedelta(days=n * (7 if unit.startswith("week") else 1))
