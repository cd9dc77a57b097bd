"""A bounded load generator for the web app, on loopback only: concurrent clients reading and starting runs.

Used by ``benchmarks/bench_web.py`` (20 clients for 60 s against a server in its own process) and by a
short test (a few seconds, no timing assertions). Each client loops until the deadline: mostly reads
(cases, views, evidence, run lists and results, a dashboard page) and, now and then, a small run. At the
end every run started must reach ``done``: a run that is missing or unfinished counts as lost.
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlparse

import httpx
import numpy as np

__all__ = ["LoadReport", "run_load", "spawn_server"]

CASE = "nagorno-karabakh-2020"
READS = [
    "/api/cases",
    f"/api/cases/{CASE}",
    f"/api/cases/{CASE}/network",
    f"/api/cases/{CASE}/timeline",
    f"/api/cases/{CASE}/positions",
    f"/api/cases/{CASE}/evidence?ref=stance/russia/territory/position",
    f"/api/cases/{CASE}/evidence?ref=issue/status/status_quo",
    "/api/runs?limit=20",
    "/api/scenarios",
    "/api/health",
    f"/positions?case={CASE}",
]


@dataclass
class LoadReport:
    clients: int
    seconds: float
    requests: int = 0
    errors: int = 0
    statuses: Counter = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)
    runs_started: int = 0
    runs_done: int = 0
    runs_failed: int = 0
    runs_lost: int = 0
    settle_s: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.latencies_ms, q)) if self.latencies_ms else 0.0

    def summary(self) -> str:
        return (
            f"{self.clients} clients, {self.seconds:.1f} s: {self.requests} requests, {self.rps:.1f} req/s, "
            f"p50 {self.percentile(50):.1f} ms, p95 {self.percentile(95):.1f} ms, p99 "
            f"{self.percentile(99):.1f} ms, "
            f"errors {self.errors}; runs started {self.runs_started}, done {self.runs_done}, "
            f"failed {self.runs_failed}, lost {self.runs_lost} (all finished {self.settle_s:.1f} s after "
            "the load)"
        )


def _check_loopback(base_url: str) -> None:
    host = urlparse(base_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"load tests only target loopback addresses, not {host!r}")


async def _one(
    client: httpx.AsyncClient, report: LoadReport, method: str, path: str, **kwargs
) -> httpx.Response | None:
    t0 = time.perf_counter()
    try:
        response = await client.request(method, path, **kwargs)
    except httpx.HTTPError as exc:
        report.requests += 1
        report.errors += 1
        report.error_samples.append(f"{method} {path}: {type(exc).__name__}: {exc}"[:300])
        return None
    report.latencies_ms.append((time.perf_counter() - t0) * 1000)
    report.requests += 1
    report.statuses[response.status_code] += 1
    if response.status_code >= 400:
        report.errors += 1
        if len(report.error_samples) < 20:
            report.error_samples.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
    return response


async def _client_loop(
    client: httpx.AsyncClient,
    report: LoadReport,
    deadline: float,
    run_share: float,
    started: list[int],
    rng: random.Random,
    requests: int | None = None,
) -> None:
    """Until the deadline, or with ``requests`` exactly that many operations. A client picks what to do
    from its own random stream and reads back only runs it started itself, so with ``requests`` its
    sequence of operations does not depend on the timing of the others (a deterministic test)."""
    own: list[int] = []
    done = 0
    while (done < requests) if requests is not None else (time.monotonic() < deadline):
        done += 1
        if rng.random() < run_share:
            body = {
                "case": CASE,
                "model": rng.choice(["eum", "median", "mean"]),
                "draws": rng.choice([0, 5, 20]),
                "seed": rng.randrange(1000),
            }
            response = await _one(client, report, "POST", "/api/runs", json=body)
            if response is not None and response.status_code == 202:
                started.append(response.json()["id"])
                own.append(response.json()["id"])
                report.runs_started += 1
        elif own and rng.random() < 0.3:
            run_id = rng.choice(own)
            path = f"/api/runs/{run_id}" if rng.random() < 0.7 else f"/api/runs/{run_id}/result"
            response = await _one(client, report, "GET", path)
            if (
                response is not None and response.status_code == 409
            ):  # not finished yet: expected, not an error
                report.errors -= 1
                report.error_samples.pop() if report.error_samples else None
        else:
            await _one(client, report, "GET", rng.choice(READS))


async def _settle(client: httpx.AsyncClient, started: list[int], report: LoadReport, timeout: float) -> None:
    """Wait for every started run to finish; whatever is missing or unfinished at the timeout is lost."""
    t0 = time.monotonic()
    pending = set(started)
    while pending and time.monotonic() - t0 < timeout:
        for run_id in list(pending):
            response = await client.get(f"/api/runs/{run_id}")
            if response.status_code == 200 and response.json()["status"] in ("done", "failed"):
                pending.discard(run_id)
                if response.json()["status"] == "done":
                    report.runs_done += 1
                else:
                    report.runs_failed += 1
        if pending:
            await asyncio.sleep(0.2)
    report.runs_lost = len(pending)
    report.settle_s = time.monotonic() - t0


async def _run(
    base_url: str,
    token: str,
    clients: int,
    seconds: float,
    run_share: float,
    settle: float,
    seed: int,
    requests: int | None = None,
) -> LoadReport:
    report = LoadReport(clients=clients, seconds=seconds)
    started: list[int] = []
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients + 2, max_keepalive_connections=clients + 2)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60, limits=limits) as client:
        deadline = time.monotonic() + seconds
        t0 = time.monotonic()
        await asyncio.gather(
            *(
                _client_loop(client, report, deadline, run_share, started, random.Random(seed + k), requests)
                for k in range(clients)
            )
        )
        report.seconds = time.monotonic() - t0
        await _settle(client, started, report, settle)
    return report


def run_load(
    base_url: str,
    token: str,
    clients: int = 20,
    seconds: float = 60,
    run_share: float = 0.05,
    settle: float = 120,
    seed: int = 0,
    requests_per_client: int | None = None,
) -> LoadReport:
    """Drive ``base_url`` (loopback only) with ``clients`` concurrent clients for ``seconds``, or, with
    ``requests_per_client``, for exactly that many operations each (whatever the machine's speed)."""
    _check_loopback(base_url)
    return asyncio.run(_run(base_url, token, clients, seconds, run_share, settle, seed, requests_per_client))


def spawn_server(db: str, corpus: str | None, port: int) -> subprocess.Popen:
    """``uvicorn`` serving ``create_app(db, corpus)`` on 127.0.0.1:``port`` in a child process."""
    code = (
        "import uvicorn; from accord.web import create_app; "
        f"uvicorn.run(create_app({db!r}, {corpus!r}), host='127.0.0.1', port={port}, log_level='warning')"
    )
    return subprocess.Popen([sys.executable, "-c", code])


def wait_until_up(base_url: str, timeout: float = 30) -> None:
    _check_loopback(base_url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(base_url + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server at {base_url} did not come up")
