"""Issue 12, goal: parallel executors >= 1.6x the local one on two cores, both engines, 10,000 draws.

Run: ``.venv/bin/python benchmarks/bench_executors.py [--draws 10000] [--workers 2] [--models smp eum]
[--src DIR]`` (``--src``: time another commit's sources with this script, e.g. ``git archive`` of main)

Each (model, executor) runs in a fresh interpreter that loads the default case and calls ``run_draws``
twice with the same seed: ``cold`` (the pool or cluster starts inside the call) and ``warm`` (it is
reused, the case's problem shipped again once per worker). Executors: ``local`` (this process; the
compiled EUM splits its rows over a thread per core), ``local-1core`` (the same, the process confined
to one core: the one-thread baseline, the honest "x" of the EUM's threads), ``processes``, ``dask``
(their workers run the compiled EUM on one thread each). Printed per row:

- ``wall``: measured seconds of each call and of the whole process (start-up included);
- ``cpu``: this process's CPU during the call (all its threads), and each worker's;
- ``quiet``: a projection for a quiet machine: this process's main-thread CPU (serial) plus the
  parallel part, the busiest of the other threads and workers or their total over the cores, whichever
  is larger. It ignores waiting and overlap (a lower bound), but on a loaded machine a worker the
  others' load slowed takes fewer chunks, and the busiest one then makes it pessimistic;
- ``x local``: the ``local`` row's figure divided by this row's (the goal is >= 1.6), from measured wall
  and from the projection; ``x 1core``: the same against ``local-1core``. On a shared machine (read the
  load average) only the projection means much; on a quiet one both should agree.
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


def thread_cpu(pid: int | str = "self") -> dict[str, float]:
    """CPU seconds (user + system) of each thread of a process, by thread id."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # the thread ended meanwhile
            continue
        out[tid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


_ENDED: list[float] = []  # CPU seconds of every thread of this process that has ended (see _count_ended)


def _count_ended() -> None:
    """Record each thread's CPU as it ends: a call's own threads (the local executor's) are gone by the
    time :func:`thread_cpu` is read again."""
    import threading

    run = threading.Thread.run

    def counted(self: threading.Thread) -> None:
        try:
            run(self)
        finally:
            _ENDED.append(time.thread_time())

    threading.Thread.run = counted  # type: ignore[method-assign]


def split_cpu(before: dict[str, float], after: dict[str, float], ended: int = 0) -> tuple[float, list[float]]:
    """This process's main-thread CPU and its other threads' CPU between two :func:`thread_cpu` reads
    (with the threads that ended since ``_ENDED`` had ``ended`` entries)."""
    used = {k: v - before.get(k, 0.0) for k, v in after.items()}
    main = used.pop(str(os.getpid()), 0.0)
    return main, [v for v in used.values() if v > 0] + _ENDED[ended:]


def quiet(main: float, parallel: list[float], cores: int) -> float:
    """Lower bound on a quiet machine's wall time: the serial main thread, then the parallel part."""
    return main + max(max(parallel, default=0.0), sum(parallel) / max(1, cores))


def child(model: str, executor: str, draws: int, workers: int) -> dict:
    if executor == "local-1core":
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    _count_ended()
    from accord.case.io import load_case
    from accord.scenarios.executors import start_method, worker_cpu
    from accord.scenarios.runner import RunSpec, run_draws

    engine_executor = "local" if executor.startswith("local") else executor
    method = start_method() if engine_executor != "local" else "-"  # decided now, before any thread starts
    spec = RunSpec(load_case("nagorno-karabakh-2020"), model=model)
    calls = []
    for name in ("cold", "warm"):
        before, threads, ended = worker_cpu(engine_executor, workers), thread_cpu(), len(_ENDED)
        c0, t0 = time.process_time(), time.perf_counter()
        result = run_draws(spec, draws, seed=0, executor=engine_executor, workers=workers)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        after = worker_cpu(engine_executor, workers)
        main, others = split_cpu(threads, thread_cpu(), ended)
        used = [after[k] - before.get(k, 0.0) for k in after]
        calls.append(
            {
                "call": name,
                "wall": wall,
                "cpu": cpu,
                "main_cpu": main,
                "threads_cpu": others,
                "workers_cpu": used,
                "hash": outcome_hash(result),
            }
        )
    main, others = split_cpu({}, thread_cpu())
    return {
        "calls": calls,
        "process_cpu": time.process_time(),
        "process_main_cpu": main,
        "process_threads_cpu": others,
        "workers_lifetime_cpu": list(worker_cpu(engine_executor, workers).values()),
        "start_method": method,
        "cores": len(os.sched_getaffinity(0)),
    }


def _run_child(model: str, executor: str, draws: int, workers: int, src: Path = SRC) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--child", model, executor, str(draws), str(workers)],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    row = json.loads(out.stdout.strip().splitlines()[-1])
    row["process_wall"] = wall
    row["process_cpu_all"] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    row["process_quiet"] = quiet(
        row["process_main_cpu"], row["process_threads_cpu"] + row["workers_lifetime_cpu"], row["cores"]
    )
    for c in row["calls"]:
        c["quiet"] = quiet(c["main_cpu"], c["threads_cpu"] + c["workers_cpu"], row["cores"])
    return row


def _figures(row: dict, name: str) -> tuple[float, float]:
    if name == "process":
        return row["process_wall"], row["process_quiet"]
    c = next(x for x in row["calls"] if x["call"] == name)
    return c["wall"], c["quiet"]


def report(model: str, rows: dict[str, dict]) -> None:
    base = rows.get("local")
    one = rows.get("local-1core")
    print(
        f"  {'executor':<12} {'call':<8} {'wall s':>7} {'x local':>8} {'x 1core':>8} {'quiet s':>8} "
        f"{'x local':>8} {'x 1core':>8} {'this cpu':>8} {'threads/workers cpu':>22}  same"
    )
    for executor, row in rows.items():
        for c in [*row["calls"], None]:
            name = c["call"] if c else "process"
            wall, q = _figures(row, name)
            ratios = []
            for ref in (base, one):
                rw, rq = _figures(ref, name) if ref else (float("nan"), float("nan"))
                ratios.append((rw / wall, rq / q))
            if c is None:
                cpu, parts, same = (
                    row["process_cpu"],
                    row["process_threads_cpu"] + row["workers_lifetime_cpu"],
                    "",
                )
            else:
                cpu, parts = c["cpu"], c["threads_cpu"] + c["workers_cpu"]
                lc = next(x for x in (base or row)["calls"] if x["call"] == name)
                same = str(c["hash"] == lc["hash"])
            parallel = " ".join(f"{w:.2f}" for w in parts if w >= 0.005) or "-"
            print(
                f"  {executor:<12} {name:<8} {wall:7.2f} {ratios[0][0]:8.2f} {ratios[1][0]:8.2f} {q:8.2f} "
                f"{ratios[0][1]:8.2f} {ratios[1][1]:8.2f} {cpu:8.2f} {parallel:>22}  {same}"
            )
    methods = {k: v["start_method"] for k, v in rows.items() if not k.startswith("local")}
    print(f"  worker start methods: {methods}; goal: x local >= 1.6 for both engines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--models", nargs="+", default=["smp", "eum"])
    parser.add_argument("--executors", nargs="+", default=["local", "local-1core", "processes", "dask"])
    parser.add_argument(
        "--src", type=Path, default=SRC, help="Accord sources to time (e.g. another commit's)"
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        model, executor, draws, workers = args.child
        print(json.dumps(child(model, executor, int(draws), int(workers))))
        return
    print(f"{os.cpu_count()} CPUs, load average at start: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    for model in args.models:
        print(f"\n{model}: {args.draws} draws of nagorno-karabakh-2020, seed 0, {args.workers} workers")
        rows = {
            ex: _run_child(model, ex, args.draws, args.workers, args.src.resolve()) for ex in args.executors
        }
        report(model, rows)
    print("\nload average at end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
