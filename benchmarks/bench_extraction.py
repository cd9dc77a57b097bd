"""Precision and recall of dated-event extraction: ten golds of the corpus texts, and our own texts.

Golds 3 to 10 of the five corpus texts were each annotated blind by someone who saw neither the extractor nor
the other golds, under their own guideline, and kept outside the repository until scored (their READMEs give
each one's scoring). Each was scored once on a frozen extractor. Golds 3 to 7 were read afterwards, so their
rows are **in-sample** for the current extractor (gold7 since round five, session 19). Golds 8 to 10 were
made in session 19 and scored once on round five's frozen extractor (e220254): out of sample for it, and
in-sample for any later change once their errors are read. gold2 and the first gold were read long before.
Our own texts (``tests/evidence/own_texts``, README) have three splits: ``tune`` (errors read),
``held_out`` and ``blind_s18`` (both read since round five).
Two scores: ``date`` (span overlaps, date and precision right) and ``date+type`` (the type right as well).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_extraction.py [--errors SPLIT] [--consensus [-v]]

``--errors`` lists the misses and false alarms of a split (``own``: our own tuning texts; ``gold3`` to
``gold10``: reading gold8-10's makes them in-sample for what follows). ``--consensus`` aligns golds 3..7
and counts the events most readers list that the extractor misses or types otherwise, and its events no
reader lists (``extraction_consensus.py``); ``-v`` lists them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from accord.extract.evaluate import DEFAULT_CORPUS, DEFAULT_GOLD, DEFAULT_GOLD2, DatedScores, evaluate_dated

OWN = Path(__file__).resolve().parents[1] / "tests" / "evidence" / "own_texts"


def _row(name: str, r: DatedScores) -> str:
    d, t = r.date, r.typed
    return (
        f"{name:<30} {t.gold:>4} {d.extracted:>5}   {d.precision:5.2f} {d.recall:5.2f}   "
        f"{t.precision:5.2f} {t.recall:5.2f}"
    )


# Golds 3..10: each annotated blind by someone who saw neither the extractor nor another gold, under a
# guideline of their own, kept outside the repository while the extractor changed and scored once on the
# frozen extractor (each README has those figures); read afterwards, so in-sample for any later change.
# gold: since when it is in-sample (read while tuning), or the frozen extractor it was blind to
BLIND_GOLDS = {
    3: "in-sample since s18",
    4: "in-sample since r2",
    5: "in-sample since r3",
    6: "in-sample since r4",
    7: "in-sample since r5",
    8: "blind at e220254",
    9: "blind at e220254",
    10: "blind at e220254",
}
GOLDS = {n: Path(DEFAULT_GOLD2).parent / f"gold{n}" for n in BLIND_GOLDS}
OTHER_SPLITS = ("tune", "held_out", "all", "own", "own_held_out", "blind_s18")
SPLITS = OTHER_SPLITS + tuple(f"gold{n}" for n in BLIND_GOLDS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument(
        "--errors",
        choices=SPLITS,
        help="list misses and false alarms of a split",
    )
    parser.add_argument("--consensus", action="store_true", help="compare with what most of golds 3..7 list")
    parser.add_argument("-v", "--verbose", action="store_true", help="with --consensus: list the events")
    args = parser.parse_args()
    if args.consensus:
        sys.path.insert(0, str(Path(__file__).parent))
        from extraction_consensus import consensus

        print(consensus(args.corpus).report(args.verbose))
        return
    split = yaml.safe_load((Path(DEFAULT_GOLD2) / "split.yaml").read_text(encoding="utf-8"))
    print(f"{'gold / split':<30} {'gold':>4} {'found':>5}   {'date P':>5} {'R':>5}   {'+type P':>5} {'R':>5}")
    own = yaml.safe_load((OWN / "split.yaml").read_text(encoding="utf-8"))
    gold_rows = {f"gold{n} ({r})": evaluate_dated(GOLDS[n], args.corpus) for n, r in BLIND_GOLDS.items()}
    runs = {
        **dict(reversed(gold_rows.items())),
        "gold2 all (in-sample)": evaluate_dated(DEFAULT_GOLD2, args.corpus),
        "gold2 tune split (in-sample)": evaluate_dated(DEFAULT_GOLD2, args.corpus, split["tune"]),
        "gold2 held-out split (read)": evaluate_dated(DEFAULT_GOLD2, args.corpus, split["held_out"]),
        "gold (first) all (in-sample)": evaluate_dated(DEFAULT_GOLD, args.corpus),
        "gold (first) own-date": evaluate_dated(DEFAULT_GOLD, args.corpus, own_dates_only=True),
        "own texts tune (in-sample)": evaluate_dated(OWN, OWN, own["tune"]),
        "own texts held out (read since r5)": evaluate_dated(OWN, OWN, own["held_out"]),
        "own blind s18 (read since s18)": evaluate_dated(OWN, OWN, own["blind_s18"]),
    }
    for name, result in runs.items():
        print(_row(name, result))
    if args.errors:
        chosen = {
            "tune": runs["gold2 tune split (in-sample)"],
            "held_out": runs["gold2 held-out split (read)"],
            "all": runs["gold2 all (in-sample)"],
            "own": runs["own texts tune (in-sample)"],
            **{f"gold{n}": gold_rows[f"gold{n} ({r})"] for n, r in BLIND_GOLDS.items()},
            "own_held_out": runs["own texts held out (read since r5)"],
            "blind_s18": runs["own blind s18 (read since s18)"],
        }[args.errors]
        print("\nmisses (date+type):\n  " + "\n  ".join(chosen.misses))
        print("\nfalse alarms (date+type):\n  " + "\n  ".join(chosen.false_alarms))


if __name__ == "__main__":
    main()
