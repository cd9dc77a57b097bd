"""``set_state``: a scenario sets a case state, so the clauses that read it fire (or stay silent)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import accord
from accord.case.model import Case
from accord.scenarios.language import Scenario, ScenarioError, builtin_scenarios
from accord.scenarios.service import load_scenario, run_scenario

CASE = "nagorno-karabakh-2020"
STATE = "fighting-on-armenia-territory"


def _intervention_with(states: dict[str, bool]) -> Scenario:
    """The built-in Russian-intervention scenario, plus ``set_state`` steps."""
    doc = yaml.safe_load(builtin_scenarios()["russian-military-intervention"].read_text(encoding="utf-8"))
    doc["interventions"] += [{"kind": "set_state", "state": s, "holds": h} for s, h in states.items()]
    return Scenario.model_validate(doc)


def _fired(scenario: Scenario, case: Case) -> float:
    run = run_scenario(scenario, case, model="smp", draws=0)
    return run.summary()["triggers"]["alliance-clause"]["fired_share"]


def _case_where_state_holds() -> Case:
    data = accord.load_case(CASE).model_dump(by_alias=True, exclude_none=True)
    for state in data["states"]:
        if state["id"] == STATE:
            state["holds"] = True
    return Case.model_validate(data)


def test_alliance_clause_fires_in_2020_only_when_the_scenario_sets_the_state() -> None:
    case = accord.load_case(CASE)
    assert case.state(STATE).holds is False  # 9 November 2020: no fighting on Armenia's own territory
    assert _fired(_intervention_with({}), case) == 0
    assert _fired(_intervention_with({STATE: True}), case) == 1
    # the case itself is unchanged by the scenario
    assert accord.load_case(CASE).state(STATE).holds is False


def test_setting_the_state_moves_the_forecast() -> None:
    case = accord.load_case(CASE)
    quiet = run_scenario(_intervention_with({}), case, model="smp").point_forecast["territory"]
    fired = run_scenario(_intervention_with({STATE: True}), case, model="smp").point_forecast["territory"]
    assert fired != pytest.approx(quiet, abs=0.5)  # Russia takes Armenia's position on the territory


def test_holds_false_silences_a_clause_where_the_case_says_it_holds() -> None:
    case = _case_where_state_holds()
    assert _fired(_intervention_with({}), case) == 1
    assert _fired(_intervention_with({STATE: False}), case) == 0


def test_last_setting_wins() -> None:
    scenario = _intervention_with({STATE: True})
    doc = scenario.model_dump(mode="json", by_alias=True)
    doc["interventions"].append({"kind": "set_state", "state": STATE, "holds": False})
    assert Scenario.model_validate(doc).states == {STATE: False}


def _write(tmp_path: Path, step: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(
        "scenario: 1\nid: s\ntitle: S\ncase: nagorno-karabakh-2020\ninterventions:\n"
        "  - {kind: shift, actor: russia, attribute: salience, issue: territory, by: 0.1}\n"
        f"  - {step}\n",
        encoding="utf-8",
    )
    return path


def test_unknown_state_names_file_line_field_and_hint(tmp_path: Path) -> None:
    path = _write(tmp_path, "{kind: set_state, state: fighting-in-armenia, holds: true}")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    (problem,) = err.value.problems
    assert (problem.file, problem.line, problem.path) == (str(path), 7, "interventions[1].state")
    assert "unknown state 'fighting-in-armenia'" in problem.message
    assert STATE in problem.hint


def test_holds_must_be_a_boolean(tmp_path: Path) -> None:
    path = _write(tmp_path, "{kind: set_state, state: fighting-on-armenia-territory, holds: 1}")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    (problem,) = err.value.problems
    assert problem.line == 7 and problem.path.endswith("holds") and "true or false" in problem.hint


def test_cli_reports_an_unknown_state_without_a_traceback(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from accord.cli.main import app

    path = _write(tmp_path, "{kind: set_state, state: nope}")
    result = CliRunner().invoke(app, ["scenarios", "validate", str(path)])
    assert result.exit_code != 0
    assert f"{path}:7:" in result.output and "unknown state 'nope'" in result.output
    assert "Traceback" not in result.output


def test_the_documented_example_fires_the_clause(tmp_path: Path) -> None:
    import textwrap

    docs = (Path(__file__).resolve().parents[2] / "docs" / "scenarios.md").read_text(encoding="utf-8")
    head, tail = docs.split("id: war-reaches-armenia", 1)
    start = head.rindex("```yaml\n") + len("```yaml\n")
    block = head[start:] + "id: war-reaches-armenia" + tail.split("```", 1)[0]
    path = tmp_path / "war-reaches-armenia.yaml"
    path.write_text(textwrap.dedent(block), encoding="utf-8")
    scenario, case = load_scenario(path)
    assert scenario.states == {STATE: True}
    run = run_scenario(scenario, case, model="smp")
    assert run.summary()["triggers"]["alliance-clause"]["fired_share"] == 1
