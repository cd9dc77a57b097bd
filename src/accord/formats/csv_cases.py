"""Import and export of the peer tools' CSV formats: KTAB's SMP scenarios and the BDM/Scholz actor table.

Importing turns a CSV into a case whose evidence is the CSV itself: every number cites the row it came
from (a span of the file's text, hashed like any corpus pointer), so ``accord case validate --corpus
<folder of the csv>`` verifies an imported case exactly as it verifies one built from analyses.

The case format uses 0-100 positions and 0-1 salience and capability. The ``units`` block of an imported
case records the format's own scales, so exporting gives back the numbers the file carried:

========  ==================  ====================  =====================
format    position            salience              capability
========  ==================  ====================  =====================
ktab      0-100               0-100 per dimension    "Power", any scale (divided by the largest)
bdm       0-10 (or as found)  0-1 (or 0-100)         any non-negative scale (1 or the largest)
========  ==================  ====================  =====================

Formats carry no status quo: an imported issue's status quo is the capability x salience weighted median
of the imported positions, and its note says so. Both formats' numbers round trip exactly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from accord.case.model import Case
from accord.engines.baselines import weighted_median
from accord.formats.ktab import KtabCsvError, KtabScenario, format_ktab_csv, parse_ktab_csv
from accord.spans.pointers import sha256_text

__all__ = ["FormatError", "FORMATS", "import_csv", "export_csv", "case_to_yaml"]

FORMATS = ("ktab", "bdm")
BDM_COLUMNS = ("Actor", "Capability", "Position", "Salience")


class FormatError(ValueError):
    """A CSV that cannot be imported, or a case that cannot be exported to a format."""

    def __init__(self, message: str, line: int | None = None, hint: str = ""):
        self.line, self.hint = line, hint
        super().__init__(message)


# ---------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------


def slug(text: str, fallback: str = "x") -> str:
    """An id for the case format: lower-case letters, digits and dashes."""
    value = re.sub(r"[^a-z0-9]+", "-", text.strip().lower()).strip("-")
    return value or fallback


def unique_slugs(names: list[str], fallback: str) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        base = slug(name, f"{fallback}-{i + 1}")
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def line_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every line of ``text``, without its line ending."""
    spans, start = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        spans.append((start, start + len(body)))
        start += len(line)
    return spans


def clean(x: float) -> float:
    """Undo the last-bit noise of scaling there and back (12 significant digits are plenty)."""
    return float(f"{float(x):.12g}")


def _pointer(text: str, span: tuple[int, int], doc: str, note: str) -> dict[str, Any]:
    start, end = span
    return {"doc": doc, "start": start, "end": end, "sha256": sha256_text(text[start:end]), "note": note}


# ---------------------------------------------------------------------------------------------------
# import
# ---------------------------------------------------------------------------------------------------


def _parse_bdm(text: str) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise FormatError("the file is empty", 1, "a BDM CSV starts with: Actor,Capability,Position,Salience")
    header = [c.strip() for c in rows[0]]
    if tuple(header[:4]) != BDM_COLUMNS:
        raise FormatError(
            f"header is {','.join(header)!r}", 1, "a BDM CSV starts with: Actor,Capability,Position,Salience"
        )
    names, numbers = [], []
    for line_no, row in enumerate(rows[1:], start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) < 4:
            raise FormatError(f"{len(row)} cells, expected 4", line_no, "Actor,Capability,Position,Salience")
        try:
            values = [float(c) for c in row[1:4]]
        except ValueError:
            raise FormatError(
                f"not a number in {row[1:4]}", line_no, "capability, position and salience are numbers"
            ) from None
        if not all(np.isfinite(values)):
            raise FormatError("NaN or infinite value", line_no, "write finite numbers")
        for column, value in zip(BDM_COLUMNS[1:], values, strict=True):
            if value < 0:
                raise FormatError(
                    f"{column} {value:g} is negative", line_no, f"{column.lower()} must be 0 or more"
                )
        names.append(row[0].strip())
        numbers.append(values)
    if not names:
        raise FormatError("no actor rows", 2, "add one row per actor")
    arr = np.array(numbers)
    return names, arr[:, 0], arr[:, 1:2], arr[:, 2:3]


def _infer_position_max(positions: np.ndarray) -> float:
    top = float(positions.max(initial=0.0))
    for candidate in (1.0, 10.0, 100.0):
        if top <= candidate:
            return candidate
    raise FormatError(f"positions reach {top:g}", None, "pass --position-max with the scale's upper end")


