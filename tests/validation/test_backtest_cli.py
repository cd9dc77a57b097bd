"""``accord backtest``: tables, JSON, exit codes and messages for bad input (never a traceback)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app
from tests.validation.synth import write_synthetic

runner = CliRunner()


def test_deu_json(tiny: Path):
    result = runner.invoke(app, ["backtest", "deu", str(tiny), "--models", "compromise,median", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["dataset"] == "tiny.tsv" and [m["name"] for m in report["models"]] == [
        "compromise",
        "median",
    ]
    assert report["models"][0]["mae"] == 20.0


def test_deu_table_fits_80_columns(tiny: Path):
    result = runner.invoke(
        app,
        ["backtest", "deu", str(tiny), "--models", "compromise,reference_point,eum_ref_pair"],
        terminal_width=80,
    )
    assert result.exit_code == 0, result.output
    assert "reference_point" in result.stdout and "eum_ref_pair" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_deu_malformed_file_exit_1(tmp_path: Path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("prnr\tisnr\tpcom\tscom\tpep\tsep\tout\nd1\ti1\tx\t50\t50\t50\t50\n")
    result = runner.invoke(app, ["backtest", "deu", str(bad), "--models", "compromise"])
    assert result.exit_code == 1
    assert "bad.tsv:2" in result.output and "'pcom'" in result.output and "Traceback" not in result.output


def test_deu_unknown_model(tiny: Path):
    result = runner.invoke(app, ["backtest", "deu", str(tiny), "--models", "oracle"])
    assert result.exit_code == 1 and "unknown model 'oracle'" in result.output


def test_fit_writes_params_usable_by_deu(tmp_path: Path):
    train = write_synthetic(tmp_path / "train.tsv", 12, seed=4)
    out = tmp_path / "p.json"
    result = runner.invoke(app, ["backtest", "fit", str(train), "-o", str(out)], terminal_width=80)
    assert result.exit_code == 0, result.output
    params = json.loads(out.read_text())
    assert params["selected"] in params["candidates"] and params["trained_on"]["file"] == "train.tsv"
    assert "forecaster (nested)" in result.stdout


def _outcome(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "out.yaml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = """case: nagorno-karabakh-2013
observed: 2020-11-10
outcomes:
  territory:
    value: 20
    evidence: a test value, not a record of events
"""


def test_case_backtest(tmp_path: Path):
    result = runner.invoke(
        app,
        ["backtest", "case", "nagorno-karabakh-2013", "--outcome", str(_outcome(tmp_path, GOOD)), "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    row = report["issues"][0]
    assert row["issue"] == "territory" and row["observed"] == 20.0
    assert row["error"] == abs(row["median"] - 20.0) and row["low"] <= row["median"] <= row["high"]
    assert "status" in report["not_scored"] and "0 =" in report["scale"]


def test_case_backtest_errors(tmp_path: Path):
    cases = {
        GOOD.replace("observed: 2020-11-10", "observed: 2010-01-01"): "not after the case's as_of",
        GOOD.replace("territory:", "moon:"): "no issue 'moon'",
        GOOD.replace("value: 20", "value: 120"): "outside",
        GOOD.replace(
            "    evidence: a test value, not a record of events\n", ""
        ): "needs a value and its evidence",
        GOOD.replace("nagorno-karabakh-2013", "other-case"): "scores case 'other-case'",
        "case: [unclosed\n": "not valid YAML",
    }
    for body, message in cases.items():
        result = runner.invoke(
            app, ["backtest", "case", "nagorno-karabakh-2013", "--outcome", str(_outcome(tmp_path, body))]
        )
        assert result.exit_code == 1, body
        assert message in result.output and "out.yaml" in result.output and "Traceback" not in result.output
    line = runner.invoke(
        app,
        [
            "backtest",
            "case",
            "nagorno-karabakh-2013",
            "--outcome",
            str(_outcome(tmp_path, GOOD.replace("value: 20", "value: 120"))),
        ],
    )
    assert "out.yaml:4" in line.output


def test_deu_file_without_outcomes(tmp_path: Path):
    path = tmp_path / "none.tsv"
    path.write_text("prnr\tisnr\tpcom\tscom\tpep\tsep\tout\nd1\ti1\t50\t50\t50\t50\t\n")
    result = runner.invoke(app, ["backtest", "deu", str(path), "--models", "compromise"])
    assert result.exit_code == 1 and "no issue has an outcome" in result.output


def test_case_backtest_scores_the_headline_of_accord_run(tmp_path: Path):
    """The forecast scored is the one `accord run` prints: same median and 80% interval."""
    import accord

    result = runner.invoke(
        app,
        ["backtest", "case", "nagorno-karabakh-2013", "--outcome", str(_outcome(tmp_path, GOOD)), "--json"],
    )
    row = json.loads(result.stdout)["issues"][0]
    run = accord.run("nagorno-karabakh-2013", draws=256)
    assert row["median"] == run.forecast["territory"]
    assert (row["low"], row["high"]) == run.interval()["territory"]
    assert "DEU model error" in row["model"]
