"""The command line as a user meets it: exit codes, messages, JSON, and never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from accord import __version__
from accord.cli.main import app

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HARBOUR = FIXTURES / "harbour.yaml"
runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_validate_valid_case_prints_one_line_summary():
    result = runner.invoke(app, ["case", "validate", str(HARBOUR), "--corpus", str(FIXTURES / "corpus")])
    assert result.exit_code == 0
    assert "valid case 'harbour'" in result.output and "checked against the corpus" in result.output


def test_validate_invalid_case_exit_1_with_positions(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(HARBOUR.read_text().replace("kind: organisation", "kind: guild").replace("to: highmere", "to: nobody"))
    result = runner.invoke(app, ["case", "validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:" in result.output and "actors[2].kind" in result.output
    assert "Traceback" not in result.output


def test_validate_json(tmp_path):
    result = runner.invoke(app, ["case", "validate", str(HARBOUR), "--json"])
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["valid"] is True and data["problems"] == []
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\n")
    result = runner.invoke(app, ["case", "validate", str(bad), "--json"])
    data = json.loads(result.output)
    assert result.exit_code == 1 and data["valid"] is False
    assert {p["path"] for p in data["problems"]} >= {"case", "actors", "issues"}


def test_usage_errors_exit_2():
    assert runner.invoke(app, ["case", "validate"]).exit_code == 2
    assert runner.invoke(app, ["case", "validate", str(HARBOUR), "--corpus", "/no/such/dir"]).exit_code == 2
    assert runner.invoke(app, ["case", "frobnicate"]).exit_code == 2


def test_missing_file_is_exit_1():
    result = runner.invoke(app, ["case", "validate", "no-such-case.yaml"])
    assert result.exit_code == 1 and "file not found" in result.output


def test_show_and_schema():
    result = runner.invoke(app, ["case", "show", str(HARBOUR)])
    assert result.exit_code == 0
    for title in ("Actors", "Issues", "Stances", "Relations", "Timeline"):
        assert title in result.output
    schema = json.loads(runner.invoke(app, ["case", "schema"]).output)
    assert "actors" in schema["properties"] and "Pointer" in schema["$defs"]


def test_evidence_locate_prints_a_pointer_that_validates():
    result = runner.invoke(app, ["evidence", "locate", "guild-letter", "little say", "--corpus", str(FIXTURES / "corpus"), "--json"])
    assert result.exit_code == 0
    pointer = json.loads(result.output)
    text = (FIXTURES / "corpus" / "guild-letter.txt").read_text(encoding="utf-8")
    assert text[pointer["start"] : pointer["end"]].startswith("The guild has little say")
    missing = runner.invoke(app, ["evidence", "locate", "guild-letter", "no such words", "--corpus", str(FIXTURES / "corpus")])
    assert missing.exit_code == 1 and "does not occur" in missing.output


def test_run_json_document_shape():
    result = runner.invoke(app, ["run", str(HARBOUR), "--model", "median", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["case"] == "harbour" and doc["model"] == "median"
    assert set(doc["rounds"][0]["positions"]) == {"lowmere", "highmere", "guild"}
    assert set(doc["forecast"]) == {"harbour"}


def test_run_unknown_model_exit_2():
    assert runner.invoke(app, ["run", str(HARBOUR), "--model", "oracle"]).exit_code == 2


def test_installed_entry_point_never_prints_a_traceback(tmp_path):
    """The real console script, on a binary file: a clear message and exit 1."""
    binary = tmp_path / "case.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    exe = Path(sys.executable).parent / "accord"
    proc = subprocess.run([str(exe), "case", "validate", str(binary)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "not UTF-8" in proc.stderr


def test_run_title_says_how_many_turns_the_smp_took():
    result = runner.invoke(app, ["run", "--model", "smp"])
    assert result.exit_code == 0, result.output
    assert "of at most 100 turns" in " ".join(result.output.split())
