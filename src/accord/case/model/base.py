"""Building blocks of the case format: dates, evidence pointers, and numbers with their readings.

Every number is a :class:`Quantity`: one estimate with its evidence, or several estimates (readings) from
different sources, each with its own evidence. A reading belongs to the moment of its source: its date is
the source's date (:meth:`accord.case.model.Case.reading_date`), and a reading from before the case's own
period enters only as a marked ``carry_over`` with a note saying why (a user can drop them all, see
:func:`accord.case.problem.without_carry_overs`). Uncertainty sampling uses the estimates and ranges; the
point value is the mean of the estimates (equal weights, the pooling the built-in cases use).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "DatePrecision",
    "DocId",
    "Estimate",
    "Evidence",
    "FORMAT_VERSION",
    "Frozen",
    "Id",
    "Pointer",
    "Quantity",
    "Text",
    "as_text",
    "empty_list",
    "parse_partial_date",
]

FORMAT_VERSION = 1
ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]
# Document ids are file names without extension, so they may use capitals (e.g. an imported CSV).
DocId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", min_length=1, max_length=120)]
Text = Annotated[str, Field(min_length=1, max_length=5000)]


def empty_list() -> list[Any]:
    """``[]``, as a field's default factory. Not ``list`` itself: pydantic reads a factory's signature, and a
    builtin's costs a tokenizer pass over its text signature (~5 ms of every command that validates)."""
    return []


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


class DatePrecision(StrEnum):
    day = "day"
    month = "month"
    year = "year"


_DATE_FORMS = {
    DatePrecision.day: re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    DatePrecision.month: re.compile(r"^(\d{4})-(\d{2})$"),
    DatePrecision.year: re.compile(r"^(\d{4})$"),
}


def parse_partial_date(text: str) -> tuple[dt.date, DatePrecision]:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` into the first day it covers and its precision."""
    for precision, form in _DATE_FORMS.items():
        match = form.match(text)
        if match:
            parts = [int(p) for p in match.groups()] + [1] * (3 - len(match.groups()))
            return dt.date(*parts), precision
    raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")


def as_text(value: Any) -> Any:
    """YAML reads ``1994`` as an integer; dates are kept as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Pointer(Frozen):
    """A span ``[start, end)`` of a corpus document, with the sha256 of its text and a note in our words."""

    doc: DocId
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    note: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Pointer:
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be greater than start ({self.start})")
        return self


Evidence = Annotated[list[Pointer], Field(min_length=1)]


class Estimate(Frozen):
    """One source's reading of a number: a value, an optional low/high range, and its evidence."""

    value: float
    low: float | None = None
    high: float | None = None
    source: DocId | None = Field(
        default=None,
        description="The document whose reading this is; defaults to the documents of the evidence.",
    )
    evidence: Evidence
    note: Text | None = None
    date: str | None = Field(
        default=None, description="The date of the reading: its source's date (checked against case.sources)."
    )
    carry_over: bool = Field(
        default=False,
        description="A reading from before the case's period, kept on purpose; its note must say why.",
    )

    _text_date = field_validator("date", mode="before")(as_text)

    @property
    def sources(self) -> tuple[str, ...]:
        if self.source:
            return (self.source,)
        return tuple(dict.fromkeys(p.doc for p in self.evidence))


class Quantity(Frozen):
    """A number with evidence: either a single estimate (``value`` ...) or several ``estimates``."""

    value: float | None = None
    low: float | None = None
    high: float | None = None
    evidence: list[Pointer] | None = None
    note: Text | None = None
    source: DocId | None = None
    date: str | None = None
    carry_over: bool = False
    estimates: list[Estimate] | None = None

    _text_date = field_validator("date", mode="before")(as_text)

    @model_validator(mode="after")
    def _one_form(self) -> Quantity:
        if self.estimates is not None:
            single = (self.value, self.low, self.high, self.evidence, self.source, self.date)
            if any(x is not None for x in single) or self.carry_over:
                raise ValueError(
                    "give either value/low/high/evidence (source, date, carry_over) or a list of "
                    "estimates, not both"
                )
            if not self.estimates:
                raise ValueError("estimates must not be empty")
        else:
            if self.value is None:
                raise ValueError("a value (or a list of estimates) is required")
            if not self.evidence:
                raise ValueError("a number with no evidence: add at least one pointer under evidence")
        return self

    @cached_property
    def all_estimates(self) -> tuple[Estimate, ...]:
        """The estimates as a tuple, a single-estimate quantity giving one."""
        if self.estimates is not None:
            return tuple(self.estimates)
        assert self.value is not None and self.evidence is not None
        single = Estimate(
            value=self.value,
            low=self.low,
            high=self.high,
            evidence=self.evidence,
            note=self.note,
            source=self.source,
            date=self.date,
            carry_over=self.carry_over,
        )
        return (single,)

    @property
    def point(self) -> float:
        """The point estimate: the mean of the estimates' values."""
        values = [e.value for e in self.all_estimates]
        return sum(values) / len(values)

    @property
    def bounds(self) -> tuple[float, float]:
        """Smallest low (or value) and largest high (or value) over all estimates."""
        lows = [e.low if e.low is not None else e.value for e in self.all_estimates]
        highs = [e.high if e.high is not None else e.value for e in self.all_estimates]
        return min(lows), max(highs)

    @property
    def pointers(self) -> tuple[Pointer, ...]:
        return tuple(p for e in self.all_estimates for p in e.evidence)
