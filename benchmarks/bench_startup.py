"""Start-up of the command line, as a multiple of a bare ``python -c "import numpy"`` timed in the same run.

Goals (issue 12): ``accord --version`` <= 2x the floor, ``accord run`` on the default case <= 4x, and
``accord run`` of KTAB's 80-actor sample imported as a case (the SMP, its point run: KTAB has no Monte
Carlo) <= 5x. Every command is a whole process, run ``--repeat`` times interleaved with the floor (so a
change of load hits all alike); medians of wall time and of CPU time (user + sys of the child, from the
kernel) are compared, and the load average is printed at both ends because the machine is shared.
Nothing is asserted.

The KTAB samples (``/work/shared/reference/ktab`` or ``--ktab DIR``) are imported with ``accord case
import --from ktab`` into a temporary folder first. ``--before SRC`` times the same commands on another
source tree (e.g. ``git -C /work/main archive main src | tar -x -C /tmp/before``, then ``--before
/tmp/before/src``), interleaved, and checks that both trees give the same ``accord run --json`` for the
built-in cases and each model (timings left out). Children run with bytecode caches, as an installed
package does (``PYTHONDONTWRITEBYTECODE`` is cleared for them; the warm-up run writes the caches).

Run: python benchmarks/bench_startup.py [--repeat 7] [--before SRC] [--only REGEX] [--ktab DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE_SRC = Path(__file__).resolve().parents[1] / "src"
KTAB = Path("/work/shared/reference/ktab")
KTAB_SAMPLES = ("dummyData-a080", "SOE-Pol-Comp", "SOE-Policy", "dummyData_3Dim", "dummyData_6Dim")
FLOOR = "floor: python -c 'import numpy'"
QUIET = ["--no-store", "-q"]
COMMANDS: dict[str, list[str]] = {
    FLOOR: ["{python}", "-c", "import numpy"],
    "python -c pass": ["{python}", "-c", "pass"],
    "accord --version": ["{accord}", "--version"],
    "accord run --draws 0 (point run)": ["{accord}", "run", "--draws", "0", *QUIET],
    "accord run (256 draws)": ["{accord}", "run", *QUIET],
    "accord run --model smp (256 draws)": ["{accord}", "run", "--model", "smp", *QUIET],
    "accord case show": ["{accord}", "case", "show"],
    "accord answer": ["{accord}", "answer"],
}
GOALS = {
    "accord --version": 2.0,
    "accord run (256 draws)": 4.0,
    "accord run --draws 0 (point run)": 4.0,
    "ktab dummyData-a080: run --model smp --draws 0": 5.0,
}


def _accord() -> str:
    from accord_command import accord_command

    return accord_command()


def _env(src: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(src)
    return env


def _time(argv: list[str], cwd: str, src: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + sys of the child, as the kernel counted them) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        argv, cwd=cwd, env=_env(src), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _ktab_commands(ktab: Path, folder: Path, accord: str) -> dict[str, list[str]]:
    """Each KTAB sample imported as a case (with this tree), and its SMP point run."""
    commands = {}
    for name in KTAB_SAMPLES:
        csv = ktab / name / f"{name}.csv"
        if not csv.exists():
            continue
        case = folder / f"{name}.yaml"
        subprocess.run(
            [accord, "case", "import", str(csv), "--from", "ktab", "-o", str(case)],
            env=_env(HERE_SRC), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
        )  # fmt: skip
        argv = ["{accord}", "run", str(case), "--model", "smp", "--draws", "0", *QUIET]
        commands[f"ktab {name}: run --model smp --draws 0"] = argv
    return commands


def _same_results(accord: str, before: Path, cwd: str) -> list[str]:
    """Lines saying whether both trees give the same run JSON (timings left out) per case and model."""
    lines = []
    for case in ("nagorno-karabakh-2020", "nagorno-karabakh-2013"):
        for model in ("compromise", "eum", "smp"):
            argv = [accord, "run", case, "--model", model, "--json", "--no-store"]
            outputs = [
                subprocess.run(
                    argv, cwd=cwd, env=_env(src), capture_output=True, text=True, check=True
                ).stdout
                for src in (HERE_SRC, before)
            ]
            now, then = (_without_timings(json.loads(stdout)) for stdout in outputs)
            same = now == then
            lines.append(f"  {case} {model}: {'identical' if same else 'DIFFERENT'} (timings left out)")
    return lines


def _without_timings(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if not k.endswith("_s")}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def _report(times: dict[str, list[tuple[float, float]]], floor_name: str) -> None:
    floor_wall = statistics.median(w for w, _ in times[floor_name])
    floor_cpu = statistics.median(c for _, c in times[floor_name])
    print(f"floor: wall {floor_wall * 1000:.0f} ms, cpu {floor_cpu * 1000:.0f} ms (medians)")
    print(f"{'command':52} {'wall':>8} {'cpu':>8} {'x floor wall':>13} {'x floor cpu':>12}  goal")
    for name, values in times.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        goal = GOALS.get(name.removeprefix("before: "))
        verdict = ""
        if goal is not None:
            met = wall / floor_wall <= goal and cpu / floor_cpu <= goal
            verdict = f"<= {goal:g}x " + ("met" if met else "NOT met")
        print(
            f"{name:52} {wall * 1000:6.0f}ms {cpu * 1000:6.0f}ms {wall / floor_wall:12.2f}x "
            f"{cpu / floor_cpu:11.2f}x  {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--before", type=Path, help="another source tree to time the same commands on")
    parser.add_argument("--only", help="time only the commands whose name matches this regex (and the floor)")
    parser.add_argument("--ktab", type=Path, default=KTAB, help="folder of KTAB's samples")
    args = parser.parse_args()
    accord, python = _accord(), sys.executable
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory() as cwd:  # no accord.db or runs folder is left anywhere
        listed = {**COMMANDS, **_ktab_commands(args.ktab, Path(cwd), accord)}
        commands: dict[str, tuple[list[str], Path]] = {}
        for name, argv in listed.items():
            if args.only and name != FLOOR and not re.search(args.only, name):
                continue
            resolved = [{"{accord}": accord, "{python}": python}.get(a, a) for a in argv]
            commands[name] = (resolved, HERE_SRC)
            if args.before and name.startswith(("accord", "ktab")):
                commands[f"before: {name}"] = (resolved, args.before)
        for argv, src in commands.values():  # warm the file cache and write the bytecode caches
            _time(argv, cwd, src)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, (argv, src) in commands.items():  # interleaved: load changes hit every command alike
                times[name].append(_time(argv, cwd, src))
        load_end = os.getloadavg()
        print(
            f"load average {load_start[0]:.2f} at the start, {load_end[0]:.2f} at the end; "
            f"{args.repeat} runs each, interleaved"
        )
        _report(times, FLOOR)
        if args.before:
            print("results, this tree against --before:", flush=True)
            print("\n".join(_same_results(accord, args.before, cwd)))


if __name__ == "__main__":
    main()
