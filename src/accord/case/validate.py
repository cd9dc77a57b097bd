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
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from accord.case.booleans import bools_as_numbers
from accord.case.checks import CaseChecks
from accord.case.model import (
    Case,
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
    report.problems += list(CaseChecks(case, located, name).run())
    report.problems += list(case_rules(case, located, name, CaseProblem))  # type: ignore[arg-type]
    if corpus is not None:
        report.problems += list(_corpus_problems(case, located, name, corpus))
        report.corpus_checked = True
    report.problems.sort(key=lambda p: (p.line, p.column))
    if not report.problems:
        report.case = case
    return report
