"""Reader and writer for KTAB's SMP scenario CSV format (``smpc --csv``), without any model logic.

The format, as KTAB's ``SMPModel::csvRead`` reads it::

    <scenario name>,<description>,<number of actors>,<number of dimensions>[,...]
    Actor,Description,Power,<dim 1 name>,<sal 1 name>,...,<dim I name>,<sal I name>[,...]
    <actor name>,<actor description>,<power>,<pos 1>,<sal 1>,...,<pos I>,<sal I>[,...]   (one per actor)

Positions and saliences are on 0-100 and an actor's saliences sum to at most 100; cells may be
quoted and padded with blanks; extra trailing cells (commonly one empty cell from a trailing comma)
are ignored by KTAB. This module keeps such details (each number's original text, trailing cells,
the line ending) so that writing a parsed file gives the same bytes back, and writes new numbers with
the shortest text that reads back to the same float.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = [
    "KtabCsvError",
    "KtabScenario",
    "parse_ktab_csv",
    "read_ktab_csv",
    "format_ktab_csv",
    "write_ktab_csv",
]


class KtabCsvError(ValueError):
    """A KTAB scenario CSV that cannot be read; the message names the line and how to fix it."""

    def __init__(self, message: str, line: int | None = None, hint: str = "") -> None:
        self.line = line
        self.hint = hint
        where = f"line {line}: " if line is not None else ""
        full = f"{where}{message}" + (f" (hint: {hint})" if hint else "")
        super().__init__(full)


@dataclass
class KtabScenario:
    """A KTAB SMP scenario: numbers on KTAB's own scales (positions and saliences 0-100).

    ``capability`` is KTAB's "Power" column (any positive scale). The ``*_text`` fields and
    ``extra_cells`` only serve an exact round trip; leave them empty when building a scenario.
    """

    name: str
    description: str
    actor_names: list[str]
    actor_descriptions: list[str]
    capability: np.ndarray  # [A]
    positions: np.ndarray  # [A, I] on 0-100
    saliences: np.ndarray  # [A, I] on 0-100, each row summing to at most 100
    dimension_names: list[str]
    salience_names: list[str] = field(default_factory=list)
    header_labels: tuple[str, str, str] = ("Actor", "Description", "Power")
    capability_text: list[str] = field(default_factory=list)
    position_text: list[list[str]] = field(default_factory=list)
    salience_text: list[list[str]] = field(default_factory=list)
    count_text: tuple[str, str] = ("", "")
    extra_cells: list[list[str]] = field(default_factory=list)  # per line: cells after the expected ones
    quoted: list[list[bool]] = field(default_factory=list)  # per line: which text cells were quoted
    newline: str = "\n"

    @property
    def n_actors(self) -> int:
        return len(self.actor_names)

    @property
    def n_dimensions(self) -> int:
        return len(self.dimension_names)


def _split(line: str) -> tuple[list[str], list[bool]]:
    """Split one line the way KTAB's minicsv does: commas, with cells quoted from their first char."""
    cells = next(csv.reader([line], skipinitialspace=False, strict=False)) if line else [""]
    quoted = []
    pos = 0
    for _ in cells:
        quoted.append(line[pos : pos + 1] == '"')
        pos = _advance(line, pos)
    return cells, quoted


def _advance(line: str, pos: int) -> int:
    """Index just past the cell starting at ``pos`` and its delimiter."""
    if line[pos : pos + 1] == '"':
        end = pos + 1
        while end < len(line):
            if line[end] == '"':
                if line[end + 1 : end + 2] == '"':
                    end += 2
                    continue
                break
            end += 1
        comma = line.find(",", end)
    else:
        comma = line.find(",", pos)
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
    value = _number(text, line, what, "line 1 is: name, description, number of actors, number of dimensions")
    if value != int(value) or value < 1:
        raise KtabCsvError(f"{what} must be a positive integer, got {text.strip()!r}", line)
    return int(value)


