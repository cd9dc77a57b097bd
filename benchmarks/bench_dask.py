"""Issue 12, goal: 1,000,000 draws on a Dask cluster, identical to the local executor.

Run: ``.venv/bin/python benchmarks/bench_dask.py [--draws 1000000] [--model smp] [--workers 2]
[--scheduler tcp://HOST:8786] [--verify full|blocks|none] [--json FILE]``

Without ``--scheduler`` the run goes to a ``distributed.LocalCluster`` of ``--workers`` one-thread
worker processes started here; with it, to that cluster (every worker needs Accord installed, the same
version; see docs/scenarios.md, "Executors"). Then the same draws are checked against the local
executor: ``--verify full`` runs all of them again here (the default), ``--verify blocks`` re-runs a
seeded sample of 32 blocks here and compares them block for block (each block's numbers depend only on
the seed and its index), ``none`` skips the check.

Printed: wall and CPU seconds of each run, draws per second, per issue the 5%, 50% and 95% quantiles
and the mean of the forecast, the SHA-256 of every per-draw array, and whether everything is
identical. Nothing is asserted: figures are printed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

PER_DRAW = ("forecast", "status_quo", "stable", "fired_round", "converged", "last_swing")


def digest(result) -> str:  # noqa: ANN001
    """SHA-256 over the per-draw arrays and the mean path of a :class:`DrawResults`."""
    h = hashlib.sha256()
    for name in (*PER_DRAW, "mean_path"):
        h.update(np.ascontiguousarray(getattr(result, name)).tobytes())
    return h.hexdigest()


def summary(result) -> dict[str, list[float]]:  # noqa: ANN001
    q = np.quantile(result.forecast, [0.05, 0.5, 0.95], axis=0)
    mean = result.forecast.mean(axis=0)
    return {issue: [*q[:, j].tolist(), float(mean[j])] for j, issue in enumerate(result.issues)}


class _Progress:
    """Draws done, printed to stderr about every ``every`` seconds."""

    def __init__(self, total: int, label: str, every: float = 10.0) -> None:
        self.total, self.label, self.every = total, label, every
        self.done, self.t0, self.last = 0, time.perf_counter(), 0.0

    def __call__(self, k: int) -> None:
        self.done += k
        now = time.perf_counter() - self.t0
        if now - self.last >= self.every or self.done == self.total:
            self.last = now
            rate = self.done / max(now, 1e-9)
            eta = (self.total - self.done) / max(rate, 1e-9)
            print(
                f"  {self.label}: {self.done:,}/{self.total:,} draws, {now:.0f} s, eta {eta:.0f} s",
                file=sys.stderr,
                flush=True,
            )


def _timed_run(spec, draws: int, seed: int, label: str, **kw):  # noqa: ANN001, ANN003, ANN202
    from accord.scenarios.runner import run_draws

    c0, t0 = time.process_time(), time.perf_counter()
    result = run_draws(spec, draws, seed=seed, progress=_Progress(draws, label), **kw)
    return result, time.perf_counter() - t0, time.process_time() - c0


def verify_blocks(spec, seed: int, draws: int, result, n_blocks: int = 32) -> tuple[int, bool]:  # noqa: ANN001
    """Re-run a seeded sample of blocks here and compare them with the cluster's rows."""
    from accord.scenarios.runner import BLOCK_DRAWS, block_sizes, run_block

    sizes = block_sizes(draws)
    picks = np.random.default_rng(seed).choice(len(sizes), size=min(n_blocks, len(sizes)), replace=False)
    same = True
    for b in sorted(int(p) for p in picks):
        here = run_block(spec, seed, b, sizes[b])
        rows = slice(b * BLOCK_DRAWS, b * BLOCK_DRAWS + sizes[b])
        for name in PER_DRAW:
            theirs = getattr(result, name)[rows]
            same &= bool(np.array_equal(np.asarray(here[name], dtype=theirs.dtype), theirs))
    return len(picks), same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--model", default="smp")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (default: a LocalCluster)")
    parser.add_argument("--chunk-size", type=int, help="draws per task (default: about 4 tasks per worker)")
    parser.add_argument("--verify", choices=("full", "blocks", "none"), default="full")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    from accord.case.io import load_case
    from accord.scenarios.executors import worker_cpu
    from accord.scenarios.runner import RunSpec

    spec = RunSpec(load_case("nagorno-karabakh-2020"), model=args.model)
    where = args.scheduler or f"a LocalCluster of {args.workers} worker processes"
    print(f"{os.cpu_count()} CPUs, load average at start: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    print(f"{args.draws:,} draws of nagorno-karabakh-2020, model {args.model}, seed {args.seed}, on {where}")
    out: dict = {"draws": args.draws, "model": args.model, "seed": args.seed, "scheduler": args.scheduler}

    dask_kw = {"executor": "dask", "workers": args.workers, "scheduler": args.scheduler}
    result, wall, cpu = _timed_run(
        spec, args.draws, args.seed, "dask", chunk_draws=args.chunk_size, **dask_kw
    )
    workers = worker_cpu("dask", args.workers, args.scheduler)
    out["dask"] = {
        "wall_s": wall,
        "client_cpu_s": cpu,
        "workers_cpu_s": workers,
        "chunks": result.timings["chunks"],
        "sha256": digest(result),
        "summary": summary(result),
    }
    print(
        f"dask:  {wall:8.1f} s wall, {args.draws / wall:9.0f} draws/s, {result.timings['chunks']} tasks; "
        f"client CPU {cpu:.1f} s, workers' CPU (lifetime) {', '.join(f'{v:.1f}' for v in workers.values())} s"
    )
    print(f"       sha256 {out['dask']['sha256']}")
    for issue, (p05, p50, p95, mean) in out["dask"]["summary"].items():
        print(f"       {issue:<12} p05 {p05:8.4f}  median {p50:8.4f}  p95 {p95:8.4f}  mean {mean:8.4f}")

    if args.verify == "full":
        local, lwall, lcpu = _timed_run(spec, args.draws, args.seed, "local", executor="local")
        same_arrays = all(
            np.array_equal(getattr(result, n), getattr(local, n)) for n in (*PER_DRAW, "mean_path")
        )
        out["local"] = {"wall_s": lwall, "cpu_s": lcpu, "sha256": digest(local), "summary": summary(local)}
        out["identical"] = same_arrays and out["local"]["sha256"] == out["dask"]["sha256"]
        print(f"local: {lwall:8.1f} s wall, {args.draws / lwall:9.0f} draws/s; CPU {lcpu:.1f} s")
        print(f"       sha256 {out['local']['sha256']}")
        print(
            f"identical to the local executor (every array, the hash, the quantiles): {out['identical']}; "
            f"quantiles equal: {out['local']['summary'] == out['dask']['summary']}"
        )
    elif args.verify == "blocks":
        n, same = verify_blocks(spec, args.seed, args.draws, result)
        out["identical_blocks"] = {"checked": n, "identical": same}
        print(f"{n} blocks re-run locally, identical to the cluster's rows: {same}")
    print("load average at end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
