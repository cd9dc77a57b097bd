"""Precision and recall of extraction against a gold annotation (``tests/evidence/gold``).

Matching rules (also in the gold folder's README):

* events: an extracted event matches a gold event of the same document when their spans overlap and
  date, precision and type are equal; one-to-one, gold events taken in document order;
* relations: extracted relations are grouped per (document, type, from, to), undirected pairs sorted and
  mediation keyed by the mediator; a group matches the gold entry with the same key when one of its
  evidence spans overlaps one of the gold spans.

Run ``python -m accord.extract.evaluate [GOLD_DIR] [--corpus DIR]`` to print the table.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from accord.extract.dates import parse_anchor
from accord.extract.pipeline import UNDIRECTED, ActorResolver, ExtractedEvent, ExtractedRelation, extract
from accord.workspace import shared_dir

__all__ = ["Score", "Evaluation", "DatedScores", "evaluate", "evaluate_dated", "main"]

DEFAULT_GOLD = Path(__file__).resolve().parents[3] / "tests" / "evidence" / "gold"
DEFAULT_GOLD2 = DEFAULT_GOLD.parent / "gold2"
DEFAULT_CORPUS = (shared_dir(start=Path(__file__).parent) or Path("shared")) / "corpus" / "nagorno-karabakh"


@dataclass
class Score:
    tp: int = 0
    extracted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    events: Score = field(default_factory=Score)
    relations: Score = field(default_factory=Score)
    by_relation_type: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    by_event_type: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    actor_jaccard: list[float] = field(default_factory=list)
    shares: list[bool] = field(default_factory=list)
    periods: list[bool] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    def table(self) -> str:
        rows = [("kind", "extracted", "gold", "matched", "precision", "recall", "F1")]
        for name, score in (("dated events", self.events), ("relations", self.relations)):
            rows.append(_row(name, score))
        for name, score in sorted(self.by_relation_type.items()):
            rows.append(_row(f"  {name}", score))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = [
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
            for r in rows
        ]
        jac = sum(self.actor_jaccard) / len(self.actor_jaccard) if self.actor_jaccard else 0.0
        lines.append(f"event actors (matched events): mean Jaccard {jac:.2f} over {len(self.actor_jaccard)}")
        lines.append(
            f"arms supply share right: {sum(self.shares)}/{len(self.shares)}; "
            f"period right: {sum(self.periods)}/{len(self.periods)}"
        )
        return "\n".join(lines)


def _row(name: str, s: Score) -> tuple[str, ...]:
    return (
        name,
        str(s.extracted),
        str(s.gold),
        str(s.tp),
        f"{s.precision:.2f}",
        f"{s.recall:.2f}",
        f"{s.f1:.2f}",
    )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _gold_key(rel: dict) -> tuple[str, str, str | None]:
    if rel["type"] == "mediation":
        return (rel["type"], rel["from"], None)
    if rel["type"] in UNDIRECTED:
        a, b = sorted((rel["from"], rel["to"]))
        return (rel["type"], a, b)
    return (rel["type"], rel["from"], rel["to"])


def score_events(doc: str, extracted: list[ExtractedEvent], gold: list[dict], result: Evaluation) -> None:
    used: set[int] = set()
    result.events.extracted += len(extracted)
    result.events.gold += len(gold)
    for g in gold:
        result.by_event_type[g["type"]].gold += 1
    for e in extracted:
        result.by_event_type[e.type].extracted += 1
    for g in gold:
        match = next(
            (
                i
                for i, e in enumerate(extracted)
                if i not in used
                and _overlap((e.start, e.end), (g["start"], g["end"]))
                and (e.date, e.precision, e.type) == (str(g["date"]), g["precision"], g["type"])
            ),
            None,
        )
        if match is None:
            result.misses.append(
                f"{doc} event {g['date']} {g['type']} [{g['start']}, {g['end']}) ({g.get('note', '')})"
            )
            continue
        used.add(match)
        result.events.tp += 1
        result.by_event_type[g["type"]].tp += 1
        found, wanted = set(extracted[match].actors), set(g.get("actors") or [])
        union = found | wanted
        result.actor_jaccard.append(len(found & wanted) / len(union) if union else 1.0)
    for i, e in enumerate(extracted):
        if i not in used:
            result.false_alarms.append(f"{doc} event {e.date} {e.precision} {e.type} [{e.start}, {e.end})")


def score_relations(
    doc: str, extracted: list[ExtractedRelation], gold: list[dict], result: Evaluation
) -> None:
    groups: dict[tuple, list[ExtractedRelation]] = defaultdict(list)
    for r in extracted:
        groups[r.key].append(r)
    wanted = {_gold_key(g): g for g in gold}
    result.relations.extracted += len(groups)
    result.relations.gold += len(wanted)
    for key in wanted:
        result.by_relation_type[key[0]].gold += 1
    for key, rels in groups.items():
        result.by_relation_type[key[0]].extracted += 1
        g = wanted.get(key)
        hit = g is not None and any(
            _overlap((r.start, r.end), tuple(span)) for r in rels for span in g["spans"]
        )
        if not hit:
            result.false_alarms.append(f"{doc} relation {key} [{rels[0].start}, {rels[0].end})")
            continue
        result.relations.tp += 1
        result.by_relation_type[key[0]].tp += 1
        if key[0] == "arms_supply" and ("share" in g or "period" in g):
            shares = [r.share for r in rels if r.share is not None]
            periods = [r.period for r in rels if r.period is not None]
            if "share" in g:
                result.shares.append(any(abs(s - g["share"]) < 1e-9 for s in shares))
            if "period" in g:
                want = (str(g["period"]["start"]), str(g["period"]["end"]))
                result.periods.append(want in periods)
        wanted[key] = {**g, "_matched": True}
    for key, g in wanted.items():
        if not g.get("_matched"):
            result.misses.append(f"{doc} relation {key} ({g.get('note', '')})")


def evaluate(gold_dir: str | Path = DEFAULT_GOLD, corpus_dir: str | Path = DEFAULT_CORPUS) -> Evaluation:
    """Run extraction on every gold document and score it."""
    from accord.case.io import load_case

    gold_dir, corpus_dir = Path(gold_dir), Path(corpus_dir)
    case = load_case(gold_dir / "case.yaml")
    resolver = ActorResolver.from_case(case)
    result = Evaluation()
    for path in sorted(gold_dir.glob("*.yaml")):
        if path.name == "case.yaml":
            continue
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc = gold["doc"]
        text = (corpus_dir / f"{doc}.txt").read_bytes().decode("utf-8")
        found = extract(text, doc, resolver, parse_anchor(str(gold["document_date"])))
        # This gold annotates only events with a date expression of their own (its README): tied ones are
        # left out of its score; the second gold (gold2) counts them.
        score_events(doc, [e for e in found.events if e.tie is None], gold.get("events") or [], result)
        score_relations(doc, found.relations, gold.get("relations") or [], result)
    return result


@dataclass
class DatedScores:
    """Dated events scored two ways: date and precision right (``date``), and the type right as well
    (``typed``)."""

    date: Score = field(default_factory=Score)
    typed: Score = field(default_factory=Score)
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)


def _match_dated(
    extracted: list[ExtractedEvent], gold: list[dict], with_type: bool
) -> tuple[int, set[int], list[dict]]:
    """One-to-one matching in gold order: spans overlap, date and precision equal (and the type, if asked)."""
    used: set[int] = set()
    missed = []
    for g in gold:
        want = (str(g["date"]), g["precision"]) + ((g["type"],) if with_type else ())
        match = next(
            (
                i
                for i, e in enumerate(extracted)
                if i not in used
                and _overlap((e.start, e.end), (g["start"], g["end"]))
                and (e.date, e.precision) + ((e.type,) if with_type else ()) == want
            ),
            None,
        )
        if match is None:
            missed.append(g)
        else:
            used.add(match)
    return len(used), used, missed


def score_dated(doc: str, extracted: list[ExtractedEvent], gold: list[dict], result: DatedScores) -> None:
    for score, with_type in ((result.date, False), (result.typed, True)):
        tp, used, missed = _match_dated(extracted, gold, with_type)
        score.tp, score.extracted, score.gold = (
            score.tp + tp,
            score.extracted + len(extracted),
            score.gold + len(gold),
        )
        if with_type:
            result.misses += [
                f"{doc} {g['date']} {g['type']} [{g['start']}, {g['end']}) {g.get('title', '')}"
                for g in missed
            ]
            result.false_alarms += [
                f"{doc} {e.date} {e.type} [{e.start}, {e.end})"
                for i, e in enumerate(extracted)
                if i not in used
            ]


def _documents(gold_dir: Path) -> dict[str, tuple[str, list[dict]]]:
    """Document id -> (document date, gold events), from either gold layout: one file per document
    (``tests/evidence/gold``) or one ``events.yaml`` with dates taken from the corpus's ``sources.yaml``."""
    single = gold_dir / "events.yaml"
    if not single.exists():
        out = {}
        for path in sorted(gold_dir.glob("*.yaml")):
            if path.name != "case.yaml":
                g = yaml.safe_load(path.read_text(encoding="utf-8"))
                out[g["doc"]] = (str(g["document_date"]), g.get("events") or [])
        return out
    docs = yaml.safe_load(single.read_text(encoding="utf-8"))["documents"]
    return {doc: ("", events or []) for doc, events in docs.items()}


