"""The command line as a user meets it: exit codes, messages, JSON, and never a traceback."""

from __future__ import annotations

import json
import os
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
    bad.write_text(
        HARBOUR.read_text().replace("kind: organisation", "kind: guild").replace("to: highmere", "to: nobody")
    )
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
    result = runner.invoke(
        app,
        ["evidence", "locate", "guild-letter", "little say", "--corpus", str(FIXTURES / "corpus"), "--json"],
    )
    assert result.exit_code == 0
    pointer = json.loads(result.output)
    text = (FIXTURES / "corpus" / "guild-letter.txt").read_text(encoding="utf-8")
    assert text[pointer["start"] : pointer["end"]].startswith("The guild has little say")
    missing = runner.invoke(
        app, ["evidence", "locate", "guild-letter", "no such words", "--corpus", str(FIXTURES / "corpus")]
    )
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
    proc = subprocess.run(
        [str(exe), "case", "validate", str(binary)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "not UTF-8" in proc.stderr


def test_run_title_says_how_many_turns_the_smp_took():
    result = runner.invoke(app, ["run", "--model", "smp"])
    assert result.exit_code == 0, result.output
    assert "of at most 100 turns" in " ".join(result.output.split())


# ---- one run, one shape; the terminal -------------------------------------------------------------

CORE = {"forecast", "status_quo", "rounds"}


def _json(args: list[str]) -> dict:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_run_json_has_the_same_keys_with_and_without_draws(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACCORD_DB", raising=False)
    point = _json(["run", str(HARBOUR), "--model", "median", "--draws", "0", "--json"])
    dist = _json(["run", str(HARBOUR), "--model", "median", "--draws", "50", "--no-store", "--json"])
    default = _json(["run", str(HARBOUR), "--model", "median", "--json"])
    assert list(point) == list(dist) == list(default)
    assert CORE <= set(point)
    assert point["headline"] == "point" and dist["headline"] == "distribution" and default["draws"] == 256
    assert dist["point_forecast"] == point["forecast"]  # the point run, labelled for what it is
    for doc in (point, dist, default):
        assert set(doc["rounds"][0]) == {"round", "positions", "outcome"}
        assert isinstance(doc["forecast"]["harbour"], float) and isinstance(
            doc["status_quo"]["harbour"], float
        )
    assert not (tmp_path / "accord.db").exists()  # a plain run records nothing


def test_run_headline_is_the_distribution_and_says_what_the_scale_means():
    result = runner.invoke(app, ["run", "--model", "eum", "--draws", "64", "--no-store", "-q"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "distribution over 64 draws" in out and "80%" in out and "point run" in out.lower()
    assert "Point run: the model once on the point estimates" in out
    assert "territory: 0 = " in out and "; 100 = " in out  # every forecast carries its scale's meaning
    assert "status quo" in out and "90.0" in out  # the case's status quo of territory


def test_run_says_how_readings_are_pooled_and_which_carry_over():
    """Issue 10, point 1: the pooling rule beside a pooled forecast, with the carry-overs and the switch."""
    out = " ".join(runner.invoke(app, ["run", "--draws", "0", "--no-store", "-q"]).output.split())
    assert "Readings: Where several texts read one number" in out
    assert "1 carry-over reading(s) from before the case's period (`--no-carry-over` drops them)" in out
    dropped = " ".join(
        runner.invoke(app, ["run", "--draws", "0", "--no-store", "-q", "--no-carry-over"]).output.split()
    )
    assert "Readings: " in dropped and "carry-over reading" not in dropped


def test_threshold_without_draws_is_an_error():
    result = runner.invoke(
        app, ["run", str(HARBOUR), "--model", "median", "--draws", "0", "-t", "harbour>=50"]
    )
    assert result.exit_code == 2 and "--draws" in result.output
    result = runner.invoke(app, ["compare", "-t", "territory>=50"])
    assert result.exit_code == 2 and "probability over draws" in " ".join(result.output.split())


def test_compare_without_arguments_says_what_it_compared():
    result = runner.invoke(app, ["compare", "--model", "median"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Compared: the case nagorno-karabakh-2020 as it is" in out and "status quo" in out


def test_read_only_commands_do_not_create_a_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACCORD_DB", raising=False)
    listed = runner.invoke(app, ["runs", "list"])
    assert listed.exit_code == 0 and "no stored runs" in listed.output
    shown = runner.invoke(app, ["runs", "show", "20260101"])
    assert shown.exit_code == 1 and "no runs database" in shown.output and "hint:" in shown.output
    tokens = runner.invoke(app, ["token", "list"])
    assert tokens.exit_code == 1 and "no database" in tokens.output
    assert list(tmp_path.iterdir()) == []


def test_identifiers_are_never_cut_at_80_columns(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    scenario = "russia-sides-with-azerbaijan"
    run = runner.invoke(
        app, ["run", "--scenario", scenario, "--model", "eum", "--draws", "20", "-q", "--db", "r.db"]
    )
    assert run.exit_code == 0, run.output
    run_id = run.output.split("stored as run ")[1].split()[0]
    listed = runner.invoke(app, ["runs", "list", "--db", "r.db"])
    assert run_id in listed.output and scenario in run.output
    assert "…" not in run.output + listed.output
    for line in (run.output + listed.output).splitlines():
        assert len(line) <= 80 or "stored as run" in line or line.startswith(("SQ stable", "  ")), line


def test_errors_are_rendered_in_one_place_with_a_hint():
    result = runner.invoke(app, ["run", "--executor", "spark"])
    assert result.exit_code == 2
    assert "error: unknown executor 'spark'" in result.output and "hint: choose one of" in result.output
    assert "Traceback" not in result.output


def _modules_after(argv: list[str], tmp_path: Path) -> set[str]:
    code = (
        "import sys; sys.argv = ['accord', *sys.argv[1:]]\n"
        "from accord.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('MODULES ' + ' '.join(sorted(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    return set(proc.stderr.rsplit("MODULES ", 1)[1].split())


HEAVY = ("pandas", "sqlalchemy", "accord.store", "accord.corpus.documents", "accord.web", "pyarrow", "dask")


def test_version_imports_nothing_heavy(tmp_path):
    loaded = _modules_after(["--version"], tmp_path)
    for name in (*HEAVY, "numpy", "typer", "pydantic", "accord.case", "accord.api", "accord.cli.run_cmd"):
        assert not any(m == name or m.startswith(name + ".") for m in loaded), name


def test_run_imports_neither_pandas_nor_sqlalchemy(tmp_path):
    loaded = _modules_after(["run", "--draws", "0"], tmp_path)
    assert "accord.cli.run_core" in loaded and "numpy" in loaded
    for name in (*HEAVY, "accord.cli.corpus_cmd"):
        assert not any(m == name or m.startswith(name + ".") for m in loaded), name


def test_compare_never_folds_a_scenario_id(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    names = ["russia-sides-with-azerbaijan", "russia-sides-with-armenia", "turkey-backing-grows"]
    result = runner.invoke(
        app, ["compare", "--model", "median", "-q", *[a for n in names for a in ("-s", n)]]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for name in names:  # each id whole on one line (a key column when they do not fit side by side)
        assert any(name in line for line in lines), name


def test_run_help_gives_one_paragraph_per_model_and_the_default_with_its_reason():
    from accord.engines.registry import DEFAULT_MODEL, ENGINES, MODEL_NOTES

    result = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    out = " ".join(result.output.replace("│", " ").split())
    assert f"{DEFAULT_MODEL} (default):" in out and "DEU III" in out and "MAE 23.6" in out
    for name in ENGINES:
        assert f"{name}{' (default)' if name == DEFAULT_MODEL else ''}: " in out
        assert " ".join(MODEL_NOTES[name].split()[:8]) in out


def test_every_command_lists_with_a_one_line_summary():
    """``--help`` of ``accord`` and of each group lists its commands by the first paragraph of their
    docstrings; a paragraph wrapped by hand shows its line breaks there, at any terminal width."""
    from accord.cli.main import COMMANDS

    groups = [[]] + [[name] for name, (_, _, kind) in COMMANDS.items() if kind == "group"]
    for group in groups:
        result = runner.invoke(app, [*group, "--help"], env={"COLUMNS": "250"})
        assert result.exit_code == 0, (group, result.output)
        panel = result.output.split("Commands", 1)[1].splitlines()[1:]
        rows = [line.strip("│ ") for line in panel if line.startswith("│")]
        wrapped = [line for line in panel if line.startswith("│" + " " * 6)]
        assert rows and not wrapped, (group, wrapped)


def test_the_cli_skips_pydantic_plugins_unless_the_user_sets_the_variable(tmp_path):
    code = (
        "import os, sys\n"
        "from accord.cli.main import main\n"
        "try:\n    main(['case', 'list'])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('VALUE ' + repr(os.environ.get('PYDANTIC_DISABLE_PLUGINS')))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    for given, expected in ((None, "'__all__'"), ("", "''"), ("logfire", "'logfire'")):
        run_env = env if given is None else {**env, "PYDANTIC_DISABLE_PLUGINS": given}
        argv = [sys.executable, "-c", code]
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=tmp_path, env=run_env)
        assert proc.stderr.rsplit("VALUE ", 1)[1] == expected, proc.stderr


def test_the_collector_runs_again_once_the_command_has_loaded():
    import gc

    from accord.cli.main import main

    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            try:
                main(["case", "list"])
            except SystemExit:
                pass
            assert gc.isenabled() is enabled  # paused only while the command's modules loaded
        finally:
            gc.enable()
