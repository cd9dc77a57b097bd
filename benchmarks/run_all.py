"""Run every benchmark in turn and print their figures (nothing is asserted: machines are shared and noisy).

Run: make bench   (or .venv/bin/python benchmarks/run_all.py [--only NAME ...])
Each benchmark also runs on its own with its own options; see its docstring.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = {
    "startup": ["bench_startup.py"],
    "eum": ["bench_eum.py"],
    "smp": ["bench_smp.py"],
    "backtest": ["bench_backtest.py"],
    "cases": ["case_forecasts.py"],
    "evidence": ["bench_evidence.py", "--docs", "1000"],
    "scenarios": ["bench_scenarios.py"],
    "tornado": ["bench_tornado.py"],
    "goals": ["bench_goals.py"],
    "peers": ["bench_peers.py", "--repeat", "3"],
    "web": ["bench_web.py", "--clients", "20", "--seconds", "60"],
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), help="run only these")
    args = parser.parse_args()
    failed = []
    for name in args.only or BENCHMARKS:
        script, *options = BENCHMARKS[name]
        print(f"\n=== {name}: {script} {' '.join(options)}", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / script), *options])
        print(f"=== {name}: exit {code}, {time.perf_counter() - start:.1f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"\nbenchmarks that failed to run: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
