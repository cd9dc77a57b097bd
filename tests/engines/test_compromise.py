"""The compromise engine (the default model): the literature's arithmetic, present cells, per-issue
capability, the consent path every engine goes through, and ``mean`` as an alias of it only."""

from __future__ import annotations

import numpy as np
import pytest

from accord.engines.base import Problem
from accord.engines.registry import (
    ALIASES,
    ENGINES,
    UnknownModelError,
    canonical_model,
    get_engine,
    run_problem,
)
from accord.validation.baselines import compromise as deu_compromise


def test_mean_is_only_an_alias_of_the_compromise_model() -> None:
    assert "mean" not in ENGINES and ALIASES == {"mean": "compromise"}
    assert get_engine("mean") is get_engine("compromise")
    assert canonical_model("mean") == "compromise"
    with pytest.raises(UnknownModelError, match="choose one of"):
        canonical_model("average")


def test_hand_computed_with_per_issue_capability_and_an_absent_actor() -> None:
    # issue 1: weights 2*0.5=1 at 0, 1*1=1 at 90, absent actor 3 -> 45
    # issue 2: weights 1*0.5=0.5 at 100, 3*1=3 at 30, 1*1=1 at 60 -> (50+90+60)/4.5
    p = Problem(
        positions=np.array([[0.0, 100.0], [90.0, 30.0], [10.0, 60.0]]),
        salience=np.array([[0.5, 0.5], [1.0, 1.0], [1.0, 1.0]]),
        capability=np.array([[2.0, 1.0], [1.0, 3.0], [5.0, 1.0]]),
        status_quo=np.array([50.0, 50.0]),
        present=np.array([[True, True], [True, True], [False, True]]),
    )
    out = run_problem(p, "compromise").forecast[0]
    np.testing.assert_allclose(out, [45.0, 200.0 / 4.5])


def test_the_same_numbers_as_the_backtests_compromise() -> None:
    rng = np.random.default_rng(4)
    p = Problem(
        positions=rng.uniform(0, 100, (7, 3)),
        salience=rng.uniform(0, 1, (7, 3)),
        capability=rng.uniform(0.1, 2, 7),
        status_quo=rng.uniform(0, 100, 3),
    )
    np.testing.assert_allclose(run_problem(p, "compromise").forecast[0], deu_compromise(p), rtol=1e-12)


def test_an_issue_nobody_weighs_keeps_its_status_quo() -> None:
    p = Problem(
        positions=np.array([[10.0], [90.0]]),
        salience=np.zeros((2, 1)),
        capability=np.ones(2),
        status_quo=np.array([33.0]),
    )
    assert run_problem(p, "compromise").forecast[0, 0] == 33.0


def test_consent_binds_the_compromise_as_it_binds_every_engine() -> None:
    """The runner clips positions to what the consenting actors accept before any engine runs."""
    from accord.case.io import load_case
    from accord.case.problem import case_to_problem
    from accord.scenarios.service import run_scenario

    case = load_case("nagorno-karabakh-2013")
    bound = [j for j, issue in enumerate(case.issues) if issue.consent is not None]
    assert bound, "the 2013 case has consent issues"
    run = run_scenario(None, case, model="compromise", draws=0)
    free = case_to_problem(case, consent=False)
    held = case_to_problem(case)
    assert not np.allclose(free.positions, held.positions), "consent changes some positions"
    expected = run_problem(held, "compromise").forecast[0]
    got = np.array(list(run.point_forecast.values()))
    np.testing.assert_allclose(got, expected, atol=1e-9)
    assert run.model == "compromise"
    assert run_scenario(None, case, model="mean", draws=0).model == "compromise"