def _bdm_capability_max(capability: np.ndarray) -> float:
    """1 for capabilities in 0-1; otherwise the largest one, so any non-negative scale (1.05, 0-100) imports.

    The case holds capability / this value in [0, 1]; ``units.capability_max`` keeps the file's scale, so an
    export writes back the file's own numbers.
    """
    top = float(capability.max(initial=0.0))
    if not top > 0:
        raise FormatError("every Capability is 0", 2, "at least one actor needs a positive capability")
    return 1.0 if top <= 1.0 else top


def _bdm_salience_max(salience: np.ndarray) -> float:
    """1 for saliences in 0-1 (the format's own), 100 for files that write them in percent."""
    top = float(salience.max(initial=0.0))
    if top <= 1.0:
        return 1.0
    if top <= 100.0:
        return 100.0
    raise FormatError(f"saliences reach {top:g}", None, "BDM saliences run 0-1 (or 0-100 in percent)")


def import_csv(path: str | Path, fmt: str, position_max: float | None = None) -> dict[str, Any]:
    """Read a KTAB or BDM CSV into case data (a dict ready for YAML and validation)."""
    path = Path(path)
    if fmt not in FORMATS:
        raise FormatError(f"unknown format {fmt!r}", None, f"choose one of: {', '.join(FORMATS)}")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise FormatError(f"{path} is not UTF-8", None, "save the CSV as UTF-8") from None
    doc = path.stem
    spans = line_spans(text)
    if fmt == "ktab":
        try:
            sc = parse_ktab_csv(text)
        except KtabCsvError as exc:
            raise FormatError(str(exc), exc.line, exc.hint) from None
        names, capability, positions, saliences = sc.actor_names, sc.capability, sc.positions, sc.saliences
        dims = [d.strip() for d in sc.dimension_names]
        units = {
            "format": "ktab",
            "position_max": 100.0,
            "salience_max": 100.0,
            "capability_max": float(capability.max()),
            "name": sc.name.strip(),
            "description": sc.description.strip(),
            "actor_descriptions": [d.strip() for d in sc.actor_descriptions],
            "dimension_names": list(sc.dimension_names),
            "salience_names": list(sc.salience_names),
        }
        first_row, title = 2, sc.name.strip() or doc
        if not units["capability_max"] > 0:
            raise FormatError("every Power is zero or negative", 3, "capabilities must be positive")
    else:
        names, capability, positions, saliences = _parse_bdm(text)
        dims = ["Position"]
        pmax = position_max or _infer_position_max(positions)
        units = {
            "format": "bdm",
            "position_max": pmax,
            "salience_max": _bdm_salience_max(saliences),
            "capability_max": _bdm_capability_max(capability),
        }
        first_row, title = 1, doc
        rows_used = [i for i, (s, e) in enumerate(spans[1:], start=1) if text[s:e].strip()]
        spans = spans[:1] + [spans[i] for i in rows_used]
    if position_max is not None:
        units["position_max"] = float(position_max)
    return _build_case(
        text, doc, title, fmt, names, capability, positions, saliences, dims, units, spans, first_row
    )


def _build_case(
    text, doc, title, fmt, names, capability, positions, saliences, dims, units, spans, first_row
):
    header_span = spans[0]
    actor_ids = unique_slugs(names, "actor")
    issue_ids = unique_slugs([re.sub(r"(?i)\s*position$", "", d) or d for d in dims], "issue")
    pos = positions * 100.0 / units["position_max"]
    sal = saliences / units["salience_max"]
    cap = capability / units["capability_max"]
    if np.any(pos < 0) or np.any(pos > 100):
        raise FormatError(
            "positions fall outside the scale", None, "pass --position-max with the scale's upper end"
        )
    header_ptr = _pointer(text, header_span, doc, f"the {fmt} file's header")
    weights = cap[:, None] * sal
    status_quo = weighted_median(pos[None], weights[None], np.full((1, len(dims)), 50.0))[0]
    issues = [
        {
            "id": iid,
            "question": f"Where does the outcome fall on {dim!r}?",
            "scale": {"min_label": f"0 on {dim!r}", "max_label": f"{units['position_max']:g} on {dim!r}"},
            "status_quo": {
                "value": clean(status_quo[k]),
                "note": f"The {fmt} format has no status quo; taken as the capability x salience weighted "
                "median.",
                "evidence": [header_ptr],
            },
        }
        for k, (iid, dim) in enumerate(zip(issue_ids, dims, strict=True))
    ]
    actors, stances = [], []
    for a, (aid, name) in enumerate(zip(actor_ids, names, strict=True)):
        row_ptr = _pointer(text, spans[first_row + a], doc, f"row of {name} in the imported file")
        actors.append({"id": aid, "name": name or aid, "kind": "state", "aliases": [name] if name else []})
        stances.append(
            {
                "actor": aid,
                "capability": {"value": clean(cap[a]), "evidence": [row_ptr]},
                "issues": {
                    iid: {
                        "position": {"value": clean(pos[a, k]), "evidence": [row_ptr]},
                        "salience": {"value": clean(sal[a, k]), "evidence": [row_ptr]},
                    }
                    for k, iid in enumerate(issue_ids)
                },
            }
        )
    return {
        "format": 1,
        "case": {
            "id": slug(doc, "imported"),
            "title": title,
            "version": "1",
            "as_of": dt.date.today().isoformat(),
            "description": f"Imported from the {fmt} CSV file {doc}.",
            "units": units,
            "sources": [
                {
                    "id": doc,
                    "title": f"{doc} ({fmt} CSV)",
                    "date": dt.date.today().isoformat(),
                    "sha256": sha256_text(text),
                }
            ],
        },
        "actors": actors,
        "issues": issues,
        "stances": stances,
    }


