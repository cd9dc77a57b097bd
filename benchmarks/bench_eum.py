"""Benchmark of the expected-utility model: vectorised engine against the loop oracle, and scaling.

Run ``.venv/bin/python benchmarks/bench_eum.py`` (``--quick`` for a smoke run). Prints a table of
wall-clock seconds and peak traced memory (``tracemalloc``: NumPy's array allocations, in MiB) per
case; it asserts nothing about time. Problems are random, drawn from a seeded generator.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from accord.engines import eum, eum_oracle  # noqa: E402
from accord.engines.base import Problem, Trajectory  # noqa: E402

SEED = 20110401


def random_problem(rng: np.random.Generator, draws: int, actors: int, issues: int) -> Problem:
    """Positions on 0-100, salience and capability uniform in [0, 1], capability per actor and issue."""
    shape = (draws, actors, issues)
    return Problem(
        positions=rng.uniform(0.0, 100.0, size=shape),
        salience=rng.uniform(0.0, 1.0, size=shape),
        capability=rng.uniform(0.0, 1.0, size=shape),
        status_quo=rng.uniform(0.0, 100.0, size=(draws, issues)),
    )


def measure(fn: Callable[[], Trajectory], memory: bool) -> tuple[Trajectory, float, float, float | None]:
    """Result, wall and CPU seconds of an untraced run, and peak traced MiB of a second, traced run."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = None
    if memory:
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result, seconds, cpu, peak


def best_of(fn: Callable[[], Trajectory], repeat: int) -> tuple[float, float]:
    """Smallest wall and CPU seconds over ``repeat`` untraced runs."""
    runs = [measure(fn, memory=False)[1:3] for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def _numba() -> bool:
    import importlib.util

    return importlib.util.find_spec("numba") is not None


class Table:
    HEADER = ("model", "actors", "issues", "draws", "rounds", "seconds", "cpu s", "peak MiB", "note")

    def __init__(self) -> None:
        print(" | ".join(f"{h:>10}" for h in self.HEADER))
        print("-" * 13 * len(self.HEADER))

    def row(
        self,
        model: str,
        a: int,
        i: int,
        d: int,
        r: int,
        sec: float,
        cpu: float,
        mib: float | None,
        note: str = "",
    ) -> None:
        mem = f"{mib:.1f}" if mib is not None else "-"
        cells = (model, a, i, d, r, f"{sec:.4f}", f"{cpu:.4f}", mem, note)
        print(" | ".join(f"{c!s:>10}" for c in cells), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    args = parser.parse_args()
    quick = args.quick
    rng = np.random.default_rng(SEED)
    rounds = 10
    # peak MiB is traced by tracemalloc (NumPy's allocations), so the traced rows pin the NumPy path;
    # the compiled path's memory (Numba's allocator, not traced) is in bench_goals.py (peak RSS)
    lean = eum.EUMParams(keep_challenges=False, backend="numpy")
    compiled = eum.EUMParams(keep_challenges=False, backend="numba") if _numba() else None
    if compiled is not None:  # load the compiled code before anything is timed
        eum.run(random_problem(np.random.default_rng(0), 1, 3, 1), compiled, rounds=1)
    print(f"numpy {np.__version__}, python {platform.python_version()}, {os.cpu_count()} cpus, seed {SEED}")
    print("load average at start: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    print("seconds: wall clock; cpu s: process CPU time (the machine may be shared)")
    print("params: default EUMParams (variant=paper, normalisation=global); 'lean' = keep_challenges=False\n")
    table = Table()

    # 1. Oracle against the vectorised engine on the same problem (the oracle runs once: it is slow).
    n_oracle = 30 if quick else 100
    problem = random_problem(rng, 1, n_oracle, 1)
    slow, t_slow, c_slow, _ = measure(lambda: eum_oracle.run(problem, rounds=rounds), memory=False)
    table.row("oracle", n_oracle, 1, 1, rounds, t_slow, c_slow, None, "loops, once")
    fast, _, _, mib = measure(lambda: eum.run(problem, rounds=rounds), memory=True)
    t_fast, c_fast = best_of(lambda: eum.run(problem, rounds=rounds), 5)
    table.row("eum", n_oracle, 1, 1, rounds, t_fast, c_fast, mib, "best of 5")
    diff = max(np.abs(fast.positions - slow.positions).max(), np.abs(fast.outcome - slow.outcome).max())
    same_moves = np.array_equal(fast.diagnostics["move"], slow.diagnostics["move"])
    print(
        f"  -> speed-up {t_slow / t_fast:.0f}x wall, {c_slow / c_fast:.0f}x cpu;"
        f" max |positions, outcome difference| = {diff:.2e}; identical moves: {same_moves}"
    )

    # 2. Scaling in the number of actors (one draw, one issue).
    sizes = (25, 50, 100) if quick else (25, 50, 100, 200, 400)
    for n in sizes:
        problem = random_problem(rng, 1, n, 1)
        _, _, _, mib = measure(lambda problem=problem: eum.run(problem, lean, rounds=rounds), memory=True)
        sec, cpu = best_of(lambda problem=problem: eum.run(problem, lean, rounds=rounds), 3)
        table.row("eum lean", n, 1, 1, rounds, sec, cpu, mib, "best of 3")

    # 3. A thousand actors.
    n_big = 300 if quick else 1000
    problem = random_problem(rng, 1, n_big, 1)
    _, sec, cpu, mib = measure(lambda: eum.run(problem, lean, rounds=rounds), memory=True)
    table.row("eum lean", n_big, 1, 1, rounds, sec, cpu, mib)
    if compiled is not None:
        sec, cpu = best_of(lambda: eum.run(problem, compiled, rounds=rounds), 1)
        table.row("eum numba", n_big, 1, 1, rounds, sec, cpu, None, "compiled")

    # 4. Monte Carlo: 14 actors, 4 issues, 10,000 draws.
    draws = 500 if quick else 10_000
    problem = random_problem(rng, draws, 14, 4)
    _, sec, cpu, mib = measure(lambda: eum.run(problem, lean, rounds=rounds), memory=True)
    table.row("eum lean", 14, 4, draws, rounds, sec, cpu, mib)
    if compiled is not None:
        sec, cpu = best_of(lambda: eum.run(problem, compiled, rounds=rounds), 1)
        table.row("eum numba", 14, 4, draws, rounds, sec, cpu, None, "compiled")
    _, sec, cpu, mib = measure(lambda: eum.run(problem, rounds=rounds), memory=True)
    table.row("eum", 14, 4, draws, rounds, sec, cpu, mib, "challenges")
    print("load average at end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
