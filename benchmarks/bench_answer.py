"""The analyst's figures: the answer cold and warm (over HTTP), what-if, the report build and size, the
first page load, and the stability of the drivers' ranking over sample sizes.

Run: ``.venv/bin/python benchmarks/bench_answer.py [--drivers | --only-drivers] [--sizes 42,100] [--json]``

* answer: a fresh app on a temporary SQLite file, served by uvicorn in a thread on 127.0.0.1; the first
  ``GET /api/cases/nagorno-karabakh-2020/answer`` computes (cold), the next five are served from the cache
  (warm, the slowest is printed);
* what-if: ``POST .../whatif`` with one change, point forecast only and with 200 draws;
* first page: ``GET /`` plus its script and style files and plotly.js, with gzip, bytes on the wire;
* answer in a fresh process: ``accord answer CASE --json`` (imports included), wall and CPU;
* report: ``build_report`` of the built-in case in a fresh process (cold: imports included), its size;
* ``--drivers`` (``--only-drivers`` for these alone): for each number of Morris trajectories in
  ``--sizes``, ``--seeds`` independent runs; how often their top three drivers are the same set, and the
  same order, and each actor's rank interval over the seeds.
Wall-clock figures depend on the machine's load; CPU seconds of the process are printed beside them.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "nagorno-karabakh"
CASE = "nagorno-karabakh-2020"


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def web_figures() -> dict[str, float]:
    from accord.web import create_app
    from accord.web.server import ServerThread

    out: dict[str, float] = {}
    app = create_app(
        str(Path(tempfile.mkdtemp(prefix="accord-bench-answer-")) / "accord.db"),
        CORPUS if CORPUS.is_dir() else None,
    )
    with ServerThread(app) as url, httpx.Client(base_url=url, timeout=300) as client:
        wall, cpu = _clock()
        first = client.get(f"/api/cases/{CASE}/answer")
        out["answer_cold_s"] = time.perf_counter() - wall
        out["answer_cold_cpu_s"] = time.process_time() - cpu
        assert first.status_code == 200, first.text
        warm = []
        for _ in range(5):
            t = time.perf_counter()
            client.get(f"/api/cases/{CASE}/answer").raise_for_status()
            warm.append(time.perf_counter() - t)
        out["answer_warm_max_s"] = max(warm)
        change = {"changes": [{"actor": "russia", "attribute": "position", "issue": "territory", "value": 0}]}
        for draws, key in ((0, "whatif_point_s"), (200, "whatif_200_draws_s")):
            t = time.perf_counter()
            client.post(f"/api/cases/{CASE}/whatif", json={**change, "draws": draws}).raise_for_status()
            out[key] = time.perf_counter() - t
        gz = {"Accept-Encoding": "gzip"}
        t = time.perf_counter()
        wire = 0
        for path in (
            "/",
            "/static/accord.css",
            "/static/accord.js",
            "/static/answer.js",
            "/static/compare.js",
            "/vendor/plotly.min.js",
        ):
            with client.stream("GET", path, headers=gz) as response:
                wire += sum(len(chunk) for chunk in response.iter_raw())
        out["first_page_s"] = time.perf_counter() - t
        out["first_page_mb_on_wire"] = wire / 1e6
    return out


REPORT_SCRIPT = """
import time, sys
t = time.perf_counter(); c = time.process_time()
from accord.case.io import load_case
from accord.spans.pointers import load_corpus_dir
from accord.report import build_report, ReportVariant
html = build_report(load_case("nagorno-karabakh-2020"), [ReportVariant("the case as it is")], draws=256,
                    corpus=load_corpus_dir(sys.argv[1]))
