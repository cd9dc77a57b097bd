"""Issue 12's goals, each figure printed beside its floor or its goal (nothing is asserted).

Run: ``.venv/bin/python benchmarks/bench_goals.py [--before SRC] [--draws 10000] [--repeat 3]
[--skip-draws] [--skip-executors] [--skip-studies]``

``--before SRC`` also times a source tree of an earlier Accord (its ``src`` folder, e.g. a ``git
archive`` of main) in the same run, interleaved with this one, so the before/after columns share the
machine's load. Every part runs in a fresh interpreter. The machine is shared: compare CPU seconds
(``cpu``) more than wall seconds, and read the load average printed at the start and the end.

1. Floor: a bare ``python -c "import numpy"``, whole process.
2. SMP per turn at 80 actors (KTAB's dummyData-a080): the NumPy code and the compiled backend
   (``SMPParams(backend="numba")``, accord[fast]); goal: >= 3x faster per turn, positions bit-identical.
3. SMP at 320 actors (dummyData-a080 tiled four times, jittered): one run; goal <= 5 s.
4. EUM in the Monte Carlo shape (2,048 draws x 11 actors x 5 issues, 10 rounds): ns per actor pair and
   round; goal <= 1.5x the NumPy floor, which ``bench_eum_floor.py`` measures in the same run (the issue
   guessed ~40 ns; both are printed).
   The same with each backend (NumPy, and the compiled one of accord[fast]), positions compared bit for bit.
   EUM peak memory per actor pair (peak RSS above the start of a run) at 1,000 and 2,000 actors; goal: half
   of the before figure.
5. 10,000 draws of the default case end to end (``accord run --draws 10000 --no-store``), EUM and SMP;
   goals 2.5 s and 5 s, and as multiples of the floor 30x and 60x.
6. The parallel executors against the local one (``bench_executors.py``, both engines, ``--draws``):
   goal >= 1.6x on two cores; it prints a quiet-machine projection from CPU seconds beside wall time.
7. The studies, whole process on the default case: the default Sobol study (``accord sensitivity``, each
   model) <= 15 s, ``accord compare --perspectives`` <= 5 s; and the dashboard's tornado (the call behind
   its sensitivity view, ``views.tornados``) <= 1 s per issue, its first call in a process and later ones.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from accord_command import accord_command

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
KTAB = HERE.parent.parent / "shared" / "reference" / "ktab" / "dummyData-a080" / "dummyData-a080.csv"

SMP_CHILD = r"""
import json, sys, time, numpy as np
from accord.engines.base import Problem
from accord.formats.ktab import read_ktab_csv
from accord.engines import smp
backend, repeat, tile = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sc = read_ktab_csv(sys.argv[4])
pos, sal, cap = sc.positions, sc.saliences / 100, sc.capability
if tile > 1:
    g = np.random.default_rng(0)
    pos = np.clip(np.concatenate([pos + g.normal(0, 3, pos.shape) * (k > 0) for k in range(tile)]), 0, 100)
    sal = np.concatenate([sal] * tile)
    cap = np.concatenate([cap * g.uniform(0.8, 1.2, cap.shape) if k else cap for k in range(tile)])
p = Problem(pos, sal, cap, np.full(pos.shape[1], 50.0))
kw = {} if backend == "default" else {"params": smp.SMPParams(backend=backend)}
t0 = time.perf_counter(); first = smp.run(p, **kw); first_s = time.perf_counter() - t0
best_cpu = best_wall = 1e9
for _ in range(repeat):
    c0, w0 = time.process_time(), time.perf_counter()
    t = smp.run(p, **kw)
    best_cpu, best_wall = min(best_cpu, time.process_time() - c0), min(best_wall, time.perf_counter() - w0)
turns = int(t.diagnostics["turns"][0])
np.save(sys.argv[5], t.positions)
print(json.dumps({"turns": turns, "first_s": first_s, "cpu_s": best_cpu, "wall_s": best_wall}))
"""

# The EUM's own figures (issue 12): the Monte Carlo shape per backend, peak memory per actor pair, and
# where the time of 10,000 draws goes. A tree without ``EUMParams.backend`` runs its only (NumPy) code.
EUM_BACKEND_CHILD = r"""
import dataclasses, json, sys, time, numpy as np
from accord.engines.base import Problem
from accord.engines import eum
g = np.random.default_rng(0); d, a, i = 2048, 11, 5
p = Problem(np.round(g.uniform(0, 100, (d, a, i)), 1), g.uniform(0.05, 1, (d, a, i)),
            g.uniform(0.1, 1, (d, a)), g.uniform(0, 100, (d, i)))
