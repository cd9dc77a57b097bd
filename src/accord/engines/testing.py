"""The engine contract as a battery of checks, after scikit-learn's ``check_estimator``.

``check_engine(engine)`` runs every check on small random problems and raises ``AssertionError`` naming
the check that failed. Every engine in :data:`accord.engines.registry.ENGINES` passes it (the test suite
runs it over the registry), and a new engine should too before it is registered. The checks:

- **shapes**: a ``[D, R+1, A, I]`` positions and ``[D, R+1, I]`` outcome trajectory, unbatched problems
  given a draws axis of 1, round 0 equal to the input, the engine's name on the trajectory;
- **seeds**: the same seed gives the same arrays (bit for bit), for every engine, stochastic or not;
- **batches**: draws run together equal the same draws run one at a time;
- **actor permutation**: relabelling the actors relabels the positions and leaves the outcome alone;
- **missing positions**: an absent (actor, issue) is unread (another placeholder number changes
  nothing) and unchanged, an issue nobody holds keeps its status quo, an all-present mask equals none;
- **degenerate inputs**: one actor, everyone at one position, zero salience or capability everywhere,
  positions at the scale's ends: finite results, never NaN;
- **hooks**: a hook returning ``None`` or its own input changes nothing; a hook that changes an input
  after round ``k`` leaves rounds ``0..k`` exactly as without it.

The checks are deliberately generic: they hold for any sensible bargaining model, not only ours.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from accord.engines.base import Engine, Problem, RoundState, Trajectory

__all__ = ["CHECKS", "check_engine", "random_problem"]

_ROUNDS = 5


def random_problem(seed: int, n_actors: int = 6, n_issues: int = 3, draws: int | None = None) -> Problem:
    """A random problem every engine accepts (saliences of an actor sum to at most 1, as the SMP needs)."""
    rng = np.random.default_rng(seed)
    lead = () if draws is None else (draws,)
    shape = lead + (n_actors, n_issues)
    salience = rng.uniform(0.05, 1.0, shape)
    salience /= np.maximum(salience.sum(axis=-1, keepdims=True), 1.0)
    return Problem(
        positions=np.round(rng.uniform(0.0, 100.0, shape), 2),
        salience=salience,
        capability=rng.uniform(0.1, 1.0, lead + (n_actors,)),
        status_quo=rng.uniform(0.0, 100.0, lead + (n_issues,)),
    )


def _run(engine: Engine, problem: Problem, seed: int = 0, on_round: Any = None) -> Trajectory:
    return engine.run(problem, None, _ROUNDS, np.random.default_rng(seed), on_round)


def _equal(a: np.ndarray, b: np.ndarray, what: str) -> None:
    if not np.array_equal(a, b):
        diff = np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float))
        raise AssertionError(f"{what}: arrays differ (max |difference| {np.nanmax(diff):.3g})")


def check_shapes(engine: Engine) -> None:
    for draws in (None, 3):
        p = random_problem(1, 5, 2, draws)
        t = _run(engine, p)
        d = 1 if draws is None else draws
        assert t.positions.shape == (d, _ROUNDS + 1, 5, 2), f"positions shape {t.positions.shape}"
        assert t.outcome.shape == (d, _ROUNDS + 1, 2), f"outcome shape {t.outcome.shape}"
        assert t.n_rounds == _ROUNDS and t.forecast.shape == (d, 2)
        np.testing.assert_allclose(  # engines working on another scale may round-trip in the last bit
            t.positions[:, 0], p.batched().positions, rtol=0, atol=1e-9, err_msg="round 0 is not the input"
        )
        assert t.engine == engine.name, f"trajectory names engine {t.engine!r}, not {engine.name!r}"


def check_seeds(engine: Engine) -> None:
    p = random_problem(2, 6, 2, 4)
    a, b = _run(engine, p, seed=11), _run(engine, p, seed=11)
    _equal(a.positions, b.positions, "same seed, different positions")
    _equal(a.outcome, b.outcome, "same seed, different outcome")


def check_batches(engine: Engine) -> None:
    p = random_problem(3, 6, 2, 3)
    together = _run(engine, p)
    for d in range(3):
        alone = _run(engine, p.take(slice(d, d + 1)))
        _equal(together.positions[d], alone.positions[0], f"draw {d} run alone differs from the batch")
        _equal(together.outcome[d], alone.outcome[0], f"draw {d} outcome run alone differs")


def check_actor_permutation(engine: Engine) -> None:
    p = random_problem(4, 7, 2)
    perm = np.random.default_rng(4).permutation(7)
    q = Problem(p.positions[perm], p.salience[perm], p.capability[perm], p.status_quo)
    a, b = _run(engine, p), _run(engine, q)
    np.testing.assert_allclose(
        b.outcome, a.outcome, rtol=0, atol=1e-9, err_msg="permuted actors: outcome moved"
    )
    np.testing.assert_allclose(
        b.positions,
        a.positions[:, :, perm],
        rtol=0,
        atol=1e-9,
        err_msg="permuted actors: positions not permuted",
    )


def _with_absent(seed: int) -> Problem:
    p = random_problem(seed, 6, 3, 2)
    present = np.random.default_rng(seed).random(p.positions.shape) > 0.3
    present[:, 0, :] = True
    present[:, :, -1] = False  # nobody holds the last issue
    return dataclasses.replace(p, present=present)


def check_missing_positions(engine: Engine) -> None:
    p = random_problem(5, 6, 2, 2)
    _equal(
        _run(engine, dataclasses.replace(p, present=np.ones(p.positions.shape, dtype=bool))).outcome,
        _run(engine, p).outcome,
        "an all-present mask changes the outcome",
    )
    p = _with_absent(6)
    assert p.present is not None
    t = _run(engine, p)
    absent = np.broadcast_to(~p.present[:, None], t.positions.shape)
    _equal(
        t.positions[absent],
        np.broadcast_to(p.positions[:, None], t.positions.shape)[absent],
        "absent cells moved",
    )
    _equal(
        t.outcome[:, :, -1], np.broadcast_to(p.status_quo[:, None, -1], t.outcome.shape[:2]), "empty issue"
    )
    other = dataclasses.replace(p, positions=np.where(p.present, p.positions, 100.0 - p.positions))
    _equal(_run(engine, other).outcome, t.outcome, "the number in an absent cell was read")


def _degenerate(problem: Problem) -> list[tuple[str, Problem]]:
    n, i = problem.positions.shape
    p = problem
    one = Problem(p.positions[:1], p.salience[:1], p.capability[:1], p.status_quo)
    same = dataclasses.replace(p, positions=np.full((n, i), 40.0))
    ends = dataclasses.replace(p, positions=np.where(p.positions > 50, 100.0, 0.0))
    return [
        ("one actor", one),
        ("everyone at one position", same),
        ("zero salience", dataclasses.replace(p, salience=np.zeros((n, i)))),
        ("zero capability", dataclasses.replace(p, capability=np.zeros(n))),
        ("positions at the scale ends", ends),
        ("two actors", Problem(p.positions[:2], p.salience[:2], p.capability[:2], p.status_quo)),
    ]


def check_degenerate_inputs(engine: Engine) -> None:
    for label, problem in _degenerate(random_problem(7, 5, 2)):
        t = _run(engine, problem)
        assert np.all(np.isfinite(t.positions)), f"{label}: non-finite positions"
        assert np.all(np.isfinite(t.outcome)), f"{label}: non-finite outcome"


def check_hooks(engine: Engine) -> None:
    p = random_problem(8, 6, 2, 2)
    plain = _run(engine, p)
    for label, hook in (("returns None", lambda s: None), ("returns its input", lambda s: s)):
        t = _run(engine, p, on_round=hook)
        _equal(t.positions, plain.positions, f"a hook that {label} changed positions")
        _equal(t.outcome, plain.outcome, f"a hook that {label} changed the outcome")
    k = 2

    def mute(state: RoundState) -> RoundState | None:
        if state.round != k:
            return None
        salience = np.array(state.salience, copy=True)
        salience[:, 0, :] = 0.0
        positions = np.array(state.positions, copy=True)
        positions[:, 1, :] = 100.0 - positions[:, 1, :]
        return dataclasses.replace(state, positions=positions, salience=salience)

    t = _run(engine, p, on_round=mute)
    _equal(t.outcome[:, :k], plain.outcome[:, :k], "a hook after round 2 changed an earlier outcome")
    _equal(t.positions[:, :k], plain.positions[:, :k], "a hook after round 2 changed earlier positions")


CHECKS: dict[str, Callable[[Engine], None]] = {
    "shapes": check_shapes,
    "seeds": check_seeds,
    "batches": check_batches,
    "actor_permutation": check_actor_permutation,
    "missing_positions": check_missing_positions,
    "degenerate_inputs": check_degenerate_inputs,
    "hooks": check_hooks,
}


def check_engine(engine: Engine, checks: list[str] | None = None) -> None:
    """Run the contract's checks (all by default) on ``engine``; an ``AssertionError`` names the failure."""
    for name in checks or list(CHECKS):
        try:
            CHECKS[name](engine)
        except AssertionError as exc:
            raise AssertionError(f"engine {engine.name!r} fails check {name!r}: {exc}") from exc
