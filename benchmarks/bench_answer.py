"""The analyst's figures: the answer cold and warm (over HTTP), what-if, the report build and size, the
first page load, and the stability of the drivers' ranking over sample sizes.

Run: ``.venv/bin/python benchmarks/bench_answer.py [--drivers] [--json]``

* answer: a fresh app on a temporary SQLite file, served by uvicorn in a thread on 127.0.0.1; the first
  ``GET /api/cases/nagorno-karabakh-2020/answer`` computes (cold), the next five are served from the cache
  (warm, the slowest is printed);
* what-if: ``POST .../whatif`` with one change, point forecast only and with 200 draws;
* first page: ``GET /`` plus its script and style files and plotly.js, with gzip, bytes on the wire;
* report: ``build_report`` of the built-in case in a fresh process (cold: imports included), its size;
* ``--drivers``: for sample sizes 24, 42 and 64 (x 4 seeds), the leading group and top three of the drivers
  for four independent base seeds, and how often they agree.
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
html = build_report(load_case("nagorno-karabakh-2020"), [ReportVariant("the case as it is")], draws=500,
                    corpus=load_corpus_dir(sys.argv[1]))
print(time.perf_counter() - t, time.process_time() - c, len(html.encode()))
"""


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


def driver_figures() -> list[dict[str, object]]:
    from accord.answer import DRIVER_REPEATS, drivers
    from accord.case.io import load_case

    case = load_case(CASE)
    rows = []
    for samples in (24, 42, 64):
        groups, tops = [], []
        t = time.perf_counter()
        for base in (0, 1000, 2000, 3000):
            d = drivers(case, samples=samples, repeats=DRIVER_REPEATS, seed=base)
            groups.append(tuple(sorted(d["stability"]["leading_group"])))
            tops.append(tuple(sorted(a["actor"] for a in d["actors"][:3])))
        modal_group = max(set(groups), key=groups.count)
        modal_top = max(set(tops), key=tops.count)
        rows.append(
            {
                "samples": samples,
                "repeats": DRIVER_REPEATS,
                "seconds_per_answer": (time.perf_counter() - t) / 4,
                "leading_groups": groups,
                "group_agreement": groups.count(modal_group) / len(groups),
                "top3_agreement": tops.count(modal_top) / len(tops),
                "modal_top3": modal_top,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--drivers", action="store_true", help="also measure the drivers' stability (a few minutes)"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures: dict[str, object] = {**web_figures(), **report_figures()}
    for key, value in figures.items():
        print(f"{key:24s} {value:8.3f}")
    if args.drivers:
        figures["drivers"] = driver_figures()
        for row in figures["drivers"]:  # type: ignore[union-attr]
            print(
                f"drivers N={row['samples']} x{row['repeats']}: {row['seconds_per_answer']:.1f} s; leading group agreed "
                f"{row['group_agreement']:.0%} across 4 base seeds, top three {row['top3_agreement']:.0%} "
                f"(modal top three {', '.join(row['modal_top3'])}); groups {row['leading_groups']}"
            )
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
