"""The status-quo reading and the convergence report agree with the movement they summarise."""

from __future__ import annotations

import numpy as np
import pytest

from accord.engines.base import Problem, Trajectory
from accord.engines.convergence import convergence, status_quo_held
from accord.engines.registry import run_problem
from accord.engines.testing import random_problem


def _trajectory(path: list[list[float]], turns: list[int] | None = None) -> Trajectory:
    out = np.array(path, dtype=float)  # [D, R+1] one issue
    diagnostics = {} if turns is None else {"turns": np.array(turns)}
    return Trajectory(
        positions=np.zeros(out.shape + (1, 1)), outcome=out[:, :, None], diagnostics=diagnostics
    )


def test_held_exactly_when_the_forecast_ends_near_the_status_quo() -> None:
    forecast = np.array([[90.0, 50.0], [75.0, 51.9], [88.1, 52.1]])
    sq = np.array([[90.0, 50.0]] * 3)
    held = status_quo_held(forecast, sq)
    assert held.tolist() == [[True, True], [False, True], [True, False]]
    # on another scale the tolerance is the same share of it
    assert status_quo_held(forecast / 100, sq / 100, (0.0, 1.0)).tolist() == held.tolist()
    with pytest.raises(ValueError):
        status_quo_held(forecast, sq, tol=1.5)


def test_a_run_in_which_nobody_moves_holds_and_converges() -> None:
    p = random_problem(1, 5, 2)
    still = Problem(np.repeat(p.status_quo[None], 5, axis=0), p.salience, p.capability, p.status_quo)
    for model in ("eum", "smp", "mean", "median"):
        traj = run_problem(still, model, rounds=6)
        assert status_quo_held(traj.forecast, still.batched().status_quo).all(), model
        assert convergence(traj).converged.all(), model


@pytest.mark.parametrize("seed", range(8))
def test_the_share_held_cannot_contradict_the_median_movement(seed: int) -> None:
    """If most draws 'hold', the median distance from forecast to status quo is within the tolerance;
    if the median forecast moved further than that, fewer than half of the draws hold."""
    p = random_problem(seed, 6, 2, draws=25)
    for model in ("eum", "smp", "median"):
        traj = run_problem(p, model, rounds=8)
        sq = p.status_quo
        held = status_quo_held(traj.forecast, sq)
        moved = np.median(np.abs(traj.forecast - sq), axis=0)
        for i in range(2):
            if held[:, i].mean() > 0.5:
                assert moved[i] <= 2.0 + 1e-9
            if moved[i] > 2.0:
                assert held[:, i].mean() <= 0.5


def test_an_oscillating_engine_is_reported_as_not_converged() -> None:
    swing = _trajectory([[50, 5, 90, 5, 90], [50, 60, 61, 61, 61]])
    c = convergence(swing)
    assert c.converged.tolist() == [False, True]
    assert c.last_swing[0] == pytest.approx(85.0)
    assert c.settled_round[:, 0].tolist() == [4, 1]  # draw 1 is within 2 points of its final 61 from round 1
    assert c.share == 0.5


def test_an_engine_that_stopped_by_its_own_rule_has_converged() -> None:
    stopped = _trajectory([[50, 40, 30, 30, 30]], turns=[2])
    assert convergence(stopped).converged.all()
    capped = _trajectory([[50, 40, 30, 20, 10]], turns=[4])
    assert not convergence(capped).converged.any()


def test_smp_on_ktab_converges_and_a_cut_short_run_does_not() -> None:
    p = random_problem(3, 12, 3)
    full = run_problem(p, "smp")
    assert convergence(full).converged.all() and int(full.diagnostics["turns"][0]) < 100
    first = run_problem(p, "smp", rounds=1)
    moved = np.abs(first.outcome[0, 1] - first.outcome[0, 0]).max()
    assert convergence(first).converged[0] == (moved <= 2.0)
