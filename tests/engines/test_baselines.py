"""Baselines: hand-computed values and the invariances any sensible aggregation must have."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.engines.base import Problem
from accord.engines.baselines import COMPROMISE, MEDIAN, NASH, nash_bargaining, weighted_median


def problem(pos, sal, cap, sq):
    return Problem(np.array(pos, float), np.array(sal, float), np.array(cap, float), np.array(sq, float))


def test_weighted_median_hand_computed():
    # weights 0.2, 0.3, 0.1, 0.4 at positions 10, 40, 60, 90: cumulative 0.2, 0.5 -> median 40
    p = problem([[10], [40], [60], [90]], [[1], [1], [1], [1]], [0.2, 0.3, 0.1, 0.4], [50])
    assert MEDIAN.run(p).forecast[0, 0] == 40
    # move 0.05 of weight from the 40-actor to the 90-actor: cumulative 0.2, 0.45, 0.55 -> 60
    p = problem([[10], [40], [60], [90]], [[1], [1], [1], [1]], [0.2, 0.25, 0.1, 0.45], [50])
    assert MEDIAN.run(p).forecast[0, 0] == 60


def test_weighted_mean_hand_computed():
    p = problem([[0, 100], [100, 0]], [[1, 0.5], [0.5, 1]], [1, 1], [50, 50])
    forecast = COMPROMISE.run(p).forecast[0]
    np.testing.assert_allclose(forecast, [100 * 0.5 / 1.5, 100 * 0.5 / 1.5])


def test_nash_two_symmetric_actors_meet_in_the_middle():
    p = problem([[20], [80]], [[1], [1]], [1, 1], [50])
    # both gain nothing at the status quo 50 when each sits 30 away... the status quo is the midpoint:
    # no gain possible
    assert nash_bargaining(p)[0, 0] == 50
    p = problem([[20], [80]], [[1], [1]], [1, 1], [0])
    # disagreement at 0 favours the 20-actor: the product (x - 0 ... ) is maximised between them
    x = nash_bargaining(p)[0, 0]
    assert 20 <= x <= 80


def test_nash_weight_pulls_toward_stronger_actor():
    base = problem([[20], [80]], [[1], [1]], [1, 1], [0])
    strong = problem([[20], [80]], [[1], [1]], [1, 4], [0])
    assert nash_bargaining(strong)[0, 0] > nash_bargaining(base)[0, 0]


@pytest.mark.parametrize("engine", [COMPROMISE, MEDIAN, NASH])
def test_single_actor_gets_its_own_position(engine):
    p = problem([[37, 80]], [[0.5, 1]], [1], [0, 0])
    np.testing.assert_allclose(engine.run(p).forecast[0], [37, 80], atol=0.1)


@pytest.mark.parametrize("engine", [COMPROMISE, MEDIAN, NASH])
def test_zero_capability_actor_changes_nothing(engine):
    p = problem([[10], [60], [90]], [[1], [0.5], [0.8]], [0.5, 0.3, 0.2], [40])
    extra = problem([[10], [60], [90], [0]], [[1], [0.5], [0.8], [1]], [0.5, 0.3, 0.2, 0.0], [40])
    np.testing.assert_array_equal(engine.run(p).forecast, engine.run(extra).forecast)


@pytest.mark.parametrize("engine", [COMPROMISE, MEDIAN, NASH])
def test_degenerate_inputs_give_defined_results(engine):
    cases = [
        problem([[50], [50], [50]], [[1], [1], [1]], [1, 1, 1], [20]),  # all at one position
        problem([[10], [90]], [[0], [0]], [1, 1], [30]),  # zero salience everywhere
        problem([[0], [100]], [[1], [1]], [1, 1], [100]),  # scale ends
    ]
    for p in cases:
        assert np.all(np.isfinite(engine.run(p, rounds=3).outcome))
    # zero salience everywhere: nobody cares, the status quo stands
    assert engine.run(cases[1]).forecast[0, 0] == 30


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 8), st.integers(0, 2**31 - 1))
def test_invariant_to_permuting_actors(n, seed):
    rng = np.random.default_rng(seed)
    pos, sal, cap = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 1, (n, 2)), rng.uniform(0.01, 1, n)
    perm = rng.permutation(n)
    sq = rng.uniform(0, 100, 2)
    for engine in (COMPROMISE, MEDIAN, NASH):
        a = engine.run(problem(pos, sal, cap, sq)).forecast
        b = engine.run(problem(pos[perm], sal[perm], cap[perm], sq)).forecast
        np.testing.assert_allclose(a, b, atol=1e-9)


def test_batched_equals_one_by_one():
    rng = np.random.default_rng(7)
    pos, sal = rng.uniform(0, 100, (5, 6, 3)), rng.uniform(0, 1, (5, 6, 3))
    cap, sq = rng.uniform(0, 1, (5, 6)), rng.uniform(0, 100, (5, 3))
    batch = Problem(pos, sal, cap, sq)
    for engine in (COMPROMISE, MEDIAN, NASH):
        whole = engine.run(batch).forecast
        single = np.concatenate(
            [engine.run(Problem(pos[d], sal[d], cap[d], sq[d])).forecast for d in range(5)]
        )
        assert np.array_equal(whole, single)


def test_weighted_median_ties_pick_lower_position():
    pos = np.array([[[30.0], [70.0]]])
    w = np.array([[[1.0], [1.0]]])
    assert weighted_median(pos, w, np.array([[0.0]]))[0, 0] == 30
