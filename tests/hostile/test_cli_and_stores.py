"""Hostile input through the command line and into the stores: markup and escapes stay inert, case
references stay inside their folders, concurrent and repeated writes record once, debris is cleaned."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.api import store_run
from accord.cli.main import app
from accord.cli.render import printable, safe
from accord.corpus.documents import DocumentConflict, Store
from accord.corpus.readers import DocumentMeta, SourceText
from accord.scenarios.language import ScenarioError
from accord.scenarios.service import load_scenario, run_scenario
from accord.store import runs as runs_module
from accord.store.runs import RunStore
from tests.hostile import corpus

runner = CliRunner()


@pytest.mark.parametrize(("label", "text"), corpus.markup_cases())
def test_case_show_prints_markup_and_escapes_as_text(tmp_path: Path, label: str, text: str) -> None:
    path = tmp_path / "markup.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["case", "show", str(path)], terminal_width=400)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output and "\u202e" not in result.output
    if "[/OSCE]" in label:
        assert "[/OSCE]" in result.output
    if "[link=" in label:
        assert "[link=https://example.org]" in result.output  # shown, not turned into a hyperlink


def test_escape_helpers_make_text_inert() -> None:
    assert printable("a\x1b[31mb\x07\u202e") == "a\\x1b[31mb\\x07\\u202e"
    assert safe("[/OSCE]") == "\\[/OSCE]"
    assert printable("tab\tand\nnewline stay") == "tab\tand\nnewline stay"


def test_corpus_list_survives_markup_in_titles(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    doc = tmp_path / "note.txt"
    doc.write_text("A short note. It has two sentences.", encoding="utf-8")
    added = runner.invoke(app, ["corpus", "add", str(doc), "--db", db, "--title", "[/x] \x1b[2J title"])
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["corpus", "list", "--db", db], terminal_width=300)
    assert listed.exit_code == 0 and "[/x]" in listed.output and "\x1b" not in listed.output


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--id", "x[/y]", "is not a document id"),
        ("--id", "../up", "is not a document id"),
        ("--date", "2020-02-30", "not a date of the calendar"),
        ("--date", "yesterday", "is not a date"),
    ],
)
def test_corpus_add_checks_id_and_date(tmp_path: Path, option: str, value: str, expected: str) -> None:
    doc = tmp_path / "note.txt"
    doc.write_text("A note.", encoding="utf-8")
    result = runner.invoke(app, ["corpus", "add", str(doc), "--db", str(tmp_path / "c.db"), option, value])
    assert result.exit_code == 2 and expected in result.output and "Traceback" not in result.output


def test_same_named_file_from_another_folder_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    for folder, text in (("a", "First text."), ("b", "Another text.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(text, encoding="utf-8")
    assert (
        runner.invoke(app, ["corpus", "add", str(tmp_path / "a" / "report.txt"), "--db", db]).exit_code == 0
    )
    refused = runner.invoke(app, ["corpus", "add", str(tmp_path / "b" / "report.txt"), "--db", db])
    assert refused.exit_code == 1 and "has the same name" in refused.output and "--replace" in refused.output
    replaced = runner.invoke(
        app, ["corpus", "add", str(tmp_path / "b" / "report.txt"), "--db", db, "--replace"]
    )
    assert replaced.exit_code == 0 and "new version" in replaced.output
    with Store(db) as store, pytest.raises(DocumentConflict):
        store.add(
            SourceText(
                "report", "Third text.", "text", store.documents()[0].meta, tmp_path / "a" / "report.txt"
            )
        )


def test_concurrent_ingest_of_one_new_document_is_idempotent(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    Store(db).close()
    source = SourceText(
        "shared-doc",
        "One text. Sent by twenty clients at once.",
        "text",
        DocumentMeta(),
        Path("web-upload/shared-doc"),
    )
    results, errors = [], []
    barrier = threading.Barrier(20)

    def add() -> None:
        with Store(db) as store:
            barrier.wait()
            try:
                results.append(store.add(source).status)
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=add) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(results) == ["added"] + ["unchanged"] * 19
    assert Store(db).counts()["versions"] == 1


@pytest.mark.parametrize("ref", corpus.CASE_REFS)
def test_scenario_case_reference_stays_in_allowed_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ref: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "outside.yaml").write_text(corpus.HARBOUR_TEXT, encoding="utf-8")
    (work / "link-out.yaml").symlink_to(tmp_path / "outside.yaml")
    scenario = work / "probe.yaml"
    scenario.write_text(corpus.scenario_with_case(ref), encoding="utf-8")
    monkeypatch.chdir(work)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(scenario)
    (problem,) = caught.value.problems
    assert problem.path == "case" and problem.line == 4 and "neither a built-in case" in problem.message
    result = runner.invoke(app, ["scenarios", "validate", str(scenario)])
    assert (
        result.exit_code == 1 and "root:" not in result.output and "neither a built-in case" in result.output
    )


def test_scenario_case_beside_the_scenario_still_loads(tmp_path: Path) -> None:
    (tmp_path / "harbour.yaml").write_text(corpus.HARBOUR_TEXT, encoding="utf-8")
    scenario = tmp_path / "probe.yaml"
    scenario.write_text(corpus.scenario_with_case("harbour.yaml"), encoding="utf-8")
    assert load_scenario(scenario)[1].id == "harbour"


def test_debris_of_killed_runs_is_removed_at_start(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    store = RunStore(str(db))
    kept = store_run(
        run_scenario(None, str(corpus.FIXTURES / "harbour.yaml"), model="mean", draws=10), store=store
    )
    folder = store.runs_dir
    old = time.time() - runs_module.DEBRIS_AGE_S - 60
    debris = [folder / ".20200101-000000-aaaaaa.parquet.tmp", folder / "20200101-000000-bbbbbb.parquet"]
    young = folder / ".20990101-000000-cccccc.parquet.tmp"  # may belong to a run being written right now
    for path in (*debris, young):
        path.write_bytes(b"partial")
    for path in debris:
        os.utime(path, (old, old))
    store.close()
    reopened = RunStore(str(db))
    assert [r["id"] for r in reopened.list()] == [kept]
    assert not any(p.exists() for p in debris) and young.exists()
    assert (folder / f"{kept}.parquet").exists()


def test_a_keyed_run_is_recorded_once_whatever_the_repeat(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    store = RunStore(str(db))
    run = run_scenario(None, str(corpus.FIXTURES / "harbour.yaml"), model="mean", draws=10)
    first = store_run(run, store=store, key="web-run:7")
    again = store_run(run, store=store, key="web-run:7")  # the server was killed after the commit and resumed
    assert first == again
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from runs").fetchone()[0] == 1
    assert len(list(store.runs_dir.glob("*.parquet"))) == 1
    assert store_run(run, store=store, key="web-run:8") != first
