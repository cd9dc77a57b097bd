"""Expert surveys: a long table of experts' estimates (CSV or XLSX), read, checked and written as a template.

The layout is one row per expert, actor and issue:

=========== ======== =================================================================
column      required what it holds
=========== ======== =================================================================
expert      yes      who answered (a name or code; each expert becomes a source)
actor       yes      an actor id of the case
issue       yes      an issue id of the case
position    yes      the actor's position, 0-100 on the issue's scale
salience    no       how much the issue matters to the actor, 0-1
capability  no       the actor's capability, 0-1 (the same on each row of an actor, ideally)
low, high   no       the expert's range around the position, 0-100
note        no       the expert's reasoning, in a few words
=========== ======== =================================================================

Column names are matched without regard to case or surrounding spaces; other columns are ignored.
Every problem is reported with its row (the header is row 1), its column and a hint, all at once.
Turning the rows into a case's estimates is :mod:`accord.formats.survey_case`.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "COLUMNS",
    "REQUIRED",
    "SurveyError",
    "SurveyProblem",
    "SurveyRow",
    "read_survey",
    "read_table",
    "template_rows",
]

REQUIRED = ("expert", "actor", "issue", "position")
OPTIONAL = ("salience", "capability", "low", "high", "note")
COLUMNS = REQUIRED + OPTIONAL
_RANGES = {
    "position": (0.0, 100.0),
    "low": (0.0, 100.0),
    "high": (0.0, 100.0),
    "salience": (0.0, 1.0),
    "capability": (0.0, 1.0),
}
_HINTS = {
    "position": "positions use the issue's 0-100 scale",
    "low": "the range uses the issue's 0-100 scale",
    "high": "the range uses the issue's 0-100 scale",
    "salience": "salience is a share between 0 and 1 (write 0.8, not 80)",
    "capability": "capability is a share between 0 and 1 (write 0.3, not 30)",
}
COLUMN_HELP = {
    "expert": "Who answered: a name or a code (each expert becomes a source of the case).",
    "actor": "An actor id of the case (see the 'ids' sheet).",
    "issue": "An issue id of the case (see the 'ids' sheet).",
    "position": "The actor's position on the issue, 0-100 on the issue's scale.",
    "salience": "Optional. How much the issue matters to the actor, 0-1.",
    "capability": "Optional. The actor's capability, 0-1.",
    "low": "Optional. Lowest position the expert finds plausible, 0-100.",
    "high": "Optional. Highest position the expert finds plausible, 0-100.",
    "note": "Optional. The expert's reasoning in a few words.",
}


@dataclass(frozen=True)
class SurveyProblem:
    """One problem of a survey file, printable as ``FILE:ROW: column COL: message (hint)``."""

    file: str
    row: int
    column: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        col = f" column {self.column!r}:" if self.column else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.file}:{self.row}:{col} {self.message}{hint}"


class SurveyError(ValueError):
    """A survey that cannot be imported; ``problems`` lists every row and column at fault."""

    def __init__(self, problems: Sequence[SurveyProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems[:20]))


@dataclass(frozen=True)
class SurveyRow:
    """One checked answer: an expert's estimates for one actor on one issue."""

    row: int
    expert: str
    actor: str
    issue: str
    position: float
    salience: float | None = None
    capability: float | None = None
    low: float | None = None
    high: float | None = None
    note: str | None = None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows (with their row numbers) of a .csv or .xlsx file, as text cells."""
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise SurveyError([SurveyProblem(name, 0, "", "file not found", "check the path")])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        rows = _xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SurveyError(
                [SurveyProblem(name, 1, "", "not UTF-8", "save the sheet as CSV UTF-8")]
            ) from None
        rows = list(csv.reader(io.StringIO(text)))
    else:
        raise SurveyError(
            [
                SurveyProblem(
                    name, 0, "", f"unsupported file type {suffix or '(none)'!r}", "give a .csv or .xlsx file"
                )
            ]
        )
    numbered = [(i, [_cell(c) for c in r]) for i, r in enumerate(rows, start=1)]
    numbered = [(i, r) for i, r in numbered if any(r)]
    if not numbered:
        raise SurveyError(
            [SurveyProblem(name, 1, "", "the sheet is empty", "start from `accord case survey-template`")]
        )
    return numbered[0][1], numbered[1:]


def _xlsx_rows(path: Path) -> list[list[object]]:
    try:
        import openpyxl
    except ImportError:
        raise SurveyError(
            [
                SurveyProblem(
                    str(path),
                    0,
                    "",
                    "reading .xlsx needs openpyxl",
                    "pip install 'accord[xlsx]', or save the sheet as CSV",
                )
            ]
        ) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise SurveyError(
            [
                SurveyProblem(
                    str(path),
                    0,
                    "",
                    f"cannot read the workbook ({type(exc).__name__})",
                    "is it an .xlsx saved by a spreadsheet program?",
                )
            ]
        ) from None
    sheet = book["survey"] if "survey" in book.sheetnames else book.worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _number(name: str, row: int, column: str, text: str, problems: list[SurveyProblem]) -> float | None:
    if text == "":
        return None
    try:
        value = float(text.replace(",", ".") if text.count(",") == 1 and "." not in text else text)
    except ValueError:
        problems.append(SurveyProblem(name, row, column, f"{text!r} is not a number", _HINTS.get(column, "")))
        return None
    lo, hi = _RANGES[column]
    if math.isnan(value) or not lo <= value <= hi:
        problems.append(
            SurveyProblem(name, row, column, f"{column} {text} is outside [{lo:g}, {hi:g}]", _HINTS[column])
        )
        return None
    return value


def _known(
    name: str, row: int, column: str, value: str, known: Sequence[str], problems: list[SurveyProblem]
) -> None:
    if value not in known:
        close = difflib.get_close_matches(value, list(known), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"the case's {column}s: {', '.join(known[:12])}"
        problems.append(SurveyProblem(name, row, column, f"unknown {column} {value!r}", hint))


def read_survey(path: str | Path, actors: Sequence[str], issues: Sequence[str]) -> list[SurveyRow]:
    """Every row of a survey, checked against the case's actor and issue ids; raise :class:`SurveyError`."""
    name = str(path)
    header, rows = read_table(path)
    index = {h.strip().lower(): i for i, h in enumerate(header) if h.strip()}
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        found = ", ".join(h for h in header if h) or "none"
        raise SurveyError(
            [
                SurveyProblem(
                    name,
                    1,
                    c,
                    f"missing column {c!r} (the header has: {found})",
                    "the header row needs expert, actor, issue and position; see `accord case "
                    "survey-template`",
                )
                for c in missing
            ]
        )
    problems: list[SurveyProblem] = []
    out: list[SurveyRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, cells in rows:
        values = {
            c: (cells[index[c]] if index.get(c) is not None and index[c] < len(cells) else "")
            for c in COLUMNS
        }
        if not values["expert"] and not any(values[c] for c in ("position", *OPTIONAL)):
            continue  # a template row nobody filled in
        before = len(problems)
        for column in ("expert", "actor", "issue", "position"):
            if not values[column]:
                problems.append(
                    SurveyProblem(
                        name,
                        number,
                        column,
                        f"{column} is empty",
                        "every row needs expert, actor, issue and position",
                    )
                )
        if values["actor"]:
            _known(name, number, "actor", values["actor"], actors, problems)
        if values["issue"]:
            _known(name, number, "issue", values["issue"], issues, problems)
        numbers = {c: _number(name, number, c, values[c], problems) for c in _RANGES}
        low, high, position = numbers["low"], numbers["high"], numbers["position"]
        if position is not None and (
            (low is not None and position < low) or (high is not None and position > high)
        ):
            problems.append(
                SurveyProblem(
                    name,
                    number,
                    "position",
                    f"position {position:g} lies outside its own range [{values['low']}, {values['high']}]",
                    "low <= position <= high",
                )
            )
        key = (values["expert"], values["actor"], values["issue"])
        if all(key) and key in seen:
            problems.append(
                SurveyProblem(
                    name,
                    number,
                    "expert",
                    f"a second answer of {key[0]!r} for {key[1]} on {key[2]}",
                    f"first on row {seen[key]}",
                )
            )
        seen.setdefault(key, number)
        if len(problems) == before and position is not None:
            out.append(
                SurveyRow(
                    number,
                    values["expert"],
                    values["actor"],
                    values["issue"],
                    position,
                    numbers["salience"],
                    numbers["capability"],
                    low,
                    high,
                    values["note"] or None,
                )
            )
    if problems:
        raise SurveyError(problems)
    if not out:
        raise SurveyError(
            [SurveyProblem(name, 2, "", "no answers below the header", "one row per expert, actor and issue")]
        )
    return out


def template_rows(actors: Iterable[str], issues: Iterable[str]) -> list[list[str]]:
    """The template's rows: one per actor and issue, for an expert to copy and fill."""
    return [["", a, i, "", "", "", "", "", ""] for a in actors for i in issues]
