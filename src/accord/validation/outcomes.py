"""Backtesting a case: score its forecast against an outcome file recorded after the case's ``as_of``.

Outcome file (YAML; Accord ships none for the built-in cases, since recording what happened is the
user's evidence, not ours)::

    case: nagorno-karabakh-2013        # id of the case it scores (checked)
    observed: 2020-11-10               # when the outcomes were recorded; must be after the case's as_of
    outcomes:
      status:                          # an issue id of the case
        value: 30                      # observed value on the issue's 0-100 scale
        evidence: what happened, and where it is documented

Every issue listed is scored; issues of the case not listed are reported as not scored. The forecast
scored is the case's headline, the one every interface shows: :func:`accord.api.backtest_case` passes
:func:`accord.api.forecast_distribution` (the input draws plus the model's DEU error) as
``distribution`` (this layer cannot call the API itself).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from accord.case.io import load_case
from accord.case.model import Case
from accord.case.validate import CaseError

__all__ = ["OutcomeError", "read_outcomes", "backtest_case"]


class OutcomeError(ValueError):
    def __init__(
        self, path: str, message: str, line: int | None = None, field: str | None = None, hint: str = ""
    ):
        self.hint = hint or "see docs/validation.md, 'Backtesting a case'"
        where = path + (f":{line}" if line else "") + (f": {field}" if field else "")
        super().__init__(f"{where}: {message}")


def _node_lines(root: yaml.Node) -> dict[str, int]:
    """Line (1-based) of every outcome entry's key, for error messages."""
    lines: dict[str, int] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            lines[key.value] = key.start_mark.line + 1
            if key.value == "outcomes" and isinstance(value, yaml.MappingNode):
                for k2, _ in value.value:
                    lines[f"outcomes.{k2.value}"] = k2.start_mark.line + 1
    return lines


def _date(text: Any, path: str, line: int | None, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        raise OutcomeError(path, f"{text!r} is not a date", line, field, "write YYYY-MM-DD") from None


def read_outcomes(path: str | Path) -> dict[str, Any]:
    """Parse and check an outcome file: ``{"case", "observed", "outcomes": {issue: (value, evidence)}}``."""
    p = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except OSError as exc:
        raise OutcomeError(p, f"cannot read the file: {exc.strerror}", hint="check the path") from None
    except UnicodeDecodeError:
        raise OutcomeError(p, "not UTF-8 text", hint="save the file as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise OutcomeError(
            p, f"not valid YAML: {getattr(exc, 'problem', exc)}", mark.line + 1 if mark else None
        ) from None
    if not isinstance(data, dict):
        raise OutcomeError(p, "the file must be a mapping with case, observed and outcomes", 1)
    lines = _node_lines(root)
    for key in ("case", "observed", "outcomes"):
        if key not in data:
            raise OutcomeError(p, f"missing {key!r}", 1, key)
    if not isinstance(data["outcomes"], dict) or not data["outcomes"]:
        raise OutcomeError(
            p, "outcomes must map issue ids to {value, evidence}", lines.get("outcomes"), "outcomes"
        )
    outcomes = {}
    for issue, entry in data["outcomes"].items():
        line, field = lines.get(f"outcomes.{issue}"), f"outcomes.{issue}"
        if (
            not isinstance(entry, dict)
            or "value" not in entry
            or not str(entry.get("evidence") or "").strip()
        ):
            raise OutcomeError(
                p, "needs a value and its evidence", line, field, "value: 30, evidence: what happened"
            )
        value = entry["value"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise OutcomeError(p, f"value {value!r} is not a number", line, field + ".value")
        if not 0 <= value <= 100:
            raise OutcomeError(p, f"value {value} is outside the issue's 0-100 scale", line, field + ".value")
        outcomes[str(issue)] = (float(value), str(entry["evidence"]).strip())
    observed = _date(data["observed"], p, lines.get("observed"), "observed")
    return {"case": str(data["case"]), "observed": observed, "outcomes": outcomes, "lines": lines}


# per issue: (median, low, high) of the central 80% interval, and a label of what made it
Distribution = Callable[[Case], tuple[dict[str, tuple[float, float, float]], str]]


def backtest_case(
    case_ref: str | Path, outcome_path: str | Path, distribution: Distribution
) -> dict[str, Any]:
    """The case's forecast (``distribution``: per issue median and 80% interval, see the module
    docstring), scored against an outcome file."""
    rec = read_outcomes(outcome_path)
    p = str(outcome_path)
    try:
        case = load_case(case_ref)
    except (CaseError, FileNotFoundError, ValueError) as exc:
        raise OutcomeError(
            str(case_ref), f"cannot load the case: {exc}", hint="`accord case list` names the built-ins"
        ) from None
    if rec["case"] != case.id:
        raise OutcomeError(
            p, f"scores case {rec['case']!r}, not {case.id!r}", rec["lines"].get("case"), "case"
        )
    as_of = dt.date.fromisoformat(str(case.case.as_of))
    if rec["observed"] <= as_of:
        raise OutcomeError(
            p,
            f"observed {rec['observed']} is not after the case's as_of {as_of}",
            rec["lines"].get("observed"),
            "observed",
            "a backtest scores what happened later",
        )
    unknown = [i for i in rec["outcomes"] if i not in case.issue_ids]
    if unknown:
        raise OutcomeError(
            p,
            f"no issue {unknown[0]!r} in the case",
            rec["lines"].get(f"outcomes.{unknown[0]}"),
            f"outcomes.{unknown[0]}",
            f"the case's issues: {', '.join(case.issue_ids)}",
        )
    fc, forecaster = distribution(case)
    rows = []
    for issue in case.issue_ids:
        if issue not in rec["outcomes"]:
            continue
        value, evidence = rec["outcomes"][issue]
        median, low, high = fc[issue]
        rows.append(
            {
                "issue": issue,
                "median": float(median),
                "low": float(low),
                "high": float(high),
                "model": forecaster,
                "observed": value,
                "error": abs(float(median) - value),
                "inside80": bool(low <= value <= high),
                "evidence": evidence,
            }
        )
    scale = "; ".join(f"{i.id}: 0 = {i.scale.min_label}, 100 = {i.scale.max_label}" for i in case.issues)
    return {
        "case": case.id,
        "as_of": str(as_of),
        "observed": str(rec["observed"]),
        "issues": rows,
        "not_scored": [i for i in case.issue_ids if i not in rec["outcomes"]],
        "mae": float(np.mean([r["error"] for r in rows])),
        "inside80": float(np.mean([r["inside80"] for r in rows])),
        "scale": scale,
    }
