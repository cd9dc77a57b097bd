"""The runs store on a real PostgreSQL server (started by `make test`): record, list, show, read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.api import store_run
from accord.scenarios.service import run_scenario
from accord.store.runs import RunStore

HARBOUR = Path(__file__).resolve().parents[1] / "fixtures" / "harbour.yaml"


def test_record_and_read_back_on_postgres(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("ACCORD_RUNS_DIR", str(tmp_path / "parquet"))
    store = RunStore(pg_url)
    run = run_scenario(None, str(HARBOUR), model="median", draws=257, seed=11, thresholds=["harbour>=50"])
    run_id = store_run(run, store=store)
    assert run_id in [r["id"] for r in store.list()]
    record = store.get(run_id)
    assert record["draws"] == 257 and record["seed"] == 11 and record["thresholds"] == ["harbour>=50"]
    assert record["summary"]["issues"]["harbour"]["median"] == pytest.approx(
        run.summary()["issues"]["harbour"]["median"]
    )
    frame = store.outcomes(record)
    assert len(frame) == 257 and (frame["forecast"].to_numpy() == run.draws.forecast[:, 0]).all()
    assert list((tmp_path / "parquet").glob("*.parquet"))
