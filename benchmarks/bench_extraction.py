"""Precision and recall of dated-event extraction, per split of the second gold and on the first gold.

The second gold (``tests/evidence/gold2``) was annotated blind to the extractor; its split into texts
used while tuning and texts held out was fixed in its GUIDELINE.md before any measurement. The held-out
rows are the out-of-sample figures; the tune rows and the first gold's rows are in-sample (the first gold
annotates only events with a date expression of their own, so "own-date" scores only those). Two scores:
``date`` (span overlaps, date and precision right) and ``date+type`` (the type right as well).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_extraction.py [--errors tune]

``--errors tune`` lists the misses and false alarms of the tuning texts only (the held-out errors are
not meant to be read while the extractor is changed).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from accord.extract.evaluate import DEFAULT_CORPUS, DEFAULT_GOLD, DEFAULT_GOLD2, DatedScores, evaluate_dated


def _row(name: str, r: DatedScores) -> str:
    d, t = r.date, r.typed
    return (
        f"{name:<22} {t.gold:>4} {d.extracted:>5}   {d.precision:5.2f} {d.recall:5.2f}   "
        f"{t.precision:5.2f} {t.recall:5.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument(
        "--errors", choices=["tune", "held_out", "all"], help="list misses and false alarms of a split"
    )
    args = parser.parse_args()
    split = yaml.safe_load((Path(DEFAULT_GOLD2) / "split.yaml").read_text(encoding="utf-8"))
    print(f"{'gold / split':<22} {'gold':>4} {'found':>5}   {'date P':>5} {'R':>5}   {'+type P':>5} {'R':>5}")
    runs = {
        "gold2 held out (OOS)": evaluate_dated(DEFAULT_GOLD2, args.corpus, split["held_out"]),
        "gold2 tune": evaluate_dated(DEFAULT_GOLD2, args.corpus, split["tune"]),
        "gold2 all": evaluate_dated(DEFAULT_GOLD2, args.corpus),
        "gold (first) all": evaluate_dated(DEFAULT_GOLD, args.corpus),
        "gold (first) own-date": evaluate_dated(DEFAULT_GOLD, args.corpus, own_dates_only=True),
    }
    for name, result in runs.items():
        print(_row(name, result))
    if args.errors:
        chosen = {
            "tune": runs["gold2 tune"],
            "held_out": runs["gold2 held out (OOS)"],
            "all": runs["gold2 all"],
        }[args.errors]
        print("\nmisses (date+type):\n  " + "\n  ".join(chosen.misses))
        print("\nfalse alarms (date+type):\n  " + "\n  ".join(chosen.false_alarms))


if __name__ == "__main__":
    main()
