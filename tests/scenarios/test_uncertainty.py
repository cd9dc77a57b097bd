"""Sampling: equal-weight mixtures of triangular laws, clipped, shared quantities drawn once, perspectives."""

from __future__ import annotations

import numpy as np
import pytest

from accord.case.problem import case_to_problem
from accord.scenarios.uncertainty import estimate_sources, laws, point_problem, sample_problem

from .conftest import estimates, make_case, q


def test_point_problem_matches_the_case_bridge(case):
    a, b = point_problem(case), case_to_problem(case).batched()
    for name in ("positions", "salience", "capability", "status_quo"):
        assert np.allclose(getattr(a, name), getattr(b, name))
    assert a.actors == b.actors and a.issues == b.issues


def test_draws_stay_in_ranges_and_fixed_numbers_stay_fixed(case):
    p = sample_problem(case, 4000, np.random.default_rng(1))
    a, b, c = (p.actors.index(x) for x in "abc")
    assert np.all(p.positions[:, a, 0] == 100) and np.all(p.salience[:, a, 0] == 0.9)  # single values
    assert np.all((p.positions[:, a, 1] >= 80) & (p.positions[:, a, 1] <= 100))  # triangular(80, 90, 100)
    assert abs(p.positions[:, a, 1].mean() - 90) < 0.5
    assert np.all((p.status_quo[:, 0] >= 40) & (p.status_quo[:, 0] <= 60)) and np.all(
        p.status_quo[:, 1] == 80
    )
    # c has no stance on war: salience 0, position at the (drawn) status quo
    assert np.all(p.salience[:, c, 1] == 0) and np.array_equal(p.positions[:, c, 1], p.status_quo[:, 1])


def test_mixture_gives_each_estimate_equal_weight(case):
    p = sample_problem(case, 20000, np.random.default_rng(2))
    b = p.actors.index("b")
    land = p.positions[:, b, 0]
    at_zero = np.mean(land == 0)  # the memo's value, no range
    assert abs(at_zero - 0.5) < 0.02
    letter = land[land != 0]
    assert np.all((letter >= 10) & (letter <= 30)) and abs(letter.mean() - 20) < 0.3  # triangular(10, 20, 30)
    # the triangular law: the mean of (low, mode, high) for an asymmetric case
    skew = make_case(status_quo={"land": q(50, 20, 60), "war": q(80)})
    sq = sample_problem(skew, 40000, np.random.default_rng(3)).status_quo[:, 0]
    assert abs(sq.mean() - (20 + 50 + 60) / 3) < 0.2


def test_a_shared_capability_is_drawn_once_per_draw(case):
    p = sample_problem(case, 500, np.random.default_rng(4))
    assert p.capability.ndim == 2  # the same on every issue, so kept per actor


def test_perspective_reads_that_source_where_it_speaks(case):
    assert estimate_sources(case) == ["memo", "letter"]
    p = sample_problem(case, 2000, np.random.default_rng(5), perspective="letter")
    b = p.actors.index("b")
    assert np.all((p.positions[:, b, 0] >= 10) & (p.positions[:, b, 0] <= 30))
    assert np.all((p.capability[:, b] >= 0.1) & (p.capability[:, b] <= 0.3))
    # numbers the letter says nothing about keep the pooled reading
    assert np.all(p.positions[:, p.actors.index("a"), 0] == 100)
    point = point_problem(case, perspective="memo")
    assert point.positions[0, b, 0] == 0 and point.capability[0, b] == 0.4
    with pytest.raises(ValueError, match="unknown source"):
        laws(case, perspective="nobody")


def test_a_perspective_changes_only_the_numbers_it_touches(case):
    pooled = sample_problem(case, 300, np.random.default_rng(6))
    memo = sample_problem(case, 300, np.random.default_rng(6), perspective="letter")
    a = pooled.actors.index("a")
    assert np.array_equal(pooled.positions[:, a], memo.positions[:, a])
    assert np.array_equal(pooled.status_quo, memo.status_quo)


def test_clipping_keeps_draws_valid():
    wide = make_case(
        stances={
            "a": {
                "capability": estimates((1.0, 0.9, 1.0, "memo")),
                "issues": {"land": {"position": q(0, 0, 10), "salience": q(1.0, 0.9, 1.0)}},
            }
        }
    )
    p = sample_problem(wide, 1000, np.random.default_rng(7))
    assert p.capability.max() <= 1 and p.salience.max() <= 1 and p.positions.min() >= 0
