"""Per-issue features of a bargaining problem, the inputs of the fitted forecaster.

Every feature is computed from one issue's column of a :class:`~accord.engines.base.Problem`, so the
same function serves a DEU issue and any issue of any case. Actors with salience 0 on the issue take no
part in it (for a case, those are the actors without a stance there). The EU features exist only when
the problem has actors named ``com`` (the Commission) and ``ep`` (the Parliament); elsewhere they are
absent and the forecaster falls back to a model fitted without them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.engines.base import Problem
from accord.engines.baselines import weighted_median
from accord.engines.registry import run_problem
from accord.validation.baselines import compromise, midpoint, weighted_spread

__all__ = ["GENERIC", "EU", "issue_column", "issue_features", "is_dichotomous", "has_eu_actors"]

GENERIC = ("compromise", "median", "smp", "status_quo", "sq_missing", "dichotomous", "spread", "midpoint")
EU = ("commission", "parliament", "council")
INSTITUTIONS = ("com", "ep")


def issue_column(problem: Problem, j: int) -> Problem:
    """Issue ``j`` of an unbatched problem as a one-issue problem of the actors with salience > 0 on it."""
    if problem.is_batched:
        raise ValueError("features need an unbatched problem (one point estimate per input)")
    sal = problem.salience[:, j]
    keep = sal > 0 if (sal > 0).any() else np.ones_like(sal, dtype=bool)
    cap = problem.capability[:, j] if problem.capability.ndim == 2 else problem.capability
    return Problem(
        positions=problem.positions[keep, j : j + 1],
        salience=sal[keep, None],
        capability=cap[keep],
        status_quo=problem.status_quo[j : j + 1],
        actors=tuple(a for a, k in zip(problem.actors, keep, strict=True) if k) if problem.actors else (),
        issues=problem.issues[j : j + 1] if problem.issues else (),
        scale=problem.scale,
    )


def is_dichotomous(one: Problem, has_status_quo: bool = True) -> bool:
    """Every position (and the status quo, if known) at one end of the scale: a yes/no issue."""
    lo, hi = one.scale
    values = one.positions[:, 0]
    if has_status_quo:
        values = np.append(values, one.status_quo[0])
    return bool(np.all(np.isclose(values, lo) | np.isclose(values, hi)))


def has_eu_actors(one: Problem) -> bool:
    return all(a in one.actors for a in INSTITUTIONS)


def _eu(one: Problem, fallback: float) -> dict[str, float]:
    actors = list(one.actors)
    x, s = one.positions[:, 0], one.salience[:, 0]
    states = [k for k, a in enumerate(actors) if a not in INSTITUTIONS]
    council = float(np.average(x[states], weights=s[states])) if states and s[states].sum() > 0 else fallback
    return {
        "commission": float(x[actors.index("com")]),
        "parliament": float(x[actors.index("ep")]),
        "council": council,
    }


def _actor_arrays(one: Problem) -> dict[str, Any]:
    roles = (
        [1 if a == "com" else 2 if a == "ep" else 0 for a in one.actors] if one.actors else [0] * one.n_actors
    )
    return {
        "_x": one.positions[:, 0].tolist(),
        "_s": one.salience[:, 0].tolist(),
        "_c": np.broadcast_to(one.capability, (one.n_actors,)).tolist(),
        "_role": roles,
    }


def issue_features(
    one: Problem, has_status_quo: bool = True, smp: float | None = None, procedure: str | None = None
) -> dict[str, Any]:
    """The features of a one-issue problem (see :data:`GENERIC` and :data:`EU`).

    ``smp`` passes an SMP forecast already computed for this problem (the backtest runs the SMP anyway;
    NaN: not needed); otherwise it is run here. ``procedure`` is the EU procedure (``COD`` codecision)
    where known. The actors' own numbers ride along under ``_x``, ``_s``, ``_c``, ``_role`` for the
    re-weighted compromise models (:mod:`accord.validation.weighted`). Where the status quo is unknown
    its feature is the compromise and ``sq_missing`` is 1. EU features appear only when the Commission
    and the Parliament are actors.
    """
    w = one.capability * one.salience[:, 0]
    comp = float(compromise(one)[0])
    med = float(weighted_median(one.positions, w[:, None], one.status_quo)[0])
    if smp is None:
        smp = float(run_problem(one, "smp").forecast[0, 0])
    feats = {
        "compromise": comp,
        "median": med,
        "smp": float(smp),
        "status_quo": float(one.status_quo[0]) if has_status_quo else comp,
        "sq_missing": 0.0 if has_status_quo else 1.0,
        "dichotomous": 1.0 if is_dichotomous(one, has_status_quo) else 0.0,
        "spread": float(weighted_spread(one)[0]),
        "midpoint": float(midpoint(one)[0]),
    }
    if has_eu_actors(one):
        feats.update(_eu(one, comp))
    feats["procedure"] = -1.0 if not procedure else 1.0 if procedure.upper() == "COD" else 0.0
    feats.update(_actor_arrays(one))
    return feats
