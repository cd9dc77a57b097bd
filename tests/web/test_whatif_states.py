"""What-if from a scenario, with case states and triggers as toggles (``POST /api/cases/{id}/whatif``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

import accord
from accord.scenarios.language import Scenario
from accord.scenarios.service import load_scenario, run_scenario
from accord.web import create_app
from tests.web.conftest import LOCAL

CASE = "nagorno-karabakh-2020"
STATE = "fighting-on-armenia-territory"
URL = f"/api/cases/{CASE}/whatif"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[TestClient]:
    app = create_app(str(tmp_path_factory.mktemp("whatif") / "accord.db"), corpus_dir)
    with TestClient(app, client=LOCAL) as c:
        yield c


def _clause(doc: dict) -> dict:
    (trigger,) = [t for t in doc["triggers"] if t["label"] == "alliance-clause"]
    return trigger


def test_the_alliance_clause_fires_only_when_the_state_is_set(web: TestClient) -> None:
    quiet = web.post(URL, json={"changes": [], "scenario": "russian-military-intervention"}).json()
    assert _clause(quiet) == {
        "label": "alliance-clause",
        "relation": "russia-armenia-alliance",
        "state": STATE,
        "state_holds": False,
        "fired_round": None,
    }
    fired = web.post(
        URL, json={"changes": [], "scenario": "russian-military-intervention", "states": {STATE: True}}
    ).json()
    assert _clause(fired)["state_holds"] is True and _clause(fired)["fired_round"] == 1
    # the same numbers as the scenario file it saves, run by the scenario layer
    saved = Scenario.model_validate(yaml.safe_load(fired["scenario_yaml"]))
    assert saved.states == {STATE: True}
    case = accord.load_case(CASE)
    point = run_scenario(saved, case, model=fired["model"]).point_forecast
    assert fired["issues"]["territory"]["point_run"] == pytest.approx(point["territory"], abs=0.01)
    assert fired["issues"]["territory"]["point_run"] != quiet["issues"]["territory"]["point_run"]
    # the scenario alone, as the answer runs it, equals the what-if without changes
    alone, _ = load_scenario("russian-military-intervention", case)
    plain = run_scenario(alone, case, model=quiet["model"]).point_forecast
    assert quiet["issues"]["territory"]["point_run"] == pytest.approx(plain["territory"], abs=0.01)


def test_a_trigger_switched_off_does_not_run(web: TestClient) -> None:
    body = {
        "changes": [],
        "scenario": "russian-military-intervention",
        "states": {STATE: True},
        "triggers_off": ["alliance-clause"],
    }
    doc = web.post(URL, json=body).json()
    assert doc["triggers"] == []
    assert "kind: trigger" not in doc["scenario_yaml"]


def test_bad_states_and_scenarios_are_refused_with_a_reason(web: TestClient) -> None:
    unknown = web.post(URL, json={"changes": [], "states": {"fighting-in-armenia": True}})
    assert unknown.status_code == 422
    assert "unknown state 'fighting-in-armenia'" in unknown.text and STATE in unknown.text
    assert web.post(URL, json={"changes": [], "scenario": "no-such-scenario"}).status_code == 404
    other = web.post(
        "/api/cases/nagorno-karabakh-2013/whatif",
        json={"changes": [], "scenario": "russian-military-intervention"},
    )
    assert other.status_code == 422 and "is about case" in other.text
    assert web.post(URL, json={"changes": [], "states": {STATE: "yes"}}).status_code == 422


def test_case_summary_lists_the_states(web: TestClient) -> None:
    states = web.get(f"/api/cases/{CASE}").json()["states"]
    assert [s["id"] for s in states] == [s.id for s in accord.load_case(CASE).states]
    assert states[0]["holds"] is False
