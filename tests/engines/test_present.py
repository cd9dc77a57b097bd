"""Missing positions (``Problem.present``): every engine leaves an absent (actor, issue) out of that issue."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from accord.engines.base import Problem, ProblemError
from accord.engines.registry import ENGINES, get_engine

ALL_ENGINES = sorted(ENGINES)


def random_problem(seed: int, n_actors: int = 7, n_issues: int = 3, draws: int | None = None) -> Problem:
    rng = np.random.default_rng(seed)
    lead = () if draws is None else (draws,)
    shape = lead + (n_actors, n_issues)
    salience = rng.uniform(0.05, 1.0, shape)
    salience /= np.maximum(salience.sum(axis=-1, keepdims=True), 1.0)  # the SMP needs sums <= 1
    return Problem(
        positions=np.round(rng.uniform(0, 100, shape), 1),
        salience=salience,
        capability=rng.uniform(0.1, 1.0, lead + (n_actors,)),
        status_quo=rng.uniform(0, 100, lead + (n_issues,)),
    )


def _run(model: str, problem: Problem, seed: int = 3):
    return get_engine(model).run(
        problem, None, 6 if model in ("eum", "smp") else 1, np.random.default_rng(seed), None
    )


def test_mask_is_validated() -> None:
    p = random_problem(0)
    with pytest.raises(ProblemError, match="present shape"):
        dataclasses.replace(p, present=np.ones((3, 3), dtype=bool))
    with pytest.raises(ProblemError, match="boolean"):
        dataclasses.replace(p, present=np.full(p.positions.shape, 0.5))
    ok = dataclasses.replace(p, present=np.ones(p.positions.shape, dtype=int))
    assert ok.present is not None and ok.present.dtype == bool and not ok.has_absent
    assert ok.batched().present.shape == (1,) + p.positions.shape
    batched = random_problem(1, draws=4)
    mask = np.ones(batched.positions.shape, dtype=bool)
    mask[2, 0, 1] = False
    assert dataclasses.replace(batched, present=mask).take(slice(2, 3)).present[0, 0, 1] == np.False_


@pytest.mark.parametrize("model", ALL_ENGINES)
def test_all_present_is_bit_identical_to_no_mask(model: str) -> None:
    p = random_problem(2, draws=3)
    a = _run(model, p)
    b = _run(model, dataclasses.replace(p, present=np.ones(p.positions.shape, dtype=bool)))
    np.testing.assert_array_equal(a.positions, b.positions)
    np.testing.assert_array_equal(a.outcome, b.outcome)


def _masked(seed: int, draws: int | None = None) -> Problem:
    p = random_problem(seed, draws=draws)
    rng = np.random.default_rng(seed + 100)
    present = rng.random(p.positions.shape) > 0.3
    present[..., 0, :] = True  # somebody holds each issue ...
    present[..., :, -1] = False  # ... except the last one, which nobody holds
    return dataclasses.replace(p, present=present)


@pytest.mark.parametrize("model", ALL_ENGINES)
def test_absent_cells_are_unread_unchanged_and_an_empty_issue_keeps_its_status_quo(model: str) -> None:
    p = _masked(5, draws=4)
    traj = _run(model, p)
    absent = ~p.present
    start = np.broadcast_to(p.positions[:, None], traj.positions.shape)
    by_round = traj.positions.transpose(1, 0, 2, 3)  # [R+1, D, A, I]
    np.testing.assert_array_equal(by_round[:, absent], start.transpose(1, 0, 2, 3)[:, absent])
    sq = np.broadcast_to(p.status_quo[:, None, -1], traj.outcome.shape[:2])
    np.testing.assert_array_equal(traj.outcome[:, :, -1], sq)
    assert np.all(np.isfinite(traj.outcome))
    # the number in an absent cell is a placeholder: another value changes nothing else
    other = dataclasses.replace(p, positions=np.where(p.present, p.positions, 100.0 - p.positions))
    traj2 = _run(model, other)
    np.testing.assert_array_equal(traj.outcome, traj2.outcome)
    keep = np.broadcast_to(p.present[:, None], traj.positions.shape)
    np.testing.assert_array_equal(traj.positions[keep], traj2.positions[keep])
    # ... and so does its salience and capability
    third = dataclasses.replace(p, salience=np.where(p.present, p.salience, 0.0))
    np.testing.assert_array_equal(_run(model, third).outcome, traj.outcome)


@pytest.mark.parametrize("model", ["eum", "mean", "median", "nash"])
def test_issue_by_issue_engines_equal_the_problem_without_the_absent_actors(model: str) -> None:
    """The EUM and the baselines treat issues separately: absent actors = actors removed from the issue."""
    p = _masked(7)
    traj = _run(model, p)
    for i in range(p.n_issues):
        keep = np.flatnonzero(p.present[:, i])
        if keep.size == 0:
            continue
        sub = Problem(
            p.positions[keep][:, [i]], p.salience[keep][:, [i]], p.capability[keep], p.status_quo[[i]]
        )
        ref = _run(model, sub)
        np.testing.assert_array_equal(traj.outcome[0, :, i], ref.outcome[0, :, 0])
        np.testing.assert_array_equal(traj.positions[0][:, keep, i], ref.positions[0, :, :, 0])


def test_smp_on_one_issue_equals_the_problem_without_the_absent_actors() -> None:
    p = random_problem(11, n_actors=9, n_issues=1)
    present = np.ones(p.positions.shape, dtype=bool)
    present[[1, 4, 6], 0] = False
    traj = _run("smp", dataclasses.replace(p, present=present))
    keep = np.flatnonzero(present[:, 0])
    sub = Problem(p.positions[keep], p.salience[keep], p.capability[keep], p.status_quo)
    ref = _run("smp", sub)
    np.testing.assert_array_equal(traj.outcome, ref.outcome)
    np.testing.assert_array_equal(traj.positions[:, :, keep], ref.positions)
    np.testing.assert_array_equal(traj.diagnostics["turns"], ref.diagnostics["turns"])
    assert np.all(traj.diagnostics["win_prob"][:, :, ~present[:, 0]] == 0.0)


def test_smp_bargains_leave_an_issue_alone_where_either_side_is_absent() -> None:
    p = random_problem(12, n_actors=6, n_issues=2)
    present = np.ones(p.positions.shape, dtype=bool)
    present[0, 1] = False
    traj = _run("smp", dataclasses.replace(p, present=present))
    np.testing.assert_array_equal(
        traj.positions[0, :, 0, 1], np.full(traj.positions.shape[1], p.positions[0, 1])
    )
    assert np.any(traj.positions[0, -1, 0, 0] != p.positions[0, 0])  # it still bargains on issue 0


def test_eum_status_quo_stability_ignores_absent_actors() -> None:
    from accord.engines.eum import status_quo_challenge_eu, status_quo_stability

    p = _masked(9)
    eu = status_quo_challenge_eu(p)
    assert np.all(eu[0][~p.present] == 0.0) and np.all(np.isfinite(eu))
    assert status_quo_stability(p)[0, -1]  # nobody can challenge on an issue nobody holds


@pytest.mark.parametrize("model", ALL_ENGINES)
def test_deu_shapes_never_give_nan(model: str) -> None:
    """One issue, 2 to 30 actors (Commission, Parliament, member states), some without a position."""
    rng = np.random.default_rng(30)
    for n_actors in (2, 3, 7, 16, 30):
        p = random_problem(n_actors, n_actors=n_actors, n_issues=1, draws=3)
        present = rng.random(p.positions.shape) > 0.4
        present[0, :, 0] = False  # a draw where nobody holds the issue
        present[1, :, 0] = False
        present[1, 0, 0] = True  # ... one where a single actor does
        traj = _run(model, dataclasses.replace(p, present=present))
        assert np.all(np.isfinite(traj.outcome)) and np.all(np.isfinite(traj.positions)), (model, n_actors)
        assert traj.outcome[0, -1, 0] == p.status_quo[0, 0]
