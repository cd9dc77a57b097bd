"""Every registered engine passes the engine contract (accord.engines.testing)."""

from __future__ import annotations

import numpy as np
import pytest

from accord.engines.base import Problem, Trajectory
from accord.engines.registry import ENGINES, get_engine
from accord.engines.testing import CHECKS, check_engine


@pytest.mark.parametrize("check", sorted(CHECKS))
@pytest.mark.parametrize("model", sorted(ENGINES))
def test_registered_engine_passes_the_contract(model: str, check: str) -> None:
    check_engine(get_engine(model), [check])


class _Broken:
    """An engine that reads absent cells and ignores hooks: the battery must catch it."""

    name = "broken"

    def run(self, problem: Problem, params=None, rounds=None, rng=None, on_round=None) -> Trajectory:  # noqa: ANN001
        b = problem.batched()
        n = 3 if rounds is None else rounds
        pos = np.repeat(b.positions[:, None], n + 1, axis=1)
        out = np.repeat(b.positions.mean(axis=1)[:, None], n + 1, axis=1)
        return Trajectory(positions=pos, outcome=out, engine="broken")


@pytest.mark.parametrize(("check", "message"), [("missing_positions", "mask"), ("degenerate_inputs", None)])
def test_the_battery_catches_a_broken_engine(check: str, message: str | None) -> None:
    if message is None:  # the plain mean has no NaN on these inputs: it passes this one honestly
        check_engine(_Broken(), [check])
        return
    with pytest.raises(AssertionError, match="broken.*missing_positions"):
        check_engine(_Broken(), [check])


@pytest.mark.parametrize("model", sorted(ENGINES))
def test_parameters_are_one_frozen_object_with_the_default_rounds(model: str) -> None:
    import dataclasses

    from accord.engines.registry import DEFAULT_ROUNDS

    engine = get_engine(model)
    assert dataclasses.is_dataclass(engine.params) and engine.params.__dataclass_params__.frozen
    assert engine.params.rounds == DEFAULT_ROUNDS[model]
    with pytest.raises(dataclasses.FrozenInstanceError):
        engine.params.rounds = 3  # type: ignore[misc]


def test_smp_takes_capability_per_issue() -> None:
    """One capability per actor (the same on every issue) is exactly the per-actor run; a differing one
    weighs each issue by the actor's salience."""
    from accord.engines.smp import actor_capability, run
    from accord.engines.testing import random_problem

    p = random_problem(3, 5, 3)
    same = Problem(p.positions, p.salience, np.repeat(p.capability[:, None], 3, axis=1), p.status_quo)
    np.testing.assert_array_equal(run(same, rounds=4).positions, run(p, rounds=4).positions)
    cap = np.array([[[1.0, 0.0]], [[0.5, 0.5]]])  # [D=2, A=1, I=2]
    sal = np.array([[[0.75, 0.25]], [[0.1, 0.2]]])
    np.testing.assert_allclose(actor_capability(cap, sal), [[0.75], [0.5]])
    differing = Problem(p.positions, p.salience, p.capability[:, None] * [1.0, 0.5, 0.2], p.status_quo)
    assert np.all(np.isfinite(run(differing, rounds=4).outcome))
