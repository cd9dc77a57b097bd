"""Issue 12, goal: the whole process faster than KTAB -O2 on every KTAB sample (the 13-actor one included),
and than a memoised pure-Python EUM at 25 actors and up.

Run (the peers are built outside the repository; their code is never committed here):

    PYTHONPATH=src .venv/bin/python benchmarks/bench_peers.py \\
        --ktab /tmp/ktab/src/examples/smp/smpc --eum-peer /tmp/eum-peer [--repeat 5] [--accord-src LABEL=DIR]

What it compares, each as a whole process started from outside (start-up, input parsing and output
included), on identical inputs:

- KTAB's ``smpc`` (KAPSARC's KTAB, MIT) ``--logmin --csv FILE --connstr "Driver=QSQLITE;Database=test"``,
  run in a fresh folder holding its logger configuration, against ``accord run CASE --model smp --draws 0
  --no-store -q --json`` on the same sample imported as a case (``accord case import --from ktab``);
- the memoised EUM port (``eum_memo.py ACTORS.csv 10``) against ``accord run CASE --model eum --draws 0
  --no-store -q --json`` on the European Community example (10 actors) and on seeded synthetic problems of
  13, 25, 50 and 100 actors (``accord case import --from bdm``).

Before any timing, the outputs are checked equal: KTAB's logged position history (one decimal) against
Accord's positions turn by turn (to 0.05) and against the reference logs in ``shared/reference/ktab`` (two
decimals; to 0.055), and Accord's against the reference logs (to 0.005); the EUM port's positions per
round against Accord's (to 1e-9 on the 0-10 scale). Then every contender and the floor (``python -c
"import numpy"``) run in turn, ``--repeat`` times (A B C A B C ..., so a drift of the machine's speed
hits all alike; fewer for a peer so slow that they would pass ``--budget`` seconds); printed: median
wall and CPU seconds (the children's user + system), Accord's ratio to the peer (> 1: Accord is faster)
from the medians, each as a multiple of the floor, and the load average at both ends.

Building the peers (Debian 12; a few minutes on two cores):

- KTAB: take KAPSARC/KTAB from GitHub (or a fork, e.g. lsyaseen/KTAB) into /tmp/ktab/src; ``apt-get
  install cmake g++ libsqlite3-dev libtinyxml2-dev libeasyloggingpp-dev qtbase5-dev``; compile
  ``/usr/include/easylogging++.cc`` into ``/tmp/ktab/elpp/lib/libeasyloggingpp.a`` (with the ``-DELPP_*``
  flags of KTAB's easyloggingpp/CMakeLists.txt) and copy the header to ``/tmp/ktab/elpp/include``; in
  examples/smp/CMakeLists.txt add ``Widgets`` to ``find_package(Qt5 ... Core Sql)``; then in KTAB/kutils,
  KTAB/kmodel and examples/smp: ``mkdir build && cd build && cmake .. -DCMAKE_PREFIX_PATH=/tmp/ktab/elpp
  -DCMAKE_CXX_FLAGS_DEBUG=-O2 -DCMAKE_CXX_FLAGS_RELEASE=-O2 && make -j2`` (the smp project forces the
  Debug build type, hence both flags). The binary is examples/smp/smpc, its logger configuration
  examples/smp/smpc-logger.conf beside it.
- The EUM port: jmckib/bdm-scholz-expected-utility-model (a pure-Python replication of Scholz, Calbert
  and Smith 2011) into /tmp/eum-peer, made Python 3 (its ``print`` statements and the ``'rU'`` open mode
  only) as ``bdm_scholz_model3.py``, plus ``eum_memo.py``: subclasses whose hot functions (the win
  probability and its global total, danger, risk acceptance) are memoised with ``functools.cache`` on a
  state version, printing every round's positions as JSON; ``--paper`` applies the capitulation test as
  the paper states it (Accord's default ``variant="paper"``; the original never fires it, which changes
  nothing on the EC example but does on other data). The bench passes ``--paper`` on the synthetic ones.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
SHARED = HERE.parent.parent / "shared"
KTAB_REF = SHARED / "reference" / "ktab"
EC_CSV = SHARED / "reference" / "bdm" / "ec_actors.csv"
KTAB_SAMPLES = ("SOE-Pol-Comp", "dummyData_3Dim", "SOE-Policy", "dummyData_6Dim", "dummyData-a080")
EUM_SIZES = (13, 25, 50, 100)
EUM_ROUNDS = 10
# where the docstring's recipes put the peers (used when --ktab / --eum-peer are not given)
DEFAULT_KTAB = Path("/tmp/ktab/src/examples/smp/smpc")
DEFAULT_EUM_PEER = Path("/tmp/eum-peer")


@dataclass
class Contender:
    """One command timed as a whole process (``fresh_cwd``: in a new folder, made untimed, each start)."""

    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    fresh_cwd: bool = False
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)

    def run_once(self, template: Path | None = None) -> None:
        cwd = self.cwd
        if self.fresh_cwd:
            cwd = Path(tempfile.mkdtemp(prefix="bench-peers-"))
            if template is not None:
                shutil.copy(template, cwd / template.name)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(self.argv, cwd=cwd, env={**os.environ, **self.env}, capture_output=True, check=True)
        self.walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if self.fresh_cwd and cwd is not None:
            shutil.rmtree(cwd, ignore_errors=True)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)


# ---------------------------------------------------------------------------------------------------
# Accord's side
# ---------------------------------------------------------------------------------------------------


def accord_bin() -> str:
    from accord_command import accord_command

    return accord_command()


def import_case(src: Path, csv_path: Path, fmt: str, out: Path, extra: tuple[str, ...] = ()) -> Path:
    cmd = [accord_bin(), "case", "import", str(csv_path), "--from", fmt, "-o", str(out), *extra]
    subprocess.run(cmd, env={**os.environ, "PYTHONPATH": str(src)}, capture_output=True, check=True)
    return out


def accord_run_argv(case: Path, model: str) -> list[str]:
    return [accord_bin(), "run", str(case), "--model", model, "--draws", "0", "--no-store", "-q", "--json"]


def accord_positions(src: Path, case: Path, model: str) -> np.ndarray:
    """``[T, A, D]`` positions (0-100) per round of one ``accord run --json``, actors and issues in order."""
    out = subprocess.run(
        accord_run_argv(case, model),
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        check=True,
    )
    rounds = json.loads(out.stdout)["rounds"]
    return np.array([[list(p.values()) for p in r["positions"].values()] for r in rounds], dtype=float)


# ---------------------------------------------------------------------------------------------------
# KTAB
# ---------------------------------------------------------------------------------------------------


def ktab_argv(smpc: Path, csv_path: Path) -> list[str]:
    return [str(smpc), "--logmin", "--csv", str(csv_path), "--connstr", "Driver=QSQLITE;Database=test"]


def ktab_positions(smpc: Path, csv_path: Path, conf: Path) -> np.ndarray:
    """``[T, A, D]`` positions (0-100, one decimal) from the history at the end of KTAB's log."""
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as tmp:
        shutil.copy(conf, Path(tmp) / conf.name)
        subprocess.run(ktab_argv(smpc, csv_path), cwd=tmp, capture_output=True, check=True)
        [log] = Path(tmp).glob("smpc*_log.txt")
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    start = lines.index(next(x for x in lines if x.startswith("History of actor positions"))) + 1
    rows: dict[str, list[list[float]]] = {}
    for line in lines[start:]:
        if line.startswith("History of actors' winning"):
            break
        head, values = line.rsplit(":", 1)
        actor = head.split(",", 1)[0]
        rows.setdefault(actor, []).append([float(v) for v in values.split()])
    return np.array(list(rows.values())).transpose(2, 0, 1)  # [A, D, T] -> [T, A, D]


