"""Stage 4 of case validation: the checks that need the whole case (unknown ids in every reference,
duplicates, ranges and bounds of every quantity, dates against their precision and ``as_of``, evidence
citing listed documents), each a located :class:`~accord.case.problems.CaseProblem`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator
from dataclasses import dataclass

from accord.case.model import Case, DatePrecision, Pointer, Quantity, parse_partial_date
from accord.case.problems import CaseProblem, PathT, dotted
from accord.case.yamlio import Located

__all__ = ["CaseChecks"]


@dataclass
class CaseChecks:
    case: Case
    located: Located
    name: str

    def problem(self, path: PathT, message: str, hint: str = "") -> CaseProblem:
        line, col = self.located.mark(path)
        return CaseProblem(self.name, line, col, dotted(path), message, hint)

    def run(self) -> Iterator[CaseProblem]:
        case = self.case
        self.actor_ids = {a.id for a in case.actors}
        self.issue_ids = {i.id for i in case.issues}
        self.source_ids = {s.id for s in case.case.sources}
        yield from self._duplicates("case.sources", [s.id for s in case.case.sources], ("case", "sources"))
        yield from self._duplicates("actors", [a.id for a in case.actors], ("actors",))
        yield from self._duplicates("issues", [i.id for i in case.issues], ("issues",))
        yield from self._duplicates("relations", [r.id for r in case.relations], ("relations",))
        yield from self._duplicates("events", [e.id for e in case.events], ("events",))
        yield from self._dates()
        yield from self._issues()
        yield from self._stances()
        yield from self._relations()
        yield from self._events()

    def _duplicates(self, what: str, ids: list[str], base: PathT) -> Iterator[CaseProblem]:
        seen: dict[str, int] = {}
        for index, item in enumerate(ids):
            if item in seen:
                yield self.problem(
                    base + (index, "id"),
                    f"duplicate id {item!r} in {what}",
                    f"first used at {what}[{seen[item]}]",
                )
            else:
                seen[item] = index

    def _unknown(self, path: PathT, value: str, known: set[str], what: str) -> Iterator[CaseProblem]:
        if value not in known:
            close = difflib.get_close_matches(value, sorted(known), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"declare it under {what}"
            yield self.problem(path, f"unknown {what[:-1]} {value!r}", hint)

    def _date(self, path: PathT, text: str, precision: DatePrecision | None = None) -> Iterator[CaseProblem]:
        try:
            _, found = parse_partial_date(text)
        except ValueError as exc:
            yield self.problem(path, str(exc), "write YYYY-MM-DD, YYYY-MM or YYYY")
            return
        except TypeError:
            yield self.problem(path, f"{text!r} is not a date", "write YYYY-MM-DD, YYYY-MM or YYYY")
            return
        if precision is not None and found != precision:
            yield self.problem(
                path,
                f"date {text!r} has {found.value} precision but precision is {precision.value!r}",
                f"write the date as {_example(precision)} or change precision to {found.value!r}",
            )

    def _dates(self) -> Iterator[CaseProblem]:
        yield from self._date(("case", "as_of"), self.case.case.as_of, DatePrecision.day)
        for i, source in enumerate(self.case.case.sources):
            yield from self._date(("case", "sources", i, "date"), source.date)

    def _quantity(
        self, path: PathT, quantity: Quantity, low: float, high: float, what: str
    ) -> Iterator[CaseProblem]:
        if quantity.estimates is not None:
            items = [
                (path + ("estimates", i), e.value, e.low, e.high, e.evidence, e.source)
                for i, e in enumerate(quantity.estimates)
            ]
        else:
            assert quantity.value is not None
            items = [(path, quantity.value, quantity.low, quantity.high, quantity.evidence or [], None)]
        for base, value, lo, hi, evidence, source in items:
            out_of_range = False
            for key, number in (("value", value), ("low", lo), ("high", hi)):
                if number is None:
                    continue
                if math.isnan(number) or math.isinf(number):
                    out_of_range = True
                    yield self.problem(base + (key,), f"{what} is {number}", "write a finite number")
                elif not low <= number <= high:
                    out_of_range = True
                    yield self.problem(
                        base + (key,), f"{what} {number:g} is outside [{low:g}, {high:g}]", _range_hint(what)
                    )
            if out_of_range:
                pass
            elif lo is not None and hi is not None and lo > hi:
                yield self.problem(base + ("low",), f"low ({lo:g}) is above high ({hi:g})", "swap them")
            elif lo is not None and value < lo or hi is not None and value > hi:
                yield self.problem(
                    base + ("value",),
                    f"value {value:g} lies outside its own range [{lo}, {hi}]",
                    "the value should lie between low and high",
                )
            if source is not None:
                yield from self._unknown(base + ("source",), source, self.source_ids, "sources")
            yield from self._pointers(base + ("evidence",), evidence)

    def _pointers(self, path: PathT, pointers: list[Pointer]) -> Iterator[CaseProblem]:
        for i, pointer in enumerate(pointers):
            if pointer.doc not in self.source_ids:
                yield self.problem(
                    path + (i, "doc"),
                    f"evidence cites document {pointer.doc!r}, which is not in case.sources",
                    "add it to case.sources",
                )

    def _issues(self) -> Iterator[CaseProblem]:
        for i, issue in enumerate(self.case.issues):
            yield from self._quantity(("issues", i, "status_quo"), issue.status_quo, 0, 100, "status quo")

    def _stances(self) -> Iterator[CaseProblem]:
        seen: dict[str, int] = {}
        for i, stance in enumerate(self.case.stances):
            base: PathT = ("stances", i)
            yield from self._unknown(base + ("actor",), stance.actor, self.actor_ids, "actors")
            if stance.actor in seen:
                yield self.problem(
                    base + ("actor",),
                    f"a second stance block for {stance.actor!r}",
                    f"merge it with stances[{seen[stance.actor]}]",
                )
            seen.setdefault(stance.actor, i)
            yield from self._quantity(base + ("capability",), stance.capability, 0, 1, "capability")
            for issue_id, s in stance.issues.items():
                ipath = base + ("issues", issue_id)
                if issue_id not in self.issue_ids:
                    yield from self._unknown(ipath, issue_id, self.issue_ids, "issues")
                yield from self._quantity(ipath + ("position",), s.position, 0, 100, "position")
                yield from self._quantity(ipath + ("salience",), s.salience, 0, 1, "salience")
                if s.capability is not None:
                    yield from self._quantity(ipath + ("capability",), s.capability, 0, 1, "capability")

    def _relations(self) -> Iterator[CaseProblem]:
        for i, rel in enumerate(self.case.relations):
            base: PathT = ("relations", i)
            yield from self._unknown(base + ("from",), rel.from_, self.actor_ids, "actors")
            if rel.to is not None:
                yield from self._unknown(base + ("to",), rel.to, self.actor_ids, "actors")
            if rel.from_ == rel.to:
                yield self.problem(
                    base + ("to",),
                    f"relation from {rel.from_!r} to itself",
                    "a relation joins two different actors",
                )
            for key in ("co_chairs", "parties"):
                for j, actor in enumerate(getattr(rel, key) or []):
                    yield from self._unknown(base + (key, j), actor, self.actor_ids, "actors")
            if rel.share is not None and (math.isnan(rel.share) or not 0 <= rel.share <= 1):
                yield self.problem(
                    base + ("share",),
                    f"share {rel.share} is outside [0, 1]",
                    "a share of 55% is written 0.55",
                )
            for key in ("since", "until"):
                if getattr(rel, key) is not None:
                    yield from self._date(base + (key,), getattr(rel, key))
            if rel.period is not None:
                for key in ("start", "end"):
                    if getattr(rel.period, key) is not None:
                        yield from self._date(base + ("period", key), getattr(rel.period, key))
            cond = rel.applies_if
            if cond is not None and cond.issue is not None:
                yield from self._unknown(base + ("applies_if", "issue"), cond.issue, self.issue_ids, "issues")
                assert cond.threshold is not None
                if math.isnan(cond.threshold) or not 0 <= cond.threshold <= 100:
                    yield self.problem(
                        base + ("applies_if", "threshold"),
                        f"threshold {cond.threshold} is outside [0, 100]",
                        "issues use a 0-100 scale",
                    )
            yield from self._pointers(base + ("evidence",), rel.evidence)

    def _events(self) -> Iterator[CaseProblem]:
        as_of = _safe_date(self.case.case.as_of)
        for i, event in enumerate(self.case.events):
            base: PathT = ("events", i)
            problems = list(self._date(base + ("date",), event.date, event.precision))
            yield from problems
            for j, actor in enumerate(event.actors):
                yield from self._unknown(base + ("actors", j), actor, self.actor_ids, "actors")
            start = _safe_date(event.date)
            if event.end_date is not None:
                yield from self._date(base + ("end_date",), event.end_date)
                end = _safe_date(event.end_date)
                if start and end and end < start:
                    yield self.problem(
                        base + ("end_date",),
                        f"end_date {event.end_date} is before date {event.date}",
                        "swap them",
                    )
            if not problems and as_of and start and start > as_of:
                yield self.problem(
                    base + ("date",),
                    f"event on {event.date} is after the case's as_of date {self.case.case.as_of}",
                    "a case uses nothing later than as_of",
                )
            yield from self._pointers(base + ("evidence",), event.evidence)


def _safe_date(text: str):  # -> dt.date | None
    try:
        return parse_partial_date(text)[0]
    except (ValueError, TypeError):
        return None


def _example(precision: DatePrecision) -> str:
    return {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}[precision.value]


def _range_hint(what: str) -> str:
    if what in ("position", "status quo"):
        return "positions use the issue's 0-100 scale"
    return f"{what} is a share between 0 and 1"
