"""Benchmark of the SMP engine on KTAB's five sample scenarios, and a batched Monte Carlo run.

Run: ``.venv/bin/python benchmarks/bench_smp.py [--draws 1000] [--repeat 3]``

For each scenario it prints actors, dimensions, turns to convergence (and KTAB's), the best wall time of
``--repeat`` runs, the peak memory traced during one run, and the largest difference in positions
(0-100 scale) and win probabilities against KTAB's logged outputs in ``../shared/reference/ktab``. The
batched run jitters SOE-Pol-Comp's inputs (positions +- N(0, 5), saliences x U(0.8, 1), capabilities x
U(0.8, 1.2)) into ``--draws`` draws and solves them in one call. KTAB's optimised ``smpc`` takes about
64 s for dummyData-a080 on the 2-core reference machine; the target is 1/50 of that.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from accord.engines.base import Problem, Trajectory
from accord.engines.smp import run
from accord.formats.ktab import read_ktab_csv

REF = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "ktab"
SCENARIOS = ["dummyData_3Dim", "dummyData_6Dim", "SOE-Pol-Comp", "SOE-Policy", "dummyData-a080"]
KTAB_A080_SECONDS = 64.0


def load(name: str) -> tuple[Problem, np.ndarray, np.ndarray]:
    """The scenario as a Problem plus KTAB's positions [T+1, A, I] and win probabilities [T+1, A]."""
    sc = read_ktab_csv(REF / name / f"{name}.csv")
    n_act, n_dim = sc.positions.shape
    problem = Problem(
        positions=sc.positions,
        salience=sc.saliences / 100.0,
        capability=sc.capability,
        status_quo=np.zeros(n_dim),
    )
    df = pd.read_csv(REF / name / "positions_by_turn.csv")
    actor = {a: i for i, a in enumerate(sc.actor_names)}
    dim = {d: k for k, d in enumerate(sc.dimension_names)}
    ref = np.zeros((df.turn.max() + 1, n_act, n_dim))
    for row in df.itertuples():
        ref[row.turn, actor[row.actor.strip()], dim[row.dimension.strip()]] = row.position_0_100
    win = pd.read_csv(REF / name / "win_prob_by_turn.csv").iloc[:, 1:].to_numpy(dtype=float).T
    return problem, ref, win


def timed(problem: Problem, repeat: int) -> tuple[float, float, Trajectory]:
    """Best wall time over ``repeat`` runs, and the peak traced memory (MB) of one more run."""
    best = np.inf
    traj = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        traj = run(problem)
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    run(problem)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak, traj


def jitter(problem: Problem, n_draws: int, seed: int = 0) -> Problem:
    g = np.random.default_rng(seed)
    shape = (n_draws, *problem.positions.shape)
    return Problem(
        positions=np.clip(problem.positions[None] + g.normal(0.0, 5.0, shape), 0.0, 100.0),
        salience=problem.salience[None] * g.uniform(0.8, 1.0, shape),
        capability=problem.capability[None] * g.uniform(0.8, 1.2, shape[:2]),
        status_quo=np.zeros((n_draws, shape[2])),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print(
        f"{'scenario':<16}{'actors':>7}{'dims':>5}{'turns':>6}{'KTAB':>5}{'seconds':>9}{'peak MB':>9}"
        f"{'max |dpos|':>11}{'max |dwin|':>11}"
    )
    for name in SCENARIOS:
        problem, ref, ref_win = load(name)
        seconds, peak, traj = timed(problem, args.repeat)
        turns = int(traj.diagnostics["turns"][0])
        n = min(turns, ref.shape[0] - 1) + 1
        dpos = np.abs(traj.positions[0, :n] - ref[:n]).max()
        dwin = np.abs(traj.diagnostics["win_prob"][0, :n] - ref_win[:n]).max()
        print(
            f"{name:<16}{problem.n_actors:>7}{problem.n_issues:>5}{turns:>6}{ref.shape[0] - 1:>5}"
            f"{seconds:>9.3f}{peak:>9.1f}{dpos:>11.4f}{dwin:>11.4f}"
        )
        if name == "dummyData-a080":
            print(
                f"  dummyData-a080: {seconds:.3f} s vs KTAB ~{KTAB_A080_SECONDS:.0f} s -> "
                f"{KTAB_A080_SECONDS / seconds:.0f}x faster (target >= 50x, <= "
                f"{KTAB_A080_SECONDS / 50:.2f} s)"
            )

    base, _, _ = load("SOE-Pol-Comp")
    batch = jitter(base, args.draws)
    seconds, peak, traj = timed(batch, 1)
    turns = traj.diagnostics["turns"]
    print(
        f"\nbatched SOE-Pol-Comp, {args.draws} jittered draws in one call: {seconds:.2f} s "
        f"({1000 * seconds / args.draws:.2f} ms per draw), peak {peak:.1f} MB"
    )
    print(
        f"  turns per draw: median {np.median(turns):.0f}, mean {turns.mean():.1f}, max {turns.max()} "
        f"({np.sum(turns >= 100)} draws hit the 100-turn cap)"
    )
    f = traj.forecast
    print(
        f"  forecast (0-100): mean {np.round(f.mean(axis=0), 2)}, 5-95% "
        f"{np.round(np.percentile(f, 5, axis=0), 2)} - {np.round(np.percentile(f, 95, axis=0), 2)}"
    )


if __name__ == "__main__":
    main()
