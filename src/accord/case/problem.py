"""From a case to engine arrays: the point-estimate :class:`~accord.engines.base.Problem`.

Rows are the actors that hold stances (case order), columns the issues (case order). An actor without a
stance on some issue gets salience 0 there and sits at the status quo, so it neither pulls nor votes.
Capability is per actor, or per actor and issue when any stance gives a per-issue capability.
"""

from __future__ import annotations

import numpy as np

from accord.case.model import Case, Quantity
from accord.engines.base import Problem, ProblemError

__all__ = ["case_to_problem", "quantity_grid"]


def quantity_grid(case: Case) -> dict[str, list[list[Quantity | None]]]:
    """The quantities behind each array cell: ``position``/``salience``/``capability`` -> [actor][issue]."""
    if not case.bargaining_actor_ids:  # a valid case (an extraction draft, say) that no model can run yet
        raise ProblemError(f"case {case.id!r} has no stances, so no model can run on it: add a stance (actor, "
                         "capability, issues) for each actor that bargains")
    grid: dict[str, list[list[Quantity | None]]] = {"position": [], "salience": [], "capability": []}
    for actor in case.bargaining_actor_ids:
        stance = case.stance(actor)
        rows = {key: [] for key in grid}
        for issue in case.issue_ids:
            s = stance.issues.get(issue)
            rows["position"].append(s.position if s else None)
            rows["salience"].append(s.salience if s else None)
            rows["capability"].append(s.capability if s and s.capability else stance.capability)
        for key in grid:
            grid[key].append(rows[key])
    return grid


def case_to_problem(case: Case) -> Problem:
    """Point estimates (the mean of each quantity's estimates) as an unbatched problem."""
    status_quo = np.array([issue.status_quo.point for issue in case.issues])
    grid = quantity_grid(case)
    positions = np.array(
        [[q.point if q else status_quo[j] for j, q in enumerate(row)] for row in grid["position"]], dtype=float
    )
    salience = np.array([[q.point if q else 0.0 for q in row] for row in grid["salience"]], dtype=float)
    capability = np.array([[q.point for q in row] for row in grid["capability"]], dtype=float)
    if np.allclose(capability, capability[:, :1]):
        capability = capability[:, 0]
    return Problem(
        positions=positions,
        salience=salience,
        capability=capability,
        status_quo=status_quo,
        actors=case.bargaining_actor_ids,
        issues=case.issue_ids,
    )
