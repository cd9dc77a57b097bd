"""Sensitivity one input at a time, for the tornado chart: every input at its low and its high value.

All the variants of a case (each input of each actor at either end of its range, the others at their
point values) run as one batch through the scenario runner, so the tornados of every issue cost one
batched model run instead of one run per bar. The inputs and their ranges are those of the global
sensitivity analysis (:func:`accord.scenarios.sensitivity.inputs_of`): the sources' documented range,
or, where a number has a single value, the one default spread of the scenario layer
(:data:`accord.scenarios.sensitivity.DEFAULT_SPREAD`: +-10 points for a position, +-0.1 for a salience
or a capability, absolute and clipped to the scale), marked ``documented_range: false``. The tornado and
the Sobol/Morris analysis therefore vary every number over the same interval.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.case.model import Case
from accord.views.evidence import EvidenceNotFound

__all__ = ["tornado", "tornados"]


def _ref(actor: str, attribute: str, issue: str) -> str:
    return f"stance/{actor}/capability" if issue == "all" else f"stance/{actor}/{issue}/{attribute}"


def tornados(case: Case, model: str, rounds: int | None = None, limit: int = 15) -> dict[str, dict[str, Any]]:
    """Per issue: the base forecast and the bars (largest reach first), from one batched run."""
    from accord.scenarios.runner import RunSpec, run_prepared
    from accord.scenarios.sensitivity import DEFAULT_SPREAD, inputs_of
    from accord.scenarios.uncertainty import fill_problem

    inputs, layout = inputs_of(case)
    base = np.array([law.point for law in layout.laws], dtype=float)
    values = np.repeat(base[None, :], 1 + 2 * len(inputs), axis=0)
    for k, inp in enumerate(inputs):
        values[1 + 2 * k, inp.slot] = inp.low
        values[2 + 2 * k, inp.slot] = inp.high
    spec = RunSpec(case=case, model=model, rounds=rounds)
    _, trajectory, _ = run_prepared(spec, fill_problem(layout, values, case), np.random.default_rng(0))
    forecast = trajectory.forecast  # [1 + 2K, I]
    out = {}
    for j, issue in enumerate(case.issue_ids):
        bars = []
        for k, inp in enumerate(inputs):
            if inp.issue not in (issue, "all"):
                continue
            if inp.issue == "all" and case.stance(inp.actor).issues.get(issue) is None:
                continue
            lo, hi, b = float(forecast[1 + 2 * k, j]), float(forecast[2 + 2 * k, j]), float(forecast[0, j])
            bars.append(
                {
                    "actor": inp.actor,
                    "attribute": inp.attribute,
                    "low_value": inp.low,
                    "high_value": inp.high,
                    "documented_range": not inp.spread_default,
                    "at_low": lo,
                    "at_high": hi,
                    # the bar's reach from the base, whichever way each end pushes (both ends may push
                    # the same way)
                    "swing": max(lo, hi, b) - min(lo, hi, b),
                    "ref": _ref(inp.actor, inp.attribute, inp.issue),
                }
            )
        bars.sort(key=lambda bar: bar["swing"], reverse=True)
        out[issue] = {
            "issue": issue,
            "model": model,
            "base": float(forecast[0, j]),
            "bars": bars[:limit],
            "default_spread": dict(DEFAULT_SPREAD),  # the range of a bar without a documented one
        }
    return out


def tornado(
    case: Case, issue: str, model: str, rounds: int | None = None, seed: int = 0, limit: int = 15
) -> dict[str, Any]:
    """The tornado of one issue (see :func:`tornados`); ``seed`` is kept for callers, the runs are
    deterministic."""
    if issue not in case.issue_ids:
        raise EvidenceNotFound(f"no issue {issue!r} in this case")
    return tornados(case, model, rounds, limit)[issue]
