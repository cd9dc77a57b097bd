"""The web app's tables: access tokens, uploaded cases and runs, on SQLite (default) or PostgreSQL.

Plain SQLAlchemy Core, so one code path serves both databases. Tables are prefixed ``web_`` so they share
a database with the corpus store (``corpus_*``) and the scenario layer's tables without clashing. Runs
live here until the runs store of :mod:`accord.store` lands; the web then reads and writes through it.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from accord.workspace import resolve_db_url

__all__ = ["cases", "connect", "metadata", "now", "runs", "scenarios", "tokens"]

metadata = sa.MetaData()

tokens = sa.Table(
    "web_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("prefix", sa.String(12), nullable=False),
    sa.Column("digest", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)

cases = sa.Table(
    "web_cases",
    metadata,
    sa.Column("case_id", sa.String(80), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("filename", sa.String(200), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("token_id", sa.Integer),
)

scenarios = sa.Table(
    "web_scenarios",
    metadata,
    sa.Column("scenario_id", sa.String(80), primary_key=True),
    sa.Column("case_id", sa.String(80), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("token_id", sa.Integer),
)

runs = sa.Table(
    "web_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False, server_default="run"),  # run or sensitivity
    sa.Column("case_id", sa.String(80), nullable=False),
    sa.Column("scenario", sa.String(120)),
    sa.Column("model", sa.String(20), nullable=False),
    sa.Column("draws", sa.Integer, nullable=False),
    sa.Column("rounds", sa.Integer),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("status", sa.String(12), nullable=False),  # queued, running, done, failed
    sa.Column("progress", sa.Float, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("params", sa.Text),  # JSON: a sensitivity analysis's method, samples, grouping
    sa.Column("result", sa.Text),  # JSON {"result": Run.to_json(), "charts"} or {"result": sensitivity}
    sa.Column("store_id", sa.String(40)),  # the run's id in the runs store (accord runs list)
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("token_id", sa.Integer),
    sa.Index("web_runs_status", "status"),
)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def connect(db_url: str | None = None) -> Engine:
    """An engine for ``db_url`` (a path means a SQLite file; ``None``: ``$ACCORD_DB`` or ``accord.db``).

    SQLite gets WAL mode and a generous busy timeout, because run workers write while requests read.
    """
    url = resolve_db_url(db_url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    metadata.create_all(engine)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()
