"""Issue 12, goal: parallel executors >= 1.6x the local one on two cores, both engines, 10,000 draws.

Run: ``.venv/bin/python benchmarks/bench_executors.py [--draws 10000] [--workers 2] [--models smp eum]``

Each (model, executor) runs in a fresh interpreter that loads the default case and calls ``run_draws``
twice with the same seed: ``cold`` (the pool or cluster starts inside the call) and ``warm`` (it is
reused, the case's problem shipped again once per worker). Printed per row:

- ``wall``: measured seconds of each call and of the whole process (start-up included);
- ``cpu``: this process's CPU during the call, and each worker's;
- ``quiet``: a projection for a quiet machine with one core per worker: this process's CPU plus the
  busiest worker's (the critical path; it ignores waiting, so it is a lower bound on the wall time);
- ``x local``: the local row's figure divided by this row's (the goal is >= 1.6), from measured wall
  and from the projection. On a shared machine (read the load average) only the projection means
  anything; on a quiet one both should agree.
- ``same``: the outcomes' hash equals the local executor's (seed for seed, chunk for chunk).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"


def outcome_hash(result) -> str:  # noqa: ANN001
    """SHA-256 of every per-draw array of a :class:`DrawResults` (forecast, stability, triggers, ...)."""
    h = hashlib.sha256()
    for name in ("forecast", "status_quo", "stable", "fired_round", "converged", "last_swing", "mean_path"):
        h.update(getattr(result, name).tobytes())
    return h.hexdigest()


def child(model: str, executor: str, draws: int, workers: int) -> dict:
    from accord.case.io import load_case
    from accord.scenarios.executors import start_method, worker_cpu
    from accord.scenarios.runner import RunSpec, run_draws

    method = start_method() if executor != "local" else "-"  # decided now, before any thread starts
    spec = RunSpec(load_case("nagorno-karabakh-2020"), model=model)
    calls = []
    for name in ("cold", "warm"):
        before = worker_cpu(executor, workers)
        c0, t0 = time.process_time(), time.perf_counter()
        result = run_draws(spec, draws, seed=0, executor=executor, workers=workers)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        after = worker_cpu(executor, workers)
        used = [after[k] - before.get(k, 0.0) for k in after]
        calls.append(
            {"call": name, "wall": wall, "cpu": cpu, "workers_cpu": used, "hash": outcome_hash(result)}
        )
    lifetime = worker_cpu(executor, workers)
    return {
        "calls": calls,
        "process_cpu": time.process_time(),
        "workers_lifetime_cpu": list(lifetime.values()),
        "start_method": method,
    }


def _run_child(model: str, executor: str, draws: int, workers: int) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--child", model, executor, str(draws), str(workers)],
        env={**os.environ, "PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    row = json.loads(out.stdout.strip().splitlines()[-1])
    row["process_wall"] = wall
    row["process_cpu_all"] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    # whole process on a quiet machine: the parent's own CPU plus its busiest worker's
    row["process_quiet"] = row["process_cpu"] + max(row["workers_lifetime_cpu"] or [0.0])
    return row


def report(model: str, rows: dict[str, dict]) -> None:
    local = rows["local"]
    print(
        f"  {'executor':<10} {'call':<8} {'wall s':>7} {'x local':>8} {'quiet s':>8} {'x local':>8} "
        f"{'this cpu':>8} {'workers cpu':>18}  same"
    )
    for executor, row in rows.items():
        entries = [(c["call"], c) for c in row["calls"]] + [("process", None)]
        for name, c in entries:
            if c is None:
                wall, quiet, cpu, wcpu = (
                    row["process_wall"],
                    row["process_quiet"],
                    row["process_cpu"],
                    row["workers_lifetime_cpu"],
                )
                lwall, lquiet = local["process_wall"], local["process_quiet"]
                same = ""
            else:
                wall, cpu, wcpu = c["wall"], c["cpu"], c["workers_cpu"]
                quiet = cpu + max(wcpu or [0.0])
                lc = next(x for x in local["calls"] if x["call"] == name)
                lwall, lquiet = lc["wall"], lc["cpu"]
                same = str(c["hash"] == lc["hash"])
            workers = " ".join(f"{w:.2f}" for w in wcpu) or "-"
            print(
                f"  {executor:<10} {name:<8} {wall:7.2f} {lwall / wall:8.2f} "
                f"{quiet:8.2f} {lquiet / quiet:8.2f} "
                f"{cpu:8.2f} {workers:>18}  {same}"
            )
    methods = {k: v["start_method"] for k, v in rows.items() if k != "local"}
    print(f"  worker start methods: {methods}; goal: x local >= 1.6 for both engines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--models", nargs="+", default=["smp", "eum"])
    parser.add_argument("--executors", nargs="+", default=["local", "processes", "dask"])
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        model, executor, draws, workers = args.child
        print(json.dumps(child(model, executor, int(draws), int(workers))))
        return
    print(f"{os.cpu_count()} CPUs, load average at start: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    for model in args.models:
        print(f"\n{model}: {args.draws} draws of nagorno-karabakh-2020, seed 0, {args.workers} workers")
        rows = {ex: _run_child(model, ex, args.draws, args.workers) for ex in args.executors}
        report(model, rows)
    print("\nload average at end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
