"""The measured model error added to a case's draws (accord.validation.forecaster.with_model_error)."""

from __future__ import annotations

import numpy as np
import pytest

from accord.engines.base import Problem
from accord.validation.forecaster import MIN_CLASS_RESIDUALS, issue_classes, load_params, with_model_error


def _among(values: np.ndarray, allowed: np.ndarray) -> bool:
    """Every value is one of ``allowed`` (to rounding)."""
    return bool((np.abs(values[:, None] - allowed[None, :]).min(axis=1) < 1e-9).all())


def _problem(scale: tuple[float, float] = (0.0, 100.0)) -> Problem:
    lo, hi = scale
    return Problem(
        positions=np.array([[lo, lo + 0.3 * (hi - lo)], [hi, lo + 0.7 * (hi - lo)], [hi, hi]]),
        salience=np.array([[1.0, 1.0], [1.0, 1.0], [0.0, 1.0]]),
        capability=np.ones(3),
        status_quo=np.array([lo, lo + 0.5 * (hi - lo)]),
        scale=scale,
    )


def test_issue_classes_read_the_positions_taken() -> None:
    assert issue_classes(_problem()).tolist() == ["dichotomous", "continuous"]
    absent = Problem(
        positions=np.array([[0.0], [40.0]]),
        salience=np.ones((2, 1)),
        capability=np.ones(2),
        status_quo=np.array([100.0]),
        present=np.array([[True], [False]]),  # the actor at 40 takes no part: what is left is yes/no
    )
    assert issue_classes(absent).tolist() == ["dichotomous"]


def test_residuals_come_from_the_issues_class_and_are_seeded() -> None:
    params = load_params()
    table = params["residuals"]["compromise"]
    assert all(len(v) >= MIN_CLASS_RESIDUALS for v in table.values())
    draws = np.full((4000, 2), 50.0)
    out = with_model_error(draws, _problem(), seed=3)
    assert np.array_equal(out, with_model_error(draws, _problem(), seed=3))
    assert not np.array_equal(out, with_model_error(draws, _problem(), seed=4))
    for j, cls in enumerate(("dichotomous", "continuous")):
        allowed = np.clip(50.0 + np.asarray(table[cls]), 0, 100)
        assert _among(out[:, j], allowed)  # every value is the draw plus one residual of its class
        assert len(np.unique(out[:, j])) > 10


def test_mapped_to_the_problems_scale_and_clipped_to_it() -> None:
    draws = np.full((3000, 2), 9.0)
    out = with_model_error(draws, _problem((0.0, 10.0)), seed=1)
    assert out.min() >= 0.0 and out.max() <= 10.0
    wide = with_model_error(np.full((3000, 2), 90.0), _problem(), seed=1)
    # the same residuals, a tenth as large on a 0-10 scale (before clipping)
    table = load_params()["residuals"]["compromise"]["continuous"]
    assert _among(out[:, 1], np.clip(9.0 + np.asarray(table) / 10, 0, 10))
    assert wide.max() == pytest.approx(100.0)  # residuals that overshoot the end are clipped to it
