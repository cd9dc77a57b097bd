"""Validation of case files: every problem, each with file, line, column, field path, message and hint.

Validation runs in stages and keeps going as far as it can, so a user fixes everything in one pass:

1. the file itself: exists, at most 10 MB, not empty, UTF-8;
2. YAML syntax (with the line), safe loading only, duplicate keys;
3. the schema (pydantic): types, required and unknown fields, numbers without evidence;
4. the whole case: unknown or duplicate ids, ranges, NaN, dates and their precision, events after ``as_of``;
5. with a corpus: every evidence span exists and hashes to its ``sha256``; sources match their texts.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from accord.case.booleans import bools_as_numbers
from accord.case.model import (
    Case,
    DatePrecision,
    Pointer,
    Quantity,
    parse_partial_date,
)
from accord.case.pointer_check import corpus_problems as _corpus_problems
from accord.case.pointer_check import iter_pointer_paths
from accord.case.problems import CaseProblem, PathT, dotted
from accord.case.rules import case_rules
from accord.case.yamlio import MAX_BYTES, Located, YamlProblem, load_located, read_bounded
from accord.spans.pointers import Corpus

__all__ = [
    "CaseError",
    "CaseProblem",
    "PathT",
    "ValidationReport",
    "decode_file_bytes",
    "dotted",
    "iter_pointer_paths",
    "parse_yaml_text",
    "validate_data",
    "validate_file",
    "validate_text",
]

# The last stages of validation, on parsed YAML: strict (validate_data) or draft mode (accord.case.draft).
DataCheck = Callable[[Located, str, "Corpus | None"], "ValidationReport"]
MAX_SCHEMA_PROBLEMS = 100


@dataclass
class ValidationReport:
    file: str
    problems: list[CaseProblem] = field(default_factory=list)
    case: Case | None = None
    corpus_checked: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and self.case is not None

    def summary(self) -> str:
        if not self.ok:
            return f"{self.file}: {len(self.problems)} problem(s)"
        case = self.case
        assert case is not None
        pointers = len(case.all_pointers())
        checked = "checked against the corpus" if self.corpus_checked else "not checked against a corpus"
        return (
            f"{self.file}: valid case {case.id!r}: {len(case.actors)} actors, {len(case.issues)} issues, "
            f"{len(case.stances)} stances, {len(case.relations)} relations, {len(case.events)} events, "
            f"{pointers} evidence pointers ({checked})"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "valid": self.ok,
            "case": self.case.id if self.case else None,
            "corpus_checked": self.corpus_checked,
            "problems": [asdict(p) for p in self.problems],
        }


class CaseError(ValueError):
    """Raised by :func:`accord.load_case` for an invalid case; carries the full report."""

    def __init__(self, report: ValidationReport):
        self.report = report
        lines = "\n".join(str(p) for p in report.problems[:20])
        more = f"\n... and {len(report.problems) - 20} more" if len(report.problems) > 20 else ""
        super().__init__(f"invalid case {report.file}:\n{lines}{more}")


# ---------------------------------------------------------------------------------------------------
# Stage 1-2: the file and its YAML
# ---------------------------------------------------------------------------------------------------


def validate_file(
    path: str | Path,
    corpus: Corpus | None = None,
    display_name: str | None = None,
    data_check: DataCheck | None = None,
) -> ValidationReport:
    """Validate a case file on disk (``data_check``: the last stages, e.g. draft mode's; default strict)."""
    path = Path(path)
    name = display_name or str(path)
    report = ValidationReport(file=name)
    try:
        raw = read_bounded(path)
    except YamlProblem as problem:
        hint = (
            "check the path, or `accord case list`" if problem.message == "file not found" else problem.hint
        )
        report.problems.append(CaseProblem(name, 1, 1, "", problem.message, hint))
        return report
    return validate_bytes(raw, name, corpus, data_check)


def decode_file_bytes(raw: bytes, name: str, what: str = "case") -> str | CaseProblem:
    """The text of a YAML file, or the problem that stops reading it (too big, not UTF-8).

    Shared by case and scenario files so both report the same way, with the position of a bad byte.
    """
    if len(raw) > MAX_BYTES:
        return CaseProblem(
            name, 1, 1, "", "over the 10 MB limit", f"a {what} file is small; keep texts in the corpus"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return CaseProblem(
            name, line, column, "", f"not UTF-8 (byte 0x{raw[exc.start]:02x})", "save the file as UTF-8"
        )


def validate_bytes(
    raw: bytes, name: str, corpus: Corpus | None = None, data_check: DataCheck | None = None
) -> ValidationReport:
    report = ValidationReport(file=name)
    decoded = decode_file_bytes(raw, name)
    if isinstance(decoded, CaseProblem):
        report.problems.append(decoded)
        return report
    return validate_text(decoded, name, corpus, data_check)


def validate_text(
    text: str, name: str = "<text>", corpus: Corpus | None = None, data_check: DataCheck | None = None
) -> ValidationReport:
    report = ValidationReport(file=name)
    parsed = parse_yaml_text(text, name, "docs/case-format.md")
    if isinstance(parsed, CaseProblem):
        report.problems.append(parsed)
        return report
    return (data_check or validate_data)(parsed, name, corpus)


def parse_yaml_text(text: str, name: str, guide: str) -> Located | CaseProblem:
    """The located YAML of a file's text, or the first problem that stops reading it.

    Shared by case and scenario files: empty and binary text, YAML syntax (with its position) and unsafe
    YAML are reported the same way. ``guide`` is the document a user should start from.
    """
    if not text.strip():
        return CaseProblem(name, 1, 1, "", "the file is empty", f"start from {guide}")
    if "\x00" in text:
        return CaseProblem(name, 1, 1, "", "the file holds NUL characters (binary?)", "give a YAML text file")
    try:
        return load_located(text.lstrip("\ufeff"))
    except YamlProblem as problem:
        return CaseProblem(
            name, problem.line, problem.column, dotted(problem.path), problem.message, problem.hint
        )


# ---------------------------------------------------------------------------------------------------
# Stage 3: schema
# ---------------------------------------------------------------------------------------------------


def _all_field_names(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(info.alias or name)
        for arg in _model_args(info.annotation):
            names |= _all_field_names(arg, seen)
    return names


def _model_args(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _model_args(arg)


_FIELD_NAMES = sorted(_all_field_names(Case))


_HINTS = {
    "missing": "add this field",
    "float_parsing": "write a number, e.g. 42 or 0.5",
    "float_type": "write a number, e.g. 42 or 0.5",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "string_type": "write text (quote it if it looks like a number or date)",
    "list_type": "write a list (lines starting with '- ')",
    "dict_type": "write a mapping (key: value lines)",
    "model_type": "write a mapping (key: value lines)",
    "literal_error": "use one of the listed values",
    "enum": "use one of the listed values",
    "too_short": "the list must not be empty",
    "bool_parsing": "write true or false",
}


def _schema_problem(name: str, located: Located, error: dict[str, Any]) -> CaseProblem:
    loc: PathT = tuple(error["loc"])
    kind = error["type"]
    message = error["msg"]
    hint = _HINTS.get(kind, "")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        message = f"unknown field {key!r}"
        close = difflib.get_close_matches(key, _FIELD_NAMES, n=1)
        hint = (
            f"did you mean {close[0]!r}?" if close else "remove it; see `accord case schema` for the fields"
        )
    elif kind == "string_pattern_mismatch" and "a-z0-9" in str(error.get("ctx", {}).get("pattern", "")):
        message = f"{error.get('input')!r} is not a valid id"
        hint = "ids use lower-case letters, digits, '-', '_' and '.', e.g. nagorno-karabakh"
    elif kind == "string_pattern_mismatch":
        hint = "a sha256 is 64 lower-case hex digits; `accord evidence locate` prints it"
    elif kind == "value_error":
        message = message.removeprefix("Value error, ")
    elif kind in ("greater_than", "greater_than_equal"):
        hint = "spans are [start, end) character offsets"
    line, col = located.mark(loc)
    return CaseProblem(name, line, col, dotted(loc), message, hint)


def validate_data(located: Located, name: str = "<data>", corpus: Corpus | None = None) -> ValidationReport:
    report = ValidationReport(file=name)
    if not isinstance(located.data, dict):
        line, col = located.mark(())
        report.problems.append(
            CaseProblem(
                name,
                line,
                col,
                "",
                "a case file is a mapping with case, actors, issues, ...",
                "see docs/case-format.md",
            )
        )
        return report
    try:
        case = Case.model_validate(located.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        report.problems += [_schema_problem(name, located, e) for e in errors[:MAX_SCHEMA_PROBLEMS]]
        if len(errors) > MAX_SCHEMA_PROBLEMS:  # 50,000 unknown keys must not cost 50,000 suggestions
            report.problems.append(
                CaseProblem(
                    name,
                    *located.mark(()),
                    "",
                    f"and {len(errors) - MAX_SCHEMA_PROBLEMS:,} more schema problems",
                    "fix the ones above first",
                )
            )
        report.problems.sort(key=lambda p: (p.line, p.column))
        return report
    report.problems += [
        CaseProblem(name, line, col, dotted(path), message, hint)
        for path, line, col, message, hint in bools_as_numbers(located, Case)
    ]
    report.problems += list(_CaseChecks(case, located, name).run())
    report.problems += list(case_rules(case, located, name, CaseProblem))  # type: ignore[arg-type]
    if corpus is not None:
        report.problems += list(_corpus_problems(case, located, name, corpus))
        report.corpus_checked = True
    report.problems.sort(key=lambda p: (p.line, p.column))
    if not report.problems:
        report.case = case
    return report


# ---------------------------------------------------------------------------------------------------
# Stage 4: the whole case
# ---------------------------------------------------------------------------------------------------


@dataclass
class _CaseChecks:
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
