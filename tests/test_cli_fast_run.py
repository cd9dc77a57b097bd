"""``accord run`` without Typer on plain command lines (:mod:`accord.cli.fast_run`): the same arguments,
output, errors and exit codes as through Typer, which stays the command's definition."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, get_type_hints

import pytest
import typer
from typer.testing import CliRunner

from accord.cli import fast_run, run_cmd
from accord.cli.main import build_app


def _typer_command() -> Any:
    return typer.main.get_command(build_app("run")).commands["run"]  # type: ignore[attr-defined]


def test_the_table_is_typer_s_command_option_by_option():
    command = _typer_command()
    hints = get_type_hints(run_cmd.run, include_extras=True)
    declared_options: dict[str, str] = {}
    declared_flags: dict[str, str] = {}
    for param in command.params:
        if param.param_type_name == "argument":
            assert param.name == "case" and fast_run.DEFAULTS["case"] == param.default
            continue
        names = [*param.opts, *param.secondary_opts]
        assert fast_run.DEFAULTS[param.name] == param.default, param.name
        if param.is_flag:
            declared_flags.update(dict.fromkeys(names, param.name))
            continue
        declared_options.update(dict.fromkeys(names, param.name))
        info = hints[param.name].__metadata__[0]
        for name in names:
            _, kind, least = fast_run.OPTIONS[name]
            assert least == info.min, name
            assert kind == ("list" if param.multiple else "int" if "int" in str(hints[param.name]) else "str")
    assert {k: v[0] for k, v in fast_run.OPTIONS.items()} == declared_options
    assert fast_run.FLAGS == declared_flags
    assert set(fast_run.DEFAULTS) == {p.name for p in command.params}


LINES = [
    [],
    ["--draws", "0", "--no-store", "-q", "--json"],
    ["builtin-case", "--model", "eum", "--draws=0", "--json"],
    ["--model", "smp", "-m", "eum", "--seed", "007", "--rounds", "3", "case.yaml"],
    ["-s", "scen", "-t", "territory>=50", "--threshold", "a<3", "--perspective", "src", "--no-carry-over"],
    [
        "--executor",
        "dask",
        "--workers",
        "2",
        "--scheduler",
        "tcp://x:1",
        "--chunk-size",
        "512",
        "--db",
        "x.db",
    ],
    ["--quiet", "--model="],
]


@pytest.mark.parametrize("argv", LINES)
def test_a_plain_command_line_gives_the_arguments_typer_gives(argv, monkeypatch):
    seen: dict[str, Any] = {}
    monkeypatch.setattr(run_cmd, "forecast", lambda **kw: seen.update(kw))
    result = CliRunner().invoke(build_app("run"), ["run", *argv])
    assert result.exit_code == 0, result.output
    assert fast_run.parse(argv) == seen


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["-h"],
        ["--draws", "-1"],
        ["--draws", "x"],
        ["--draws", "1.0"],
        ["--workers", "0"],
        ["--draws"],
        ["--model", "--json"],
        ["a.yaml", "b.yaml"],
        ["-qm", "eum"],
        ["-meum"],
        ["--", "a.yaml"],
        ["--bogus"],
        ["-"],
    ],
)
def test_anything_else_goes_to_typer(argv):
    assert fast_run.parse(argv) is None


def _accord(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    code = "import sys\nfrom accord.cli.main import main\nmain(sys.argv[1:])\n"
    return subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def _without_timings(text: str) -> dict[str, Any]:
    data = json.loads(text)
    data.pop("timings", None)
    return data


@pytest.mark.parametrize("model", ["eum", "smp", "compromise"])
def test_the_run_is_the_same_without_typer_and_through_it(tmp_path, model):
    plain = _accord(["run", "--model", model, "--draws", "0", "--no-store", "--json", "-q"], tmp_path)
    through_typer = _accord(["run", "-qm", model, "--draws", "0", "--no-store", "--json"], tmp_path)
    assert plain.returncode == through_typer.returncode == 0, plain.stderr + through_typer.stderr
    assert _without_timings(plain.stdout) == _without_timings(through_typer.stdout)


BROKEN = """format: 1
case:
  id: Not An Id
  title: t
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["missing.yaml"],  # no such file
        ["broken.yaml"],  # the case's problems, listed, then typer.Exit
        ["--model", "nope"],  # an unknown model
        ["--executor", "spark"],  # a usage error of our own
        ["--draws", "0", "-t", "x>=5"],  # a threshold without draws
    ],
)
def test_errors_read_the_same_and_exit_the_same(tmp_path, argv):
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    plain = _accord(["run", "-q", *argv], tmp_path)
    through_typer = _accord(["run", "-q", *argv, "--"], tmp_path)  # "--": not plain, so Typer reads it
    assert fast_run.parse(["-q", *argv]) is not None
    assert plain.returncode == through_typer.returncode != 0
    assert plain.stdout == through_typer.stdout and plain.stderr == through_typer.stderr
    assert "Traceback" not in plain.stderr and "error:" in plain.stderr


def test_a_plain_point_run_loads_neither_typer_nor_click(tmp_path):
    code = (
        "import sys\nfrom accord.cli.main import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('MODULES ' + ' '.join(sorted(sys.modules)))\n"
    )
    argv = ["run", "--draws", "0", "--no-store", "-q", "--json"]
    proc = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=tmp_path)
    loaded = set(proc.stderr.rsplit("MODULES ", 1)[1].split())
    assert '"forecast"' in proc.stdout
    assert not any(m.split(".")[0] in ("typer", "click") for m in loaded)


def _console_script() -> str:
    script = Path(sys.executable).parent / "accord"
    assert script.exists(), script  # the package's console script, as installed in the environment
    return str(script)


def test_the_accord_command_ends_a_plain_run_without_teardown_and_loses_no_output(tmp_path):
    argv = ["run", "--model", "eum", "--draws", "0", "--no-store", "-q", "--json"]
    out = tmp_path / "out.json"
    with out.open("w") as f:  # a file, not a pipe: what is buffered must be flushed before the exit
        proc = subprocess.run(
            [_console_script(), *argv], stdout=f, stderr=subprocess.PIPE, text=True, cwd=tmp_path
        )
    in_process = _accord(argv, tmp_path)  # main(argv): a caller's process is never cut short
    assert proc.returncode == in_process.returncode == 0, proc.stderr
    assert _without_timings(out.read_text()) == _without_timings(in_process.stdout)


def test_a_run_that_stores_ends_the_usual_way_and_is_stored(tmp_path):
    db = tmp_path / "runs.db"
    proc = subprocess.run(
        [_console_script(), "run", "--draws", "0", "--db", str(db), "-q", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    run_id = json.loads(proc.stdout)["run_id"]
    listed = subprocess.run(
        [_console_script(), "runs", "list", "--db", str(db)], capture_output=True, text=True, cwd=tmp_path
    )
    assert listed.returncode == 0 and run_id and str(run_id) in listed.stdout, listed.stdout + listed.stderr


def test_a_caller_of_main_without_arguments_keeps_its_process(tmp_path):
    """Only the console script may skip the teardown: a script calling ``main()`` on its own command line
    gets the usual SystemExit and goes on."""
    code = (
        "import sys\nfrom accord.cli.main import main\nsys.argv = ['x', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    print('after main', exc.code)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "run", "--model", "eum", "--draws", "0", "--no-store", "-q", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("after main 0") and '"forecast"' in proc.stdout
