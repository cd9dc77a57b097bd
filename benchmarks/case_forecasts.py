"""The built-in cases' forecasts per model, as the Markdown table of docs/models.md.

For each case and model: per issue the headline median and central 80% interval of
``accord.api.forecast_distribution`` (256 draws, seed 0: the numbers ``accord run CASE --model M``
prints; the default model's interval includes its DEU error, the others' the case's uncertainty only)
and the point run. Run: ``PYTHONPATH=src .venv/bin/python benchmarks/case_forecasts.py``
"""

from __future__ import annotations

import time

import accord
from accord.api import forecast_distribution
from accord.engines.registry import DEFAULT_MODEL, ENGINES

CASES = ("nagorno-karabakh-2020", "nagorno-karabakh-2013")


def table(case_id: str) -> str:
    case = accord.load_case(case_id)
    issues = case.issue_ids
    lines = [
        f"**{case_id}** (as of {case.case.as_of}); median [80% interval] (point run)",
        "",
        "| model | interval holds | " + " | ".join(issues) + " |",
        "|---|---|" + "---:|" * len(issues),
    ]
    sq = {i.id: i.status_quo.point for i in case.issues}
    lines.append("| status quo | | " + " | ".join(f"{sq[i]:.0f}" for i in issues) + " |")
    for model in sorted(ENGINES, key=lambda n: (n != DEFAULT_MODEL, n)):
        run = forecast_distribution(case, model, draws=256, seed=0)
        iv, med, pt = run.interval(), run.forecast, run.point_forecast
        cells = [f"{med[i]:.0f} [{iv[i][0]:.0f}-{iv[i][1]:.0f}] ({pt[i]:.0f})" for i in issues]
        name = f"`{model}`" + (" (default)" if model == DEFAULT_MODEL else "")
        lines.append(f"| {name} | {run.interval_kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    t = time.perf_counter()
    for case_id in CASES:
        print(table(case_id), end="\n\n")
    print(f"({time.perf_counter() - t:.1f} s)")


if __name__ == "__main__":
    main()
