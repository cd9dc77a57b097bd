"""One answer per question (issue 9 point 4): for the default case, `accord run --json`, `accord answer
--json`, the web's answer and the report show the same median and 80% interval, all from the default
forecaster (the compromise model's draws plus its measured DEU error), and say so."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

import accord
from accord.cli.main import app as cli
from accord.report import ReportVariant
from accord.report.build import report_data
from accord.scenarios.run import INPUT_ONLY, LEVEL, WITH_MODEL_ERROR
from accord.web import create_app

CASE = "nagorno-karabakh-2020"


def _triples(rows: dict[str, Any]) -> dict[str, tuple[float, float, float]]:
    return {issue: (f["median"], f["low"], f["high"]) for issue, f in rows.items()}


def test_run_answer_web_and_report_give_the_same_numbers(
    tmp_path: Path, corpus_dir: Path, nk_answer: dict[str, Any]
) -> None:
    runner = CliRunner()
    done = runner.invoke(cli, ["run", CASE, "--json", "--no-store"])
    assert done.exit_code == 0, done.output
    run = json.loads(done.output)
    assert run["model"] == "compromise" and run["headline"] == "distribution"
    assert run["forecaster"]["interval_kind"] == WITH_MODEL_ERROR and run["forecaster"]["level"] == LEVEL
    from_run = {
        issue: (round(run["forecast"][issue], 2), round(iv["low"], 2), round(iv["high"], 2))
        for issue, iv in run["interval"].items()
    }
    assert all(iv["level"] == LEVEL for iv in run["interval"].values())

    done = runner.invoke(cli, ["answer", CASE, "--json", "--quiet"])
    assert done.exit_code == 0, done.output
    from_answer = json.loads(done.output)
    assert from_answer["forecaster"]["interval_kind"] == WITH_MODEL_ERROR
    assert from_answer["forecaster"]["interval"] == "80%"

    app = create_app(str(tmp_path / "accord.db"), corpus_dir)
    with TestClient(app, client=("127.0.0.1", 50000)) as web:
        response = web.get(f"/api/cases/{CASE}/answer")
        assert response.status_code == 200, response.text
        from_web = response.json()

    report = report_data(accord.load_case(CASE), [ReportVariant("the case as it is")])
    report_run = report["runs"][0]["result"]["result"]  # the run document, as `accord run --json` prints it
    baseline_run = {
        issue: (round(report_run["forecast"][issue], 2), round(iv["low"], 2), round(iv["high"], 2))
        for issue, iv in report_run["interval"].items()
    }
    assert report_run["forecaster"]["interval_kind"] == WITH_MODEL_ERROR

    for doc in (from_answer, from_web, report["answer"], nk_answer):
        assert doc["scenarios"][0]["name"] == "as-it-stands"
        assert doc["readings"] == accord.load_case(CASE).readings_note()  # the pooling rule, everywhere
        assert _triples(doc["scenarios"][0]["forecast"]) == from_run
    assert baseline_run == from_run
    # the interval is wider than the same draws without the model error: the DEU error is in it
    from accord.scenarios.service import run_scenario

    alone = run_scenario(None, CASE, model="compromise", draws=256).interval()
    for issue, (_, lo, hi) in from_run.items():
        assert hi - lo > alone[issue][1] - alone[issue][0]


def test_other_models_keep_their_draws_and_say_so() -> None:
    case = accord.load_case(CASE)
    smp = accord.run(case, model="smp", draws=64)
    assert smp.interval_kind == INPUT_ONLY and smp.to_json()["forecaster"]["model_error"] is None
    point = accord.run(case, draws=0)
    assert point.to_json()["forecaster"]["level"] is None and point.headline == "point"
