"""Full-text search over the passages of the corpus store; every hit is a citable pointer.

One function, :func:`search`, hides the dialect: SQLite ranks with FTS5's BM25, PostgreSQL with
``ts_rank`` over ``to_tsvector('english', ...)``. Only current versions of documents are searched.

Queries are free text: words (any of them may match; passages matching more and rarer words rank
higher) and ``"quoted phrases"``. Query syntax characters are never passed through, so any input is
safe. Scores are "higher is better" on both backends, but only comparable within one result list.

The optional semantic mode (``semantic=True``) embeds passages with the model of the ``accord[semantic]``
extra and fuses the lexical and semantic rankings by reciprocal rank fusion (see
:mod:`accord.corpus.semantic`).
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from accord.corpus.documents import Store, documents, passages
from accord.corpus.hits import Fusion, Hit

__all__ = ["Fusion", "Hit", "QueryError", "parse_query", "search"]

_TOKEN = re.compile(r'"([^"]*)"|(\w+)', re.UNICODE)
MAX_TERMS = 32


class QueryError(ValueError):
    """The query has nothing to search for."""


def parse_query(query: str) -> list[list[str]]:
    """Split a query into terms: each term is a list of words (one word, or the words of a phrase)."""
    terms: list[list[str]] = []
    for match in _TOKEN.finditer(query):
        phrase, word = match.groups()
        words = re.findall(r"\w+", phrase) if phrase is not None else [word]
        if words:
            terms.append([w.lower() for w in words])
    if not terms:
        raise QueryError(f"nothing to search for in {query!r}; give a few words")
    return terms[:MAX_TERMS]


def _fts5_query(terms: list[list[str]]) -> str:
    return " OR ".join('"' + " ".join(words) + '"' for words in terms)


def _tsquery(terms: list[list[str]]) -> str:
    return " | ".join("(" + " <-> ".join(words) + ")" for words in terms)


def search(
    store: Store, query: str, limit: int = 10, *, doc: str | None = None, semantic: bool = False
) -> list[Hit]:
    """The ``limit`` best passages for ``query`` (optionally within one document), best first."""
    if limit < 1:
        raise QueryError("limit must be at least 1")
    terms = parse_query(query)
    if semantic:
        from accord.corpus.semantic import hybrid_search

        return hybrid_search(
            store, query, lexical=lambda n: _lexical(store, terms, n, doc), limit=limit, doc=doc
        )
    return _lexical(store, terms, limit, doc)


def _lexical(store: Store, terms: list[list[str]], limit: int, doc: str | None) -> list[Hit]:
    if store.dialect == "sqlite":
        rows = _sqlite_rows(store, terms, limit, doc)
    elif store.dialect == "postgresql":
        rows = _postgres_rows(store, terms, limit, doc)
    else:  # pragma: no cover - Store refuses other dialects
        raise NotImplementedError(store.dialect)
    return [_hit(row) for row in rows]


def _columns() -> list[sa.ColumnElement]:
    return [
        documents.c.doc,
        documents.c.version,
        documents.c.title,
        passages.c.span_start,
        passages.c.span_end,
        passages.c.text,
    ]


def _sqlite_rows(store: Store, terms: list[list[str]], limit: int, doc: str | None) -> list[sa.Row]:
    fts = sa.table("corpus_fts", sa.column("rowid"))
    rank = sa.func.bm25(sa.literal_column("corpus_fts"))
    query = (
        sa.select(*_columns(), (-rank).label("score"))
        .select_from(
            fts.join(passages, passages.c.id == fts.c.rowid).join(
                documents, documents.c.id == passages.c.document_id
            )
        )
        .where(
            sa.literal_column("corpus_fts").op("MATCH")(_fts5_query(terms)), documents.c.current == sa.true()
        )
        .order_by(rank, passages.c.id)
        .limit(limit)
    )
    if doc is not None:
        query = query.where(documents.c.doc == doc)
    with store.engine.connect() as conn:
        return list(conn.execute(query))


def postgres_statement(terms: list[list[str]], limit: int, doc: str | None = None) -> sa.Select:
    """The PostgreSQL search statement (public so tests can compile it without a server)."""
    # The configuration is inlined (not a bound parameter) so the expression matches the GIN index.
    vector = sa.func.to_tsvector(sa.literal_column("'english'"), passages.c.text)
    tsquery = sa.func.to_tsquery(sa.literal_column("'english'"), _tsquery(terms))
    rank = sa.func.ts_rank(vector, tsquery)
    query = (
        sa.select(*_columns(), rank.label("score"))
        .select_from(passages.join(documents, documents.c.id == passages.c.document_id))
        .where(vector.op("@@")(tsquery), documents.c.current == sa.true())
        .order_by(rank.desc(), passages.c.id)
        .limit(limit)
    )
    if doc is not None:
        query = query.where(documents.c.doc == doc)
    return query


def _postgres_rows(store: Store, terms: list[list[str]], limit: int, doc: str | None) -> list[sa.Row]:
    with store.engine.connect() as conn:
        return list(conn.execute(postgres_statement(terms, limit, doc)))


def _hit(row: sa.Row) -> Hit:
    from accord.spans.pointers import sha256_text

    return Hit(
        doc=row.doc,
        version=row.version,
        start=row.span_start,
        end=row.span_end,
        text=row.text,
        score=float(row.score),
        sha256=sha256_text(row.text),
        title=row.title,
    )
