"""The NumPy floor of the EUM in the Monte Carlo shape, measured on this machine, beside the engine.

Run: ``.venv/bin/python benchmarks/bench_eum_floor.py [--repeat 5] [--draws 2048] [--json]``

Issue 12 asks for the EUM "within 1.5x of the NumPy floor in the Monte Carlo shape" (2,048 draws x 11
actors x 5 issues, 10 rounds) and guessed that floor at ~40 ns per actor pair and round. This script
measures it instead. The floor is the arithmetic of EUM rounds written as the shortest NumPy we know:

- every step of a round is one ufunc pass over the whole ``[rows, A, A]`` (or ``[rows, A]``) array, into
  buffers allocated once per run (``out=``), so there are no temporaries, no Python loop over rows or
  actors, no chunking, groups, masks of absent actors, recorder or diagnostics;
- it keeps exactly the operations the model needs, in the engine's order: the geometry (half distances,
  voter distances, voters left of each midpoint), the prefix sums of votes over voters in position order
  (one ``cumsum``), the supports and global probabilities of the danger phase (exponent 1, whose power is
  the identity and is skipped, as the engine does), the dangers and risk exponents, the supports and
  probabilities at the risk exponents (one ``[rows, A, A]`` ``pow``), the two utilities of every pair seen
  by the receiver (two ``[rows, A, A]`` ``pow``) and of the status quo (one ``[rows, A]`` ``pow``), the
  expected utilities both ways, the offer types, the choice of offer and the moves;
- the rounds are chained (each round starts from the positions the last one left), so the floor does
  the same ten rounds as the engine, and its final positions are checked against the engine's: the
  printed ``max |diff|`` shows the floor computes the model, not an easier stand-in.

The floor runs twice, on whole arrays and on chunks of rows that stay in the L2 cache, and the faster
counts (both are printed). The pows alone (the same three ``np.power`` passes, nothing else) are printed
too: C-library ``pow`` costs ~14 ns a call here, and it is most of the issue's ~40 ns.

Figures are process CPU seconds (``time.process_time``) divided by draws x issues x actors^2 x rounds,
the best of ``--repeat``; the engine's compiled backend uses both cores through threads, so its CPU time
is summed over them (wall time per pair-round is printed beside it). Nothing is asserted about time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from accord.engines import eum  # noqa: E402
from accord.engines.base import Problem  # noqa: E402
from accord.engines.eum.params import COMPROMISE, NONE  # noqa: E402

ISSUE_FLOOR_NS = 40.0  # the issue's estimate, printed beside the measured floor
GOAL_RATIO = 1.5
ROUNDS = 10


def mc_problem(draws: int, actors: int = 11, issues: int = 5) -> Problem:
    """The Monte Carlo shape of ``bench_goals.py`` (seed 0, positions on a 0.1 grid)."""
    g = np.random.default_rng(0)
    d, a, i = draws, actors, issues
    return Problem(
        np.round(g.uniform(0, 100, (d, a, i)), 1),
        g.uniform(0.05, 1, (d, a, i)),
        g.uniform(0.1, 1, (d, a)),
        g.uniform(0, 100, (d, i)),
    )


def rows_of(problem: Problem) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Positions, salience, weights ``[D * I, A]`` and the range ``R`` ``[D * I]`` (the engine's rows)."""
    b = problem.batched()
    d, a, i = b.positions.shape

    def rows(v: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(v.transpose(0, 2, 1)).reshape(d * i, a)

    cap = np.asarray(b.capability_per_issue(), dtype=float)
    rng_ = eum.effective_range(b.positions, problem.scale, None).reshape(-1)
    return rows(b.positions), rows(b.salience), rows(cap) * rows(b.salience), np.ascontiguousarray(rng_)


class Floor:
    """Buffers for ``n`` rows of ``a`` actors, and one EUM round (default parameters) on them."""

    def __init__(self, n: int, a: int) -> None:
        self.n, self.a = n, a
        sq3, vec = (n, a, a), (n, a)
        self.half, self.vd, self.u, self.t1, self.t2, self.t3, self.t4 = (np.empty(sq3) for _ in range(7))
        self.prefix = np.zeros((n, a + 1, a))
        self.cnt = np.empty(sq3, np.uint8)
        self.flat = np.empty(sq3, np.intp)
        self.below = np.empty(sq3, bool)
        self.up, self.sign = np.empty(sq3), np.empty(sq3)
        self.r, self.danger = np.empty(vec), np.empty(vec)
        self.offset = (np.arange(n, dtype=np.intp) * ((a + 1) * a))[:, None, None] + np.arange(a)
        self.eye = np.eye(a, dtype=bool)
        self.lo, self.hi = 0.5, 2.0
        self.k2 = (self.hi - self.lo) / (self.lo + self.hi - 2.0)
        self.k1 = self.k2 / (self.k2 - self.lo * (self.k2 + 1.0))

    def geometry(self, x: np.ndarray, rng3: np.ndarray) -> np.ndarray:
        """Half distances, voter distances, midpoint counts as flat prefix indices, sign masks."""
        xi, xj = x[:, :, None], x[:, None, :]
        order = np.argsort(x, axis=1, kind="stable")
        xs = np.take_along_axis(x, order, axis=1)
        np.subtract(xi, xj, out=self.half)
        np.abs(self.half, out=self.half)
        self.half /= rng3
        np.minimum(self.half, 1.0, out=self.half)
        self.half *= 0.5
        np.subtract(xs[:, :, None], xj, out=self.vd)
        np.abs(self.vd, out=self.vd)
        self.vd /= rng3
        np.add(xi, xj, out=self.t1)
        self.t1 *= 0.5  # midpoints
        self.cnt[...] = 0
        for k in range(self.a):  # voters left of each midpoint: A byte passes (no [rows, A, A, A] array)
            np.less(xs[:, k, None, None], self.t1, out=self.below)
            self.cnt += self.below.view(np.uint8)
        np.multiply(self.cnt, self.a, out=self.flat)
        self.flat += self.offset
        np.greater(xi, xj, out=self.below)
        self.up[...] = self.below
        np.less(xi, xj, out=self.below)
        np.subtract(self.below, self.up, out=self.sign)
        return order

    def probabilities(self, u: np.ndarray, p: np.ndarray) -> None:
        """Global probabilities into ``p`` from the votes ``u[b, k, a]`` (voters in position order)."""
        np.cumsum(u, axis=1, out=self.prefix[:, 1:])
        left = np.take(self.prefix, self.flat, out=self.t2)
        np.subtract(left, left.transpose(0, 2, 1), out=p)
        p *= self.sign
        total = self.prefix[:, self.a]
        np.subtract(total[:, None, :], total[:, :, None], out=self.t2)
        self.t2 *= self.up
        p += self.t2
        np.maximum(p, 0.0, out=p)
        grand = 2.0 * p.sum(axis=(1, 2))
        p *= np.where(grand > 0, 1.0 / np.where(grand > 0, grand, 1.0), 0.0)[:, None, None]

    def risk(self, s: np.ndarray, w_sorted: np.ndarray) -> None:
        """Risk exponents ``self.r`` from the danger phase (common exponent 1: no pow)."""
        np.multiply(w_sorted[:, :, None], self.vd, out=self.u)
        self.probabilities(self.u, self.t3)
        eu = self.t1
        np.subtract(1.0, self.t3.transpose(0, 2, 1), out=eu)
        np.subtract(0.5, self.half, out=self.t2)  # U_s - U_f at exponent 1: -4 (0.5 - h) + 4 (0.5 + h)
        self.t2 *= -4.0
        self.t2 += 2.0  # U_s (U_sq = 0 at exponent 1)
        np.add(self.half, 0.5, out=self.t3)
        self.t3 *= -4.0
        self.t3 += 2.0  # U_f
        np.subtract(self.t2, self.t3, out=self.t3)
        eu *= self.t3
        eu *= s[:, :, None]
        np.subtract(self.t2, eu, out=eu)
        eu[:, self.eye] = 0.0
        eu.sum(axis=-1, out=self.danger)
        hi, lo = self.danger.max(axis=1, keepdims=True), self.danger.min(axis=1, keepdims=True)
        spread = hi - lo
        flat = spread <= 1e-12 * np.maximum(1.0, np.maximum(np.abs(hi), np.abs(lo)))
        score = np.where(flat, 0.0, (2.0 * self.danger - hi - lo) / np.where(flat, 1.0, spread))
        np.divide(1.0 - score / self.k1, 1.0 + score / self.k2, out=self.r)

    def round(self, x: np.ndarray, s: np.ndarray, w: np.ndarray, rng_: np.ndarray) -> np.ndarray:
        """One round (variant paper, global normalisation, q = 1, tie_tol 1e-12): the new positions."""
        rng3 = rng_[:, None, None]
        order = self.geometry(x, rng3)
        w_sorted = np.take_along_axis(w, order, axis=1)
        self.risk(s, w_sorted)
        r_sorted = np.take_along_axis(self.r, order, axis=1)
        np.power(self.vd, r_sorted[:, :, None], out=self.u)  # pow 1 of 3
        self.u *= w_sorted[:, :, None]
        p = self.t3
        self.probabilities(self.u, p)
        rcol = self.r[:, :, None]
        us, uf = self.t1, self.t2
        np.subtract(0.5, self.half, out=us)
        np.power(us, rcol, out=us)  # pow 2 of 3
        np.add(self.half, 0.5, out=uf)
        np.power(uf, rcol, out=uf)  # pow 3 of 3
        usq = 2.0 - 4.0 * np.power(0.5, self.r)  # and one per actor
        us *= -4.0
        us += 2.0
        uf *= -4.0
        uf += 2.0
        np.subtract(us, uf, out=uf)  # du
        us -= usq[:, :, None]  # base
        eu_ij, eu_ji = self.u, self.vd  # the votes and voter distances are used up
        np.subtract(1.0, p, out=eu_ij)
        eu_ij *= uf
        eu_ij *= s[:, None, :]
        np.subtract(us, eu_ij, out=eu_ij)
        np.subtract(1.0, p.transpose(0, 2, 1), out=eu_ji)
        eu_ji *= uf
        eu_ji *= s[:, :, None]
        np.subtract(us, eu_ji, out=eu_ji)
        return self.moves(x, eu_ij, eu_ji, rng_)

    def moves(self, x: np.ndarray, eu_ij: np.ndarray, eu_ji: np.ndarray, rng_: np.ndarray) -> np.ndarray:
        """Offer types, each receiver's best offer, and the simultaneous moves."""
        tol = 1e-12
        conf = (eu_ij > tol) & (eu_ji - eu_ij > tol)
        quadrant = (eu_ij < -tol) & (eu_ji > tol)
        both = np.add(eu_ij, eu_ji, out=self.t1)
        comp = quadrant & (both > tol)
        cap = quadrant & (-both > tol)
        kind = conf.view(np.int8) + comp.view(np.int8) * np.int8(2) + cap.view(np.int8) * np.int8(3)
        a_ij, a_ji = np.abs(eu_ij, out=self.t4), np.abs(eu_ji, out=self.t2)
        value = a_ij * x[:, :, None]
        a_ij += a_ji
        a_ji *= x[:, None, :]
        value += a_ji
        with np.errstate(divide="ignore", invalid="ignore"):
            value /= a_ij
        key = np.subtract(x[:, :, None], x[:, None, :], out=self.half)
        np.abs(key, out=key)
        np.copyto(key, value, where=kind == COMPROMISE)
        rank = (kind + np.int8(3)) & np.int8(3)
        best = rank.min(axis=-1)
        np.putmask(key, rank != best[:, :, None], np.inf)
        smallest = key.min(axis=-1, keepdims=True)
        smallest += (tol * rng_)[:, None, None]
        move = (best + np.int8(1)) & np.int8(3)
        j = np.argmax(key <= smallest, axis=-1)
        rows, cols = np.arange(x.shape[0])[:, None], np.arange(self.a)[None, :]
        x_j = x[rows, j]
        with np.errstate(divide="ignore", invalid="ignore"):
            compromise = x + (x_j - x) * np.abs(eu_ij[rows, cols, j] / eu_ji[rows, cols, j])
        return np.where(move == COMPROMISE, compromise, np.where(move != NONE, x_j, x))


def run_floor(x: np.ndarray, s: np.ndarray, w: np.ndarray, rng_: np.ndarray, chunk: int) -> np.ndarray:
    """``ROUNDS`` chained rounds on rows ``[N, A]``, ``chunk`` rows at a time; the final positions."""
    n, a = x.shape
    out = x.copy()
    floors: dict[int, Floor] = {}
    for start in range(0, n, chunk):
        sl = slice(start, min(start + chunk, n))
        size = sl.stop - sl.start
        floor = floors.setdefault(size, Floor(size, a))
        xc = out[sl]
        for _ in range(ROUNDS):
            xc = floor.round(xc, s[sl], w[sl], rng_[sl])
        out[sl] = xc
    return out


def pows_only(x: np.ndarray, rng_: np.ndarray, r: np.ndarray, chunk: int) -> None:
    """The floor's three ``[N, A, A]`` pows and its ``[N, A]`` one, ``ROUNDS`` times: nothing else."""
    n, a = x.shape
    for start in range(0, n, chunk):
        sl = slice(start, min(start + chunk, n))
        base = np.minimum(np.abs(x[sl, :, None] - x[sl, None, :]) / rng_[sl, None, None], 1.0) * 0.25 + 0.25
        out = np.empty_like(base)
        rcol = r[sl, :, None]
        for _ in range(ROUNDS):
            for _ in range(3):
                np.power(base, rcol, out=out)
            np.power(0.5, r[sl])


def best_cpu(fn, repeat: int) -> tuple[float, float]:  # noqa: ANN001
    """Best process CPU seconds and best wall seconds of ``repeat`` calls."""
    cpu = wall = float("inf")
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu, wall = min(cpu, time.process_time() - c0), min(wall, time.perf_counter() - w0)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--draws", type=int, default=2048)
    parser.add_argument("--json", action="store_true", help="one JSON line of figures only")
    args = parser.parse_args()
    load0 = os.getloadavg()
    problem = mc_problem(args.draws)
    x, s, w, rng_ = rows_of(problem)
    n, a = x.shape
    per = 1e9 / (n * a * a * ROUNDS)  # seconds -> ns per actor pair and round
    params = {be: eum.EUMParams(keep_challenges=False, backend=be) for be in ("numpy", "numba")}
    engine: dict[str, tuple[float, float]] = {}
    finals = {}
    for be, prm in params.items():
        finals[be] = eum.run(problem, prm).positions[:, -1]  # warm-up (and Numba's cached code)
        engine[be] = best_cpu(lambda prm=prm: eum.run(problem, prm), args.repeat)
    floors = {}
    for label, chunk in (("whole arrays", n), ("chunks of 256 rows", 256)):
        final = run_floor(x, s, w, rng_, chunk)
        floors[label] = best_cpu(lambda chunk=chunk: run_floor(x, s, w, rng_, chunk), args.repeat)
        d, i = problem.positions.shape[0], problem.positions.shape[2]
        engine_final = np.ascontiguousarray(finals["numpy"].transpose(0, 2, 1)).reshape(d * i, a)
        floors[label] += (float(np.abs(final - engine_final).max()),)  # type: ignore[assignment]
    r = eum.run(problem, params["numba"], rounds=1).diagnostics["risk"][:, 0]
    r_rows = np.ascontiguousarray(r.transpose(0, 2, 1)).reshape(n, a)
    pow_cpu = best_cpu(lambda: pows_only(x, rng_, r_rows, 256), args.repeat)[0]
    floor_label = min(floors, key=lambda k: floors[k][0])
    floor_ns = floors[floor_label][0] * per
    figures = {
        "floor_ns": floor_ns,
        "pow_ns": pow_cpu * per,
        "issue_floor_ns": ISSUE_FLOOR_NS,
        **{f"{be}_ns": engine[be][0] * per for be in engine},
        **{f"{be}_wall_ns": engine[be][1] * per for be in engine},
        "floor_max_diff": max(f[2] for f in floors.values()),
        "backends_equal": bool(np.array_equal(finals["numpy"], finals["numba"])),
    }
    if args.json:
        print(json.dumps(figures))
        return
    print(f"EUM, Monte Carlo shape: {args.draws} draws x {a} actors x 5 issues, {ROUNDS} rounds ({n} rows)")
    print("load average at start: " + ", ".join(f"{v:.2f}" for v in load0))
    print(f"ns per actor pair and round, best CPU of {args.repeat} (wall beside it):")
    for label, (cpu, wall, diff) in floors.items():
        print(
            f"  NumPy floor, {label:<18} {cpu * per:6.1f} ns cpu, {wall * per:6.1f} ns wall "
            f"(final positions: max |diff| to the engine {diff:.1e})"
        )
    print(f"  of which the pows alone            {pow_cpu * per:6.1f} ns cpu (3 per pair + 1 per actor)")
    for be, (cpu, wall) in engine.items():
        print(f"  engine, backend {be:<18} {cpu * per:6.1f} ns cpu, {wall * per:6.1f} ns wall")
    print(f"  final positions of the two backends equal bit for bit: {figures['backends_equal']}")
    best = engine["numba"][0] * per
    print(
        f"floor: measured {floor_ns:.1f} ns ({floor_label}); the issue's estimate ~{ISSUE_FLOOR_NS:.0f} ns.\n"
        f"compiled engine: {best / floor_ns:.2f}x the measured floor (goal <= {GOAL_RATIO}x, "
        f"i.e. <= {GOAL_RATIO * floor_ns:.0f} ns), {best / ISSUE_FLOOR_NS:.2f}x the issue's ~40 ns "
        f"(<= {GOAL_RATIO * ISSUE_FLOOR_NS:.0f} ns)"
    )
    print("load average at end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
