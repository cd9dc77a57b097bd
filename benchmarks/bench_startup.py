"""Start-up of the command line, as a multiple of a bare ``python -c "import numpy"`` timed in the same run.

Goals (issue 12): ``accord --version`` <= 2x the floor, ``accord run`` on the default case <= 4x. Each
command is run ``--repeat`` times, interleaved with the floor, and the medians are compared; the load
average is printed because the machine is shared. Nothing is asserted.

``accord run`` headlines a distribution over 256 draws by default; ``accord run --draws 0`` is the point
run alone (what start-up alone costs). Both are printed.

Run: python benchmarks/bench_startup.py [--repeat 7] [--before SRC]
(``--before`` also times the same commands on another source tree, e.g. an older checkout's ``src``,
interleaved with these, for a before/after table measured in one run.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "floor: python -c 'import numpy'": [sys.executable, "-c", "import numpy"],
    "python -c pass": [sys.executable, "-c", "pass"],
    "accord --version": ["{accord}", "--version"],
    "accord run --draws 0 (point run)": ["{accord}", "run", "--draws", "0"],
    "accord run (256 draws)": ["{accord}", "run", "-q"],
    "accord case show": ["{accord}", "case", "show"],
}
GOALS = {"accord --version": 2.0, "accord run (256 draws)": 4.0, "accord run --draws 0 (point run)": 4.0}


def _accord() -> str:
    here = Path(sys.executable).parent / "accord"
    return str(here) if here.exists() else shutil.which("accord") or "accord"


def _time(argv: list[str], cwd: str, src: str | None = None) -> float:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = src
    t0 = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--before", help="another source tree to time the same commands on (PYTHONPATH)")
    args = parser.parse_args()
    accord = _accord()
    commands: dict[str, tuple[list[str], str | None]] = {}
    for name, argv in COMMANDS.items():
        resolved = [accord if a == "{accord}" else a for a in argv]
        commands[name] = (resolved, None)
        if args.before and name.startswith("accord") and "--draws" not in argv:
            old = "accord run (old default: point run)" if name.startswith("accord run") else name
            commands[f"before: {old}"] = (resolved, args.before)
    times: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as cwd:  # no accord.db or runs folder is left anywhere
        for argv, src in commands.values():  # warm the file cache once
            _time(argv, cwd, src)
        for _ in range(args.repeat):
            for name, (argv, src) in commands.items():  # interleaved: load changes hit every command alike
                times[name].append(_time(argv, cwd, src))
    floor = statistics.median(times["floor: python -c 'import numpy'"])
    print(
        f"load average {os.getloadavg()[0]:.2f}; {args.repeat} runs each, medians; "
        f"floor {floor * 1000:.0f} ms"
    )
    print(f"{'command':44} {'median':>9} {'min':>9} {'x floor':>8} {'goal':>6}")
    for name, values in times.items():
        median = statistics.median(values)
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"<= {goal:g}x " + ("met" if median / floor <= goal else "NOT met")
        print(
            f"{name:44} {median * 1000:7.0f} ms {min(values) * 1000:6.0f} ms "
            f"{median / floor:7.2f}x  {verdict}"
        )


if __name__ == "__main__":
    main()
