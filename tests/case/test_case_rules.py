"""The case rules of issue 10: readings in their moment, scale points, consent, carry-overs, clause states."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from accord.case.io import load_case
from accord.case.model import Case
from accord.case.problem import apply_consent, case_to_problem, consent_bounds, without_carry_overs
from accord.case.validate import validate_text
from accord.engines.base import Problem
from accord.scenarios.runner import RunSpec, run_prepared
from accord.scenarios.service import load_scenario
from accord.scenarios.uncertainty import point_problem

H = "0" * 64
P = {"doc": "old", "start": 0, "end": 5, "sha256": H}
Q = {"doc": "new", "start": 0, "end": 5, "sha256": H}


def tiny(**over: object) -> dict:
    """A small valid case: two sources (2010 and 2020), period from 2019, one issue, two actors."""
    data = {
        "format": 1,
        "case": {
            "id": "tiny",
            "title": "Tiny",
            "as_of": "2020-06-01",
            "period_start": "2019-01-01",
            "description": "d",
            "sources": [
                {"id": "old", "title": "Old", "date": "2010-01-01", "sha256": H},
                {"id": "new", "title": "New", "date": "2020-01-01", "sha256": H},
            ],
        },
        "actors": [{"id": "a", "name": "A", "kind": "state"}, {"id": "b", "name": "B", "kind": "state"}],
        "issues": [
            {
                "id": "force",
                "question": "q?",
                "scale": {
                    "min_label": "none",
                    "max_label": "all",
                    "points": [
                        {"at": 0, "label": "none"},
                        {"at": 50, "label": "half"},
                        {"at": 100, "label": "all"},
                    ],
                },
                "status_quo": {"value": 0, "source": "new", "evidence": [Q]},
                "consent": {"actors": ["b"], "note": "b's land", "evidence": [Q]},
            }
        ],
        "stances": [
            {
                "actor": "a",
                "capability": {
                    "estimates": [
                        {"value": 0.5, "source": "new", "evidence": [Q]},
                        {
                            "value": 0.9,
                            "source": "old",
                            "carry_over": True,
                            "note": "kept: nothing newer",
                            "evidence": [P],
                        },
                    ]
                },
                "issues": {
                    "force": {
                        "position": {"value": 100, "evidence": [Q]},
                        "salience": {"value": 0.5, "evidence": [Q]},
                    }
                },
            },
            {
                "actor": "b",
                "capability": {"value": 0.5, "evidence": [Q]},
                "issues": {
                    "force": {
                        "position": {"value": 20, "evidence": [Q]},
                        "salience": {"value": 0.5, "evidence": [Q]},
                    }
                },
            },
        ],
    }
    data.update(over)
    return data


def report(data: dict):  # noqa: ANN201
    return validate_text(yaml.safe_dump(data, sort_keys=False), "tiny.yaml")


def messages(data: dict) -> list[str]:
    return [f"{p.path}: {p.message}" for p in report(data).problems]


def test_tiny_case_is_valid() -> None:
    assert report(tiny()).ok, messages(tiny())


def test_source_after_as_of_is_refused() -> None:
    data = tiny()
    data["case"]["as_of"] = "2015-01-01"
    data["case"]["period_start"] = "2009-01-01"
    found = messages(data)
    assert any("case.sources[1].date" in m and "after as_of" in m for m in found), found


def test_old_reading_must_be_marked_and_noted() -> None:
    data = tiny()
    old = data["stances"][0]["capability"]["estimates"][1]
    del old["carry_over"]
    assert any("older than the case's period" in m for m in messages(data))
    old["carry_over"] = True
    del old["note"]
    assert any("carry-over without a note" in m for m in messages(data))
    data["stances"][1]["capability"]["carry_over"] = True  # a 2020 reading is no carry-over
    data["stances"][1]["capability"]["note"] = "n"
    assert any("within the period" in m for m in messages(data))


def test_reading_date_must_be_its_sources() -> None:
    data = tiny()
    data["stances"][1]["capability"].update(source="new", date="2018-05-01")
    assert any("its source is dated 2020-01-01" in m for m in messages(data))


def test_scale_points_in_range_and_order() -> None:
    data = tiny()
    data["issues"][0]["scale"]["points"][1]["at"] = 120
    assert any("outside [0, 100]" in m for m in messages(data))
    data["issues"][0]["scale"]["points"][1]["at"] = 0
    assert any("does not follow" in m for m in messages(data))


def test_unknown_consent_actor_and_state() -> None:
    data = tiny()
    data["issues"][0]["consent"]["actors"] = ["zz"]
    data["relations"] = [
        {
            "id": "r",
            "type": "alliance",
            "from": "a",
            "to": "b",
            "evidence": [Q],
            "applies_if": {"description": "d", "state": "war-at-home"},
        }
    ]
    found = messages(data)
    assert any("unknown actor 'zz'" in m for m in found) and any(
        "unknown state 'war-at-home'" in m for m in found
    )


def test_problems_have_positions() -> None:
    data = tiny()
    data["issues"][0]["scale"]["points"][1]["at"] = 120
    problem = next(p for p in report(data).problems if "outside" in p.message)
    assert problem.line > 1 and problem.file == "tiny.yaml" and problem.hint


# ---- consent -------------------------------------------------------------------------------------


def tiny_case(**over: object) -> Case:
    r = report(tiny(**over))
    assert r.ok, [str(p) for p in r.problems]
    return r.case


def test_consent_keeps_positions_inside_what_the_veto_player_accepts() -> None:
    c = tiny_case()
    assert consent_bounds(c) == {0: (0.0, 40.0)}  # b at 20, status quo 0: b accepts [0, 40]
    clipped = case_to_problem(c)
    assert clipped.positions[:, 0].tolist() == [40.0, 20.0]
    assert case_to_problem(c, consent=False).positions[:, 0].tolist() == [100.0, 20.0]


def test_consent_works_draw_by_draw() -> None:
    c = tiny_case()
    batch = Problem(
        positions=np.array([[[100.0], [20.0]], [[100.0], [30.0]]]),
        salience=np.full((2, 2, 1), 0.5),
        capability=np.ones((2, 2)),
        status_quo=np.array([[0.0], [10.0]]),
        actors=("a", "b"),
        issues=("force",),
    )
    out = apply_consent(batch, c)
    assert out.positions[:, 0, 0].tolist() == [40.0, 50.0]  # b at 30 with status quo 10 accepts up to 50


def test_an_absent_veto_player_sets_no_bound() -> None:
    data = tiny()
    data["stances"][1]["issues"] = {"other": data["stances"][1]["issues"]["force"]}
    data["issues"].append({**data["issues"][0], "id": "other", "consent": None})
    del data["issues"][1]["consent"]
    c = tiny_case(**{k: v for k, v in data.items() if k != "format"})
    assert consent_bounds(c)[0] == (0.0, 100.0)


# ---- carry-overs ---------------------------------------------------------------------------------


def test_without_carry_overs_drops_them_and_keeps_the_rest() -> None:
    c = tiny_case()
    assert c.stance("a").capability.point == pytest.approx(0.7)
    d = without_carry_overs(c)
    assert d.stance("a").capability.point == pytest.approx(0.5)
    assert case_to_problem(c, carry_overs=False).capability.tolist() == [0.5, 0.5]


# ---- the alliance clause as a case state ----------------------------------------------------------


def _with_state(case: Case, holds: bool) -> Case:
    data = case.model_dump(by_alias=True, exclude_none=True)
    for state in data["states"]:
        if state["id"] == "fighting-on-armenia-territory":
            state["holds"] = holds
    return Case.model_validate(data)


def _fired(case: Case) -> np.ndarray:
    scenario, _ = load_scenario("russian-military-intervention", case)
    spec = RunSpec(case, scenario, model="eum", rounds=4)
    _, _, fired = run_prepared(spec, point_problem(case))
    return fired


def test_intervention_clause_fires_only_where_the_state_holds() -> None:
    case = load_case("nagorno-karabakh-2020")
    assert _fired(case)[0, 0] == 0  # 9 November 2020: no fighting on Armenia's own territory
    assert (
        _fired(_with_state(case, True))[0, 0] == 1
    )  # had the war reached Armenia, the clause applies at once


def test_compiled_clause_describes_its_state() -> None:
    from accord.scenarios.triggers import compile_triggers

    case = load_case("nagorno-karabakh-2020")
    scenario, _ = load_scenario("russian-military-intervention", case)
    (trigger,) = compile_triggers(scenario.triggers, case, case.issue_ids)
    assert trigger.enabled is False and trigger.conditions == ()
    assert "fighting-on-armenia-territory (does not hold)" in trigger.describe(case.issue_ids)
