"""Reader and writer for KTAB's SMP scenario CSV format (``smpc --csv``), without any model logic.

The format, as KTAB's ``SMPModel::csvRead`` reads it::

    <scenario name>,<description>,<number of actors>,<number of dimensions>[,...]
    Actor,Description,Power,<dim 1 name>,<sal 1 name>,...,<dim I name>,<sal I name>[,...]
    <actor name>,<actor description>,<power>,<pos 1>,<sal 1>,...,<pos I>,<sal I>[,...]   (one per actor)

Positions and saliences are on 0-100 and an actor's saliences sum to at most 100; the third header
cell may say "Power" or "Influence"; cells may be quoted and padded with blanks; trailing cells (often
one empty cell after a trailing comma) are ignored by KTAB; blank lines are skipped.

:class:`KtabScenario` holds the numbers and the names with surrounding blanks removed. It also keeps
the file's layout (every cell's original text, the line ending), so that writing a parsed scenario
gives back the same bytes; a value changed since parsing is written with the shortest text that
reads back as the same float.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = [
    "KtabCsvError",
    "KtabLayout",
    "KtabScenario",
    "parse_ktab_csv",
    "read_ktab_csv",
    "format_ktab_csv",
    "write_ktab_csv",
]

_LINE1 = "line 1 is: scenario name, description, number of actors, number of dimensions"
_LINE2 = "line 2 is: Actor, Description, Power, then a position and a salience column per dimension"
_ROW = "each actor row is: name, description, power, then a position and a salience (0-100) per dimension"


class KtabCsvError(ValueError):
    """A KTAB scenario CSV that cannot be read; the message names the line and how to fix it."""

    def __init__(self, message: str, line: int | None = None, hint: str = "") -> None:
        self.line = line
        self.hint = hint
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{where}{message}" + (f" (hint: {hint})" if hint else ""))


@dataclass
class KtabLayout:
    """How a parsed file was written: per non-blank line, its cells' original text and quoting."""

    cells: list[list[str]]
    quoted: list[list[bool]]
    newline: str = "\n"


@dataclass
class KtabScenario:
    """A KTAB SMP scenario on KTAB's own scales.

    ``capability`` is KTAB's "Power" (any non-negative scale, not normalised); ``positions`` and
    ``saliences`` are ``[actors, dimensions]`` on 0-100. ``layout`` is set by the parser and only
    serves an exact round trip; leave it ``None`` when building a scenario.
    """

    name: str
    description: str
    actor_names: list[str]
    actor_descriptions: list[str]
    capability: np.ndarray
    positions: np.ndarray
    saliences: np.ndarray
    dimension_names: list[str]
    salience_names: list[str] = field(default_factory=list)
    capability_label: str = "Power"
    layout: KtabLayout | None = None

    @property
    def n_actors(self) -> int:
        return len(self.actor_names)

    @property
    def n_dimensions(self) -> int:
        return len(self.dimension_names)


def _split(line: str) -> tuple[list[str], list[bool]]:
    """Cells of one line: comma-separated, a cell quoted when it starts with a double quote."""
    cells = next(csv.reader([line]))
    quoted: list[bool] = []
    pos = 0
    for _ in cells:
        quoted.append(line[pos : pos + 1] == '"')
        pos = _next_cell(line, pos)
    return cells, quoted


def _next_cell(line: str, pos: int) -> int:
    """Index just past the cell starting at ``pos`` and its comma."""
    end = pos
    if line[pos : pos + 1] == '"':
        end = pos + 1
        while end < len(line):
            if line[end] == '"':
                if line[end + 1 : end + 2] != '"':
                    break
                end += 1
            end += 1
    comma = line.find(",", end)
    return len(line) + 1 if comma < 0 else comma + 1


