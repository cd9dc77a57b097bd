"""The dashboard pages: server-rendered shells (Jinja2) that ``static/accord.js`` fills from the API.

plotly.js is served from the installed ``plotly`` Python package (``/vendor/plotly.min.js``): the chart
library comes from the package registry at install time, never from a CDN, and no copy of it lives in
this repository.
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from accord import views
from accord.answer import case_question
from accord.api import DEFAULT_MODEL, ENGINES
from accord.assets import ASSETS_DIR, plotly_js_path
from accord.case.io import DEFAULT_CASE
from accord.engines.registry import MODEL_NOTES
from accord.web.deps import allow_read, state
from accord.web.library import NotFound

__all__ = ["PLOTLY_JS", "STATIC_DIR", "mount_static", "plotly_js_path", "router"]

HERE = Path(__file__).resolve().parent
STATIC_DIR = ASSETS_DIR  # shared with the HTML report
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False, dependencies=[Depends(allow_read)])

TABS = [
    ("answer", "Answer"),
    ("network", "Network"),
    ("timeline", "Timeline"),
    ("positions", "Positions"),
    ("runs", "Runs"),
    ("compare", "Compare"),
    ("sensitivity", "Sensitivity"),
    ("evidence", "Evidence"),
    ("cases", "Cases"),
]
# One paragraph per model for the model pickers: the registry's, shared with `accord run --help`.
CaseQuery = Annotated[str, Query(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]


PLOTLY_JS = "/vendor/plotly.min.js"


def _swagger_assets() -> Path | None:
    """Swagger UI's files as shipped by the ``fastapi-offline`` package, if it is installed."""
    try:
        import fastapi_offline
    except ImportError:
        return None
    folder = Path(fastapi_offline.__file__).resolve().parent / "static"
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


def mount_docs(app: FastAPI) -> None:
    """``/docs`` without any CDN: Swagger UI from the ``fastapi-offline`` package, else a page of our own.

    FastAPI's built-in ``/docs`` loads Swagger UI from a CDN, so it is switched off in :func:`create_app`.
    """
    assets = _swagger_assets()
    read = [Depends(allow_read)]
    if assets is not None:
        from fastapi.openapi.docs import get_swagger_ui_html

        app.mount("/vendor/swagger", StaticFiles(directory=str(assets)), name="swagger")

        @app.get("/docs", include_in_schema=False, dependencies=read)
        def swagger_docs() -> HTMLResponse:
            return get_swagger_ui_html(
                openapi_url="/openapi.json",
                title="Accord API",
                swagger_js_url="/vendor/swagger/swagger-ui-bundle.js",
                swagger_css_url="/vendor/swagger/swagger-ui.css",
                swagger_favicon_url="/vendor/swagger/favicon.png",
                swagger_ui_parameters={"validatorUrl": None},
            )

        return

    @app.get("/docs", include_in_schema=False, dependencies=read)
    def plain_docs(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(
            request, "api_docs.html", {"operations": _operations(app.openapi())}
        )


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema's operations in a shape a template can list: method, path, summary, parameters, body."""
    components = schema.get("components", {}).get("schemas", {})
    out = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            body_ref = (
                op.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
                .get("$ref", "")
            )
            body = components.get(body_ref.rsplit("/", 1)[-1], {}) if body_ref else {}
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "tag": (op.get("tags") or ["other"])[0],
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": _type(p.get("schema", {})),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "body": [
                        {
                            "name": name,
                            "type": _type(prop),
                            "required": name in body.get("required", []),
                            "description": prop.get("description", ""),
                        }
                        for name, prop in body.get("properties", {}).items()
                    ],
                    "responses": sorted(op.get("responses", {})),
                }
            )
    return out


def _type(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"])
    text = schema.get("type", "object")
    limits = [f"{k} {schema[k]}" for k in ("minimum", "maximum", "maxLength", "pattern") if k in schema]
    return text + (f" ({', '.join(limits)})" if limits else "")


class CachedStatic(StaticFiles):
    """Static files with a cache lifetime (an hour: the files change only with a new release)."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers.setdefault("Cache-Control", "public, max-age=3600")
        return response


@functools.lru_cache(maxsize=1)
def _plotly_gzip() -> bytes:
    """plotly.js compressed once per process (4.8 MB travels as about 1.4 MB)."""
    return gzip.compress(plotly_js_path().read_bytes(), compresslevel=6)


def mount_static(app: FastAPI) -> None:
    """Static files and plotly.js, compressed for clients that accept gzip and cached by browsers.

    Compression is applied here, to the files only: as a middleware over the whole app it slowed the API
    under concurrent load (tests/web/test_load.py) for responses that gain little from it.
    """
    app.mount(
        "/static", GZipMiddleware(CachedStatic(directory=str(STATIC_DIR)), minimum_size=1024), name="static"
    )
    mount_docs(app)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get(PLOTLY_JS, include_in_schema=False)
    def plotly_js(request: Request) -> Response:
        headers = {"Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(
                _plotly_gzip(), media_type="text/javascript", headers={**headers, "Content-Encoding": "gzip"}
            )
        return FileResponse(plotly_js_path(), media_type="text/javascript", headers=headers)


def not_found(request: Request, message: str) -> HTMLResponse:
    """A page (not JSON) for a bad case or run address, with the way back."""
    return templates.TemplateResponse(request, "error.html", {"message": message}, status_code=404)


def _render(request: Request, view: str, case_id: str, run_id: int | None = None) -> HTMLResponse:
    st = state(request)
    try:
        case = st.library.case(case_id)
    except NotFound as exc:
        return not_found(request, str(exc))
    summary = views.case_summary(case)
    context: dict[str, Any] = {
        "view": view,
        "case": summary,
        "summary": summary,
        "cases": st.library.cases(),
        "tabs": TABS,
        "models": list(ENGINES),
        "model_notes": MODEL_NOTES,
        "default_model": DEFAULT_MODEL,
        "path": "/" if view == "answer" else f"/{view}",
        "question": case_question(case),
        "run_id": run_id,
    }
    return templates.TemplateResponse(request, f"{view}.html", context)


@router.get("/", response_class=HTMLResponse)
def answer_page(request: Request, case: CaseQuery = DEFAULT_CASE) -> HTMLResponse:
    """The landing page: the case's question answered (the same document as ``accord answer``)."""
    return _render(request, "answer", case)


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, run_id: int, case: CaseQuery | None = None) -> HTMLResponse:
    run = state(request).runs.get(run_id)
    if run is None:
        return not_found(request, f"There is no run {run_id} on this server.")
    return _render(request, "runs", case or run["case"], run_id)


def _page(view: str) -> Any:
    def page(request: Request, case: CaseQuery = DEFAULT_CASE) -> HTMLResponse:
        return _render(request, view, case)

    page.__name__ = f"{view}_page"
    return page


for _view, _title in TABS[1:]:
    router.add_api_route(f"/{_view}", _page(_view), methods=["GET"], response_class=HTMLResponse)