def case_to_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)


# ---------------------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------------------


def _arrays(case: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from accord.case.problem import case_to_problem

    problem = case_to_problem(case)
    cap = problem.capability if problem.capability.ndim == 1 else problem.capability.mean(axis=1)
    return problem.positions, problem.salience, cap


def export_csv(case: Case, fmt: str, issue: str | None = None) -> tuple[str, list[str]]:
    """The CSV text of ``case`` in ``fmt``, and warnings about what the format cannot carry."""
    if fmt not in FORMATS:
        raise FormatError(f"unknown format {fmt!r}", None, f"choose one of: {', '.join(FORMATS)}")
    units = case.case.units
    warnings: list[str] = []
    positions, salience, capability = _arrays(case)
    names = [case.actor(a).name for a in case.bargaining_actor_ids]
    same_format = units is not None and units.format == fmt
    pmax = units.position_max if same_format else (10.0 if fmt == "bdm" else 100.0)
    cmax = units.capability_max if same_format else (1.0 if fmt == "bdm" else 100.0)
    if fmt == "bdm":
        if issue is None and len(case.issues) > 1:
            raise FormatError(
                f"the BDM format holds one issue and this case has {len(case.issues)}",
                None,
                "pass --issue ID",
            )
        k = case.issue_ids.index(issue) if issue else 0
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(BDM_COLUMNS)
        smax = units.salience_max if same_format else 1.0
        for a, name in enumerate(names):
            writer.writerow(
                [
                    name,
                    repr(clean(capability[a] * cmax)),
                    repr(clean(positions[a, k] * pmax / 100)),
                    repr(clean(salience[a, k] * smax)),
                ]
            )
        return _tidy_numbers(buf.getvalue()), warnings
    sal = salience.copy()
    totals = sal.sum(axis=1)
    if np.any(totals > 1 + 1e-9):
        warnings.append(
            "KTAB saliences sum to at most 100 per actor: rescaled each actor's saliences to sum to 100"
        )
        sal = np.where(totals[:, None] > 1, sal / np.where(totals > 0, totals, 1)[:, None], sal)
    smax = units.salience_max if same_format else 100.0
    descriptions = units.actor_descriptions if same_format and units.actor_descriptions else []
    scenario = KtabScenario(
        name=(units.name if same_format and units.name else case.case.title),
        description=(units.description if same_format and units.description else case.case.description),
        actor_names=names,
        actor_descriptions=descriptions
        if len(descriptions) == len(names)
        else [case.actor(a).kind.value for a in case.bargaining_actor_ids],
        capability=np.array([clean(c * cmax) for c in capability]),
        positions=np.vectorize(clean)(positions * pmax / 100),
        saliences=np.vectorize(clean)(sal * smax),
        dimension_names=(
            units.dimension_names if same_format and units.dimension_names else [i.id for i in case.issues]
        ),
        salience_names=(units.salience_names if same_format and units.salience_names else []),
    )
    return format_ktab_csv(scenario), warnings


def _tidy_numbers(text: str) -> str:
    """``4.0`` -> ``4`` so an exported BDM file reads like the hand-written ones."""
    return re.sub(r"(?<![\w.])(\d+)\.0(?=[,\n])", r"\1", text)
