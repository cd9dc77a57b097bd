"""Benchmark: the whole DEU backtest of the development file with every model, timed, and its table.

Prints the two tables of ``accord backtest deu`` and the wall time of each model, of the forecaster's
nested cross-validation and of the whole run (the target is 60 s on the project machine).
Run: PYTHONPATH=src .venv/bin/python benchmarks/bench_backtest.py [FILE]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rich.console import Console

from accord.cli.backtest_cmd import _tables
from accord.validation.backtest import run_deu
from accord.validation.models import model_names

DEV = Path("/work/shared/validation/deu3/deu3-1996-2004.tsv")


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEV
    if not path.exists():
        print(f"no DEU file at {path}; pass one as the first argument")
        return
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()

    def progress(name: str) -> None:
        marks.append((name, time.perf_counter()))

    report = run_deu(path, models=list(model_names()), seed=0, progress=progress)
    total = time.perf_counter() - start
    console = Console(width=80)
    for table in _tables(report):
        console.print(table)
    previous = start
    cells = []
    for name, t in marks:
        cells.append(f"{name} {t - previous:.1f}s")
        previous = t
    console.print("time per step: " + ", ".join(cells), highlight=False)
    console.print(
        f"whole backtest, {len(report['models'])} models, {report['issues']} issues: {total:.1f} s",
        highlight=False,
    )


if __name__ == "__main__":
    main()
