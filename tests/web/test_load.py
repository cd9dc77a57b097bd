"""A short load test on loopback: concurrent clients reading and starting runs lose nothing.

Deterministic: each client performs a fixed number of operations chosen from its own seeded stream (not
"as many as fit in 4 seconds", which failed on a loaded machine), so the counts asserted here are the
same on every run. Timings are printed, never asserted; ``benchmarks/bench_web.py`` runs the timed version.
"""

from __future__ import annotations

from pathlib import Path

from accord.web import create_app
from accord.web.server import ServerThread
from tests.web.load import run_load

CLIENTS, REQUESTS = 10, 12


def test_concurrent_reads_and_runs_lose_nothing(db_url: str, corpus_dir: Path) -> None:
    app = create_app(db_url, corpus_dir)
    token = app.state.accord.tokens.create("load")[0]
    with ServerThread(app) as url:
        report = run_load(
            url, token, clients=CLIENTS, run_share=0.1, settle=120, requests_per_client=REQUESTS
        )
    print("\n" + report.summary())
    assert report.requests == CLIENTS * REQUESTS  # every operation was made and answered
    assert report.runs_started > 0  # fixed by the seeds: some clients start runs
    assert report.errors == 0, report.error_samples
    assert report.runs_lost == 0 and report.runs_failed == 0
    assert report.runs_done == report.runs_started
