"""Throughput of the evidence layer on a corpus of 1,000+ documents: ingest, search latency, extraction.

Documents are the five Nagorno-Karabakh texts from shared/ repeated with a numbered preface (so each
has its own hash and is really stored), or, without shared/, synthetic texts of similar length.
Prints figures; nothing is asserted.

    .venv/bin/python benchmarks/bench_evidence.py [--docs 1000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from accord.case.io import load_case
from accord.evidence.dates import parse_anchor
from accord.evidence.extract import ActorResolver, extract
from accord.evidence.readers import DocumentMeta, SourceText
from accord.evidence.search import search
from accord.evidence.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "nagorno-karabakh"
GOLD_CASE = ROOT / "tests" / "evidence" / "gold" / "case.yaml"
QUERIES = ["ceasefire", "arms supplier", '"Minsk Group" co-chairs', "closed border Turkey", "mediation Russia Armenia",
           "peacekeeping mission", "military base", "status quo"]


def base_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    if texts:
        return texts
    rng = random.Random(1)
    words = "the council met on 3 March 2020 and agreed a truce while the guild backs Highmere talks clashes".split()
    return [" ".join(rng.choice(words) for _ in range(2000)) + "." for _ in range(5)]


def documents(n: int) -> list[SourceText]:
    texts = base_texts()
    return [
        SourceText(f"doc-{i:05d}", f"Copy {i}.\n\n" + texts[i % len(texts)], "text", DocumentMeta(date="2020-10-21"), Path(f"doc-{i}.txt"))
        for i in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()
    docs = documents(args.docs)
    chars = sum(len(d.text) for d in docs)
    print(f"corpus: {len(docs)} documents, {chars / 1e6:.1f} M characters")
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "bench.db")) as store:
        start = time.perf_counter()
        for doc in docs:
            store.add(doc)
        took = time.perf_counter() - start
        print(f"ingest (SQLite, FTS5): {len(docs) / took:.0f} documents/s ({took:.1f} s; {store.counts()['passages']} passages)")
        start = time.perf_counter()
        for doc in docs[:200]:
            store.add(doc)
        print(f"re-ingest unchanged: {200 / (time.perf_counter() - start):.0f} documents/s")
        latencies = []
        for _ in range(5):
            for query in QUERIES:
                t = time.perf_counter()
                search(store, query, limit=10)
                latencies.append((time.perf_counter() - t) * 1000)
        latencies.sort()
        print(f"search, top 10 of {store.counts()['passages']} passages: median {statistics.median(latencies):.1f} ms, "
              f"p95 {latencies[int(0.95 * len(latencies)) - 1]:.1f} ms over {len(latencies)} queries")
    resolver = ActorResolver.from_case(load_case(GOLD_CASE))
    anchor = parse_anchor("2020-10-21")
    start = time.perf_counter()
    events = relations = 0
    for doc in docs:
        found = extract(doc.text, doc.doc, resolver, anchor)
        events += len(found.events)
        relations += len(found.relations)
    took = time.perf_counter() - start
    print(f"extraction: {len(docs) / took:.0f} documents/s ({took:.1f} s; {events} events, {relations} relations)")


if __name__ == "__main__":
    main()
