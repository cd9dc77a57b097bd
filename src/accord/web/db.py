"""The web app's tables: access tokens, uploaded cases and runs, on SQLite (default) or PostgreSQL.

Plain SQLAlchemy Core, so one code path serves both databases. Tables are prefixed ``web_`` so they share
a database with the corpus store (``corpus_*``) and the scenario layer's tables without clashing. Runs
live here until the runs store of :mod:`accord.store` lands; the web then reads and writes through it.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from accord.workspace import Workspace

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


def connect(db: Workspace | str | None = None) -> Engine:
    """The web tables' engine, opened by :meth:`Workspace.connect` (the one place that knows URLs and
    SQLite's settings), with the tables created. ``db``: the server's workspace, or a ``--db`` value
    resolved into one (a path means a SQLite file; ``None``: ``$ACCORD_DB`` or ``accord.db``).

    PostgreSQL gets a larger pool than SQLAlchemy's default: run workers write while requests read.
    """
    workspace = db if isinstance(db, Workspace) else Workspace.resolve(db)
    pool = {} if workspace.url.startswith("sqlite") else {"pool_size": 10, "max_overflow": 10}
    engine = workspace.connect(**pool)
    metadata.create_all(engine)
    return engine