def parse_ktab_csv(text: str) -> KtabScenario:
    """Parse the text of a KTAB scenario CSV (blank lines are skipped, as KTAB does)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    raw = text.split("\n")
    lines = [(no + 1, ln.rstrip("\r")) for no, ln in enumerate(raw) if ln.rstrip("\r").strip() != ""]
    if not lines:
        raise KtabCsvError(
            "the file is empty", 1, "line 1 is: name, description, number of actors, dimensions"
        )
    no, first = lines[0]
    cells, q0 = _split(first)
    if len(cells) < 4:
        raise KtabCsvError(
            f"expected at least 4 cells, found {len(cells)}",
            no,
            "line 1 is: name, description, actors, dimensions",
        )
    n_act = _count(cells[2], no, "number of actors")
    n_dim = _count(cells[3], no, "number of dimensions")
    name, desc = cells[0], cells[1]
    counts = (cells[2], cells[3])
    extra = [cells[4:]]
    quoted = [q0[:2]]
    if len(lines) < 2 + n_act:
        raise KtabCsvError(
            f"line 1 announces {n_act} actors but the file has {len(lines) - 2} actor rows",
            lines[-1][0],
            "fix the number of actors on line 1 or add the missing rows",
        )
    no, second = lines[1]
    cells, q1 = _split(second)
    width = 3 + 2 * n_dim
    if len(cells) < width:
        raise KtabCsvError(
            f"header has {len(cells)} cells, expected {width} for {n_dim} dimensions",
            no,
            "line 2 is: Actor, Description, Power, then a position and a salience column per dimension",
        )
    labels = (cells[0], cells[1], cells[2])
    dim_names = [cells[3 + 2 * k] for k in range(n_dim)]
    sal_names = [cells[4 + 2 * k] for k in range(n_dim)]
    extra.append(cells[width:])
    quoted.append(q1[:width])
    names, descs, cap_t, pos_t, sal_t = [], [], [], [], []
    cap = np.zeros(n_act)
    pos = np.zeros((n_act, n_dim))
    sal = np.zeros((n_act, n_dim))
    row_hint = "each actor row is: name, description, power, then position and salience (0-100) per dimension"
    for a in range(n_act):
        no, row = lines[2 + a]
        cells, qa = _split(row)
        if len(cells) < width:
            raise KtabCsvError(f"actor row has {len(cells)} cells, expected {width}", no, row_hint)
        if cells[0].strip() == "":
            raise KtabCsvError("actor name is empty", no, "every actor needs a name in the first column")
        names.append(cells[0])
        descs.append(cells[1])
        cap_t.append(cells[2])
        cap[a] = _number(cells[2], no, "power", row_hint)
        if cap[a] < 0:
            raise KtabCsvError(f"power {cells[2].strip()!r} is negative", no, "power must be non-negative")
        pos_t.append([cells[3 + 2 * k] for k in range(n_dim)])
        sal_t.append([cells[4 + 2 * k] for k in range(n_dim)])
        for k in range(n_dim):
            pos[a, k] = _number(cells[3 + 2 * k], no, f"position on {dim_names[k].strip()!r}", row_hint)
            sal[a, k] = _number(cells[4 + 2 * k], no, f"salience on {dim_names[k].strip()!r}", row_hint)
            if not 0.0 <= pos[a, k] <= 100.0:
                raise KtabCsvError(
                    f"position {pos[a, k]} is outside 0-100", no, "positions are on a 0-100 scale"
                )
            if not 0.0 <= sal[a, k] <= 100.0:
                raise KtabCsvError(
                    f"salience {sal[a, k]} is outside 0-100", no, "saliences are on a 0-100 scale"
                )
        if sal[a].sum() > 100.0 + 1e-9:
            raise KtabCsvError(
                f"saliences of {cells[0].strip()!r} sum to {sal[a].sum():g} > 100",
                no,
                "an actor's saliences sum to at most 100",
            )
        extra.append(cells[width:])
        quoted.append(qa[:2])
    if len(lines) > 2 + n_act:
        no = lines[2 + n_act][0]
        raise KtabCsvError(
            f"more rows than the {n_act} actors announced on line 1", no, "fix the number of actors on line 1"
        )
    return KtabScenario(
        name=name,
        description=desc,
        actor_names=names,
        actor_descriptions=descs,
        capability=cap,
        positions=pos,
        saliences=sal,
        dimension_names=dim_names,
        salience_names=sal_names,
        header_labels=labels,
        capability_text=cap_t,
        position_text=pos_t,
        salience_text=sal_t,
        count_text=counts,
        extra_cells=extra,
        quoted=quoted,
        newline=newline,
    )


def read_ktab_csv(path: str | Path) -> KtabScenario:
    """Read a KTAB scenario CSV file (UTF-8, an optional byte-order mark is dropped)."""
    data = Path(path).read_bytes().decode("utf-8-sig")
    return parse_ktab_csv(data)


def _num_text(value: float, original: str | None) -> str:
    """The original text if it still reads as ``value``, else the shortest exact representation."""
    if original is not None and original.strip() != "":
        try:
            if float(original.strip()) == value:
                return original
        except ValueError:
            pass
    value = float(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _cell(text: str, quote: bool) -> str:
    """A text cell; quoted when asked, or when needed (a comma or a leading quote)."""
    if quote or "," in text or text.startswith('"') or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def format_ktab_csv(sc: KtabScenario) -> str:
    """The text of a KTAB scenario CSV for ``sc``."""
    n_act, n_dim = sc.n_actors, sc.n_dimensions
    pos = np.asarray(sc.positions, dtype=float).reshape(n_act, n_dim)
    sal = np.asarray(sc.saliences, dtype=float).reshape(n_act, n_dim)
    cap = np.asarray(sc.capability, dtype=float).reshape(n_act)
    extra = sc.extra_cells if len(sc.extra_cells) == n_act + 2 else [[""]] * (n_act + 2)
    quoted = sc.quoted if len(sc.quoted) == n_act + 2 else [[False] * (3 + 2 * n_dim)] * (n_act + 2)

    def q(line: int, cell: int) -> bool:
        flags = quoted[line]
        return cell < len(flags) and flags[cell]

    def count_text(idx: int, value: int) -> str:
        original = sc.count_text[idx] if sc.count_text and sc.count_text[idx] else None
        return _num_text(float(value), original)

    out = []
    first = [
        _cell(sc.name, q(0, 0)),
        _cell(sc.description, q(0, 1)),
        count_text(0, n_act),
        count_text(1, n_dim),
    ]
    out.append(",".join(first + list(extra[0])))
    sal_names = sc.salience_names or [f"{d.strip()} Salience" for d in sc.dimension_names]
    header = [_cell(t, q(1, k)) for k, t in enumerate(sc.header_labels)]
    for k in range(n_dim):
        header += [_cell(sc.dimension_names[k], q(1, 3 + 2 * k)), _cell(sal_names[k], q(1, 4 + 2 * k))]
    out.append(",".join(header + list(extra[1])))
    for a in range(n_act):
        cap_t = sc.capability_text[a] if len(sc.capability_text) == n_act else None
        row = [_cell(sc.actor_names[a], q(2 + a, 0)), _cell(sc.actor_descriptions[a], q(2 + a, 1))]
        row.append(_num_text(cap[a], cap_t))
        for k in range(n_dim):
            p_t = sc.position_text[a][k] if len(sc.position_text) == n_act else None
            s_t = sc.salience_text[a][k] if len(sc.salience_text) == n_act else None
            row += [_num_text(pos[a, k], p_t), _num_text(sal[a, k], s_t)]
        out.append(",".join(row + list(extra[2 + a])))
    buf = io.StringIO()
    for line in out:
        buf.write(line + sc.newline)
    return buf.getvalue()


def write_ktab_csv(sc: KtabScenario, path: str | Path) -> None:
    """Write ``sc`` as a KTAB scenario CSV file."""
    Path(path).write_bytes(format_ktab_csv(sc).encode("utf-8"))
