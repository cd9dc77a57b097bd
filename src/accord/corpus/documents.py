"""The corpus store: every version of every document, split into citable passages, in one database.

Storage is plain SQLAlchemy Core so the same code runs on SQLite (the default, a file ``accord.db``) and
PostgreSQL (``--db postgresql://...``). Three tables, prefixed ``corpus_`` so they can share a database:

* ``corpus_documents``: one row per *version* of a document: its id (the file name without extension),
  version number, whether it is the current version, the sha256 of the stored text, the text itself and
  its metadata (title, date, date precision, publisher, author, where it came from);
* ``corpus_passages``: the sentences of each version with their ``[start, end)`` spans, so a search hit
  is already an evidence pointer;
* ``corpus_info``: the schema version;
* ``corpus_passage_hashes`` and ``corpus_embeddings``: the cache of the optional semantic search
  (:mod:`accord.corpus.semantic`): the sha256 of each passage's text, and one embedding vector per
  (model, sha256), so a sentence repeated across documents or versions is embedded once. Both are filled
  lazily by the first semantic search, never by ingest; they are created empty in every store (also old
  ones: ``create_all`` adds missing tables), so the schema version is unchanged.

Full-text search is dialect-specific and lives behind :func:`accord.corpus.search.search`: an FTS5
table ``corpus_fts`` (external content over ``corpus_passages``) on SQLite, and a GIN index over
``to_tsvector('english', text)`` on PostgreSQL.

Ingest is idempotent: adding a text identical to the current version does nothing; a changed text
becomes a new version and the old one is kept (marked not current), so pointers made against it still
verify. Spans always index the stored text exactly (see :mod:`accord.corpus.readers`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from accord.corpus.readers import DocumentMeta, SourceText
from accord.errors import StorageError
from accord.spans.pointers import Corpus, sha256_text
from accord.spans.segment import sentences
from accord.workspace import DEFAULT_DB, resolve_db_url

__all__ = [
    "DEFAULT_DB",
    "DocumentConflict",
    "IngestResult",
    "Store",
    "StorageError",
    "StoredDocument",
    "resolve_db_url",
]

SCHEMA_VERSION = "1"

metadata = sa.MetaData()

documents = sa.Table(
    "corpus_documents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("doc", sa.String(200), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("current", sa.Boolean, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("n_chars", sa.Integer, nullable=False),
    sa.Column("media_type", sa.String(20), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("date", sa.String(10)),
    sa.Column("date_precision", sa.String(10)),
    sa.Column("publisher", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("source_path", sa.Text),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("doc", "version", name="corpus_documents_doc_version"),
    sa.Index("corpus_documents_doc_current", "doc", "current"),
)

passages = sa.Table(
    "corpus_passages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "document_id", sa.Integer, sa.ForeignKey("corpus_documents.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Column("span_start", sa.Integer, nullable=False),
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Index("corpus_passages_document", "document_id"),
)

passage_hashes = sa.Table(
    "corpus_passage_hashes",
    metadata,
    sa.Column(
        "passage_id", sa.Integer, sa.ForeignKey("corpus_passages.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Index("corpus_passage_hashes_sha256", "sha256"),
)

embeddings = sa.Table(
    "corpus_embeddings",
    metadata,
    sa.Column("model", sa.String(200), primary_key=True),
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("dim", sa.Integer, nullable=False),
    sa.Column("vector", sa.LargeBinary, nullable=False),
)

info = sa.Table(
    "corpus_info",
    metadata,
    sa.Column("key", sa.String(50), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

_META_FIELDS = ("title", "date", "date_precision", "publisher", "author")


class DocumentConflict(StorageError):
    """A text would silently replace a document added from another file."""


_ATTEMPTS = 8


def _retryable(exc: sa.exc.DBAPIError) -> bool:
    """A lost race: a unique key taken by a concurrent writer, or SQLite's lock held by one."""
    if isinstance(exc, sa.exc.IntegrityError):
        return True
    return "locked" in str(exc.orig).lower() or "deadlock" in str(exc.orig).lower()


def _first_line(error: object) -> str:
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__


def _source_path(source: SourceText) -> str:
    """Where a text came from: an absolute file path (so two folders' files differ), or the upload's name."""
    path = Path(source.path)
    return str(path.resolve()) if path.is_file() else str(path)


def _same_file(stored: str | None, new: str) -> bool:
    if not stored or stored == new:
        return True
    old = Path(stored)
    return old.is_file() and Path(new).is_file() and old.resolve() == Path(new).resolve()


@dataclass(frozen=True)
class StoredDocument:
    """One version of a document as stored (without its text unless asked for)."""

    doc: str
    version: int
    current: bool
    sha256: str
    n_chars: int
    media_type: str
    meta: DocumentMeta
    source_path: str | None
    added_at: dt.datetime