print(time.perf_counter() - t, time.process_time() - c, len(html.encode()))
"""


def answer_process_figures() -> dict[str, float]:
    """``accord answer CASE --json`` in a fresh process: wall time and the child's CPU time (imports
    included: what a user waits for at the terminal)."""
    import os
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).with_name("accord")), "answer", CASE, "--json", "--quiet"],
        capture_output=True,
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"answer_process_cold_s": wall, "answer_process_cold_cpu_s": cpu}


def report_figures() -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", REPORT_SCRIPT, str(CORPUS)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    wall, cpu, size = done.stdout.split()
    return {"report_cold_s": float(wall), "report_cold_cpu_s": float(cpu), "report_mb": int(size) / 1e6}


def driver_figures(
    sizes: tuple[int, ...], seeds: int, repeats: int = 1, case_id: str = CASE
) -> list[dict[str, object]]:
    """For each number of Morris trajectories: ``seeds`` independent drivers rankings (each pooling
    ``repeats`` runs, as the answer does; base seeds 0, repeats, 2 x repeats, ...), and how often their
    top three agree (as a set and in order) with the modal top three, plus each actor's rank interval
    over the seeds (5th to 95th percentile)."""
    import numpy as np

    from accord.answer import drivers
    from accord.case.io import load_case

    case = load_case(case_id)
    rows = []
    for samples in sizes:
        sets, orders, ranks = [], [], {}
        t, c = time.perf_counter(), time.process_time()
        for seed in range(seeds):
            d = drivers(case, samples=samples, repeats=repeats, seed=seed * repeats)
            order = [a["actor"] for a in d["actors"]]
            sets.append(tuple(sorted(order[:3])))
            orders.append(tuple(order[:3]))
            for k, a in enumerate(order):
                ranks.setdefault(a, []).append(k + 1)
        modal_set = max(set(sets), key=sets.count)
        modal_order = max(set(orders), key=orders.count)
        rows.append(
            {
                "samples": samples,
                "repeats": repeats,
                "case": case_id,
                "seeds": seeds,
                "seconds_per_run": (time.perf_counter() - t) / seeds,
                "cpu_per_run": (time.process_time() - c) / seeds,
                "top3_set_agreement": sets.count(modal_set) / seeds,
                "top3_order_agreement": orders.count(modal_order) / seeds,
                "modal_top3": modal_order,
                "rank_intervals": {
                    a: [int(np.percentile(r, 5)), int(np.percentile(r, 95))]
                    for a, r in sorted(ranks.items(), key=lambda kv: np.mean(kv[1]))
                },
            }
        )
        print(_driver_line(rows[-1]), flush=True)
    return rows


def _driver_line(row: dict[str, object]) -> str:
    ranks = ", ".join(f"{a} {lo}-{hi}" for a, (lo, hi) in row["rank_intervals"].items())  # type: ignore[attr-defined]
    return (
        f"{row['case']} drivers N={row['samples']} x{row['repeats']}: "
        f"{row['seconds_per_run']:.2f} s wall / {row['cpu_per_run']:.2f} s CPU "
        f"per run; top three the same set in {row['top3_set_agreement']:.0%} of {row['seeds']} seeds, same "
        f"order in {row['top3_order_agreement']:.0%} (modal {', '.join(row['modal_top3'])}); "  # type: ignore[arg-type]
        f"rank 5-95%: {ranks}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--drivers", action="store_true", help="also measure the drivers' stability (a few minutes)"
    )
    parser.add_argument("--sizes", default="42,100,200,400,800", help="Morris trajectories to try")
    parser.add_argument("--seeds", type=int, default=20, help="independent seeds per size")
    parser.add_argument("--repeats", type=int, default=1, help="Morris runs pooled per ranking")
    parser.add_argument("--case", default=CASE, help="the case whose drivers are measured")
    parser.add_argument("--only-drivers", action="store_true", help="skip the web and report figures")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures: dict[str, object] = {}
    if not args.only_drivers:
        import os

        figures = {**answer_process_figures(), **web_figures(), **report_figures()}
        for key, value in figures.items():
            print(f"{key:24s} {value:8.3f}")
        print(f"load average {os.getloadavg()[0]:.1f} (1 min)")
    if args.drivers or args.only_drivers:
        sizes = tuple(int(x) for x in args.sizes.split(","))
        figures["drivers"] = driver_figures(sizes, args.seeds, args.repeats, args.case)
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
