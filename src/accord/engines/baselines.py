"""One-shot models: the compromise model (weighted mean), the weighted median (median voter) and Nash.

The **compromise model** (Achen 2006; Thomson et al. 2006) forecasts each issue at the mean of the actors'
positions weighted by capability x salience. On the DEU III development file it is the most accurate model
Accord has (docs/models.md), so it is the default engine; the registry also accepts its older name ``mean``
as an alias (:data:`accord.engines.registry.ALIASES`).

They are one-shot models: nobody moves, so the trajectory repeats the input positions and the outcome is
the same every round. They serve as sanity checks for the dynamic engines and as models a user can pick.
Weights are capability x salience, per issue; an actor absent from an issue (``Problem.present``) has no
weight there, and an issue with no weight at all keeps its status quo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, cast

import numpy as np

from accord.engines.base import Problem, ProblemError, RoundHook, RoundState, Trajectory

__all__ = [
    "COMPROMISE",
    "MEDIAN",
    "NASH",
    "BaselineEngine",
    "BaselineParams",
    "NashParams",
    "nash_bargaining",
    "weighted_mean",
    "weighted_median",
]


def _weights(problem: Problem) -> np.ndarray:
    """Capability x salience, ``[D, A, I]``; zero where the actor is absent from the issue."""
    b = problem.batched()
    weights = problem.capability_per_issue() * b.salience
    if b.present is not None:
        weights = np.where(b.present, weights, 0.0)
    return cast(np.ndarray, weights)


def weighted_mean(positions: np.ndarray, weights: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """Weighted mean over actors (axis -2); where all weights are 0, the ``fallback`` (status quo)."""
    total = weights.sum(axis=-2)
    safe = np.where(total > 0, total, 1.0)
    mean = (positions * weights).sum(axis=-2) / safe
    return np.where(total > 0, mean, fallback)


def weighted_median(positions: np.ndarray, weights: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """Weighted median over actors (axis -2): the lowest position holding at least half the weight.

    It is the position of the median voter, the one a weighted majority cannot beat in a pairwise
    vote on a line. Where all weights are 0, the ``fallback`` (status quo).
    """
    order = np.argsort(positions, axis=-2, kind="stable")
    sorted_pos = np.take_along_axis(positions, order, axis=-2)
    sorted_w = np.take_along_axis(weights, order, axis=-2)
    cumulative = np.cumsum(sorted_w, axis=-2)
    total = cumulative[..., -1:, :]
    # tolerance so that exact halves (e.g. two equal actors) pick the lower one deterministically
    reached = cumulative >= 0.5 * total - 1e-12 * np.maximum(total, 1.0)
    reached &= cumulative > 0  # an actor without weight (absent, or no salience) never is the median
    index = np.argmax(reached, axis=-2)[..., None, :]
    median = np.take_along_axis(sorted_pos, index, axis=-2)[..., 0, :]
    return np.where(total[..., 0, :] > 0, median, fallback)


@dataclass(frozen=True)
class NashParams:
    """Grid resolution for the Nash product maximisation (points across the scale); rounds reported."""

    grid_points: int = 1001
    rounds: int = 1


def nash_bargaining(problem: Problem, params: NashParams | None = None) -> np.ndarray:
    """The Nash bargaining solution per issue, with the status quo as disagreement point.

    Actor i's utility for outcome x is ``-|x - x_i|`` (distance on the issue); its gain over disagreement is
    ``|sq - x_i| - |x - x_i|``. The solution maximises the weighted Nash product
    ``sum_i w_i log(gain_i)`` over outcomes where every actor with weight gains (weakly). Actors with zero
    weight drop out. If no outcome leaves all weighted actors strictly better off (someone sits at the status
    quo), the status quo is the solution. Returns ``[D, I]``.
    """
    params = params or NashParams()
    b = problem.batched()
    lo, hi = problem.scale
    grid = np.linspace(lo, hi, params.grid_points)  # [G]
    weights = _weights(problem)  # [D, A, I]
    pos = b.positions[..., None]  # [D, A, I, 1]
    sq = b.status_quo[:, None, :, None]  # [D, 1, I, 1]
    gain = np.abs(sq - pos) - np.abs(grid - pos)  # [D, A, I, G]
    active = weights[..., None] > 0
    feasible = np.all(~active | (gain > 0), axis=1)  # [D, I, G]
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(active, np.log(np.where(gain > 0, gain, 1.0)), 0.0)
    objective = np.where(feasible, (weights[..., None] * logs).sum(axis=1), -np.inf)  # [D, I, G]
    best = grid[np.argmax(objective, axis=-1)]
    any_feasible = feasible.any(axis=-1)
    has_weight = (weights > 0).any(axis=1)
    return np.where(any_feasible & has_weight, best, b.status_quo)


@dataclass(frozen=True)
class BaselineParams:
    """Parameters of the weighted mean and median: only how many (identical) rounds to report."""

    rounds: int = 1


Rule = Callable[[Problem, Any], np.ndarray]


class BaselineEngine:
    """A one-shot rule as an engine (``Engine`` protocol), with its parameters held."""

    def __init__(self, name: str, rule: Rule, params: BaselineParams | NashParams) -> None:
        self.name = name
        self._rule = rule
        self.params = params
        self.Params = type(params)

    def run(
        self,
        problem: Problem,
        params: BaselineParams | NashParams | None = None,
        rounds: int | None = None,
        rng: np.random.Generator | None = None,
        on_round: RoundHook | None = None,
    ) -> Trajectory:
        """Apply the rule; a round hook may change inputs between rounds and the rule is re-applied."""
        params = params or self.params
        rounds = params.rounds if rounds is None else rounds
        if isinstance(rounds, bool) or not isinstance(rounds, int | np.integer) or rounds < 0:
            raise ProblemError(f"rounds must be a non-negative integer, got {rounds!r}")
        b = problem.batched()
        positions, salience, capability = b.positions, b.salience, b.capability_per_issue()
        pos_hist, out_hist = [], []
        for k in range(rounds + 1):
            current = Problem(
                positions,
                salience,
                capability,
                b.status_quo,
                problem.actors,
                problem.issues,
                problem.scale,
                b.present,
            )
            outcome = self._rule(current, params)
            pos_hist.append(positions)
            out_hist.append(outcome)
            if on_round is not None and k < rounds:
                state = on_round(
                    RoundState(k + 1, positions.copy(), salience.copy(), capability.copy(), outcome.copy())
                )
                if state is not None:
                    positions, salience, capability = state.positions, state.salience, state.capability
        return Trajectory(
            positions=np.stack(pos_hist, axis=1),
            outcome=np.stack(out_hist, axis=1),
            engine=self.name,
            params={**asdict(params), "rounds": rounds},
        )


def _compromise_rule(problem: Problem, params: object | None) -> np.ndarray:
    b = problem.batched()
    return weighted_mean(b.positions, _weights(problem), b.status_quo)


def _median_rule(problem: Problem, params: object | None) -> np.ndarray:
    b = problem.batched()
    return weighted_median(b.positions, _weights(problem), b.status_quo)


def _nash_rule(problem: Problem, params: object | None) -> np.ndarray:
    return nash_bargaining(problem, params if isinstance(params, NashParams) else None)


COMPROMISE = BaselineEngine("compromise", _compromise_rule, BaselineParams())
MEDIAN = BaselineEngine("median", _median_rule, BaselineParams())
NASH = BaselineEngine("nash", _nash_rule, NashParams())
