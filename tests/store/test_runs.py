"""The runs store: records read back intact, and a killed run leaves no half row."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from accord.api import store_run
from accord.scenarios.service import run_scenario
from accord.store.runs import RunStore, StorageError, outcomes_dir, resolve_db_url

HARBOUR = Path(__file__).resolve().parents[1] / "fixtures" / "harbour.yaml"
ACCORD = Path(sys.executable).parent / "accord"


def rows(db: Path, table: str = "runs") -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]


def test_db_url_and_outcomes_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("ACCORD_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_db_url() == f"sqlite:///{tmp_path / 'accord.db'}"
    monkeypatch.setenv("ACCORD_DB", str(tmp_path / "x" / "runs.db"))
    assert resolve_db_url().endswith("/x/runs.db")
    assert outcomes_dir(resolve_db_url()) == tmp_path / "x" / "runs-runs"
    assert resolve_db_url("postgresql://u@h/db").startswith("postgresql")
    monkeypatch.setenv("ACCORD_RUNS_DIR", str(tmp_path / "parquet"))
    assert outcomes_dir("postgresql://u@h/db") == tmp_path / "parquet"


def test_record_list_show_and_read_outcomes(tmp_path):
    db = tmp_path / "runs.db"
    store = RunStore(str(db))
    run = run_scenario(None, str(HARBOUR), model="mean", draws=300, seed=5, thresholds=["harbour>=50"])
    run_id = store_run(run, store=store)
    assert rows(db) == 1 and rows(db, "runs_issues") == 1
    listed = store.list()
    assert [r["id"] for r in listed] == [run_id]
    record = store.get(run_id[:12])
    assert (
        record["case_id"] == "harbour"
        and record["draws"] == 300
        and record["seed"] == 5
        and record["model"] == "compromise"  # the alias is recorded as its engine
    )
    assert record["summary"]["issues"]["harbour"]["median"] == pytest.approx(
        run.summary()["issues"]["harbour"]["median"]
    )
    assert record["thresholds"] == ["harbour>=50"] and record["versions"]["numpy"]
    assert len(record["case_hash"]) == 64 and record["params"]["block_draws"] == 256
    frame = store.outcomes(record)
    assert len(frame) == 300 and (frame["forecast"].to_numpy() == run.draws.forecast[:, 0]).all()
    assert not list((tmp_path / "runs-runs").glob(".*.tmp"))


def test_tampered_or_missing_outcomes_are_reported(tmp_path):
    store = RunStore(str(tmp_path / "r.db"))
    run_id = store_run(run_scenario(None, str(HARBOUR), model="median", draws=10), store=store)
    record = store.get(run_id)
    store.outcomes_path(record).write_bytes(b"changed")
    with pytest.raises(StorageError, match="does not match"):
        store.outcomes(record)
    with pytest.raises(StorageError, match="no run"):
        store.get("nope")


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the subprocess ended early: {proc.stderr.read() if proc.stderr else ''}")
        if time.monotonic() > end:
            raise AssertionError("the subprocess did not reach the point to kill it")
        time.sleep(0.05)


def test_a_run_killed_while_drawing_leaves_no_row(tmp_path):
    db = tmp_path / "runs.db"
    first = subprocess.run(
        [str(ACCORD), "run", str(HARBOUR), "--model", "mean", "--draws", "100", "--db", str(db), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert first.returncode == 0, first.stderr
    assert rows(db) == 1
    # a long run of the default case; killed once it is well into its draws
    proc = subprocess.Popen(
        [str(ACCORD), "run", "--draws", "2000000", "--db", str(db), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4)
    assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert rows(db) == 1 and rows(db, "runs_issues") == 1
    assert len(list((tmp_path / "runs-runs").glob("*.parquet"))) == 1


def test_a_run_killed_inside_the_database_transaction_leaves_no_row(tmp_path):
    """The process dies after inserting the run row but before the commit: the database rolls it back."""
    db, marker = tmp_path / "runs.db", tmp_path / "inside-transaction"
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        import sqlalchemy as sa
        from accord.api import store_run
        from accord.scenarios.service import run_scenario
        from accord.store.runs import RunStore, runs

        store = RunStore({str(db)!r})
        # one complete run
        store_run(run_scenario(None, {str(HARBOUR)!r}, model="mean", draws=50), store=store)

        @sa.event.listens_for(store.engine, "after_execute")
        def pause(conn, clauseelement, *args):
            if getattr(clauseelement, "table", None) is runs:
                Path({str(marker)!r}).write_text("in")
                time.sleep(120)

        store_run(run_scenario(None, {str(HARBOUR)!r}, model="mean", draws=50), store=store)
    """)
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_for(marker, proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert rows(db) == 1 and rows(db, "runs_issues") == 1
    ids = [r["id"] for r in RunStore(str(db)).list()]
    assert len(ids) == 1


def test_one_store_serves_several_threads(tmp_path):
    """Worker threads sharing one store (as the web app does) all record their runs."""
    from concurrent.futures import ThreadPoolExecutor

    store = RunStore(str(tmp_path / "threads.db"))
    runs = [run_scenario(None, str(HARBOUR), model="median", draws=20, seed=s) for s in range(8)]
    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda r: store_run(r, store=store), runs))
    assert len(set(ids)) == 8 and rows(tmp_path / "threads.db") == 8
