"""``accord token``, ``accord report`` and ``accord serve`` (its argument checks), through a Typer app built
from the functions of :mod:`accord.cli.web_cmd` (the lead registers them in ``accord.cli.main``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from accord.cli import web_cmd
from accord.cli.main import main
from accord.web import db as webdb
from accord.web.tokens import TokenStore


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    app = typer.Typer()
    app.command("serve")(web_cmd.serve)
    app.command("report")(web_cmd.report)
    app.add_typer(web_cmd.token_app, name="token")
    return app


def test_token_create_list_revoke(
    cli: typer.Typer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    created = runner.invoke(cli, ["token", "create", "--name", "analyst", "--db", db])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[0]
    assert re.fullmatch(r"acc_[A-Za-z0-9_-]{20,}", token)
    store = TokenStore(webdb.connect(db))
    assert store.verify(token) == 1
    listed = runner.invoke(cli, ["token", "list", "--db", db, "--json"])
    assert listed.exit_code == 0 and '"name": "analyst"' in listed.stdout and token not in listed.stdout
    assert runner.invoke(cli, ["token", "revoke", "1", "--db", db]).exit_code == 0
    assert store.verify(token) is None
    code, output = _accord(["token", "revoke", "1", "--db", db], capsys)
    assert code == 1 and "no active token" in output


def test_report_writes_one_self_contained_file(cli: typer.Typer, tmp_path: Path, corpus_dir: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--draws", "20", "--corpus", str(corpus_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.count("<script") == html.count("</script>") == 4
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html)  # nothing loaded from anywhere
    assert "Plotly" in html and 'id="accord-data"' in html and "nagorno-karabakh-2020" in html


def _accord(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the real entry point (which renders errors in one place); its exit code and all it printed."""
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def test_report_reports_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _accord(
        ["report", "--scenario", "no-such-scenario", "-o", str(tmp_path / "r.html")], capsys
    )
    assert code == 1 and "scenario not found" in output
    code, output = _accord(["report", "--model", "oracle", "-o", str(tmp_path / "r.html")], capsys)
    assert code == 2 and "unknown model" in output
    assert not (tmp_path / "r.html").exists()


def test_serve_refuses_a_database_it_cannot_open(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _accord(["serve", "--db", "oracle://nowhere/x"], capsys)
    assert code == 1 and "hint" in output
