"""Precision and recall of dated-event extraction: seven golds of the corpus texts, and our own texts.

Golds 3 to 7 of the five corpus texts were each annotated blind by someone who saw neither the extractor nor
the other golds, under their own guideline, and kept outside the repository until scored (their READMEs give
each one's scoring). Each was scored once on a frozen extractor and read afterwards, so every corpus row is
**in-sample** for the current extractor (gold7 since round five, session 19: its README has the blind
figures of 18b12e4). gold2 and the first gold were read long before. Our own texts
(``tests/evidence/own_texts``, README) have three splits: ``tune`` (errors read), ``held_out`` (errors
never read) and ``blind_s18`` (written with their gold before session 18's changes, scored before and
after round one, read since).
Two scores: ``date`` (span overlaps, date and precision right) and ``date+type`` (the type right as well).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_extraction.py [--errors SPLIT] [--consensus [-v]]

``--errors`` lists the misses and false alarms of a split (``own``: our own tuning texts; ``gold3``;
``own_held_out`` and ``blind_s18`` only once the extractor is frozen). ``--consensus`` aligns golds 3..7
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


# The third gold: annotated blind by someone who saw neither the extractor nor the other golds, with a
# guideline of their own; scored once blind (tests/evidence/gold3/README.md), tuned on in session 18.
GOLD3 = Path(DEFAULT_GOLD2).parent / "gold3"
# The fourth gold: made the same way in session 18, kept outside the repository while the extractor changed,
# scored once on the frozen extractor (tests/evidence/gold4/README.md); in-sample for any later change.
GOLD4 = Path(DEFAULT_GOLD2).parent / "gold4"
# The fifth gold: the same again, scored once on round two's frozen extractor (98fd443; gold5/README.md).
GOLD5 = Path(DEFAULT_GOLD2).parent / "gold5"
# The sixth gold: the same again, scored once on round three's frozen extractor (bbb15f7; gold6/README.md).
GOLD6 = Path(DEFAULT_GOLD2).parent / "gold6"
# The seventh gold: the same again, scored once on round four's frozen extractor (18b12e4; gold7/README.md).
GOLD7 = Path(DEFAULT_GOLD2).parent / "gold7"
OTHER_SPLITS = ("tune", "held_out", "all", "own", "own_held_out", "blind_s18")
SPLITS = OTHER_SPLITS + tuple(f"gold{n}" for n in range(3, 8))


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
    runs = {
        "gold7 (in-sample since r5)": evaluate_dated(GOLD7, args.corpus),
        "gold6 (in-sample since r4)": evaluate_dated(GOLD6, args.corpus),
        "gold5 (in-sample since r3)": evaluate_dated(GOLD5, args.corpus),
        "gold4 (in-sample since r2)": evaluate_dated(GOLD4, args.corpus),
        "gold3 (in-sample since s18)": evaluate_dated(GOLD3, args.corpus),
        "gold2 all (in-sample)": evaluate_dated(DEFAULT_GOLD2, args.corpus),
        "gold2 tune split (in-sample)": evaluate_dated(DEFAULT_GOLD2, args.corpus, split["tune"]),
        "gold2 held-out split (read)": evaluate_dated(DEFAULT_GOLD2, args.corpus, split["held_out"]),
        "gold (first) all (in-sample)": evaluate_dated(DEFAULT_GOLD, args.corpus),
        "gold (first) own-date": evaluate_dated(DEFAULT_GOLD, args.corpus, own_dates_only=True),
        "own texts tune (in-sample)": evaluate_dated(OWN, OWN, own["tune"]),
        "own texts held out (OOS)": evaluate_dated(OWN, OWN, own["held_out"]),
        "own blind s18 (OOS)": evaluate_dated(OWN, OWN, own["blind_s18"]),
    }
    for name, result in runs.items():
        print(_row(name, result))
    if args.errors:
        chosen = {
            "tune": runs["gold2 tune split (in-sample)"],
            "held_out": runs["gold2 held-out split (read)"],
            "all": runs["gold2 all (in-sample)"],
            "own": runs["own texts tune (in-sample)"],
            "gold3": runs["gold3 (in-sample since s18)"],
            "gold4": runs["gold4 (in-sample since r2)"],
            "gold5": runs["gold5 (in-sample since r3)"],
            "gold6": runs["gold6 (in-sample since r4)"],
            "gold7": runs["gold7 (in-sample since r5)"],
            "own_held_out": runs["own texts held out (OOS)"],
            "blind_s18": runs["own blind s18 (OOS)"],
        }[args.errors]
        print("\nmisses (date+type):\n  " + "\n  ".join(chosen.misses))
        print("\nfalse alarms (date+type):\n  " + "\n  ".join(chosen.false_alarms))


if __name__ == "__main__":
    main()
