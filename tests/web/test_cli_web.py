"""``accord token``, ``accord report`` and ``accord serve`` (its argument checks), through a Typer app built
from the functions of :mod:`accord.cli.web_cmd` (the lead registers them in ``accord.cli.main``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from accord.cli import web_cmd
from accord.web import db as webdb
from accord.web.tokens import TokenStore


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    app = typer.Typer()
    app.command("serve")(web_cmd.serve)
    app.command("report")(web_cmd.report)
    app.add_typer(web_cmd.token_app, name="token")
    return app


def test_token_create_list_revoke(cli: typer.Typer, tmp_path: Path) -> None:
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
    again = runner.invoke(cli, ["token", "revoke", "1", "--db", db])
    assert again.exit_code == 1 and "no active token" in again.output


def test_report_writes_one_self_contained_file(cli: typer.Typer, tmp_path: Path, corpus_dir: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--draws", "20", "--corpus", str(corpus_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.count("<script") == html.count("</script>") == 4
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html)  # nothing loaded from anywhere
    assert "Plotly" in html and 'id="accord-data"' in html and "nagorno-karabakh-2020" in html


def test_report_reports_bad_input(cli: typer.Typer, tmp_path: Path) -> None:
    runner = CliRunner()
    bad_scenario = runner.invoke(cli, ["report", "--scenario", "no-such-scenario", "-o", str(tmp_path / "r.html")])
    assert bad_scenario.exit_code == 1 and "scenario not found" in bad_scenario.output
    assert runner.invoke(cli, ["report", "--model", "oracle", "-o", str(tmp_path / "r.html")]).exit_code == 2
    assert not (tmp_path / "r.html").exists()


def test_serve_refuses_a_database_it_cannot_open(cli: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", "oracle://nowhere/x"])
    assert result.exit_code == 1 and "hint" in result.output
