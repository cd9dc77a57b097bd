"""Scores against values computed by hand on the tiny file (conftest.py), and seeded bootstraps.

Hand computation (equal capability, salience as given; fr's missing salience on i3 is the others' 50):
i1 compromise (100*50 + 0*50 + 50*100) / 200 = 50, outcome 60, error 10;
i2 compromise (0*100 + 100*100 + 100*50 + 0*50) / 300 = 50, outcome 100, error 50 (a yes/no issue);
i3 compromise (20 + 40 + 60 + 80) / 4 = 50, outcome 50, error 0; i4 has no outcome.
MAE 20, RMSE sqrt(2600 / 3), median 10, within 10: 2/3, within 20: 2/3.
Reference point: i1 |0 - 60| = 60, i3 |20 - 50| = 30, i2 has none: MAE 45 on 2 issues, 1 not scored.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from accord.validation import metrics
from accord.validation.backtest import run_deu


def test_point_scores_by_hand():
    s = metrics.point_scores(np.array([50.0, 50.0, 50.0]), np.array([60.0, 100.0, 50.0]))
    assert s.n == 3 and s.mae == pytest.approx(20.0) and s.rmse == pytest.approx(math.sqrt(2600 / 3))
    assert s.median_ae == 10.0 and s.within10 == pytest.approx(2 / 3) and s.within20 == pytest.approx(2 / 3)


def test_point_scores_refuse_bad_shapes():
    with pytest.raises(ValueError):
        metrics.point_scores(np.array([1.0]), np.array([1.0, 2.0]))
    with pytest.raises(ValueError):
        metrics.point_scores(np.array([]), np.array([]))


def test_backtest_of_tiny_file_matches_hand(tiny: Path):
    report = run_deu(tiny, models=["compromise", "reference_point", "median"], seed=3)
    rows = {m["name"]: m for m in report["models"]}
    assert report["issues"] == 3 and report["proposals"] == 2
    comp = rows["compromise"]
    assert comp["mae"] == pytest.approx(20.0) and comp["median_ae"] == pytest.approx(10.0)
    assert comp["dichotomous"] == {"issues": 1, "mae": pytest.approx(50.0)}
    assert comp["continuous"] == {"issues": 2, "mae": pytest.approx(5.0)}
    ref = rows["reference_point"]
    assert (ref["mae"], ref["issues"], ref["not_scored"]) == (pytest.approx(45.0), 2, 1)
    # paired on the same two issues: 45 - (10 + 0) / 2 = 40
    assert ref["delta_vs_compromise"] == pytest.approx(40.0)
    # proposal bootstrap: resampled means can only be 0 (d02 twice), 20 (one each) or 30 (d01 twice)
    lo, hi = comp["mae_ci95"]
    assert 0.0 <= lo <= 20.0 <= hi <= 30.0


def test_bootstrap_is_seeded_and_resamples_groups():
    rng = np.random.default_rng(1)
    err, groups = rng.uniform(0, 50, 60), np.repeat(np.arange(12), 5)
    a = metrics.group_bootstrap_ci(err, groups, 500, seed=7)
    assert a == metrics.group_bootstrap_ci(err, groups, 500, seed=7)
    assert a != metrics.group_bootstrap_ci(err, groups, 500, seed=8)
    assert a[0] < err.mean() < a[1]
    # one group only: every replicate is the same sample, so the interval is a point
    assert metrics.group_bootstrap_ci(err[:5], groups[:5], 100, seed=0) == pytest.approx(
        (err[:5].mean(),) * 2
    )


def test_paired_delta_identical_models_is_zero():
    err = np.array([1.0, 5.0, 9.0, 2.0])
    assert metrics.paired_delta_ci(err, err, np.array([1, 1, 2, 3]), 200, 0) == (0.0, 0.0, 0.0)
    d, lo, hi = metrics.paired_delta_ci(err + 2.0, err, np.array([1, 1, 2, 3]), 200, 0)
    assert (d, lo, hi) == pytest.approx((2.0, 2.0, 2.0))


def test_crps_by_hand_and_point_limit():
    # samples 1, 2, 3 and outcome 2: E|X - y| = 2/3, E|X - X'| = 8/9, CRPS = 2/3 - 4/9 = 2/9
    assert metrics.crps_sample(np.array([[1.0, 2.0, 3.0]]), np.array([2.0]))[0] == pytest.approx(2 / 9)
    assert metrics.crps_sample(np.array([[4.0, 4.0]]), np.array([1.0]))[0] == pytest.approx(3.0)


def test_interval_coverage_includes_ends():
    assert (
        metrics.interval_coverage(np.array([0, 10, 20]), np.array([10, 20, 30]), np.array([10, 20, 31]))
        == 2 / 3
    )


def test_weighted_compromise_grid_recovers_a_planted_institution_weight():
    from accord.validation.weighted import fit_weighted, predict_weighted

    rng = np.random.default_rng(5)
    rows, y = [], []
    for _ in range(60):
        x = rng.choice([0.0, 30.0, 70.0, 100.0], size=5)
        s = rng.uniform(0.2, 1.0, size=5)
        role = [1, 2, 0, 0, 0]
        w = s * np.array([4.0, 1.0, 1.0, 1.0, 1.0])  # the Commission counts four times under codecision
        rows.append(
            {
                "_x": x.tolist(),
                "_s": s.tolist(),
                "_c": [1.0] * 5,
                "_role": role,
                "procedure": 1.0,
                "compromise": float(np.average(x, weights=s)),
            }
        )
        y.append(float(np.average(x, weights=w)))
    fitted = fit_weighted(rows, np.array(y), power=False, institutions=True)
    assert fitted["factors"]["codecision"] == [4.0, 1.0] and fitted["gamma"] == 1.0
    assert np.allclose(predict_weighted(fitted, rows), y)