def evaluate_dated(
    gold_dir: str | Path = DEFAULT_GOLD2,
    corpus_dir: str | Path = DEFAULT_CORPUS,
    docs: Iterable[str] | None = None,
    own_dates_only: bool = False,
) -> DatedScores:
    """Score extracted dated events against a gold folder (optionally only some documents; optionally
    only the events dated by an expression of their own, as the first gold annotates them)."""
    from accord.case.io import load_case

    gold_dir, corpus_dir = Path(gold_dir), Path(corpus_dir)
    resolver = ActorResolver.from_case(load_case(DEFAULT_GOLD / "case.yaml"))
    published = {
        d["id"]: (str(d["published"]), d.get("date_precision"))
        for d in yaml.safe_load((corpus_dir / "sources.yaml").read_text(encoding="utf-8"))["documents"]
    }
    wanted = set(docs) if docs is not None else None
    result = DatedScores()
    for doc, (date, gold) in _documents(gold_dir).items():
        if wanted is not None and doc not in wanted:
            continue
        anchor = parse_anchor(date) if date else parse_anchor(*published[doc])
        text = (corpus_dir / f"{doc}.txt").read_bytes().decode("utf-8")
        events = [
            e for e in extract(text, doc, resolver, anchor).events if not own_dates_only or e.tie is None
        ]
        score_dated(doc, events, gold, result)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Precision and recall of accord's extraction against the gold annotation."
    )
    parser.add_argument("gold", nargs="?", default=str(DEFAULT_GOLD), help="gold folder (with case.yaml)")
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="folder of the annotated texts")
    parser.add_argument("--errors", action="store_true", help="also list misses and false alarms")
    args = parser.parse_args(argv)
    result = evaluate(args.gold, args.corpus)
    print(result.table())
    if args.errors:
        print("\nmisses:\n  " + "\n  ".join(result.misses))
        print("\nfalse alarms:\n  " + "\n  ".join(result.false_alarms))
    return 0


if __name__ == "__main__":
    sys.exit(main())
