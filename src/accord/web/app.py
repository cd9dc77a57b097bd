"""The FastAPI application: REST API under ``/api`` (OpenAPI at ``/docs``) and the dashboard pages.

``create_app`` wires the parts together once per server: the database (web tables, runs, tokens), the
case and scenario library, the corpus the evidence panel reads passages from, and the run workers.
Policies that protect the server live here too:

* reading is open to loopback clients; other clients need a token (a server bound to a public address
  does not become an open data tap by accident);
* anything that writes (uploads, runs, corpus additions) needs a bearer token (``accord token create``);
* request bodies are limited in size (413 beyond ``max_body_bytes``), whether or not a client sends a
  Content-Length;
* no endpoint takes a file path: cases, scenarios and documents are named by id;
* only allowed ``Host`` names are served (DNS rebinding), every response carries CSP, ``nosniff``, frame
  and referrer headers, and JSON bodies with NaN, Infinity or lone surrogates get 422
  (:mod:`accord.web.guards`); uploads and runs are capped per request (:class:`~accord.web.limits.Limits`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord import __version__
from accord.spans.pointers import Corpus, load_corpus_dir
from accord.views import PassageSource
from accord.web import db
from accord.web.deps import allow_read, bearer, require_token, state  # noqa: F401 - re-exported
from accord.web.guards import HostGuard, JsonGuard, SecurityHeaders
from accord.web.library import Library
from accord.web.limits import Limits
from accord.web.runs import RunManager
from accord.web.tokens import TokenStore

__all__ = ["AppState", "create_app", "default_corpus_dir", "state"]

log = logging.getLogger("accord.web")
MAX_BODY_BYTES = 2 * 1024 * 1024


def default_corpus_dir() -> Path | None:
    """``$ACCORD_CORPUS``, else the shared folder's corpus (one rule: :class:`accord.workspace.Workspace`)."""
    from accord.workspace import Workspace

    return Workspace.resolve().corpus_dir


@dataclass
class AppState:
    """Everything a request handler needs, built once by :func:`create_app`."""

    engine: Any
    library: Library
    runs: RunManager
    tokens: TokenStore
    passages: PassageSource
    corpus: Corpus | None
    db_url: str
    max_body_bytes: int
    open_read: str
    corpus_dir: Path | None = None
    limits: Limits = field(default_factory=Limits)
    caches: dict[str, Any] = field(default_factory=dict)
    _store: Any = None
    _store_lock: threading.Lock = field(default_factory=threading.Lock)

    def evidence_store(self) -> Any:
        """The corpus store in the server's database, created on first use.

        The texts of the server's corpus folder are added to it then (unchanged texts are a no-op), so
        search covers the documents the evidence panel quotes.
        """
        with self._store_lock:
            if self._store is None:
                from accord.corpus.documents import Store

                store = Store(self.db_url)
                if self.corpus_dir is not None:
                    _ingest_folder(store, self.corpus_dir)
                self._store = store
        return self._store


def _ingest_folder(store: Any, folder: Path) -> None:
    """Add a corpus folder's texts (with its ``sources.yaml`` metadata, if any) to the store."""
    from accord.api import ingest_folder

    ingest_folder(store, folder)


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``max_bytes`` with 413, counting streamed bytes too."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        received = 0
        started = refused = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Answer 413 now and tell the app the client left: whatever it does next is dropped.
                    refused = True
                    if not started:
                        await self._refuse(send)
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except Exception:
            if not refused:
                raise

    async def _refuse(self, send: Send) -> None:
        response = JSONResponse(
            {"detail": f"request body over the {self.max_bytes}-byte limit"}, status_code=413
        )
        await send({"type": "http.response.start", "status": 413, "headers": response.raw_headers})
        await send({"type": "http.response.body", "body": response.body})


