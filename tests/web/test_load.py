"""A short load test on loopback (a few seconds per database): no errors, no lost runs. Timings are printed,
not asserted; ``benchmarks/bench_web.py`` runs the full 60-second version."""

from __future__ import annotations

from pathlib import Path

from accord.web import create_app
from accord.web.server import ServerThread
from tests.web.load import run_load


def test_concurrent_reads_and_runs_lose_nothing(db_url: str, corpus_dir: Path) -> None:
    app = create_app(db_url, corpus_dir)
    token = app.state.accord.tokens.create("load")[0]
    with ServerThread(app) as url:
        report = run_load(url, token, clients=10, seconds=4, run_share=0.1, settle=60)
    print("\n" + report.summary())
    assert report.requests > 20 and report.runs_started > 0
    assert report.errors == 0, report.error_samples
    assert report.runs_lost == 0 and report.runs_failed == 0
    assert report.runs_done == report.runs_started
