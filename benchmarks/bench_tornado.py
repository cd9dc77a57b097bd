"""Benchmark of the tornado chart (one input at a time, every issue in one batch): time per case and model.

Run: ``.venv/bin/python benchmarks/bench_tornado.py [--repeat 5] [--models smp eum]``

For each built-in case and model: the bars computed (every input of every actor at its low and high end,
the range of the global analysis, ``accord.scenarios.sensitivity.DEFAULT_SPREAD`` where a number has one
value), the number of variants run in the batch, and the wall and CPU time of ``views.tornados`` (the
call behind ``GET /api/cases/{id}/sensitivity`` and the report), best and median of ``--repeat`` calls
after one warm-up (imports, the first compilation). The issue asks for at most 1 s. Printed, not asserted.
"""

from __future__ import annotations

import argparse
import statistics
import time


def measure(case_name: str, model: str, repeat: int) -> dict[str, float | int | str]:
    import accord
    from accord import views
    from accord.scenarios.sensitivity import inputs_of

    case = accord.load_case(case_name)
    views.tornados(case, model)  # warm-up
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = views.tornados(case, model)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return {
        "case": case_name,
        "model": model,
        "variants": 1 + 2 * len(inputs_of(case)[0]),
        "bars": sum(len(t["bars"]) for t in result.values()),
        "best_s": min(walls),
        "median_s": statistics.median(walls),
        "cpu_s": statistics.median(cpus),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--models", nargs="+", default=["smp", "eum"])
    args = parser.parse_args()
    from accord.case.io import builtin_cases

    print(f"{'case':24} {'model':6} {'variants':>8} {'bars':>5} {'best s':>7} {'median s':>9} {'cpu s':>6}")
    for name in builtin_cases():
        for model in args.models:
            r = measure(name, model, args.repeat)
            print(
                f"{r['case']:24} {r['model']:6} {r['variants']:>8} {r['bars']:>5} {r['best_s']:>7.3f} "
                f"{r['median_s']:>9.3f} {r['cpu_s']:>6.3f}"
            )


if __name__ == "__main__":
    main()