def create_app(
    db_url: str | None = None,
    corpus_dir: str | Path | None = None,
    token_store: TokenStore | None = None,
    *,
    max_body_bytes: int = MAX_BODY_BYTES,
    run_workers: int = 2,
    open_read: str = "loopback",
    resume_runs: bool = True,
    record_runs: bool = True,
    runs_dir: str | Path | None = None,
    allowed_hosts: tuple[str, ...] | list[str] = (),
    limits: Limits | None = None,
) -> FastAPI:
    """The Accord web application on the database ``db_url`` (path or SQLAlchemy URL; default ``accord.db``).

    ``corpus_dir`` is the folder of corpus texts the evidence panel quotes (default: see
    :func:`default_corpus_dir`); documents also come from the corpus store in the same database.
    ``open_read`` is ``"loopback"`` (default) or ``"all"``. With ``record_runs`` every finished run is
    also recorded in the runs store (:mod:`accord.store.runs`, per-draw outcomes in Parquet under
    ``runs_dir``, by default the store's own choice), so ``accord runs list`` shows web runs too.
    ``allowed_hosts`` adds names the server may be reached by (behind a proxy) to loopback names and IP
    literals; ``limits`` caps what one request may ask for (actors, issues, interventions, draws).
    """
    from accord.workspace import Workspace

    workspace = Workspace.resolve(db_url, corpus_dir, runs_dir)  # read once, for the server's life
    url = workspace.url
    engine = db.connect(workspace)
    folder = workspace.corpus_dir
    corpus = load_corpus_dir(folder) if folder is not None else None
    limits = limits or Limits()
    library = Library(engine, corpus, limits)
    run_store = None
    if record_runs:
        from accord.store.runs import RunStore

        run_store = RunStore(url, workspace.runs_dir)
    st = AppState(
        engine=engine,
        library=library,
        runs=RunManager(engine, library, workers=run_workers, run_store=run_store),
        tokens=token_store or TokenStore(engine),
        passages=PassageSource(corpus),
        corpus=corpus,
        db_url=url,
        max_body_bytes=max_body_bytes,
        open_read=open_read,
        corpus_dir=folder,
        limits=limits,
    )
    st.passages.store_text = lambda doc: st.evidence_store().text(doc)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if resume_runs:
            resumed = st.runs.resume()
            if resumed:
                log.info("resumed %d unfinished run(s)", resumed)
        yield
        st.runs.shutdown(wait=False)

    app = FastAPI(
        title="Accord",
        version=__version__,
        summary="Evidence-linked bargaining models of conflicts: cases, runs, scenarios, sensitivity and "
        "evidence.",
        lifespan=lifespan,
        docs_url=None,  # FastAPI's own pages load their scripts from a CDN; pages.mount_docs serves /docs
        redoc_url=None,
    )
    app.state.accord = st
    app.add_middleware(JsonGuard)  # innermost: sees bodies BodyLimit has already bounded
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)

    from accord.errors import AccordError, http_body

    @app.exception_handler(AccordError)  # the one HTTP rendering of Accord's errors
    async def _accord_error(_request: Request, exc: AccordError) -> JSONResponse:
        return JSONResponse(http_body(exc), status_code=exc.http_status)

    app.add_middleware(SecurityHeaders)
    app.add_middleware(HostGuard, allowed=tuple(allowed_hosts))  # outermost: a foreign Host gets nothing

    @app.exception_handler(Exception)
    async def _unexpected(
        _request: Request, exc: Exception
    ) -> JSONResponse:  # pragma: no cover - a bug if reached
        log.exception("unexpected error")
        return JSONResponse({"detail": f"internal error: {type(exc).__name__}"}, status_code=500)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 405:  # Allow lists every method of the path, not only the first route's
            return JSONResponse(
                {"detail": "Method Not Allowed"},
                status_code=405,
                headers={"Allow": ", ".join(_allowed_methods(request.app, request.scope))},
            )
        return await http_exception_handler(request, exc)

    from accord.web import answers, compare_routes, corpus_routes, pages, rest, suggest

    app.include_router(rest.router)
    app.include_router(corpus_routes.router)
    app.include_router(answers.router, prefix="/api")  # the answer and what-if, under the same prefix
    app.include_router(suggest.router, prefix="/api")  # passages to cite, for the evidence panel
    app.include_router(compare_routes.router, prefix="/api")  # perspectives and cases side by side
    app.include_router(pages.router)
    pages.mount_static(app)
    generate = app.openapi
    app.openapi = lambda: _documented(app, generate)  # type: ignore[method-assign]
    return app


def _allowed_methods(app: FastAPI, scope: Scope) -> list[str]:
    """The methods of this path: as documented when the path is literally in the spec (``/api/cases/validate``
    also matches the template ``/api/cases/{case_id}``), else those some route fully matches."""
    documented = app.openapi().get("paths", {}).get(scope.get("path", ""))
    if documented:
        return sorted(m.upper() for m in documented)
    return [
        method
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
        if any(route.matches({**scope, "method": method})[0] == Match.FULL for route in app.router.routes)
    ]


_COMMON_RESPONSES = {
    "400": {
        "description": "Host not served here (see `accord serve --allow-host`), or a body that cannot be read"
    },
    "401": {
        "description": "a token is needed: every write, and reads from other machines without --public-read"
    },
}


def _documented(app: FastAPI, generate: Any) -> dict[str, Any]:
    """FastAPI's OpenAPI schema plus the answers every operation can give (so clients and fuzzers know them):
    400 and 401 everywhere, 404 where a parameter names something, 413 where a body is sent."""
    if app.openapi_schema and app.openapi_schema.get("x-accord-documented"):
        return app.openapi_schema
    schema = generate()
    schema["x-accord-documented"] = True
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, response in _COMMON_RESPONSES.items():
                responses.setdefault(code, response)
            if operation.get("parameters") or operation.get("requestBody"):
                responses.setdefault(
                    "404", {"description": "no case, scenario, run, document or issue by that id"}
                )
            if operation.get("requestBody"):
                responses.setdefault("413", {"description": "request body over the server's limit"})
    app.openapi_schema = schema
    return schema
