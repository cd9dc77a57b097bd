"""Benchmark of the SMP engine on KTAB's five sample scenarios, and a batched Monte Carlo run.

Run: ``.venv/bin/python benchmarks/bench_smp.py [--draws 1000] [--repeat 3] [--before SRC]``

For each scenario it prints actors, dimensions, turns to convergence (and KTAB's), the best wall time of
``--repeat`` runs, the peak memory traced during one run, and the largest difference in positions
(0-100 scale) and win probabilities against KTAB's logged outputs in ``../shared/reference/ktab``. The
batched run jitters SOE-Pol-Comp's inputs (positions +- N(0, 5), saliences x U(0.8, 1), capabilities x
U(0.8, 1.2)) into ``--draws`` draws and solves them in one call. KTAB's optimised ``smpc`` takes about
64 s for dummyData-a080 on the 2-core reference machine; the target is 1/50 of that.

``--before SRC`` (a ``src`` directory of another tree, e.g. from ``git archive``) times the single-run NumPy
path per turn in both trees, in child processes run in turn (before, after, before, ...; the best of
``--repeat`` rounds each), and checks that both give the same positions and win probabilities, bit for
bit, on every turn of every sample. The issue's target is <= 10 ms per turn at 80 actors.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
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


def per_turn(out: str) -> None:
    """Child mode: the best of five NumPy runs per sample (after a warm-up): ms per turn as JSON on stdout,
    and each run's positions and win probabilities in the ``.npz`` file ``out``."""
    from accord.engines.smp import SMPParams

    params = SMPParams(backend="numpy")
    figures, arrays = {}, {}
    for name in SCENARIOS:
        problem, _, _ = load(name)
        run(problem, params)
        seconds = np.inf
        for _ in range(5):  # CPU time of this process: less disturbed by other processes than wall time
            t0 = time.process_time()
            traj = run(problem, params)
            seconds = min(seconds, time.process_time() - t0)
        turns = int(traj.diagnostics["turns"][0])
        figures[name] = {"ms_per_turn": 1000 * seconds / turns, "turns": turns, "seconds": seconds}
        arrays[f"{name}/positions"] = traj.positions
        arrays[f"{name}/win_prob"] = traj.diagnostics["win_prob"]
    np.savez(out, **arrays)
    print(json.dumps(figures))


def before_after(before_src: str, repeat: int) -> None:
    """ms per turn of the NumPy path in the tree at ``before_src`` and in this one, and a bitwise check."""
    here = str(Path(__file__).resolve().parents[1] / "src")
    best: dict[str, dict[str, float]] = {"before": {}, "after": {}}
    turns: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            for label, src in (("before", before_src), ("after", here)):
                env = {**os.environ, "PYTHONPATH": src}
                out = f"{tmp}/{label}.npz"
                child = [sys.executable, __file__, "--per-turn-child", out]
                got = json.loads(
                    subprocess.run(child, env=env, check=True, capture_output=True, text=True).stdout
                )
                for name, fig in got.items():
                    best[label][name] = min(best[label].get(name, np.inf), fig["ms_per_turn"])
                    turns[name] = fig["turns"]
        old, new = np.load(f"{tmp}/before.npz"), np.load(f"{tmp}/after.npz")
        same = {
            name: all(
                np.array_equal(old[f"{name}/{k}"], new[f"{name}/{k}"]) for k in ("positions", "win_prob")
            )
            for name in SCENARIOS
        }
    load_avg = os.getloadavg()[0]
    print(f"load average {load_avg:.2f}; CPU ms per turn, single run, NumPy path, best of {5 * repeat} runs")
    print(
        f"{'scenario':<16}{'actors':>7}{'turns':>6}{'before':>9}{'after':>9}{'speed-up':>10}  bit-identical"
    )
    for name in SCENARIOS:
        b, a = best["before"][name], best["after"][name]
        n_act = load(name)[0].n_actors
        verdict = "yes" if same[name] else "NO"
        print(f"{name:<16}{n_act:>7}{turns[name]:>6}{b:>9.2f}{a:>9.2f}{b / a:>9.2f}x  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", metavar="SRC", help="a src directory to compare per-turn times with")
    parser.add_argument("--per-turn-child", metavar="OUT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.per_turn_child:
        per_turn(args.per_turn_child)
        return
    if args.before:
        before_after(args.before, args.repeat)
        return

    print(
        f"{'scenario':<16}{'actors':>7}{'dims':>5}{'turns':>6}{'KTAB':>5}{'seconds':>9}{'ms/turn':>9}"
        f"{'peak MB':>9}{'max |dpos|':>11}{'max |dwin|':>11}"
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
            f"{seconds:>9.3f}{1000 * seconds / turns:>9.2f}{peak:>9.1f}{dpos:>11.4f}{dwin:>11.4f}"
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
