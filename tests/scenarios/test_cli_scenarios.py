"""The scenario commands as a user meets them: exit codes, tables, JSON, located errors, stored runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()
HARBOUR = Path(__file__).resolve().parents[1] / "fixtures" / "harbour.yaml"


@pytest.fixture(autouse=True)
def runs_db(tmp_path, monkeypatch):
    db = tmp_path / "runs.db"
    monkeypatch.setenv("ACCORD_DB", str(db))
    return db


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_scenarios_list_shows_one_line_each():
    result = invoke("scenarios", "list", "nagorno-karabakh-2020", "--json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert len(items) == 8 and all(i["valid"] and i["question"] for i in items)
    table = invoke("scenarios", "list")
    assert (
        table.exit_code == 0 and "baseline-mediation" in table.output and "Built-in scenarios" in table.output
    )


def test_scenarios_show_and_validate():
    shown = invoke("scenarios", "show", "internationalisation")
    assert shown.exit_code == 0 and "coalition" in shown.output and "add_actor" in shown.output
    ok = invoke("scenarios", "validate", "turkey-backing-grows")
    assert ok.exit_code == 0 and "valid scenario" in ok.output


def test_bad_scenario_file_exit_1_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "scenario: 1\nid: bad\ntitle: Bad\ninterventions:\n"
        "  - {kind: set, actor: narnia, attribute: salience, value: 0.5}\n"
    )
    for args in (("scenarios", "validate", str(bad)), ("run", "--scenario", str(bad), "--model", "median")):
        result = invoke(*args)
        assert result.exit_code == 1
        assert f"{bad}:5:" in result.output and "unknown actor 'narnia'" in result.output
        assert "Traceback" not in result.output


def test_run_scenario_point_estimates_keeps_the_run_document(runs_db):
    result = invoke(
        "run", "--scenario", "russia-sides-with-armenia", "--model", "median", "--json", "--no-store"
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert (
        doc["scenario"] == "russia-sides-with-armenia"
        and doc["rounds"]
        and set(doc["forecast"]) >= {"territory"}
    )
    assert doc["run_id"] is None and not runs_db.exists()


def test_run_draws_reports_intervals_thresholds_and_stores(runs_db):
    result = invoke(
        "run",
        "--scenario",
        "turkey-backing-grows",
        "--model",
        "mean",
        "--draws",
        "300",
        "--seed",
        "4",
        "-t",
        "territory>=50",
        "--json",
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    row = doc["summary"]["issues"]["territory"]
    assert doc["draws"] == 300 and row["p05"] <= row["median"] <= row["p95"] and "P(territory>=50)" in row
    assert 0 <= doc["summary"]["stable_all"] <= 1 and doc["run_id"]
    again = json.loads(
        invoke(
            "run",
            "--scenario",
            "turkey-backing-grows",
            "--model",
            "mean",
            "--draws",
            "300",
            "--seed",
            "4",
            "-t",
            "territory>=50",
            "--json",
            "--no-store",
        ).output
    )
    assert again["summary"] == doc["summary"]  # same seed, same numbers
    table = invoke(
        "run",
        "--scenario",
        "turkey-backing-grows",
        "--model",
        "mean",
        "--draws",
        "300",
        "-t",
        "territory>=50",
        "-q",
    )
    assert table.exit_code == 0 and "80%" in table.output and "stored as run" in table.output
    listed = json.loads(invoke("runs", "list", "--json").output)
    assert len(listed) == 2 and listed[1]["id"] == doc["run_id"]
    shown = invoke("runs", "show", doc["run_id"])
    assert shown.exit_code == 0 and "turkey-backing-grows" in shown.output


def test_runs_export(tmp_path):
    doc = json.loads(invoke("run", str(HARBOUR), "--model", "median", "--draws", "50", "--json").output)
    out = tmp_path / "draws.csv"
    result = invoke("runs", "export", doc["run_id"], "-o", str(out))
    assert result.exit_code == 0 and out.read_text().startswith("draw,issue,forecast,status_quo,stable")
    assert len(out.read_text().splitlines()) == 51
    assert invoke("runs", "export", doc["run_id"], "-o", str(tmp_path / "x.xlsx")).exit_code == 2
    assert invoke("runs", "show", "no-such-run").exit_code == 1


def test_bad_options():
    assert invoke("run", "--draws", "10", "-t", "territory=>50").exit_code == 2
    unknown = invoke("run", "--draws", "10", "--model", "median", "-t", "sea>=50")
    assert unknown.exit_code == 1 and "unknown issue 'sea'" in unknown.output
    assert invoke("run", "--draws", "10", "--executor", "cloud").exit_code == 2
    assert invoke("run", "--draws", "10", "--perspective", "nobody", "--model", "median").exit_code == 1
    assert invoke("run", "--scenario", "no-such-scenario").exit_code == 1


def test_compare_scenarios_and_perspectives():
    result = invoke(
        "compare",
        "-s",
        "baseline-mediation",
        "-s",
        "russia-influence-overestimated",
        "--model",
        "mean",
        "--json",
    )
    assert result.exit_code == 0, result.output
    cols = json.loads(result.output)["columns"]
    assert [c["label"] for c in cols] == ["baseline-mediation", "russia-influence-overestimated"]
    persp = json.loads(
        invoke("compare", "--perspectives", "--model", "mean", "--draws", "100", "--json").output
    )
    labels = [c["label"] for c in persp["columns"]]
    assert labels[0].startswith("pooled") and len(labels) >= 3
    # sources are named by title and date; the id stays in the column's perspective
    ids = [c["perspective"] for c in persp["columns"]]
    assert "004_4eb90dd5622bd2fc" in ids
    assert any(label.startswith("Assessing Russia's role") and "(2013-02-01)" in label for label in labels)
    cases = invoke("compare", "nagorno-karabakh-2013", "nagorno-karabakh-2020", "--model", "median")
    assert cases.exit_code == 0 and "Comparison" in cases.output
