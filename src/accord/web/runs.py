"""Runs started from the web: queued in the database, executed by a small thread pool, resumed after a
restart.

The database row is the truth about a run (``queued`` -> ``running`` -> ``done`` | ``failed``), so a run
survives the server stopping: on start-up :meth:`RunManager.resume` puts every run that was queued or
running back in the queue (its result is a pure function of its spec and seed, so running it again gives
the same answer). Progress is written at most a few times a second and kept in memory between writes,
so polling the status is cheap.

Threads rather than processes: the engines spend their time in NumPy, which releases the GIL, and the
machine this serves is small; a run of a few thousand draws takes seconds.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from accord.views import execute_run, execute_sensitivity
from accord.web import db
from accord.web.library import Library

__all__ = ["RunManager", "RunRequest", "QueueFull"]

log = logging.getLogger("accord.web.runs")
PROGRESS_WRITE_S = 0.3


class QueueFull(RuntimeError):
    """Too many runs waiting; the client should retry later (HTTP 503)."""


class _Stopped(Exception):
    """The server is stopping: the run goes back to the queue and resumes on the next start."""


@dataclass(frozen=True)
class RunRequest:
    """A run (``kind="run"``) or a global sensitivity analysis (``kind="sensitivity"``, ``params``)."""

    case: str
    model: str
    draws: int = 0
    rounds: int | None = None
    seed: int = 0
    scenario: str | None = None
    kind: str = "run"
    params: dict[str, Any] | None = None


def _row_json(row: sa.Row, progress: float | None = None) -> dict[str, Any]:
    def iso(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "id": row.id,
        "kind": row.kind,
        "params": json.loads(row.params) if row.params else None,
        "store_id": row.store_id,
        "case": row.case_id,
        "scenario": row.scenario,
        "model": row.model,
        "draws": row.draws,
        "rounds": row.rounds,
        "seed": row.seed,
        "status": row.status,
        "progress": progress
        if progress is not None and row.status in ("queued", "running")
        else row.progress,
        "error": row.error,
        "created_at": iso(row.created_at),
        "started_at": iso(row.started_at),
        "finished_at": iso(row.finished_at),
    }


_COLUMNS = [c for c in db.runs.c if c.name != "result"]


class RunManager:
    """Starts runs in the background and answers questions about them from the database."""

    def __init__(
        self,
        engine: Engine,
        library: Library,
        workers: int = 2,
        max_waiting: int = 500,
        run_store: Any | None = None,
    ):
        self.engine = engine
        self.library = library
        self.run_store = run_store  # accord.store.runs.RunStore: finished runs are recorded there too
        self.max_waiting = max_waiting
        self.workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._stop = threading.Event()
        self._progress: dict[int, float] = {}
        self._lock = threading.Lock()

    # ---- starting -------------------------------------------------------------------------------------
    def submit(self, request: RunRequest, token_id: int | None = None) -> dict[str, Any]:
        """Record the run as queued and hand it to the pool; the row is the caller's receipt."""
        if self.waiting() >= self.max_waiting:
            raise QueueFull(f"{self.max_waiting} runs are waiting; try again shortly")
        values = {
            "kind": request.kind,
            "params": json.dumps(request.params) if request.params else None,
            "case_id": request.case,
            "scenario": request.scenario,
            "model": request.model,
            "draws": request.draws,
            "rounds": request.rounds,
            "seed": request.seed,
            "status": "queued",
            "progress": 0.0,
            "created_at": db.now(),
            "token_id": token_id,
        }
        with self.engine.begin() as conn:
            run_id = conn.execute(db.runs.insert().values(**values)).inserted_primary_key[0]
        self._enqueue(run_id)
        status = self.get(run_id)
        assert status is not None
        return status

    def _enqueue(self, run_id: int) -> None:
        with self._lock:
            self._progress[run_id] = 0.0
            if self._pool is None:  # started lazily, and again after a shutdown (an app's lifespan may rerun)
                self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="accord-run")
                self._stop = threading.Event()
            self._pool.submit(self._work, run_id, self._stop)

    def resume(self) -> int:
        """Queue again every run left queued or running by a previous server; returns how many."""
        with self.engine.begin() as conn:
            ids = (
                conn.execute(
                    sa.select(db.runs.c.id)
                    .where(db.runs.c.status.in_(("queued", "running")))
                    .order_by(db.runs.c.id)
                )
                .scalars()
                .all()
            )
            if ids:
                conn.execute(
                    db.runs.update().where(db.runs.c.id.in_(ids)).values(status="queued", progress=0.0)
                )
        for run_id in ids:
            self._enqueue(run_id)
        return len(ids)

    def waiting(self) -> int:
        with self._lock:
            return len(self._progress)

    def shutdown(self, wait: bool = False) -> None:
        """Stop the workers; queued runs stay queued in the database and resume on the next start."""
        with self._lock:
            pool, self._pool = self._pool, None
            self._stop.set()  # running runs stop at their next progress report and go back to the queue
            mine = list(self._progress)
            self._progress.clear()
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)
        self._requeue(mine)

    def _requeue(self, run_ids: list[int]) -> None:
        """Put this server's unfinished runs back to ``queued`` now: the process may end (SIGTERM) before
        a worker reaches its next progress report, and no row may stay ``running`` after it."""
        if not run_ids:
            return
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    db.runs.update()
                    .where(db.runs.c.id.in_(run_ids), db.runs.c.status == "running")
                    .values(status="queued", progress=0.0, started_at=None)
                )
        except Exception:  # noqa: BLE001 - the database went away: resume() requeues running rows anyway
            log.exception("cannot requeue runs %s", run_ids)

    # ---- reading --------------------------------------------------------------------------------------
    def get(self, run_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(*_COLUMNS).where(db.runs.c.id == run_id)).first()
        if row is None:
            return None
        with self._lock:
            live = self._progress.get(run_id)
        return _row_json(row, live)

    def result(self, run_id: int) -> dict[str, Any] | None:
        """A finished run's body: ``{"result": Run.to_json(), "charts": {...}}`` for a run (see
        :mod:`accord.views.runs`), ``{"result": <analysis>}`` for a sensitivity analysis; None if none."""
        with self.engine.connect() as conn:
            text = conn.execute(sa.select(db.runs.c.result).where(db.runs.c.id == run_id)).scalar()
        if not text:
            return None
        body = json.loads(text)
        return body if "result" in body else {"result": body}  # a row written before the one shape

    def list(
        self, limit: int = 50, case: str | None = None, status: str | None = None, kind: str | None = None
    ) -> list[dict[str, Any]]:
        query = sa.select(*_COLUMNS).order_by(db.runs.c.id.desc()).limit(limit)
        if kind:
            query = query.where(db.runs.c.kind == kind)
        if case:
            query = query.where(db.runs.c.case_id == case)
        if status:
            query = query.where(db.runs.c.status == status)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        with self._lock:
            live = dict(self._progress)
        return [_row_json(row, live.get(row.id)) for row in rows]

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(db.runs.c.status, sa.func.count()).group_by(db.runs.c.status)).all()
        return {status: n for status, n in rows}

    # ---- working --------------------------------------------------------------------------------------
    def _update(self, run_id: int, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(db.runs.update().where(db.runs.c.id == run_id).values(**values))

    def _work(self, run_id: int, stop: threading.Event) -> None:
        try:
            with self.engine.connect() as conn:
                row = conn.execute(sa.select(*_COLUMNS).where(db.runs.c.id == run_id)).first()
            if row is None or row.status not in ("queued", "running"):
                return
            self._update(run_id, status="running", started_at=db.now(), progress=0.0)
            body = self._execute(row, stop)
            store_id = body.pop("store_id", None)
            self._update(
                run_id,
                status="done",
                progress=1.0,
                finished_at=db.now(),
                error=None,
                result=json.dumps(body, allow_nan=False),
                store_id=store_id,
            )
        except _Stopped:
            self._update(run_id, status="queued", progress=0.0, started_at=None)
        except Exception as exc:  # noqa: BLE001 - a failed run is recorded, never lost
            log.info("run %s failed: %s", run_id, exc)
            message = f"{type(exc).__name__}: {exc}" if not isinstance(exc, ValueError) else str(exc)
            try:
                self._update(run_id, status="failed", finished_at=db.now(), error=message[:4000])
            except Exception:  # noqa: BLE001 - the database went away: the run resumes on the next start
                log.exception("cannot record the failure of run %s", run_id)
        finally:
            with self._lock:
                self._progress.pop(run_id, None)

    def _execute(self, row: sa.Row, stop: threading.Event) -> dict[str, Any]:
        """The run's body (``result``, with ``charts`` for a run) and its ``store_id`` in the runs store."""
        case = self.library.case(row.case_id)
        scenario = self.library.scenario(row.scenario).scenario if row.scenario else None
        last_write = [time.monotonic()]

        def progress(fraction: float) -> None:
            if stop.is_set():
                raise _Stopped
            with self._lock:
                self._progress[row.id] = fraction
            if time.monotonic() - last_write[0] > PROGRESS_WRITE_S:
                last_write[0] = time.monotonic()
                self._update(row.id, progress=fraction)

        if row.kind == "sensitivity":
            params = json.loads(row.params or "{}")
            analysis = execute_sensitivity(
                case, scenario, row.model, row.rounds, row.seed, progress=progress, **params
            )
            return {"result": analysis}
        return execute_run(
            case,
            scenario,
            row.model,
            row.draws,
            row.rounds,
            row.seed,
            progress,
            lambda scenario_run: self._record(scenario_run, f"{row.id}@{row.created_at.isoformat()}"),
        )

    def _record(self, scenario_run: Any, run_id: str) -> str | None:
        """Record a finished run in the runs store (``accord runs list`` shows it); its id, or None.

        Keyed by this web run (id and submission time: web tables may be emptied while the runs store
        lives), so a run resumed after a kill that followed the record is not recorded twice.
        """
        if self.run_store is None:
            return None
        from accord.api import store_run

        return store_run(
            scenario_run, store=self.run_store, key=f"web-run:{self.engine.url.render_as_string()}:{run_id}"
        )
