"""Reader of the DEU ("Decision-making in the European Union") data sets' table layout.

The public DEU III copy is a tab- (or comma-) separated table: row 1 holds column names, an optional row 2
holds a per-actor weight under the position columns (its ``prnr`` and ``isnr`` cells are empty), and every
further row is one controversial issue of a legislative proposal. An actor ``xx`` is a pair of columns
``pxx`` (most-favoured position, 0-100) and ``sxx`` (salience, 0-100); ``rp`` is the reference point (the
status quo) and ``out`` the outcome. Empty cells mean "not recorded"; they stay missing (NaN) here, and
what a missing value means for a model is decided by the caller (see :mod:`accord.validation.problems`).

Errors name the file, the line, the column and what to do, because these files are edited by hand in
spreadsheets (dates turn into other dates, decimal commas appear, columns shift).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["DeuFormatError", "DeuIssue", "DeuData", "read_deu", "parse_deu", "SCALE"]

SCALE = (0.0, 100.0)
REQUIRED = ("prnr", "isnr", "out")
META = ("prname", "type", "council", "proc", "counvte", "proccde", "issues", "intro", "finact")


class DeuFormatError(ValueError):
    """A DEU file that cannot be read; ``str()`` names file, line and column, then a hint."""

    def __init__(
        self, path: str, message: str, line: int | None = None, column: str | None = None, hint: str = ""
    ):
        self.path, self.line, self.column, self.hint = path, line, column, hint
        where = path + (f":{line}" if line is not None else "") + (f": column {column!r}" if column else "")
        super().__init__(f"{where}: {message}" + (f" (hint: {hint})" if hint else ""))


@dataclass(frozen=True)
class DeuIssue:
    """One issue row. Arrays run over :attr:`DeuData.actors`; NaN marks a value not recorded."""

    proposal: str
    issue: str
    line: int
    positions: np.ndarray
    salience: np.ndarray
    reference_point: float | None
    outcome: float | None
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def present(self) -> np.ndarray:
        """Boolean mask of the actors with a recorded position."""
        return ~np.isnan(self.positions)


@dataclass(frozen=True)
class DeuData:
    """A whole file: actor codes (``com``, ``ep``, ``de``, ...), the optional weight row, the issues."""

    path: str
    actors: tuple[str, ...]
    weights: np.ndarray | None
    issues: tuple[DeuIssue, ...]

    @property
    def proposals(self) -> tuple[str, ...]:
        """Distinct proposal ids in file order."""
        return tuple(dict.fromkeys(i.proposal for i in self.issues))

    def scored(self) -> tuple[DeuIssue, ...]:
        """Issues with a recorded outcome (the only ones a backtest can score)."""
        return tuple(i for i in self.issues if i.outcome is not None)


def _number(path: str, text: str, line: int, column: str, lo: float | None, hi: float | None) -> float:
    """A cell as a float (NaN if empty), checked against ``[lo, hi]``."""
    text = text.strip()
    if text == "":
        return math.nan
    try:
        value = float(text)
    except ValueError:
        hint = "use a point as decimal mark" if "," in text else "write a number or leave the cell empty"
        raise DeuFormatError(path, f"{text!r} is not a number", line, column, hint) from None
    if not math.isfinite(value):
        raise DeuFormatError(path, f"{text!r} is not a finite number", line, column, "leave the cell empty")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise DeuFormatError(
            path, f"{value:g} is outside {lo:g}-{hi:g}", line, column, "DEU scales run 0-100"
        )
    return value


def _actors(path: str, header: list[str]) -> tuple[str, ...]:
    names = set(header)
    actors = tuple(c[1:] for c in header if c.startswith("p") and len(c) > 1 and "s" + c[1:] in names)
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise DeuFormatError(
            path,
            f"no column {missing[0]!r}",
            1,
            None,
            "row 1 must name the DEU columns: prnr, isnr, out, ...",
        )
    if len(actors) < 2:
        raise DeuFormatError(
            path, "fewer than two actors (pairs of columns pXX and sXX)", 1, None, "e.g. pcom/scom, pde/sde"
        )
    duplicates = sorted({c for c in header if header.count(c) > 1})
    if duplicates:
        raise DeuFormatError(
            path, f"column {duplicates[0]!r} appears twice", 1, duplicates[0], "rename or delete one"
        )
    return actors


def _rows(path: str, text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def parse_deu(text: str, path: str = "<text>") -> DeuData:
    """Parse the text of a DEU table (see the module docstring for the layout)."""
    rows = _rows(path, text)
    if not rows or not any(c.strip() for c in rows[0]):
        raise DeuFormatError(path, "the file is empty", 1, None, "row 1 holds the column names")
    header = [c.strip() for c in rows[0]]
    actors = _actors(path, header)
    col = {name: k for k, name in enumerate(header)}
    weights = None
    issues: list[DeuIssue] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header):
            raise DeuFormatError(
                path,
                f"{len(row)} cells but {len(header)} column names",
                line,
                None,
                "a cell holds a stray separator",
            )
        row = row + [""] * (len(header) - len(row))

        def cell(name: str, row: list[str] = row) -> str:
            return row[col[name]].strip()

        if line == 2 and not cell("prnr") and not cell("isnr"):
            weights = np.array([_number(path, cell("p" + a), line, "p" + a, 0.0, None) for a in actors])
            weights = np.where(np.isnan(weights), 0.0, weights)
            continue
        if not cell("prnr"):
            raise DeuFormatError(
                path, "empty proposal id", line, "prnr", "every issue row names its proposal"
            )
        positions = np.array([_number(path, cell("p" + a), line, "p" + a, *SCALE) for a in actors])
        salience = np.array([_number(path, cell("s" + a), line, "s" + a, *SCALE) for a in actors])
        rp = _number(path, cell("rp"), line, "rp", *SCALE) if "rp" in col else math.nan
        out = _number(path, cell("out"), line, "out", *SCALE)
        issues.append(
            DeuIssue(
                proposal=cell("prnr"),
                issue=cell("isnr") or f"{cell('prnr')}-{line}",
                line=line,
                positions=positions,
                salience=salience,
                reference_point=None if math.isnan(rp) else rp,
                outcome=None if math.isnan(out) else out,
                meta={k: cell(k) for k in META if k in col},
            )
        )
    if not issues:
        raise DeuFormatError(
            path, "no issue rows", len(rows) + 1, None, "rows after the header hold one issue each"
        )
    ids = [i.issue for i in issues]
    dup = next((i for i in issues if ids.count(i.issue) > 1), None)
    if dup is not None:
        raise DeuFormatError(
            path, f"issue id {dup.issue!r} appears twice", dup.line, "isnr", "issue ids must be unique"
        )
    return DeuData(path=path, actors=actors, weights=weights, issues=tuple(issues))


def read_deu(path: str | Path) -> DeuData:
    """Read a DEU file (UTF-8 or Latin-1 text, tab- or comma-separated)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DeuFormatError(
            str(path), f"cannot read the file: {exc.strerror}", None, None, "check the path"
        ) from None
    if b"\x00" in raw[:4096]:
        raise DeuFormatError(
            str(path), "this is a binary file, not a DEU table", None, None, "export the sheet as TSV or CSV"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return parse_deu(text.replace("\r\n", "\n").replace("\r", "\n"), str(path))