@dataclass(frozen=True)
class IngestResult:
    """What adding one text did: ``added`` (new document), ``new version``, ``unchanged`` or ``metadata
    updated``."""

    doc: str
    version: int
    status: str
    sha256: str
    passages: int


class Store:
    """A corpus store at a SQLAlchemy URL (see :func:`resolve_db_url`); creates its tables on first use."""

    def __init__(self, url: str | None = None, *, create: bool = True):
        self.url = resolve_db_url(url)
        self.engine = _make_engine(self.url)
        self.dialect = self.engine.dialect.name
        if create:
            self._create_schema()

    # ---- schema -------------------------------------------------------------------------------------
    def _create_schema(self) -> None:
        try:
            with self.engine.begin() as conn:
                metadata.create_all(conn)
                if self.dialect == "sqlite":
                    conn.exec_driver_sql(
                        "CREATE VIRTUAL TABLE IF NOT EXISTS corpus_fts USING fts5("
                        "text, content='corpus_passages', content_rowid='id', "
                        "tokenize='porter unicode61 remove_diacritics 2')"
                    )
                elif self.dialect == "postgresql":
                    conn.exec_driver_sql(
                        "CREATE INDEX IF NOT EXISTS corpus_passages_tsv ON corpus_passages "
                        "USING gin (to_tsvector('english', text))"
                    )
                version = conn.execute(sa.select(info.c.value).where(info.c.key == "schema")).scalar()
                if version is None:
                    conn.execute(info.insert().values(key="schema", value=SCHEMA_VERSION))
                elif version != SCHEMA_VERSION:
                    raise StorageError(
                        f"the corpus store at {self.url} has schema {version}; this Accord reads schema "
                        f"{SCHEMA_VERSION}",
                        "use a new --db, or re-add the texts with this version",
                    )
        except sa.exc.DatabaseError as exc:
            raise StorageError(
                f"cannot open the corpus store at {self.url}: {exc.orig}", "check --db / $ACCORD_DB"
            ) from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- ingest -------------------------------------------------------------------------------------
    def add(
        self, source: SourceText, given: DocumentMeta | None = None, *, replace: bool = False
    ) -> IngestResult:
        """Store one text: a no-op if unchanged, else a new document or a new version of it.

        ``given`` metadata (from ``--meta`` or options) wins over what was found in the file. A changed
        text from *another file* than the current version's (a same-named file in another folder) is
        refused with :class:`DocumentConflict` unless ``replace``: it would silently supersede the document.

        Concurrent adds of the same document are safe: the one that loses the race on the
        ``(doc, version)`` key retries and then finds the winner's version (unchanged, or one more version).
        """
        meta = (given or DocumentMeta()).merged_over(source.meta)
        digest = sha256_text(source.text)
        for attempt in range(_ATTEMPTS):
            try:
                return self._add_once(source, meta, digest, replace)
            except (sa.exc.IntegrityError, sa.exc.OperationalError) as exc:
                if attempt == _ATTEMPTS - 1 or not _retryable(exc):
                    raise StorageError(
                        f"cannot store {source.doc!r}: {_first_line(exc.orig)}",
                        "another writer holds the store; try again",
                    ) from None
                time.sleep(0.02 * (attempt + 1))
        raise AssertionError("unreachable")

    def _add_once(self, source: SourceText, meta: DocumentMeta, digest: str, replace: bool) -> IngestResult:
        with self.engine.begin() as conn:
            current = conn.execute(
                sa.select(
                    documents.c.id,
                    documents.c.version,
                    documents.c.sha256,
                    documents.c.source_path,
                    *[documents.c[f] for f in _META_FIELDS],
                ).where(documents.c.doc == source.doc, documents.c.current == sa.true())
            ).first()
            if current is not None and current.sha256 == digest:
                return self._refresh_meta(conn, current, meta, source)
            if (
                current is not None
                and not replace
                and not _same_file(current.source_path, _source_path(source))
            ):
                raise DocumentConflict(
                    f"document {source.doc!r} was added from {current.source_path}; {source.path} has the "
                    "same name "
                    "but another text",
                    "give this file another id (--id), or pass --replace to make it a new version of the "
                    "document",
                )
            version = 1 if current is None else current.version + 1
            if current is not None:
                conn.execute(documents.update().where(documents.c.id == current.id).values(current=False))
            row_id = self._insert_version(conn, source, meta, digest, version)
            n = self._insert_passages(conn, row_id, source.text)
        return IngestResult(source.doc, version, "added" if version == 1 else "new version", digest, n)

    def _refresh_meta(
        self, conn: Connection, current: sa.Row, meta: DocumentMeta, source: SourceText
    ) -> IngestResult:
        changes = {
            f: getattr(meta, f)
            for f in _META_FIELDS
            if getattr(meta, f) and getattr(meta, f) != getattr(current, f)
        }
        if changes:
            conn.execute(documents.update().where(documents.c.id == current.id).values(**changes))
        status = "metadata updated" if changes else "unchanged"
        count = conn.execute(
            sa.select(sa.func.count()).where(passages.c.document_id == current.id)
        ).scalar_one()
        return IngestResult(source.doc, current.version, status, current.sha256, count)

    def _insert_version(
        self, conn: Connection, source: SourceText, meta: DocumentMeta, digest: str, version: int
    ) -> int:
        values = {
            "doc": source.doc,
            "version": version,
            "current": True,
            "sha256": digest,
            "text": source.text,
            "n_chars": len(source.text),
            "media_type": source.media_type,
            "source_path": _source_path(source),
            "added_at": dt.datetime.now(dt.UTC),
            **meta.as_dict(),
        }
        return conn.execute(documents.insert().values(**values)).inserted_primary_key[0]

    def _insert_passages(self, conn: Connection, document_id: int, text: str) -> int:
        rows = [
            {"document_id": document_id, "ordinal": i, "span_start": s, "span_end": e, "text": text[s:e]}
            for i, (s, e) in enumerate(sentences(text))
        ]
        if not rows:
            return 0
        conn.execute(passages.insert(), rows)
        if self.dialect == "sqlite":
            conn.exec_driver_sql(
                "INSERT INTO corpus_fts(rowid, text) SELECT id, text FROM corpus_passages WHERE "
                "document_id = ?",
                (document_id,),
            )
        return len(rows)

    # ---- reading ------------------------------------------------------------------------------------
    def documents(self, *, all_versions: bool = False) -> list[StoredDocument]:
        """Documents in id order; the current version of each, or every version with ``all_versions``."""
        query = sa.select(*[c for c in documents.c if c.name != "text"]).order_by(
            documents.c.doc, documents.c.version
        )
        if not all_versions:
            query = query.where(documents.c.current == sa.true())
        with self.engine.connect() as conn:
            return [_stored(row) for row in conn.execute(query)]

    def versions(self, doc: str) -> list[tuple[StoredDocument, str]]:
        """Every version of ``doc`` with its text, newest first (empty if the document is unknown)."""
        query = sa.select(documents).where(documents.c.doc == doc).order_by(documents.c.version.desc())
        with self.engine.connect() as conn:
            return [(_stored(row), row.text) for row in conn.execute(query)]

    def text(self, doc: str, version: int | None = None) -> str | None:
        """The text of a version of ``doc`` (the current one by default), or ``None``."""
        query = sa.select(documents.c.text).where(documents.c.doc == doc)
        query = (
            query.where(documents.c.current == sa.true())
            if version is None
            else query.where(documents.c.version == version)
        )
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()

    def corpus(self) -> Corpus:
        """The current versions as a :class:`~accord.spans.pointers.Corpus` (for case validation)."""
        query = sa.select(documents.c.doc, documents.c.text).where(documents.c.current == sa.true())
        with self.engine.connect() as conn:
            return Corpus(texts={row.doc: row.text for row in conn.execute(query)})

    def iter_texts(self) -> Iterator[tuple[str, str]]:
        """``(doc, text)`` of every current version, for batch work such as extraction."""
        query = (
            sa.select(documents.c.doc, documents.c.text)
            .where(documents.c.current == sa.true())
            .order_by(documents.c.doc)
        )
        with self.engine.connect() as conn:
            yield from ((row.doc, row.text) for row in conn.execute(query))

    def counts(self) -> dict[str, int]:
        """Numbers of documents, versions and passages, for summaries."""
        with self.engine.connect() as conn:
            docs = conn.execute(
                sa.select(sa.func.count()).where(documents.c.current == sa.true())
            ).scalar_one()
            versions = conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one()
            n_passages = conn.execute(sa.select(sa.func.count()).select_from(passages)).scalar_one()
        return {"documents": docs, "versions": versions, "passages": n_passages}


def _stored(row: sa.Row) -> StoredDocument:
    return StoredDocument(
        doc=row.doc,
        version=row.version,
        current=bool(row.current),
        sha256=row.sha256,
        n_chars=row.n_chars,
        media_type=row.media_type,
        meta=DocumentMeta(**{f: getattr(row, f) for f in _META_FIELDS}),
        source_path=row.source_path,
        added_at=row.added_at,
    )


def _make_engine(url: str) -> Engine:
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise StorageError(
            f"not a usable database URL {url!r}: {exc}", "e.g. --db accord.db or --db postgresql://host/db"
        ) from None
    except ImportError as exc:
        raise StorageError(
            f"no database driver for {url.split('://')[0]}: {exc}",
            "for PostgreSQL: pip install 'accord[postgres]'",
        ) from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.name != "postgresql":
        raise StorageError(
            f"unsupported database {engine.dialect.name!r}", "use SQLite (a file path) or PostgreSQL"
        )
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()
