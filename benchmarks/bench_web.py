"""Load test of the web app on loopback: concurrent clients reading and starting small runs.

Run: ``.venv/bin/python benchmarks/bench_web.py [--clients 20] [--seconds 60] [--db URL] [--corpus DIR]``

Starts ``uvicorn`` with the app in a child process on 127.0.0.1 and a free port (SQLite in a temporary
folder unless ``--db`` is given; a PostgreSQL URL works too), creates a token, then drives it with
``--clients`` concurrent clients for ``--seconds`` (see ``tests/web/load.py``: mostly reads of cases,
views, evidence and runs, about one request in twenty starts a small run of 0-20 draws). Afterwards every
run started must finish. Prints requests per second, latency percentiles, errors and lost runs; figures
are printed, not asserted. Only loopback addresses are ever contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from accord.web.db import connect  # noqa: E402
from accord.web.server import free_port  # noqa: E402
from accord.web.tokens import TokenStore  # noqa: E402
from tests.web.load import run_load, spawn_server, wait_until_up  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", help="database URL or SQLite path (default: a temporary SQLite file)")
    parser.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus" / "nagorno-karabakh"))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="accord-bench-web-"))
    db = args.db or str(scratch / "accord.db")
    os.environ.setdefault(
        "ACCORD_RUNS_DIR", str(scratch / "runs")
    )  # recorded runs' Parquet files (PostgreSQL)
    engine = connect(db)
    token = TokenStore(engine).create("bench")[0]
    engine.dispose()
    port = free_port()
    corpus = args.corpus if Path(args.corpus).is_dir() else None
    server = spawn_server(db, corpus, port)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        report = run_load(base, token, clients=args.clients, seconds=args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"web load test ({'SQLite' if '://' not in db else db.split('://')[0]}): {report.summary()}")
    print(f"status codes: {dict(sorted(report.statuses.items()))}")
    for sample in report.error_samples[:10]:
        print(f"  error: {sample}")
    if args.json:
        print(
            json.dumps(
                {
                    "clients": report.clients,
                    "seconds": report.seconds,
                    "requests": report.requests,
                    "rps": report.rps,
                    "p50_ms": report.percentile(50),
                    "p95_ms": report.percentile(95),
                    "p99_ms": report.percentile(99),
                    "errors": report.errors,
                    "runs_started": report.runs_started,
                    "runs_done": report.runs_done,
                    "runs_failed": report.runs_failed,
                    "runs_lost": report.runs_lost,
                }
            )
        )


if __name__ == "__main__":
    main()