kw = {} if sys.argv[3] == "-" else {"backend": sys.argv[3]}
prm = eum.EUMParams(keep_challenges=False, **kw)
eum.run(p, prm)
best = 1e9
for _ in range(int(sys.argv[1])):
    c0 = time.process_time(); t = eum.run(p, prm); best = min(best, time.process_time() - c0)
np.save(sys.argv[2], t.positions)
print(json.dumps({"cpu_s": best, "ns": 1e9 * best / (d * i * a * a * 10)}))
"""

EUM_MEMORY_CHILD = r"""
import json, sys, numpy as np
from accord.engines.base import Problem
from accord.engines import eum
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024
n = int(sys.argv[1]); kw = {} if sys.argv[2] == "-" else {"backend": sys.argv[2]}
g = np.random.default_rng(0)
def problem(n):
    return Problem(g.uniform(0, 100, (1, n, 1)), g.uniform(0, 1, (1, n, 1)), g.uniform(0, 1, (1, n)),
                   g.uniform(0, 100, (1, 1)))
prm = eum.EUMParams(keep_challenges=False, **kw)
eum.run(problem(5), prm, rounds=1)  # imports and compiled code loaded before the measure
p = problem(n)
with open("/proc/self/clear_refs", "w") as f:  # resets the peak (VmHWM) to the current RSS
    f.write("5")
start = status("VmRSS")
eum.run(p, prm, rounds=2)
print(json.dumps({"bytes_per_pair": (status("VmHWM") - start) / n**2}))
"""


def _eum_backends(trees: list[tuple[str, Path]], repeat: int, tmp: Path) -> None:
    """The EUM in the Monte Carlo shape with each backend, results compared bit for bit."""
    import numpy as np

    print(
        "EUM, Monte Carlo shape, per backend "
        "(2,048 draws x 11 actors x 5 issues, 10 rounds, best cpu of --repeat):"
    )
    runs = [("after", SRC, "numpy"), ("after", SRC, "numba")] + [
        (n, s, "-") for n, s in trees if n != "after"
    ]
    ref = None
    for name, src, be in runs:
        out = tmp / f"eum-{name}-{be}.npy"
        r = _child(EUM_BACKEND_CHILD, [str(repeat), str(out), be], src)
        pos = np.load(out)
        ref = pos if ref is None else ref
        label = "auto" if be == "-" else be  # a tree's default: NumPy before the backends existed
        print(
            f"  {name:<6} backend {label:<6} {r['cpu_s']:.3f} s cpu, "
            f"{r['ns']:5.1f} ns per actor pair and round; "
            f"positions equal to the first row: {np.array_equal(pos, ref)}"
        )
    _eum_floor(repeat)


def _eum_floor(repeat: int) -> None:
    """The NumPy floor measured in this run (``bench_eum_floor.py``), and the goal's verdict on it."""
    out = subprocess.run(
        [sys.executable, str(HERE / "bench_eum_floor.py"), "--repeat", str(repeat), "--json"],
        env=_env(SRC), capture_output=True, text=True, check=True,
    )  # fmt: skip
    f = json.loads(out.stdout.strip().splitlines()[-1])
    compiled = f["numba_ns"]
    print(
        f"  NumPy floor measured here (bench_eum_floor.py): {f['floor_ns']:.1f} ns cpu, of which pow "
        f"{f['pow_ns']:.1f} ns; the issue's estimate ~{f['issue_floor_ns']:.0f} ns\n"
        f"  compiled engine in that run: {compiled:.1f} ns = {compiled / f['floor_ns']:.2f}x the measured "
        f"floor, "
        f"{compiled / f['issue_floor_ns']:.2f}x the issue's ~40 ns (goal <= 1.5x); final positions: floor "
        f"to engine max |diff| {f['floor_max_diff']:.1e}, backends equal bit for bit {f['backends_equal']}\n"
    )


def _eum_memory(trees: list[tuple[str, Path]], sizes: tuple[int, ...] = (1000, 2000)) -> None:
    """Peak RSS per actor pair of a lean EUM run (one draw, one issue, 2 rounds) at 1,000 and 2,000 actors."""
    print("EUM peak memory (RSS above the start of the run) per actor pair, one draw and issue, 2 rounds:")
    runs = [("after", SRC, "numpy"), ("after", SRC, "numba")] + [
        (n, s, "-") for n, s in trees if n != "after"
    ]
    for name, src, be in runs:
        cells = []
        for n in sizes:
            r = _child(EUM_MEMORY_CHILD, [str(n), be], src)
            cells.append(f"{n} actors {r['bytes_per_pair']:5.0f} B")
        print(f"  {name:<6} backend {'auto' if be == '-' else be:<6} " + ", ".join(cells))
    print("  goal: half the before figure (~150 B per pair)\n")


