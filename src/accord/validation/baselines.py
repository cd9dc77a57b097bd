"""One-shot baselines of the literature that the engine registry does not hold (pure array functions).

Every function takes an unbatched :class:`~accord.engines.base.Problem` and returns one value per issue
(``[I]``). None of them moves actors; they are the yardsticks an engine must beat.

- :func:`compromise`: the *compromise model* (Achen 2006; Thomson et al. 2006): the mean of the
  positions weighted by capability x salience. The registry's ``mean`` is the same arithmetic; the name
  used in the literature and in every table here is ``compromise``.
- :func:`salience_nash`: the salience-weighted (asymmetric) Nash bargaining solution in the spirit of
  Schneider, Finke & Bailer (2010): maximise ``sum_i s_i log(|d - x_i| - |x - x_i|)`` with the reference
  point ``d`` as disagreement, over the outcomes no actor with salience loses by; exponents are salience
  alone (their "saliency" model, without capability), utilities linear in distance.
- :func:`reference_point`: nothing changes (the status quo).
- :func:`midpoint`: the middle of the range the actors' positions span.
"""

from __future__ import annotations

import numpy as np

from accord.engines.base import Problem
from accord.engines.baselines import weighted_mean

__all__ = ["compromise", "salience_nash", "reference_point", "midpoint", "weighted_spread"]


def _weights(problem: Problem) -> np.ndarray:
    cap = problem.capability if problem.capability.ndim == 2 else problem.capability[:, None]
    return cap * problem.salience


def compromise(problem: Problem) -> np.ndarray:
    """Capability x salience weighted mean of the positions; the status quo where all weights are 0."""
    return weighted_mean(problem.positions, _weights(problem), problem.status_quo)


def weighted_spread(problem: Problem) -> np.ndarray:
    """Weighted standard deviation of the positions around the compromise, ``[I]`` (0 if no weight)."""
    w = _weights(problem)
    total = w.sum(axis=0)
    safe = np.where(total > 0, total, 1.0)
    mean = compromise(problem)
    var = (w * (problem.positions - mean) ** 2).sum(axis=0) / safe
    return np.sqrt(np.where(total > 0, var, 0.0))


def salience_nash(problem: Problem, grid_points: int = 1001) -> np.ndarray:
    """Salience-weighted Nash bargaining solution per issue (see the module docstring)."""
    lo, hi = problem.scale
    grid = np.linspace(lo, hi, grid_points)  # [G]
    x = problem.positions[..., None]  # [A, I, 1]
    s = problem.salience[..., None]
    d = problem.status_quo[None, :, None]
    gain = np.abs(d - x) - np.abs(grid - x)  # [A, I, G]
    active = s > 0
    feasible = np.all(~active | (gain > 0), axis=0)  # [I, G]
    logs = np.where(active, np.log(np.where(gain > 0, gain, 1.0)), 0.0)
    objective = np.where(feasible, (s * logs).sum(axis=0), -np.inf)
    best = grid[np.argmax(objective, axis=-1)]
    ok = feasible.any(axis=-1) & active.any(axis=0)[:, 0]
    return np.where(ok, best, problem.status_quo)


def reference_point(problem: Problem) -> np.ndarray:
    """The status quo: the forecast that nothing changes."""
    return problem.status_quo.copy()


def midpoint(problem: Problem) -> np.ndarray:
    """Half-way between the lowest and the highest position."""
    return 0.5 * (problem.positions.min(axis=0) + problem.positions.max(axis=0))
