"""The runs store: every scenario run recorded in a database, its per-draw outcomes in Parquet.

Storage is SQLAlchemy Core, so any SQLAlchemy URL works (``--db postgresql://...``); the default is the
SQLite file ``accord.db`` in the current folder or ``$ACCORD_DB``, the convention the corpus store uses
too. Two tables, prefixed ``runs`` so they can share that database:

* ``runs``: one row per run: id, time, case id and hash, scenario id and hash, model, rounds, draws,
  seed, perspective, executor, parameters, versions, timings, thresholds, the summary, and the
  Parquet file (name, sha256, rows);
* ``runs_issues``: the per-issue summary (median, 5-95%, mean, stable share) for SQL queries.

Per-draw outcomes (one row per draw and issue) go to ``<db folder>/<db stem>-runs/<run id>.parquet``
for a SQLite file, else to ``$ACCORD_RUNS_DIR`` or ``./accord-runs``. Writes are atomic: the Parquet file
is written under a temporary name and renamed when complete, and only then are both rows inserted in one
transaction. A run killed before the commit leaves no row; a run killed during the commit is rolled back
by the database. What a kill leaves behind (a hidden ``.tmp`` file, or a Parquet file whose row was never
committed) is removed when a store next opens, once it is older than :data:`DEBRIS_AGE_S` (a younger
one may belong to a run still being written by another process).

One record per run whatever the kill point: a caller that may repeat a run (the web server resumes the
runs a kill interrupted) passes a ``key``; a second record with the same key returns the first one's id
and writes nothing (``request_key`` is unique).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.engine.url import make_url

from accord.errors import StorageError
from accord.workspace import resolve_db_url

__all__ = [
    "RunRecord",
    "RunStore",
    "StorageError",
    "outcomes_dir",
    "resolve_db_url",
    "versions",
]

ENV_RUNS_DIR = "ACCORD_RUNS_DIR"
DEBRIS_AGE_S = 15 * 60

metadata = sa.MetaData()

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("case_id", sa.String(120), nullable=False),
    sa.Column("case_hash", sa.String(64), nullable=False),
    sa.Column("scenario_id", sa.String(120)),
    sa.Column("scenario_hash", sa.String(64)),
    sa.Column("model", sa.String(40), nullable=False),
    sa.Column("rounds", sa.Integer, nullable=False),
    sa.Column("draws", sa.Integer, nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("perspective", sa.String(120)),
    sa.Column("executor", sa.String(20), nullable=False),
    sa.Column("params", sa.JSON, nullable=False),
    sa.Column("versions", sa.JSON, nullable=False),
    sa.Column("timings", sa.JSON, nullable=False),
    sa.Column("thresholds", sa.JSON, nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),
    sa.Column("outcomes_file", sa.String(200), nullable=False),
    sa.Column("outcomes_sha256", sa.String(64), nullable=False),
    sa.Column("outcomes_rows", sa.Integer, nullable=False),
    sa.Column("request_key", sa.String(64)),
    sa.Index("runs_case_scenario", "case_id", "scenario_id"),
    sa.Index("runs_request_key", "request_key", unique=True),
)

runs_issues = sa.Table(
    "runs_issues",
    metadata,
    sa.Column("run_id", sa.String(40), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("issue", sa.String(120), primary_key=True),
    sa.Column("status_quo", sa.Float),
    sa.Column("median", sa.Float),
    sa.Column("p05", sa.Float),
    sa.Column("p95", sa.Float),
    sa.Column("mean", sa.Float),
    sa.Column("stable_share", sa.Float),
)


def outcomes_dir(url: str) -> Path:
    """Where a database's Parquet files live: beside a SQLite file, else ``$ACCORD_RUNS_DIR`` or
    ``./accord-runs``."""
    from accord.workspace import Workspace

    return Workspace.resolve(url).runs_dir  # the workspace's one rule


def versions(extra: tuple[str, ...] = ()) -> dict[str, str]:
    """Versions that can change numbers: Python, Accord, NumPy, pandas, SciPy (and any ``extra``)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name in ("accord", "numpy", "pandas", "scipy", "pyarrow", *extra):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def content_hash(data: Any) -> str:
    """sha256 of a canonical JSON rendering (sorted keys)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def new_run_id(now: dt.datetime | None = None) -> str:
    """Sortable and unique: ``YYYYMMDD-HHMMSS-xxxxxx``."""
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)


@dataclass
class RunRecord:
    """What a run stores (besides its per-draw table)."""

    case_id: str
    case_hash: str
    model: str
    rounds: int
    draws: int
    seed: int
    executor: str
    summary: dict[str, Any]
    scenario_id: str | None = None
    scenario_hash: str | None = None
    perspective: str | None = None
    params: dict[str, Any] | None = None
    thresholds: list[str] | None = None
    timings: dict[str, Any] | None = None
    versions: dict[str, str] | None = None


class RunStore:
    """Record, list and read runs in one database (see the module docstring for the layout)."""

    def __init__(self, db: str | None = None, runs_dir: str | Path | None = None):
        self.url = resolve_db_url(db)
        try:
            parsed = make_url(self.url)
        except Exception as exc:  # noqa: BLE001 - any parse failure is a bad --db
            raise StorageError(
                f"not a usable database URL {db!r}: {exc}", "e.g. --db accord.db or --db postgresql://host/db"
            ) from None
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.runs_dir = Path(runs_dir) if runs_dir is not None else outcomes_dir(self.url)
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, created with the tables on first use (thread-safe: one store may serve
        several worker threads, as in the web app)."""
        with self._lock:
            if self._engine is None:
                self._engine = self._connect()
        return self._engine

    def _connect(self) -> Engine:
        try:
            engine = sa.create_engine(self.url)
            try:
                metadata.create_all(engine, checkfirst=True)
            except sa.exc.SQLAlchemyError:
                # another process created the tables between our check and our CREATE: check again
                metadata.create_all(engine, checkfirst=True)
            _add_request_key(engine)
            self._clean_debris(engine)
            return engine
        except ModuleNotFoundError as exc:
            raise StorageError(
                f"no database driver for {self.url.split('://')[0]}: {exc}",
                "for PostgreSQL: pip install 'accord[postgres]'",
            ) from None
        except sa.exc.SQLAlchemyError as exc:
            raise StorageError(
                f"cannot open the runs store at {self.url}: {exc}", "check --db / $ACCORD_DB"
            ) from None

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # -- writing ----------------------------------------------------------------------------------
    def record(self, record: RunRecord, outcomes: pd.DataFrame, key: str | None = None) -> str:
        """Store a finished run: Parquet first (temp + rename), then both rows in one transaction.

        With ``key`` (any text naming the request, e.g. ``web-run:42``) a run already recorded under it
        is not recorded again: its id is returned.
        """
        engine = self.engine
        request_key = hashlib.sha256(key.encode("utf-8")).hexdigest() if key is not None else None
        if request_key is not None:
            existing = self._by_key(request_key)
            if existing is not None:
                return existing
        run_id = new_run_id()
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        final = self.runs_dir / f"{run_id}.parquet"
        tmp = self.runs_dir / f".{run_id}.parquet.tmp"
        try:
            outcomes.to_parquet(tmp, index=False)
            with tmp.open("rb") as f:
                os.fsync(f.fileno())
            os.replace(tmp, final)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StorageError(
                f"cannot write the outcomes to {self.runs_dir}: {exc}", "check the folder is writable"
            ) from None
        row = {
            "id": run_id,
            "created_at": dt.datetime.now(dt.UTC),
            "case_id": record.case_id,
            "case_hash": record.case_hash,
            "scenario_id": record.scenario_id,
            "scenario_hash": record.scenario_hash,
            "model": record.model,
            "rounds": record.rounds,
            "draws": record.draws,
            "seed": record.seed,
            "perspective": record.perspective,
            "executor": record.executor,
            "params": _jsonable(record.params or {}),
            "versions": record.versions or versions(),
            "timings": _jsonable(record.timings or {}),
            "thresholds": record.thresholds or [],
            "summary": _jsonable(record.summary),
            "outcomes_file": final.name,
            "outcomes_sha256": _file_sha256(final),
            "outcomes_rows": len(outcomes),
            "request_key": request_key,
        }
        issue_rows = [
            {
                "run_id": run_id,
                "issue": issue,
                **{k: v.get(k) for k in ("status_quo", "median", "p05", "p95", "mean", "stable_share")},
            }
            for issue, v in record.summary.get("issues", {}).items()
        ]
        try:
            with engine.begin() as conn:
                conn.execute(runs.insert(), [row])
                if issue_rows:
                    conn.execute(runs_issues.insert(), issue_rows)
        except sa.exc.IntegrityError:
            final.unlink(missing_ok=True)
            existing = self._by_key(request_key) if request_key is not None else None
            if existing is None:
                raise
            return existing  # a concurrent writer recorded the same request first
        except sa.exc.SQLAlchemyError as exc:
            final.unlink(missing_ok=True)
            raise StorageError(
                f"cannot record the run in {self.url}: {exc}", "check --db / $ACCORD_DB"
            ) from None
        return run_id

    def _by_key(self, request_key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(runs.c.id).where(runs.c.request_key == request_key)).scalar()

    def _clean_debris(self, engine: Engine) -> list[Path]:
        """Remove what killed runs left: ``.tmp`` files, and Parquet files no row names (if old enough)."""
        if not self.runs_dir.is_dir():
            return []
        cutoff = time.time() - DEBRIS_AGE_S
        with engine.connect() as conn:
            known = set(conn.execute(sa.select(runs.c.outcomes_file)).scalars())
        removed = []
        for path in self.runs_dir.iterdir():
            hidden_tmp = path.name.startswith(".") and path.name.endswith(".parquet.tmp")
            orphan = path.suffix == ".parquet" and not path.name.startswith(".") and path.name not in known
            try:
                if (hidden_tmp or orphan) and path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed.append(path)
            except OSError:  # another process removed it first, or no permission: leave it
                continue
        return removed

    # -- reading ----------------------------------------------------------------------------------
    def list(
        self, limit: int = 50, case_id: str | None = None, scenario_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The most recent runs first."""
        query = sa.select(runs).order_by(runs.c.created_at.desc(), runs.c.id.desc()).limit(limit)
        if case_id:
            query = query.where(runs.c.case_id == case_id)
        if scenario_id:
            query = query.where(runs.c.scenario_id == scenario_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def get(self, run_id: str) -> dict[str, Any]:
        """One run by id or unique id prefix."""
        with self.engine.connect() as conn:
            rows = [
                dict(r._mapping)
                for r in conn.execute(
                    sa.select(runs).where(runs.c.id.like(f"{_escape(run_id)}%", escape="\\")).limit(2)
                )
            ]
        if not rows:
            raise StorageError(f"no run {run_id!r} in {self.url}", "see `accord runs list`")
        if len(rows) > 1 and rows[0]["id"] != run_id:
            raise StorageError(f"run id prefix {run_id!r} is ambiguous", "give more characters of the id")
        return rows[0]

    def outcomes_path(self, run: dict[str, Any]) -> Path:
        return self.runs_dir / run["outcomes_file"]

    def outcomes(self, run: dict[str, Any]) -> pd.DataFrame:
        """The per-draw table of a run (checked against the sha256 recorded with it)."""
        path = self.outcomes_path(run)
        if not path.exists():
            raise StorageError(
                f"the outcomes file {path} of run {run['id']} is missing",
                "was the folder moved? set $ACCORD_RUNS_DIR",
            )
        if _file_sha256(path) != run["outcomes_sha256"]:
            raise StorageError(
                f"the outcomes file {path} does not match the hash recorded for run {run['id']}",
                "the file was changed",
            )
        return pd.read_parquet(path)


def _add_request_key(engine: Engine) -> None:
    """Stores created before ``request_key`` existed get the column and its unique index."""
    columns = {c["name"] for c in sa.inspect(engine).get_columns("runs")}
    if "request_key" in columns:
        return
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE runs ADD COLUMN request_key VARCHAR(64)")
            conn.exec_driver_sql("CREATE UNIQUE INDEX IF NOT EXISTS runs_request_key ON runs (request_key)")
    except sa.exc.SQLAlchemyError:  # another process added it between our look and our change
        if "request_key" not in {c["name"] for c in sa.inspect(engine).get_columns("runs")}:
            raise


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _jsonable(value: Any) -> Any:
    """Plain JSON types (NumPy scalars and arrays, dataclasses and paths become numbers, lists, text)."""
    return json.loads(json.dumps(value, default=_default))


def _default(obj: Any) -> Any:
    import dataclasses

    import numpy as np

    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    return str(obj)