def _eum_profile(trees: list[tuple[str, Path]], draws: int, floor: tuple[float, float]) -> None:
    """Where the whole process of ``accord run --model eum --draws N`` spends its time (one run each)."""
    import resource

    print(f"{draws} EUM draws of the default case, whole process, by part (one run each):")
    accord = accord_command()
    cmd = [accord, "run", "--model", "eum", "--draws", str(draws), "--no-store", "-q", "--json"]
    for name, src in trees:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        out = subprocess.run(cmd, env=_env(src), capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        tm = json.loads(out.stdout)["timings"]
        inner = tm["total_s"] + tm.get("point_s", 0.0)
        print(
            f"  {name:<6} process {wall:5.2f} s wall, {cpu:5.2f} s cpu; "
            f"inside the run: sampling {tm['sampling_s']:.2f} s, "
            f"engine {tm['engine_s']:.2f} s, summaries {tm['stability_s']:.2f} s, "
            f"point run {tm.get('point_s', 0.0):.2f} s; "
            f"start-up, case, output: {wall - inner:.2f} s; = {wall / floor[0]:.0f}x the floor's wall, "
            f"{cpu / floor[1]:.0f}x its cpu"
        )
    print("  goal: <= 2.5 s and <= 30x the floor\n")


STUDY_CASE = "nagorno-karabakh-2020"

TORNADO_CHILD = r"""
import json, sys, time
import accord
from accord import views
case = accord.load_case(sys.argv[1])
walls = []
for _ in range(int(sys.argv[3]) + 1):
    t0 = time.perf_counter(); views.tornados(case, sys.argv[2]); walls.append(time.perf_counter() - t0)
print(json.dumps({"first_s": walls[0], "later_s": min(walls[1:]), "issues": len(case.issue_ids)}))
"""


def _studies(trees: list[tuple[str, Path]], repeat: int) -> None:
    """Part 7: the Sobol study, the perspectives' comparison and the tornado, each beside its goal."""
    accord = accord_command()
    print(f"Studies of {STUDY_CASE}, whole process (median of --repeat), and the tornado per issue:")
    commands = [
        (f"sensitivity (default Sobol study, {model})", ["sensitivity", STUDY_CASE, "-m", model, "-q"], 15.0)
        for model in ("compromise", "smp", "eum")
    ] + [("compare --perspectives", ["compare", STUDY_CASE, "--perspectives"], 5.0)]
    for label, argv, goal in commands:
        for name, src in trees:
            wall, cpu = _timed([accord, *argv], src, repeat)
            verdict = "met" if wall <= goal else "MISSED"
            print(
                f"  {name:<6} {label:<44} {wall:6.2f} s wall, {cpu:6.2f} s cpu "
                f"(goal <= {goal:.0f} s: {verdict})"
            )
    for model in ("smp", "eum"):
        for name, src in trees:
            r = _child(TORNADO_CHILD, [STUDY_CASE, model, str(repeat)], src)
            first, later = r["first_s"] / r["issues"], r["later_s"] / r["issues"]
            verdict = "met" if first <= 1.0 else "MISSED"
            print(
                f"  {name:<6} tornado ({model}), {r['issues']} issues: first call {first:.3f} s per issue, "
                f"later calls {later:.3f} s per issue (goal <= 1 s: {verdict})"
            )
    print()


def _env(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src)}


