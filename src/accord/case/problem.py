"""From a case to engine arrays: the point-estimate :class:`~accord.engines.base.Problem`.

Rows are the actors at the table (case order), columns the issues (case order). An actor whose texts state
no view on an issue holds no stance there: ``Problem.present`` is False for that cell, so the engines leave
it out of that issue (its position is filled with the status quo and its salience with 0 only so the
arrays stay rectangular). Capability is per actor, or per actor and issue when any stance gives a
per-issue capability (military power on territory is not diplomatic weight on the mediation format).

Two rules of the case shape the problem before any engine sees it:

* **consent** (:func:`apply_consent`): on an issue whose outcome needs some actors' consent, positions are
  kept inside the interval every consenting actor prefers to the status quo;
* **carry-overs** (:func:`without_carry_overs`): readings from before the case's period can be dropped, so a
  user sees what the case's own moment alone says.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from accord.case.model import Case, Quantity
from accord.engines.base import Problem, ProblemError

__all__ = [
    "apply_consent",
    "case_to_problem",
    "consent_bounds",
    "present_mask",
    "quantity_grid",
    "without_carry_overs",
]


def quantity_grid(case: Case) -> dict[str, list[list[Quantity | None]]]:
    """The quantities behind each array cell: ``position``/``salience``/``capability`` -> [actor][issue]."""
    if not case.bargaining_actor_ids:  # a valid case (an extraction draft, say) that no model can run yet
        raise ProblemError(
            f"case {case.id!r} has no stances, so no model can run on it: add a stance (actor, "
            "capability, issues) for each actor that bargains"
        )
    grid: dict[str, list[list[Quantity | None]]] = {"position": [], "salience": [], "capability": []}
    for actor in case.bargaining_actor_ids:
        stance = case.stance(actor)
        rows: dict[str, list[Quantity | None]] = {key: [] for key in grid}
        for issue in case.issue_ids:
            s = stance.issues.get(issue)
            rows["position"].append(s.position if s else None)
            rows["salience"].append(s.salience if s else None)
            rows["capability"].append(s.capability if s and s.capability else stance.capability)
        for key in grid:
            grid[key].append(rows[key])
    return grid


def present_mask(case: Case) -> np.ndarray:
    """``[A, I]`` bool: True where the actor holds a stance on the issue."""
    return np.array([[q is not None for q in row] for row in quantity_grid(case)["position"]], dtype=bool)


def consent_bounds(case: Case) -> dict[int, tuple[float, float]]:
    """Feasible ``(low, high)`` per issue index whose outcome needs consent (veto rule, point estimates).

    A consenting actor at ``v`` accepts an outcome ``x`` only if ``|x - v| <= |q - v|`` (``q`` the status
    quo): the interval ``[min(q, 2v - q), max(q, 2v - q)]``. The feasible set is the intersection, which
    always holds ``q``. A consenting actor with no stance on the issue states no refusal and sets no bound.
    """
    bounds: dict[int, tuple[float, float]] = {}
    for j, issue in enumerate(case.issues):
        if issue.consent is None:
            continue
        q = issue.status_quo.point
        low, high = 0.0, 100.0
        for actor in issue.consent.actors:
            stance = next((s for s in case.stances if s.actor == actor), None)
            cell = stance.issues.get(issue.id) if stance else None
            if cell is None:
                continue
            v = cell.position.point
            low, high = max(low, min(q, 2 * v - q)), min(high, max(q, 2 * v - q))
        bounds[j] = (low, high)
    return bounds


def apply_consent(problem: Problem, case: Case) -> Problem:
    """The problem with positions on consent issues clipped to the feasible interval (batched or not).

    An actor cannot bargain for an outcome that a veto player would block, so its effective position is the
    nearest outcome that could be implemented; the engines then forecast inside the feasible set. Bounds are
    computed draw by draw from the problem's own status quo and positions (a consenting actor at the table);
    a veto-only actor (``takes_part: veto``) uses its point position.
    """
    consent = [(j, issue.consent.actors) for j, issue in enumerate(case.issues) if issue.consent is not None]
    if not consent:
        return problem
    b = problem.batched()
    present = b.present_mask()
    positions = np.array(b.positions, dtype=float, copy=True)  # [D, A, I]
    for j, actors in consent:
        q = b.status_quo[:, j]  # [D]
        low, high = np.full_like(q, problem.scale[0]), np.full_like(q, problem.scale[1])
        for actor in actors:
            v = _consenting_position(b, present, case, actor, j)
            if v is None:
                continue
            low, high = np.maximum(low, np.minimum(q, 2 * v - q)), np.minimum(high, np.maximum(q, 2 * v - q))
        positions[:, :, j] = np.clip(positions[:, :, j], low[:, None], high[:, None])
    if not problem.is_batched:
        positions = positions[0]
    return replace(problem, positions=positions)


def _consenting_position(
    b: Problem, present: np.ndarray, case: Case, actor: str, j: int
) -> np.ndarray | None:
    """``[D]`` position of a consenting actor on issue ``j``, or None where it states no view."""
    if actor in b.actors:
        a = b.actors.index(actor)
        if not present[:, a, j].all():
            return None
        return b.positions[:, a, j]
    stance = next((s for s in case.stances if s.actor == actor), None)
    cell = stance.issues.get(case.issue_ids[j]) if stance else None
    if cell is None:
        return None
    return np.full(b.positions.shape[0], cell.position.point)


def without_carry_overs(case: Case) -> Case:
    """The case with every ``carry_over`` reading removed; a number left with no reading goes too.

    A stance cell whose position or salience rested only on carry-overs becomes absent; a capability or
    status quo resting only on them is kept (the arrays need one) and reported by ``accord case show``.
    """
    data = case.model_dump(by_alias=True, exclude_none=True)

    def strip(q: dict) -> dict | None:
        if "estimates" in q:
            kept = [e for e in q["estimates"] if not e.get("carry_over")]
            return {**q, "estimates": kept} if kept else None
        return None if q.get("carry_over") else q

    for issue in data["issues"]:
        issue["status_quo"] = strip(issue["status_quo"]) or issue["status_quo"]
    stances = []
    for stance in data.get("stances", []):
        stance["capability"] = strip(stance["capability"]) or stance["capability"]
        cells = {}
        for issue_id, cell in stance["issues"].items():
            position, salience = strip(cell["position"]), strip(cell["salience"])
            if position is None or salience is None:
                continue
            cells[issue_id] = {**cell, "position": position, "salience": salience}
            if "capability" in cell:
                cap = strip(cell["capability"])
                cells[issue_id]["capability"] = cap if cap is not None else stance["capability"]
        if cells:
            stances.append({**stance, "issues": cells})
    data["stances"] = stances
    return Case.model_validate(data)


def case_to_problem(case: Case, consent: bool = True, carry_overs: bool = True) -> Problem:
    """Point estimates (the mean of each quantity's estimates) as an unbatched problem.

    ``consent=False`` ignores the consent rules; ``carry_overs=False`` drops carry-over readings first.
    """
    if not carry_overs:
        case = without_carry_overs(case)
    status_quo = np.array([issue.status_quo.point for issue in case.issues])
    grid = quantity_grid(case)
    positions = np.array(
        [[q.point if q else status_quo[j] for j, q in enumerate(row)] for row in grid["position"]],
        dtype=float,
    )
    salience = np.array([[q.point if q else 0.0 for q in row] for row in grid["salience"]], dtype=float)
    capability = np.array([[q.point for q in row] for row in grid["capability"]], dtype=float)
    if np.allclose(capability, capability[:, :1]):
        capability = capability[:, 0]
    problem = _make(positions, salience, capability, status_quo, case, present_mask(case))
    return apply_consent(problem, case) if consent else problem


def _make(
    positions: np.ndarray,
    salience: np.ndarray,
    capability: np.ndarray,
    status_quo: np.ndarray,
    case: Case,
    present: np.ndarray,
) -> Problem:
    return Problem(
        positions=positions,
        salience=salience,
        capability=capability,
        status_quo=status_quo,
        actors=case.bargaining_actor_ids,
        issues=case.issue_ids,
        present=None if present.all() else present,
    )
