"""Triggers fire inside the engine loop, at the first round their condition holds, once per draw."""

from __future__ import annotations

import numpy as np
import pytest

import accord.api
from accord.engines.base import Problem
from accord.scenarios.language import Scenario
from accord.scenarios.runner import RunSpec, run_prepared
from accord.scenarios.triggers import CompiledTrigger, TriggerHook
from accord.scenarios.uncertainty import point_problem


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setitem(accord.api.ENGINES, "toy", ("tests.scenarios.toy", "TOY"))
    monkeypatch.setitem(accord.api.DEFAULT_ROUNDS, "toy", 10)
    return "toy"


def scenario(*interventions: dict) -> Scenario:
    return Scenario.model_validate({"id": "t", "title": "T", "interventions": list(interventions)})


def one_actor_problem(start: float) -> Problem:
    return Problem(
        np.array([[start, 50.0]]),
        np.array([[1.0, 1.0]]),
        np.array([1.0]),
        np.array([start, 50.0]),
        ("a",),
        ("land", "war"),
    )


def test_trigger_fires_at_the_first_round_the_condition_holds(toy, case):
    # In the toy engine every actor drifts 10 points towards 0 per round; the outcome on land starts at the
    # capability x salience weighted mean of a (100), b (10) and c (40).
    spec = RunSpec(
        case,
        scenario(
            {
                "kind": "trigger",
                "id": "low",
                "when": {"issue": "land", "op": "<=", "threshold": 30},
                "then": [
                    {"kind": "set", "actor": "a", "attribute": "position", "issue": "land", "value": 100}
                ],
            }
        ),
        model=toy,
        rounds=8,
    )
    base_start, base, _ = run_prepared(RunSpec(case, None, model=toy, rounds=8), point_problem(case))
    start, traj, fired = run_prepared(spec, point_problem(case))
    land = base.outcome[0, :, 0]
    expected = int(np.argmax(land[1:] <= 30)) + 1  # first round after which the outcome is <= 30
    assert expected > 1 and fired[0, 0] == expected
    # before the round: identical; at the round: a's position set to 100; afterwards the engine
    # continues from it
    assert np.array_equal(traj.positions[:, :expected], base.positions[:, :expected])
    assert traj.positions[0, expected, 0, 0] == 100
    assert traj.positions[0, expected + 1, 0, 0] == 90
    # fires once: the outcome falls below the threshold again later, and nothing more happens
    assert fired[0, 0] == expected and np.all(
        traj.positions[0, expected + 1 :, 0, 0] == 100 - 10 * np.arange(1, 8 - expected + 1)
    )


def test_relation_condition_and_multiple_conditions(toy, case):
    both = scenario(
        {
            "kind": "trigger",
            "relation": "pact",
            "then": [{"kind": "shift", "actor": "c", "attribute": "salience", "by": 0.1}],
        },
        {
            "kind": "trigger",
            "when": [
                {"issue": "land", "op": "<=", "threshold": 30},
                {"issue": "war", "op": "<", "threshold": 0},
            ],
            "then": [{"kind": "shift", "actor": "c", "attribute": "salience", "by": 0.1}],
        },
    )
    _, _, fired = run_prepared(RunSpec(case, both, model=toy, rounds=8), point_problem(case))
    assert fired[0, 0] > 0 and fired[0, 1] == 0  # war never drops below 0


def test_fires_per_draw_and_changes_only_those_draws():
    trig = CompiledTrigger(
        "t",
        ((0, "<=", 55.0),),
        (
            scenario(
                {"kind": "set", "actor": "a", "attribute": "salience", "issue": "war", "value": 0.5}
            ).interventions[0],
        ),
    )
    sq = np.array([[50.0, 50.0], [50.0, 50.0], [50.0, 50.0]])
    hook = TriggerHook([trig], ("a",), ("land", "war"), sq)
    from accord.engines.base import RoundState

    pos = np.array([[[60.0, 50.0]], [[50.0, 50.0]], [[70.0, 50.0]]])
    state = RoundState(3, pos, np.ones((3, 1, 2)), np.ones((3, 1)), pos[:, 0, :])
    out = hook(state)
    assert out is not None and out.capability.shape == (3, 1)  # per-actor capability stays per actor
    assert out.salience[:, 0, 1].tolist() == [1.0, 0.5, 1.0]
    assert hook.fired_round[:, 0].tolist() == [0, 3, 0]
    again = hook(RoundState(4, pos, out.salience, out.capability, pos[:, 0, :]))
    assert again is None and hook.fired_round[:, 0].tolist() == [0, 3, 0]


def test_trigger_changes_the_eum_trajectory_from_its_round_on():
    from accord.case.io import load_case

    case = load_case("nagorno-karabakh-2020")
    base_spec = RunSpec(case, None, model="eum", rounds=10)
    _, base, _ = run_prepared(base_spec, point_problem(case))
    # a threshold first crossed after round 2 or later, on any issue, up or down: halfway between the new
    # extreme and the most extreme value before it
    found = None
    for j, issue in enumerate(case.issue_ids):
        path = base.outcome[0, :, j]
        for sign, op in ((-1.0, "<="), (1.0, ">=")):
            later = [r for r in range(2, len(path)) if sign * path[r] > (sign * path[1:r]).max() + 1e-6]
            if later and found is None:
                r = later[0]
                before = path[1:r].min() if sign < 0 else path[1:r].max()
                found = (j, issue, op, float((path[r] + before) / 2), r)
    if found is None:
        pytest.skip("no EUM forecast reaches a new extreme after round 1")
    j, issue, op, threshold, r = found
    spec = RunSpec(
        case,
        scenario(
            {
                "kind": "trigger",
                "when": {"issue": issue, "op": op, "threshold": threshold},
                "then": [
                    {"kind": "set", "actor": "russia", "attribute": "position", "issue": issue, "value": 100}
                ],
            }
        ),
        model="eum",
        rounds=10,
    )
    start, traj, fired = run_prepared(spec, point_problem(case))
    k = int(fired[0, 0])
    assert k == r >= 2
    russia = start.actors.index("russia")
    assert np.array_equal(traj.positions[:, :k], base.positions[:, :k])
    assert traj.positions[0, k, russia, j] == 100
    assert not np.array_equal(traj.outcome[:, k:], base.outcome[:, k:])
