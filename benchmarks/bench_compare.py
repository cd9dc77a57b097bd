"""The Compare view's and the what-if toggles' figures, over HTTP on a fresh server.

Run: ``.venv/bin/python benchmarks/bench_compare.py [--draws N] [--json]``

* perspectives: ``GET /api/compare?kind=perspectives&case=nagorno-karabakh-2020`` (the pooled reading and
  one variant per source, 6 in all), cold (computed) and warm (the slowest of five cached answers);
* cases: ``GET /api/compare?kind=cases&case=nagorno-karabakh-2013&case=nagorno-karabakh-2020``, the same;
* what-if from the *Russian military intervention* scenario with ``fighting-on-armenia-territory`` set
  (the alliance clause fires): the point forecast only, and with 200 draws.
A fresh app on a temporary SQLite file, served by uvicorn in a thread on 127.0.0.1. Wall-clock figures
depend on the machine's load; the process's CPU seconds are printed beside them. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "nagorno-karabakh"
CASE = "nagorno-karabakh-2020"


def _timed(call: object) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    call()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu


def figures(draws: int) -> dict[str, float]:
    from accord.web import create_app
    from accord.web.server import ServerThread

    out: dict[str, float] = {}
    app = create_app(str(Path(tempfile.mkdtemp(prefix="accord-bench-compare-")) / "accord.db"), CORPUS)
    kinds = {
        "perspectives": {"kind": "perspectives", "case": [CASE], "draws": draws},
        "cases": {"kind": "cases", "case": ["nagorno-karabakh-2013", CASE], "draws": draws},
    }
    with ServerThread(app) as url, httpx.Client(base_url=url, timeout=600) as client:
        for name, params in kinds.items():
            get = lambda p=params: client.get("/api/compare", params=p).raise_for_status()  # noqa: E731
            out[f"{name}_cold_s"], out[f"{name}_cold_cpu_s"] = _timed(get)
            out[f"{name}_warm_max_s"] = max(_timed(get)[0] for _ in range(5))
        body = {
            "changes": [],
            "scenario": "russian-military-intervention",
            "states": {"fighting-on-armenia-territory": True},
        }

        def post(n: int) -> httpx.Response:
            return client.post(f"/api/cases/{CASE}/whatif", json={**body, "draws": n}).raise_for_status()

        for n, key in ((0, "whatif_state_point_s"), (200, "whatif_state_200_draws_s")):
            out[key], _ = _timed(lambda n=n: post(n))
        fired = post(0).json()["triggers"]
        out["alliance_clause_fired_round"] = float(fired[0]["fired_round"] or 0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=200, help="draws per variant (default 200)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    found = figures(args.draws)
    if args.json:
        print(json.dumps(found, indent=1))
        return
    print(f"Compare and what-if over HTTP ({args.draws} draws per compared variant)")
    for key, value in found.items():
        print(f"  {key:34} {value:8.3f}")


if __name__ == "__main__":
    main()
