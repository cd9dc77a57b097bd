"""Every backtest model, and the forecaster, on DEU-shaped problems (2 to 30 actors, gaps) without NaN."""

from __future__ import annotations

import numpy as np
import pytest

from accord.engines.base import Problem
from accord.formats.deu import DeuData, DeuIssue
from accord.validation.backtest import exchange_by_proposal
from accord.validation.forecaster import forecast
from accord.validation.models import MODELS, predict_many
from accord.validation.problems import issue_problem


def _random_issue(rng: np.random.Generator, n_actors: int, k: int) -> DeuIssue:
    positions = rng.choice([0.0, 25.0, 50.0, 100.0], size=n_actors)
    salience = rng.choice([0.0, 30.0, 50.0, 90.0, np.nan], size=n_actors)
    drop = rng.random(n_actors) < 0.3
    drop[:2] = False  # at least two actors take part
    positions[drop] = np.nan
    return DeuIssue("p", f"i{k}", k + 3, positions, salience, float(rng.choice([0, 50, 100])), 40.0)


@pytest.mark.parametrize("n_actors", [2, 3, 7, 17, 30])
def test_every_model_is_finite(n_actors: int):
    rng = np.random.default_rng(n_actors)
    actors = tuple(f"a{k}" for k in range(n_actors))
    issues = tuple(_random_issue(rng, n_actors, k) for k in range(6))
    data = DeuData("random", actors, rng.uniform(0.1, 4, n_actors), issues)
    for spec in MODELS:
        if spec.per_proposal:
            values = exchange_by_proposal(data, issues)
        else:
            values = predict_many(spec, [issue_problem(data, i, spec.capability).problem for i in issues])
        assert np.isfinite(values).all(), spec.name
        assert ((values >= 0) & (values <= 100)).all(), spec.name


@pytest.mark.parametrize("shape", [(2, 1), (5, 3), (30, 2)])
def test_forecaster_on_any_problem(shape: tuple[int, int]):
    rng = np.random.default_rng(sum(shape))
    a, i = shape
    problem = Problem(
        positions=rng.uniform(0, 100, (a, i)),
        salience=rng.uniform(0, 1, (a, i)),
        capability=rng.uniform(0, 1, a),
        status_quo=rng.uniform(0, 100, i),
    )
    fc = forecast(problem)
    assert len(fc.issues) == i and np.isfinite(fc.median).all()
    assert (fc.low <= fc.median).all() and (fc.median <= fc.high).all()
    assert ((fc.low >= 0) & (fc.high <= 100)).all()


def test_forecaster_keeps_the_problem_scale():
    rng = np.random.default_rng(0)
    base = dict(salience=rng.uniform(0.1, 1, (6, 2)), capability=np.ones(6))
    pos = rng.uniform(0, 100, (6, 2))
    pct = forecast(Problem(positions=pos, status_quo=np.array([10.0, 90.0]), **base))
    tenth = forecast(Problem(positions=pos / 10, status_quo=np.array([1.0, 9.0]), scale=(0.0, 10.0), **base))
    assert np.allclose(tenth.median * 10, pct.median) and np.allclose(tenth.high * 10, pct.high)


def test_forecaster_falls_back_without_eu_actors():
    params = {
        "selected": "lad_eu",
        "candidates": {
            "lad_eu": {"kind": "lad", "columns": ["const", "commission"], "coef": [0.0, 1.0]},
            "lad": {"kind": "lad", "columns": ["const", "compromise"], "coef": [1.0, 1.0]},
        },
        "residuals": {
            n: {"dichotomous": [0.0] * 10, "continuous": [-5.0, 5.0] * 10} for n in ("lad", "lad_eu")
        },
    }
    p = Problem(
        positions=np.array([[20.0], [40.0], [60.0]]),
        salience=np.ones((3, 1)),
        capability=np.ones(3),
        status_quo=np.array([0.0]),
        actors=("com", "ep", "de"),
    )
    assert forecast(p, params).point[0] == pytest.approx(20.0) and forecast(p, params).model == ("lad_eu",)
    q = Problem(
        positions=p.positions,
        salience=p.salience,
        capability=p.capability,
        status_quo=p.status_quo,
        actors=("x", "y", "z"),
    )
    fc = forecast(q, params)
    assert fc.model == ("lad",) and fc.point[0] == pytest.approx(41.0)


def test_exchange_trades_on_the_issues_each_cares_less_about():
    from accord.validation.exchange import exchange_outcomes

    x = np.array([[100.0, 100.0], [0.0, 0.0]])
    s = np.array([[0.9, 0.1], [0.1, 0.9]])  # the first actor cares about issue 0, the second about issue 1
    assert exchange_outcomes(x, s, np.ones(2)).tolist() == [100.0, 0.0]
    # equal saliences: no profitable trade, the compromise stands
    assert exchange_outcomes(x, np.full((2, 2), 0.5), np.ones(2)).tolist() == [50.0, 50.0]
    # one issue: the compromise
    assert exchange_outcomes(x[:, :1], s[:, :1], np.ones(2))[0] == pytest.approx(90.0)
    # an absent actor (NaN) takes no part
    x3 = np.array([[100.0, np.nan], [0.0, 40.0], [50.0, 60.0]])
    out = exchange_outcomes(x3, np.full((3, 2), 0.5), np.ones(3))
    assert np.isfinite(out).all() and out[1] == pytest.approx(50.0)