def _child(code: str, args: list[str], src: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=_env(src), capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _wall(cmd: list[str], src: Path, repeat: int) -> float:
    return _timed(cmd, src, repeat)[0]


def _timed(cmd: list[str], src: Path, repeat: int) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds (user + system of the child) of ``cmd``."""
    import resource

    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, env=_env(src), capture_output=True, check=True)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def _engine_parts(trees: list[tuple[str, Path]], repeat: int, tmp: Path) -> None:
    """Parts 2-4: the SMP per turn at 80 actors, the SMP at 320 actors, the EUM in the Monte Carlo shape."""
    import numpy as np

    print("SMP, dummyData-a080 (80 actors), per turn (best of --repeat, after one warm-up run):")
    ref = None
    runs = [(name, src, "default") for name, src in trees] + [
        ("after", SRC, "numpy"),
        ("after", SRC, "numba"),
    ]
    for name, src, backend in runs:
        out = tmp / f"smp-{name}-{backend}.npy"
        r = _child(SMP_CHILD, [backend, str(repeat), "1", str(KTAB), str(out)], src)
        pos = np.load(out)
        ref = pos if ref is None else ref
        same = np.array_equal(pos, ref)
        print(
            f"  {name:<6} backend {backend:<7} {r['turns']} turns: "
            f"{1000 * r['cpu_s'] / r['turns']:7.2f} ms cpu/turn, "
            f"{1000 * r['wall_s'] / r['turns']:7.2f} ms wall/turn; first run {r['first_s']:.2f} s; "
            f"positions equal to the first row: {same}"
        )
    print("  goal: >= 3x fewer ms per turn than before, positions bit-identical\n")

    print("SMP, 320 actors (dummyData-a080 tiled 4x), one run:")
    for name, src in trees:
        out = tmp / f"smp320-{name}.npy"
        r = _child(SMP_CHILD, ["default", "1", "4", str(KTAB), str(out)], src)
        print(
            f"  {name:<6} {r['turns']} turns: {r['wall_s']:.2f} s wall, {r['cpu_s']:.2f} s cpu "
            f"(first run, compile cache included: {r['first_s']:.2f} s)"
        )
    print("  goal: <= 5 s\n")

    print("EUM, Monte Carlo shape (2,048 draws x 11 actors x 5 issues, 10 rounds):")
    eum_ref = None
    for name, src in trees:
        out = tmp / f"eum-{name}.npy"
        r = _child(EUM_BACKEND_CHILD, [str(repeat), str(out), "-"], src)  # "-": the tree's default backend
        pos = np.load(out)
        eum_ref = pos if eum_ref is None else eum_ref
        print(
            f"  {name:<6} {r['cpu_s']:.2f} s cpu, {r['ns']:.0f} ns per actor pair and round "
            f"(max |diff| to the first row {np.abs(pos - eum_ref).max():.1e})"
        )
    print("  floor: see the per-backend part below (measured by bench_eum_floor.py); goal <= 1.5x of it\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="src folder of an earlier Accord to time beside this one")
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-draws", action="store_true")
    parser.add_argument("--only-draws", action="store_true")
    parser.add_argument(
        "--only-eum", action="store_true", help="only the EUM's figures (backends, memory, profile)"
    )
    parser.add_argument("--skip-executors", action="store_true", help="skip part 6 (bench_executors.py)")
    parser.add_argument(
        "--skip-studies", action="store_true", help="skip part 7 (sensitivity, compare, tornado)"
    )
    args = parser.parse_args()
    trees = [("after", SRC)] + ([("before", args.before)] if args.before else [])
    print(f"{os.cpu_count()} CPUs, load average at start: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    floor, floor_cpu = _timed([sys.executable, "-c", "import numpy"], SRC, 5)
    print(f"floor: python -c 'import numpy' {floor:.3f} s wall, {floor_cpu:.3f} s cpu (median of 5)\n")

    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        if not (args.only_draws or args.only_eum):
            _engine_parts(trees, args.repeat, Path(tmp))
        if not args.only_draws:
            _eum_backends(trees, args.repeat, Path(tmp))
            _eum_memory(trees)

    if not args.skip_draws:
        _eum_profile(trees, args.draws, (floor, floor_cpu))
    if args.only_eum:
        return

    if not args.skip_draws:
        print(
            f"{args.draws} draws of the default case, whole process "
            f"(`accord run --draws {args.draws} --no-store -q`):"
        )
        for model, goal, mult in (("eum", 2.5, 30), ("smp", 5.0, 60)):
            for name, src in trees:
                accord = accord_command()
                cmd = [
                    accord,
                    "run",
                    "--model",
                    model,
                    "--draws",
                    str(args.draws),
                    "--no-store",
                    "-q",
                    "--json",
                ]
                wall, cpu = _timed(cmd, src, 1)
                print(
                    f"  {model} {name:<6} {wall:6.2f} s wall = {wall / floor:5.0f}x the floor; "
                    f"{cpu:6.2f} s cpu = "
                    f"{cpu / floor_cpu:5.0f}x the floor's cpu (goal {goal} s, {mult}x)"
                )
    if not (args.skip_studies or args.only_draws):
        print()
        _studies(trees, args.repeat)
    if not args.skip_executors:
        print("\nParallel executors (benchmarks/bench_executors.py; goal >= 1.6x local on two cores):")
        sys.stdout.flush()
        subprocess.run(
            [sys.executable, str(HERE / "bench_executors.py"), "--draws", str(args.draws)], check=False
        )
    print("\nload average at end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