def _number(text: str, line: int, what: str, hint: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise KtabCsvError(f"{what} {text.strip()!r} is not a number", line, hint) from None
    if not math.isfinite(value):
        raise KtabCsvError(f"{what} {text.strip()!r} is not finite", line, hint)
    return value


def _count(text: str, line: int, what: str) -> int:
    value = _number(text, line, what, _LINE1)
    if value != int(value) or value < 1:
        raise KtabCsvError(f"{what} must be a positive whole number, got {text.strip()!r}", line, _LINE1)
    return int(value)


def parse_ktab_csv(text: str) -> KtabScenario:
    """Parse the text of a KTAB scenario CSV."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = [(no + 1, ln.rstrip("\r")) for no, ln in enumerate(text.split("\n")) if ln.strip() != ""]
    if not lines:
        raise KtabCsvError("the file is empty", 1, _LINE1)
    if lines[0][1].startswith("\ufeff"):
        lines[0] = (lines[0][0], lines[0][1][1:])
    split = [_split(ln) for _, ln in lines]
    layout = KtabLayout(cells=[c for c, _ in split], quoted=[q for _, q in split], newline=newline)
    no, cells = lines[0][0], layout.cells[0]
    if len(cells) < 4:
        raise KtabCsvError(f"expected at least 4 cells, found {len(cells)}", no, _LINE1)
    n_act = _count(cells[2], no, "number of actors")
    n_dim = _count(cells[3], no, "number of dimensions")
    if len(lines) < 2:
        raise KtabCsvError("the column header (line 2) is missing", no, _LINE2)
    if len(lines) - 2 != n_act:
        at = lines[min(len(lines) - 1, 2 + n_act)][0]
        raise KtabCsvError(
            f"line 1 announces {n_act} actors but the file has {len(lines) - 2} actor rows",
            at,
            "make the number of actors on line 1 match the actor rows",
        )
    width = 3 + 2 * n_dim
    no, head = lines[1][0], layout.cells[1]
    if len(head) < width:
        raise KtabCsvError(
            f"header has {len(head)} cells, expected {width} for {n_dim} dimensions", no, _LINE2
        )
    cap = np.zeros(n_act)
    pos = np.zeros((n_act, n_dim))
    sal = np.zeros((n_act, n_dim))
    dims = [head[3 + 2 * k].strip() for k in range(n_dim)]
    for a in range(n_act):
        no, row = lines[2 + a][0], layout.cells[2 + a]
        if len(row) < width:
            raise KtabCsvError(f"actor row has {len(row)} cells, expected {width}", no, _ROW)
        if row[0].strip() == "":
            raise KtabCsvError("the actor name is empty", no, "every actor needs a name in the first column")
        cap[a] = _number(row[2], no, "power", _ROW)
        if cap[a] < 0:
            raise KtabCsvError(f"power {row[2].strip()!r} is negative", no, "power must be non-negative")
        for k in range(n_dim):
            pos[a, k] = _number(row[3 + 2 * k], no, f"position on {dims[k]!r}", _ROW)
            sal[a, k] = _number(row[4 + 2 * k], no, f"salience on {dims[k]!r}", _ROW)
            if not 0.0 <= pos[a, k] <= 100.0:
                raise KtabCsvError(f"position {pos[a, k]:g} on {dims[k]!r} is outside 0-100", no, _ROW)
            if not 0.0 <= sal[a, k] <= 100.0:
                raise KtabCsvError(f"salience {sal[a, k]:g} on {dims[k]!r} is outside 0-100", no, _ROW)
        if sal[a].sum() > 100.0 + 1e-9:
            raise KtabCsvError(
                f"the saliences of {row[0].strip()!r} sum to {sal[a].sum():g}, more than 100",
                no,
                "an actor's saliences are shares of its attention and sum to at most 100",
            )
    rows = layout.cells[2:]
    return KtabScenario(
        name=cells[0].strip(),
        description=cells[1].strip(),
        actor_names=[r[0].strip() for r in rows],
        actor_descriptions=[r[1].strip() for r in rows],
        capability=cap,
        positions=pos,
        saliences=sal,
        dimension_names=dims,
        salience_names=[head[4 + 2 * k].strip() for k in range(n_dim)],
        capability_label=head[2].strip(),
        layout=layout,
    )


def read_ktab_csv(path: str | Path) -> KtabScenario:
    """Read a KTAB scenario CSV file (UTF-8; a byte-order mark is dropped)."""
    return parse_ktab_csv(Path(path).read_bytes().decode("utf-8-sig"))


def _num_text(value: float, original: str | None) -> str:
    """The original text if it still reads as ``value``, else the shortest exact text."""
    if original is not None:
        try:
            if float(original.strip()) == value:
                return original
        except ValueError:
            pass
    value = float(value)
    if not math.isfinite(value):
        raise KtabCsvError(f"cannot write the non-finite number {value}")
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _text(value: str, original: str | None, quoted: bool) -> str:
    """A text cell: the original text if it still holds ``value``; quoted when it was or must be."""
    if original is not None and original.strip() == value:
        value = original
    if quoted or "," in value or value.startswith('"') or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def format_ktab_csv(sc: KtabScenario) -> str:
    """The text of the KTAB scenario CSV for ``sc``."""
    n_act, n_dim = sc.n_actors, sc.n_dimensions
    cap = np.asarray(sc.capability, dtype=float).reshape(n_act)
    pos = np.asarray(sc.positions, dtype=float).reshape(n_act, n_dim)
    sal = np.asarray(sc.saliences, dtype=float).reshape(n_act, n_dim)
    if len(sc.actor_descriptions) != n_act:
        raise KtabCsvError(f"{len(sc.actor_descriptions)} actor descriptions for {n_act} actors")
    width = 3 + 2 * n_dim
    lay = sc.layout
    if lay is not None and (len(lay.cells) != n_act + 2 or any(len(r) < width for r in lay.cells[1:])):
        lay = None  # the scenario changed shape since it was parsed: write afresh

    def orig(line: int, cell: int) -> tuple[str | None, bool]:
        if lay is None or cell >= len(lay.cells[line]):
            return None, False
        return lay.cells[line][cell], lay.quoted[line][cell]

    def text(line: int, cell: int, value: str) -> str:
        return _text(value, *orig(line, cell))

    def num(line: int, cell: int, value: float) -> str:
        return _num_text(value, orig(line, cell)[0])

    def tail(line: int, n_fixed: int) -> list[str]:
        return list(lay.cells[line][n_fixed:]) if lay is not None else [""]

    sal_names = sc.salience_names or [f"{d} Salience" for d in sc.dimension_names]
    out = [[text(0, 0, sc.name), text(0, 1, sc.description), num(0, 2, n_act), num(0, 3, n_dim)] + tail(0, 4)]
    labels = [lay.cells[1][c].strip() for c in (0, 1)] if lay is not None else ["Actor", "Description"]
    head = [text(1, 0, labels[0]), text(1, 1, labels[1]), text(1, 2, sc.capability_label)]
    for k in range(n_dim):
        head += [text(1, 3 + 2 * k, sc.dimension_names[k]), text(1, 4 + 2 * k, sal_names[k])]
    out.append(head + tail(1, width))
    for a in range(n_act):
        line = 2 + a
        row = [
            text(line, 0, sc.actor_names[a]),
            text(line, 1, sc.actor_descriptions[a]),
            num(line, 2, cap[a]),
        ]
        for k in range(n_dim):
            row += [num(line, 3 + 2 * k, pos[a, k]), num(line, 4 + 2 * k, sal[a, k])]
        out.append(row + tail(line, width))
    newline = lay.newline if lay is not None else "\n"
    return "".join(",".join(cells) + newline for cells in out)


def write_ktab_csv(sc: KtabScenario, path: str | Path) -> None:
    """Write ``sc`` as a KTAB scenario CSV file."""
    Path(path).write_bytes(format_ktab_csv(sc).encode("utf-8"))
