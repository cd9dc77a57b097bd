"""Throughput of the evidence layer on a corpus of 1,000+ documents: ingest, search latency, extraction.

Documents are the five Nagorno-Karabakh texts from shared/ repeated with a numbered preface (so each
has its own hash and is really stored), or, without shared/, synthetic texts of similar length.
Prints figures; nothing is asserted.

With the accord[semantic] extra installed it also times semantic search (``--semantic``): loading the
model, the first search (which hashes every passage and embeds each distinct passage text once; the copies
share their sentences, so this embeds far fewer texts than there are passages, and the embedding rate is
printed to scale it to a corpus without repeats), and later searches (query embedding, cosine over the
cached vectors, BM25, fusion). ``--no-semantic`` skips that part.

    .venv/bin/python benchmarks/bench_evidence.py [--docs 1000] [--no-semantic]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from accord.case.io import load_case
from accord.corpus.documents import Store
from accord.corpus.readers import DocumentMeta, SourceText
from accord.corpus.search import search
from accord.extract.dates import parse_anchor
from accord.extract.pipeline import ActorResolver, extract
from accord.spans.segment import sentences

SEMANTIC_QUERIES = [
    "truce broke down",
    "who sells weapons to the parties",
    "talks hosted by Moscow",
    "troops sent to keep the peace",
    "refugees returning home",
]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "nagorno-karabakh"
GOLD_CASE = ROOT / "tests" / "evidence" / "gold" / "case.yaml"
QUERIES = [
    "ceasefire",
    "arms supplier",
    '"Minsk Group" co-chairs',
    "closed border Turkey",
    "mediation Russia Armenia",
    "peacekeeping mission",
    "military base",
    "status quo",
]


def base_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    if texts:
        return texts
    rng = random.Random(1)
    words = (
        "the council met on 3 March 2020 and agreed a truce while the guild backs Highmere talks clashes"
    ).split()
    return [" ".join(rng.choice(words) for _ in range(2000)) + "." for _ in range(5)]


def documents(n: int) -> list[SourceText]:
    texts = base_texts()
    return [
        SourceText(
            f"doc-{i:05d}",
            f"Copy {i}.\n\n" + texts[i % len(texts)],
            "text",
            DocumentMeta(date="2020-10-21"),
            Path(f"doc-{i}.txt"),
        )
        for i in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--no-semantic", action="store_true", help="skip the semantic search figures")
    args = parser.parse_args()
    docs = documents(args.docs)
    chars = sum(len(d.text) for d in docs)
    print(f"corpus: {len(docs)} documents, {chars / 1e6:.1f} M characters")
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "bench.db")) as store:
        start = time.perf_counter()
        for doc in docs:
            store.add(doc)
        took = time.perf_counter() - start
        print(
            f"ingest (SQLite, FTS5): {len(docs) / took:.0f} documents/s ({took:.1f} s; "
            f"{store.counts()['passages']} passages)"
        )
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
        print(
            f"search, top 10 of {store.counts()['passages']} passages: median "
            f"{statistics.median(latencies):.1f} ms, "
            f"p95 {latencies[int(0.95 * len(latencies)) - 1]:.1f} ms over {len(latencies)} queries"
        )
        if not args.no_semantic:
            bench_semantic(store, len(docs))
    resolver = ActorResolver.from_case(load_case(GOLD_CASE))
    anchor = parse_anchor("2020-10-21")
    start = time.perf_counter()
    events = relations = 0
    for doc in docs:
        found = extract(doc.text, doc.doc, resolver, anchor)
        events += len(found.events)
        relations += len(found.relations)
    took = time.perf_counter() - start
    print(
        f"extraction: {len(docs) / took:.0f} documents/s ({took:.1f} s; {events} events, {relations} "
        "relations)"
    )


def _latencies(store: Store, rounds: int = 3) -> tuple[float, float, int]:
    latencies = []
    for _ in range(rounds):
        for query in SEMANTIC_QUERIES:
            t = time.perf_counter()
            search(store, query, limit=10, semantic=True)
            latencies.append((time.perf_counter() - t) * 1000)
    latencies.sort()
    return statistics.median(latencies), latencies[int(0.95 * len(latencies)) - 1], len(latencies)


def _first_search_ms(store: Store) -> float:
    from accord.corpus import semantic

    semantic.clear_cache()  # as in a new process: vectors come from the store
    start = time.perf_counter()
    search(store, SEMANTIC_QUERIES[0], limit=10, semantic=True)
    return (time.perf_counter() - start) * 1000


def bench_semantic(store: Store, n_docs: int) -> None:
    from accord.corpus import semantic

    if not semantic.available():
        print("semantic search: skipped (the accord[semantic] extra is not installed)")
        return
    start = time.perf_counter()
    embedder = semantic.get_embedder()
    print(
        f"semantic: model load {time.perf_counter() - start:.1f} s ({embedder.name}, {embedder.dim} "
        "dimensions)"
    )
    start = time.perf_counter()
    embedded = semantic.ensure_embeddings(store, embedder)
    took = time.perf_counter() - start
    print(
        f"semantic: first search's embedding step {took:.1f} s: {store.counts()['passages']} passages "
        "hashed, "
        f"{embedded} distinct texts embedded ({embedded / took:.0f} texts/s including the hashing)"
    )
    texts = [t for _, t in store.iter_texts()][:5]
    sample = sorted({t[s:e] for t in texts for s, e in sentences(t)})[:256]
    start = time.perf_counter()
    embedder.embed(sample)
    print(
        f"semantic: the model alone embeds {len(sample) / (time.perf_counter() - start):.0f} sentences/s "
        f"({len(sample)} distinct sentences of the corpus, CPU)"
    )
    print(
        "semantic search, top 10, first in a process (vectors read from the store): "
        f"{_first_search_ms(store):.0f} ms"
    )
    median, p95, n = _latencies(store)
    print(
        f"semantic search (BM25 + cosine, fused), top 10, later searches: median {median:.0f} ms, p95 "
        f"{p95:.0f} ms "
        f"over {n} queries"
    )
    bench_semantic_distinct(n_docs, embedder)


def bench_semantic_distinct(n_docs: int, embedder) -> None:  # type: ignore[no-untyped-def]
    """The same number of documents with every sentence made distinct, so there is one vector per passage.

    Embedding ~90 passages per document at the rate printed above would take many minutes, so random unit
    vectors are stored in place of embeddings: reading, ranking and fusing cost the same; results are
    meaningless."""
    import numpy as np
    import sqlalchemy as sa

    from accord.corpus import semantic
    from accord.corpus.documents import embeddings, passage_hashes

    texts = base_texts()
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "distinct.db")) as store:
        for i in range(n_docs):
            base = texts[i % len(texts)]
            text = " ".join(f"[{i}] {base[s:e]}" for s, e in sentences(base))
            store.add(SourceText(f"doc-{i:05d}", text, "text", DocumentMeta(), Path(f"doc-{i}.txt")))
        semantic._hash_passages(store, None)
        with store.engine.begin() as conn:
            shas = list(conn.scalars(sa.select(passage_hashes.c.sha256).distinct()))
            matrix = np.random.default_rng(1).normal(size=(len(shas), embedder.dim)).astype("<f4")
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
            rows = [{"model": embedder.name, "sha256": sha, "dim": embedder.dim, "vector": v.tobytes()}
                    for sha, v in zip(shas, matrix, strict=True)]  # fmt: skip
            conn.execute(embeddings.insert(), rows)
        print(
            f"semantic, {n_docs} documents with {len(shas)} distinct passages (random vectors stand in for "
            f"embeddings): first search in a process {_first_search_ms(store):.0f} ms"
        )
        median, p95, n = _latencies(store)
        print(
            f"semantic, {len(shas)} distinct passages, later searches: median {median:.0f} ms, p95 "
            f"{p95:.0f} ms "
            f"over {n} queries"
        )


if __name__ == "__main__":
    main()