def reference_positions(sample: str) -> np.ndarray:
    with open(KTAB_REF / sample / "positions_by_turn.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    turns = sorted({int(r["turn"]) for r in rows})
    actors = list(dict.fromkeys(r["actor"] for r in rows))
    dims = list(dict.fromkeys(r["dimension"] for r in rows))
    out = np.zeros((len(turns), len(actors), len(dims)))
    for r in rows:
        out[int(r["turn"]), actors.index(r["actor"]), dims.index(r["dimension"])] = float(r["position_0_100"])
    return out


def check_close(name: str, a: np.ndarray, b: np.ndarray, tol: float) -> float:
    if a.shape != b.shape:
        raise SystemExit(f"{name}: outputs differ in shape {a.shape} vs {b.shape} (turns, actors, issues)")
    gap = float(np.max(np.abs(a - b)))
    if gap > tol:
        raise SystemExit(f"{name}: outputs differ by {gap:.3g} (> {tol}); not timing unequal work")
    return gap


# ---------------------------------------------------------------------------------------------------
# EUM problems and the memoised port
# ---------------------------------------------------------------------------------------------------


def synthetic_bdm(n_actors: int, seed: int, path: Path) -> Path:
    """A seeded BDM CSV: capability and salience in (0, 1], positions on 0-10 with the ends taken.

    Positions keep every digit: on a coarse grid two offers can be exactly as near, which the port
    decides by the last bit of a float difference and Accord by its tie tolerance (both legitimate)."""
    rng = np.random.default_rng(seed)
    cap = rng.uniform(0.05, 1.0, n_actors)
    sal = rng.uniform(0.2, 1.0, n_actors)
    pos = rng.uniform(0.0, 10.0, n_actors)
    pos[0], pos[1] = 0.0, 10.0
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Actor", "Capability", "Position", "Salience"])
        for i in range(n_actors):
            w.writerow([f"A{i:03d}", f"{cap[i]:.3f}", repr(float(pos[i])), f"{sal[i]:.3f}"])
    return path


def peer_argv(peer_dir: Path, csv_path: Path, paper: bool) -> list[str]:
    return [sys.executable, str(peer_dir / "eum_memo.py"), str(csv_path), str(EUM_ROUNDS)] + (
        ["--paper"] if paper else []
    )


def peer_positions(peer_dir: Path, csv_path: Path, paper: bool) -> np.ndarray:
    out = subprocess.run(
        peer_argv(peer_dir, csv_path, paper), cwd=peer_dir, capture_output=True, text=True, check=True
    )
    return np.array(json.loads(out.stdout)["positions"], dtype=float)[:, :, None]  # [T, A, 1]


# ---------------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------------


def time_interleaved(contenders: list[Contender], repeat: int, template: Path | None) -> None:
    """``repeat`` rounds of every contender in turn. No warm-up here: each has just run once to have
    its output checked (file caches, Numba's on-disk cache), and the floor needs none."""
    for c in contenders:
        c.walls.clear()
        c.cpus.clear()
    for _ in range(repeat):
        for c in contenders:
            c.run_once(template)


def repeats(args: argparse.Namespace, check_seconds: float) -> int:
    """``--repeat``, cut for a peer whose one run took long (the memoised EUM takes about a minute at 100
    actors): at most ``--budget`` seconds of its runs, and at least one."""
    return max(1, min(args.repeat, int(args.budget // max(check_seconds, 1e-3))))


def report(problem: str, peer: Contender, accords: list[Contender], floor: Contender) -> None:
    cells = [f"{problem:<16}", f"{peer.wall:7.3f} {peer.cpu:6.3f}"]
    for a in accords:
        cells.append(f"{a.wall:7.3f} {a.cpu:6.3f} {peer.wall / a.wall:6.2f}x {a.wall / floor.wall:5.1f}F")
    cells.append(f"{floor.wall:6.3f} {peer.wall / floor.wall:5.1f}F")
    print("  ".join(cells), flush=True)


def header(peer: str, labels: list[str]) -> None:
    cols = [f"{'problem':<16}", f"{peer + ' wall cpu':>14}"]
    cols += [f"{lab + ': wall   cpu  peer/it  /floor':>34}" for lab in labels]
    cols.append("floor  peer/floor")
    print("  ".join(cols))


def ktab_part(args: argparse.Namespace, sources: dict[str, Path], tmp: Path, floor: Contender) -> None:
    conf = args.ktab_conf or args.ktab.parent / "smpc-logger.conf"
    print(
        "\nSMP: KTAB smpc -O2 vs accord run --model smp --draws 0 (whole process, median s; x: peer / Accord)"
    )
    header("KTAB", list(sources))
    for sample in args.samples:
        csv_path = KTAB_REF / sample / f"{sample}.csv"
        t0 = time.perf_counter()
        try:
            ktab = ktab_positions(args.ktab, csv_path, conf)
        except (OSError, subprocess.CalledProcessError, ValueError, StopIteration) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            tail = (
                detail.decode(errors="replace").strip().splitlines()[-1:] if isinstance(detail, bytes) else []
            )
            print(
                f"NOT RUN (KTAB) on {sample}: smpc gave no usable log "
                f"({type(exc).__name__}: {exc}) {' '.join(tail)}"
            )
            continue
        check_seconds = time.perf_counter() - t0
        reference = reference_positions(sample)
        gap_ref = check_close(f"{sample} KTAB vs reference log", ktab, reference, 0.055)
        accords = []
        for label, src in sources.items():
            case = import_case(src, csv_path, "ktab", tmp / f"{label}-{sample}.yaml")
            mine = accord_positions(src, case, "smp")
            gap = check_close(f"{sample} Accord ({label}) vs KTAB", mine, ktab, 0.05 + 1e-9)
            gap_mine = check_close(
                f"{sample} Accord ({label}) vs reference log", mine, reference, 0.005 + 1e-9
            )
            accords.append(Contender(label, accord_run_argv(case, "smp"), env={"PYTHONPATH": str(src)}))
        peer = Contender("KTAB", ktab_argv(args.ktab, csv_path), fresh_cwd=True)
        repeat = repeats(args, check_seconds)
        time_interleaved([peer, *accords, floor], repeat, conf)
        report(f"{sample} ({ktab.shape[1]})", peer, accords, floor)
        print(
            f"{'':<16}  checked: {ktab.shape[0]} states; largest gap KTAB vs reference log {gap_ref:.3f} "
            f"(it logs one decimal, the reference two), Accord vs KTAB {gap:.3f}, "
            f"Accord vs reference {gap_mine:.4f}; {repeat} timed runs each"
        )


def eum_part(args: argparse.Namespace, sources: dict[str, Path], tmp: Path, floor: Contender) -> None:
    print(
        "\nEUM: memoised pure-Python port vs accord run --model eum --draws 0 (10 rounds; x: peer / Accord)"
    )
    header("port", list(sources))
    problems = [("EC example", EC_CSV, False)]
    problems += [(f"synthetic {n}", synthetic_bdm(n, n, tmp / f"bdm{n}.csv"), True) for n in args.eum_actors]
    for name, csv_path, paper in problems:
        t0 = time.perf_counter()
        theirs = peer_positions(args.eum_peer, csv_path, paper)
        check_seconds = time.perf_counter() - t0
        accords = []
        for label, src in sources.items():
            case = import_case(
                src, csv_path, "bdm", tmp / f"{label}-{csv_path.stem}.yaml", ("--position-max", "10")
            )
            mine = accord_positions(src, case, "eum") / 10.0
            gap = check_close(f"{name} Accord ({label}) vs the port", mine, theirs, 1e-9)
            accords.append(Contender(label, accord_run_argv(case, "eum"), env={"PYTHONPATH": str(src)}))
        peer = Contender("port", peer_argv(args.eum_peer, csv_path, paper), cwd=args.eum_peer)
        repeat = repeats(args, check_seconds)
        time_interleaved([peer, *accords, floor], repeat, None)
        report(f"{name} ({theirs.shape[1]})", peer, accords, floor)
        print(f"{'':<16}  checked: {theirs.shape[0]} rounds equal to {gap:.1e}; {repeat} timed runs each")


def usable_peers(args: argparse.Namespace) -> tuple[Path | None, Path | None]:
    """The peers that can run: one given but missing (not built yet, a typo) is reported NOT RUN, with what
    is missing, and its part skipped; the other part still runs."""
    ktab, eum_peer = args.ktab, args.eum_peer
    if ktab is not None:
        conf = args.ktab_conf or ktab.parent / "smpc-logger.conf"
        missing = [str(p) for p in (ktab, conf) if not p.is_file()]
        if not missing and not os.access(ktab, os.X_OK):
            missing = [f"{ktab} (not executable)"]
        if missing:
            print(f"NOT RUN (KTAB): missing {', '.join(missing)}; build smpc as this script's docstring says")
            ktab = None
    if eum_peer is not None and not (eum_peer / "eum_memo.py").is_file():
        print(f"NOT RUN (EUM port): no {eum_peer / 'eum_memo.py'}; set it up as this script's docstring says")
        eum_peer = None
    return ktab, eum_peer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--ktab", type=Path, help=f"KTAB's smpc binary, built with -O2 (default: {DEFAULT_KTAB})"
    )
    parser.add_argument("--ktab-conf", type=Path, help="smpc's logger configuration (default: beside smpc)")
    parser.add_argument(
        "--eum-peer", type=Path, help=f"folder of eum_memo.py, the port (default: {DEFAULT_EUM_PEER})"
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--budget", type=float, default=120.0, help="seconds of a slow peer's timed runs")
    parser.add_argument("--samples", nargs="+", default=list(KTAB_SAMPLES))
    parser.add_argument("--eum-actors", nargs="+", type=int, default=list(EUM_SIZES))
    parser.add_argument(
        "--accord-src",
        action="append",
        default=[],
        metavar="LABEL=DIR",
        help="Accord sources to time (repeatable), e.g. main=src start=/work/h-start/src (default: this src)",
    )
    args = parser.parse_args()
    if args.ktab is None and args.eum_peer is None:
        args.ktab = DEFAULT_KTAB if DEFAULT_KTAB.exists() else None
        args.eum_peer = DEFAULT_EUM_PEER if (DEFAULT_EUM_PEER / "eum_memo.py").exists() else None
        if args.ktab is None and args.eum_peer is None:
            print(
                f"NOT RUN: no peer found at {DEFAULT_KTAB} or {DEFAULT_EUM_PEER}; build them as this script's"
            )
            print("docstring says, or give --ktab / --eum-peer.")
            return
    args.ktab, args.eum_peer = usable_peers(args)
    if args.ktab is None and args.eum_peer is None:
        return
    sources = dict(s.split("=", 1) for s in args.accord_src) if args.accord_src else {"accord": str(SRC)}
    srcs = {label: Path(d).resolve() for label, d in sources.items()}
    print(f"{os.cpu_count()} CPUs, load average at start: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    print(
        f"median of up to {args.repeat} interleaved runs (after the output checks); F: multiple of the floor"
    )
    floor = Contender("floor", [sys.executable, "-c", "import numpy"])
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as tmp:
        if args.ktab:
            ktab_part(args, srcs, Path(tmp), floor)
        if args.eum_peer:
            eum_part(args, srcs, Path(tmp), floor)
    print("\nload average at end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
