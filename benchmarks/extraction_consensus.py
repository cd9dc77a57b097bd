"""Where the five independent golds of the corpus (gold3..gold7) agree, and where the extractor differs.

The golds' events are aligned per document: two entries of different golds are one event when their spans
overlap and their date and precision are equal (linked transitively). An event listed by at least
``QUORUM`` of the five readers is a consensus event. Against it, three counts of the extractor:

* **general misses**: consensus events no extracted event matches (span overlaps, date and precision equal);
* **type errors**: consensus events found with a type other than the one most of their readers give;
* **general false alarms**: extracted events that match no reader's entry at all (span and date), and
  ``wrong type``: ones that match entries but with a type none of those readers gives.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_extraction.py --consensus
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from accord.case.io import load_case
from accord.extract.dates import parse_anchor
from accord.extract.evaluate import DEFAULT_CORPUS, DEFAULT_GOLD, DEFAULT_GOLD2
from accord.extract.pipeline import ActorResolver, ExtractedEvent, extract

__all__ = ["QUORUM", "Consensus", "consensus"]

GOLDS = tuple(Path(DEFAULT_GOLD2).parent / f"gold{n}" for n in range(3, 8))
QUORUM = 3


@dataclass
class Consensus:
    counts: Counter[str] = field(default_factory=Counter)
    lines: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, line: str) -> None:
        self.counts[kind] += 1
        self.lines.setdefault(kind, []).append(line)

    def report(self, verbose: bool) -> str:
        c = self.counts
        out = [
            f"consensus events (>= {QUORUM} of {len(GOLDS)} readers): {c['consensus']}; found {c['found']}; "
            f"general misses {c['miss']}; type errors {c['type']}; extracted {c['extracted']}: general false "
            f"alarms {c['false alarm']}, wrong type {c['wrong type']}, found but listed by fewer readers "
            f"{c['minority']}"
        ]
        if verbose:
            for kind in ("miss", "type", "false alarm", "wrong type", "minority"):
                out.append(f"\n{kind} ({c[kind]}):")
                out += [f"  {line}" for line in self.lines.get(kind, [])]
        return "\n".join(out)


def _overlap(a: dict | ExtractedEvent, b: dict) -> bool:
    (s, e) = (a.start, a.end) if isinstance(a, ExtractedEvent) else (a["start"], a["end"])
    return s < b["end"] and b["start"] < e


def _clusters(entries: list[tuple[int, dict]]) -> list[list[tuple[int, dict]]]:
    """Entries of different readers linked by overlapping span and equal date, transitively."""
    parent = list(range(len(entries)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (ri, a) in enumerate(entries):
        for j in range(i + 1, len(entries)):
            rj, b = entries[j]
            same_date = (str(a["date"]), a["precision"]) == (str(b["date"]), b["precision"])
            if ri != rj and same_date and _overlap(a, b):
                parent[root(i)] = root(j)
    groups: dict[int, list[tuple[int, dict]]] = {}
    for i, entry in enumerate(entries):
        groups.setdefault(root(i), []).append(entry)
    return list(groups.values())


def consensus(corpus_dir: str | Path = DEFAULT_CORPUS) -> Consensus:
    corpus = Path(corpus_dir)
    resolver = ActorResolver.from_case(load_case(DEFAULT_GOLD / "case.yaml"))
    sources = yaml.safe_load((corpus / "sources.yaml").read_text(encoding="utf-8"))["documents"]
    golds = [yaml.safe_load((g / "events.yaml").read_text(encoding="utf-8"))["documents"] for g in GOLDS]
    result = Consensus()
    for source in sources:
        doc = source["id"]
        text = (corpus / f"{doc}.txt").read_bytes().decode("utf-8")
        found = extract(
            text, doc, resolver, parse_anchor(str(source["published"]), source.get("date_precision"))
        )
        result.counts["extracted"] += len(found.events)
        entries = [(r, g) for r, docs in enumerate(golds) for g in docs.get(doc) or []]
        matched: dict[int, set[str]] = {}
        for members in _clusters(entries):
            date, precision = str(members[0][1]["date"]), members[0][1]["precision"]
            types = Counter(g["type"] for _, g in members)
            hits = [
                i
                for i, e in enumerate(found.events)
                if (e.date, e.precision) == (date, precision) and any(_overlap(e, g) for _, g in members)
            ]
            for i in hits:
                matched.setdefault(i, set()).update(types)
            start, end = min(g["start"] for _, g in members), max(g["end"] for _, g in members)
            readers = len({r for r, _ in members})
            line = (
                f"{doc[:3]} {date} [{start}, {end}) readers {readers} {dict(types)}: {text[start:end][:90]!r}"
            )
            if readers < QUORUM:
                if hits:
                    result.add("minority", line + f" ours {[found.events[i].type for i in hits]}")
                continue
            result.counts["consensus"] += 1
            top, votes = types.most_common(1)[0]
            if not hits:
                result.add("miss", line)
                continue
            result.counts["found"] += 1
            if votes * 2 > len(members) and all(found.events[i].type != top for i in hits):
                result.add("type", line + f" ours {[found.events[i].type for i in hits]}")
        for i, e in enumerate(found.events):
            cue = text[e.cue[0] : e.cue[1]]
            line = f"{doc[:3]} {e.date} {e.precision} {e.type} [{e.start}, {e.end}): {cue!r}"
            if i not in matched:
                result.add("false alarm", line)
            elif e.type not in matched[i]:
                result.add("wrong type", line + f" readers {sorted(matched[i])}")
    return result
