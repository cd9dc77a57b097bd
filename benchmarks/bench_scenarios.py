"""Benchmark of the scenario layer: Monte Carlo draws on three executors, and a Sobol analysis.

Run: ``.venv/bin/python benchmarks/bench_scenarios.py [--draws 100000] [--samples 1024] [--workers 2]``

1. The default case (nagorno-karabakh-2020) under the baseline scenario, ``--draws`` draws of the EUM
   with 10 rounds, on the local executor, a process pool of ``--workers`` and a Dask LocalCluster of
   ``--workers`` worker processes. Prints wall time, draws per second, the overhead of each executor
   against local (``time / local time - 1``; negative means the parallel executor was faster), and checks
   that every executor returned exactly the local arrays.
2. A Sobol analysis (SALib, ``--samples`` base samples, no second-order terms) of the default case with
   the EUM on the local executor: model runs, wall time and peak resident memory.

Each part runs in a fresh subprocess so that its peak memory (``ru_maxrss``) is its own. Figures are
printed, not asserted.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux reports KiB


def draws_part(executor: str, draws: int, workers: int, out: Path) -> dict:
    from accord.scenarios.runner import RunSpec, run_draws
    from accord.scenarios.service import load_scenario

    scenario, case = load_scenario("baseline-mediation")
    spec = RunSpec(case, scenario, model="eum", rounds=10)
    t0 = time.perf_counter()
    result = run_draws(spec, draws, seed=2020, executor=executor, workers=workers)
    wall = time.perf_counter() - t0
    np.save(out, result.forecast)
    return {
        "part": "draws",
        "executor": executor,
        "draws": draws,
        "workers": workers if executor != "local" else 1,
        "chunks": result.timings["chunks"],
        "wall_s": wall,
        "engine_s": result.timings["engine_s"],
        "peak_rss_mb": _peak_mb(),
    }


def sobol_part(samples: int) -> dict:
    from accord.case.io import load_case
    from accord.scenarios.runner import RunSpec
    from accord.scenarios.sensitivity import run_sensitivity

    spec = RunSpec(load_case("nagorno-karabakh-2020"), None, model="eum", rounds=10)
    t0 = time.perf_counter()
    result = run_sensitivity(spec, "sobol", samples, seed=1)
    wall = time.perf_counter() - t0
    top = {issue: rows[0]["input"] for issue, rows in result.ranking.items()}
    return {
        "part": "sobol",
        "samples": samples,
        "inputs": len(result.inputs),
        "evaluations": result.evaluations,
        "wall_s": wall,
        "model_s": result.timings["model_s"],
        "analysis_s": result.timings["analysis_s"],
        "peak_rss_mb": _peak_mb(),
        "top_input": top,
    }


def _child(args: list[str]) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=1024)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-sobol", action="store_true")
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        kind = args.child[0]
        if kind == "draws":
            print(json.dumps(draws_part(args.child[1], args.draws, args.workers, Path(args.child[2]))))
        else:
            print(json.dumps(sobol_part(args.samples)))
        return

    import os
    import tempfile

    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    print(
        f"Draws: nagorno-karabakh-2020, scenario baseline-mediation, EUM, 10 rounds, {args.draws} draws, "
        "seed 2020"
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for executor in ("local", "processes", "dask"):
            out = Path(tmp) / f"{executor}.npy"
            row = _child(
                [
                    "--draws",
                    str(args.draws),
                    "--workers",
                    str(args.workers),
                    "--child",
                    "draws",
                    executor,
                    str(out),
                ]
            )
            row["forecast"] = np.load(out)
            rows.append(row)
        local = rows[0]
        print(
            f"{'executor':<10} {'workers':>7} {'chunks':>6} {'wall s':>8} {'draws/s':>9} {'overhead':>9} "
            f"{'peak MB':>8}  identical"
        )
        for row in rows:
            overhead = row["wall_s"] / local["wall_s"] - 1.0
            same = np.array_equal(row["forecast"], local["forecast"])
            print(
                f"{row['executor']:<10} {row['workers']:>7} {row['chunks']:>6} {row['wall_s']:>8.1f} "
                f"{row['draws'] / row['wall_s']:>9.0f} {overhead:>+9.1%} {row['peak_rss_mb']:>8.0f}  {same}"
            )
    print(f"load average {os.getloadavg()[0]:.1f} after the draws")
    if args.skip_sobol:
        return
    print(f"\nSobol: nagorno-karabakh-2020, EUM, 10 rounds, N={args.samples} base samples, local executor")
    s = _child(["--samples", str(args.samples), "--child", "sobol"])
    print(
        f"{s['inputs']} inputs, {s['evaluations']} model runs: {s['wall_s']:.1f} s "
        f"(model {s['model_s']:.1f} s, SALib analysis {s['analysis_s']:.1f} s), peak RSS "
        f"{s['peak_rss_mb']:.0f} MB"
    )
    print(
        "most influential input per issue (total index): "
        + ", ".join(f"{k}: {v}" for k, v in s["top_input"].items())
    )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
