"""The REST API: cases, scenarios, runs and sensitivity, under ``/api`` (the corpus in
:mod:`accord.web.corpus_routes`).

Handlers are thin: they check access, turn ids into objects through the library, call the service and
map the library's errors onto HTTP (404 unknown id, 409 conflict, 422 invalid input with the CLI's
problems, 503 when the run queue is full). They are plain ``def`` so FastAPI runs them in its thread
pool: the database and the engines block.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from accord import views
from accord.api import DEFAULT_MODEL, DEFAULT_ROUNDS, ENGINES
from accord.web.deps import (
    allow_read,
    case_or_404,
    invalid,
    problems_json,
    require_token,
    scenario_of_case,
    state,
)
from accord.web.library import Conflict, Invalid, NotFound
from accord.web.runs import QueueFull, RunRequest

if TYPE_CHECKING:
    from accord.web.app import AppState

router = APIRouter(prefix="/api")

ID = r"^[a-z0-9][a-z0-9_.-]*$"
DOC_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
CaseId = Annotated[str, Path(pattern=ID, max_length=80, description="A case id (GET /api/cases).")]
MAX_DRAWS = 5000
MAX_ROUNDS = 500
Model = Literal["compromise", "eum", "smp", "median", "nash", "mean"]  # registry names and the alias


# ---------------------------------------------------------------------------------------------------
# Request bodies
# ---------------------------------------------------------------------------------------------------


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Upload(_Body):
    """A YAML file's text; ``filename`` only names it in problem messages."""

    text: str = Field(max_length=2_000_000, description="The YAML text of the file.")
    filename: str = Field("upload.yaml", max_length=200, pattern=r"^[^/\\\x00]*$")
    replace: bool = Field(False, description="Replace an earlier upload with the same id.")


class Check(_Body):
    text: str = Field(max_length=2_000_000)
    filename: str = Field("upload.yaml", max_length=200, pattern=r"^[^/\\\x00]*$")


class StartRun(_Body):
    case: str = Field("nagorno-karabakh-2020", pattern=ID, max_length=80)
    scenario: str | None = Field(
        None, pattern=ID, max_length=80, description="A scenario id; none runs the case as it is."
    )
    model: Model = DEFAULT_MODEL
    draws: int = Field(
        0, ge=0, le=MAX_DRAWS, description="Monte Carlo draws; 0 runs the point estimates once."
    )
    rounds: int | None = Field(
        None, ge=0, le=MAX_ROUNDS, description="Default per model (EUM 10, SMP up to 100)."
    )
    seed: int = Field(0, ge=0, le=2**32 - 1)


class StartSensitivity(_Body):
    case: str = Field("nagorno-karabakh-2020", pattern=ID, max_length=80)
    scenario: str | None = Field(None, pattern=ID, max_length=80)
    model: Model = DEFAULT_MODEL
    method: Literal["sobol", "morris"] = "sobol"
    samples: int = Field(
        64, ge=2, le=512, description="SALib's N: base samples (Sobol) or trajectories (Morris)."
    )
    group_by: Literal["input", "actor", "attribute"] = "input"
    rounds: int | None = Field(None, ge=0, le=MAX_ROUNDS)
    seed: int = Field(0, ge=0, le=2**32 - 1)


# ---------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------


def _cached(st: AppState, key: tuple[Any, ...], compute: Any) -> Any:
    if key not in st.caches:
        if len(st.caches) > 256:
            st.caches.clear()
        st.caches[key] = compute()
    return st.caches[key]


Read = Depends(allow_read)
Write = Depends(require_token)


# ---------------------------------------------------------------------------------------------------
# Server
# ---------------------------------------------------------------------------------------------------


@router.get("/health", tags=["server"], dependencies=[Read])
def health(request: Request) -> dict[str, Any]:
    """Liveness and what the server holds: database kind, runs by status, corpus documents."""
    st = state(request)
    return {
        "status": "ok",
        "database": st.engine.dialect.name,
        "runs": st.runs.counts(),
        "corpus_documents": len(st.corpus.texts) if st.corpus else 0,
    }


@router.get("/models", tags=["server"], dependencies=[Read])
def models() -> list[dict[str, Any]]:
    """The bargaining models a run can use, with their default number of rounds."""
    return [{"id": name, "default_rounds": DEFAULT_ROUNDS[name]} for name in ENGINES]


# ---------------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------------


@router.get("/cases", tags=["cases"], dependencies=[Read])
def list_cases(request: Request) -> list[dict[str, Any]]:
    """Built-in and uploaded cases."""
    return state(request).library.cases()


@router.get("/cases/{case_id}", tags=["cases"], dependencies=[Read])
def get_case(request: Request, case_id: CaseId) -> dict[str, Any]:
    """Title, counts, sources, actors and issues of a case."""
    return views.case_summary(case_or_404(state(request), case_id))


@router.get(
    "/cases/{case_id}/yaml",
    tags=["cases"],
    dependencies=[Read],
    response_class=Response,
    responses={200: {"content": {"application/yaml": {}}}},
)
def get_case_yaml(request: Request, case_id: CaseId) -> Response:
    """The case file itself."""
    try:
        text, _name = state(request).library.case_text(case_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    return Response(text, media_type="application/yaml")


@router.get("/cases/{case_id}/network", tags=["cases"], dependencies=[Read])
def case_network(request: Request, case_id: CaseId) -> dict[str, Any]:
    """Actors (sized by capability) and typed relations, with a stable layout."""
    st = state(request)
    case = case_or_404(st, case_id)
    return _cached(st, ("network", case_id, id(case)), lambda: views.network_view(case))


@router.get("/cases/{case_id}/timeline", tags=["cases"], dependencies=[Read])
def case_timeline(request: Request, case_id: CaseId) -> dict[str, Any]:
    """Dated events by type, each with its evidence ref."""
    return views.timeline_view(case_or_404(state(request), case_id))


@router.get("/cases/{case_id}/positions", tags=["cases"], dependencies=[Read])
def case_positions(request: Request, case_id: CaseId) -> dict[str, Any]:
    """Per issue, the status quo and each actor's position (with range), salience and capability."""
    return views.positions_view(case_or_404(state(request), case_id))


@router.get("/cases/{case_id}/evidence", tags=["evidence"], dependencies=[Read])
def case_evidence(
    request: Request,
    case_id: CaseId,
    ref: Annotated[
        str,
        Query(
            max_length=300,
            pattern=r"^[a-z_]+(/[a-z0-9_.-]+){1,3}$",
            description="e.g. stance/russia/territory/position, issue/territory/status_quo, "
            "relation/ID, event/ID",
        ),
    ],
) -> dict[str, Any]:
    """The estimates behind one number and the passages they cite, with context."""
    st = state(request)
    try:
        return views.evidence_for(case_or_404(st, case_id), ref, st.passages)
    except views.EvidenceNotFound as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/cases/{case_id}/evidence-table", tags=["evidence"], dependencies=[Read])
def case_evidence_table(request: Request, case_id: CaseId) -> list[dict[str, Any]]:
    """Every evidence pointer of the case: what it supports, the value, document and span (no passages)."""
    return views.evidence_table(case_or_404(state(request), case_id))


@router.get("/cases/{case_id}/sensitivity", tags=["sensitivity"], dependencies=[Read])
def case_sensitivity(
    request: Request,
    case_id: CaseId,
    issue: Annotated[str, Query(pattern=ID, max_length=80)],
    model: Model = DEFAULT_MODEL,
    rounds: Annotated[int | None, Query(ge=0, le=MAX_ROUNDS)] = None,
) -> dict[str, Any]:
    """Tornado data: the forecast on ``issue`` with each input at its low and high value, one at a time."""
    st = state(request)
    case = case_or_404(st, case_id)
    try:
        return _cached(
            st,
            ("tornado", case_id, id(case), issue, model, rounds),
            lambda: views.tornado(case, issue, model, rounds),
        )
    except views.EvidenceNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except ValueError as exc:  # the model refused the inputs (e.g. SMP salience sums)
        raise HTTPException(422, f"the model cannot use these inputs: {exc}") from None


@router.post("/cases/validate", tags=["cases"], dependencies=[Read])
def validate_case(request: Request, body: Check) -> dict[str, Any]:
    """Validate a case file without storing it: the CLI's report (``valid`` and every problem)."""
    report = state(request).library.validate_case(body.text, body.filename)
    return {**report.to_json(), "problems": problems_json(report.problems)}


@router.post(
    "/cases",
    tags=["cases"],
    status_code=201,
    responses={
        401: {"description": "no token"},
        409: {"description": "id taken"},
        422: {"description": "the file's problems, as the CLI reports them"},
    },
)
def upload_case(request: Request, body: Upload, token_id: int = Write) -> dict[str, Any]:
    """Store a case (needs a token). Invalid files get 422 with each problem's line, column and field path."""
    st = state(request)
    try:
        case = st.library.add_case(body.text, body.filename, replace=body.replace, token_id=token_id)
    except Invalid as exc:
        raise invalid(exc.problems) from None
    except Conflict as exc:
        raise HTTPException(409, str(exc)) from None
    return views.case_summary(case)


# ---------------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------------


def _scenario_json(entry: Any, full: bool = False) -> dict[str, Any]:
    data = {
        "id": entry.id,
        "title": entry.title,
        "case": entry.case,
        "source": entry.source,
        "question": entry.question,
        "interventions": len(entry.scenario.interventions),
    }
    if full:
        data["scenario"] = entry.scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


@router.get("/scenarios", tags=["scenarios"], dependencies=[Read])
def list_scenarios(
    request: Request, case: Annotated[str | None, Query(pattern=ID, max_length=80)] = None
) -> list[dict[str, Any]]:
    """Built-in and uploaded scenarios, optionally for one case."""
    return [_scenario_json(e) for e in state(request).library.scenarios(case)]


@router.get("/scenarios/{scenario_id}", tags=["scenarios"], dependencies=[Read])
def get_scenario(
    request: Request, scenario_id: Annotated[str, Path(pattern=ID, max_length=80)]
) -> dict[str, Any]:
    """A scenario with its interventions."""
    try:
        return _scenario_json(state(request).library.scenario(scenario_id), full=True)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None


@router.post("/scenarios/validate", tags=["scenarios"], dependencies=[Read])
def validate_scenario(request: Request, body: Check) -> dict[str, Any]:
    """Validate a scenario file against its case without storing it."""
    scenario, case, problems = state(request).library.validate_scenario(body.text, body.filename)
    return {
        "file": body.filename,
        "valid": not problems,
        "scenario": scenario.id if scenario else None,
        "case": case.id if case else None,
        "problems": problems_json(problems),
    }


@router.post("/scenarios", tags=["scenarios"], status_code=201)
def upload_scenario(request: Request, body: Upload, token_id: int = Write) -> dict[str, Any]:
    """Store a scenario (needs a token); invalid files get 422 with the CLI's problems."""
    try:
        entry = state(request).library.add_scenario(
            body.text, body.filename, replace=body.replace, token_id=token_id
        )
    except Invalid as exc:
        raise invalid(exc.problems) from None
    except Conflict as exc:
        raise HTTPException(409, str(exc)) from None
    return _scenario_json(entry, full=True)


# ---------------------------------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------------------------------


@router.post(
    "/runs",
    tags=["runs"],
    status_code=202,
    responses={401: {"description": "no token"}, 503: {"description": "run queue full"}},
)
def start_run(request: Request, body: StartRun, response: Response, token_id: int = Write) -> dict[str, Any]:
    """Start a run in the background (needs a token); poll ``GET /api/runs/{id}`` for its progress."""
    st = state(request)
    capped = st.limits.draws_problem(body.draws)
    if capped is not None:
        raise invalid([capped])
    _check_target(st, body.case, body.scenario)
    return _submit(
        st,
        RunRequest(body.case, body.model, body.draws, body.rounds, body.seed, body.scenario),
        token_id,
        response,
    )


def _check_target(st: AppState, case_id: str, scenario_id: str | None) -> None:
    """404 for an unknown case or scenario, 422 for a scenario about another case."""
    case_or_404(st, case_id)
    if scenario_id is not None:
        scenario_of_case(st, scenario_id, case_id, "body")


def _submit(st: AppState, run: RunRequest, token_id: int, response: Response) -> dict[str, Any]:
    try:
        record = st.runs.submit(run, token_id)
    except QueueFull as exc:
        raise HTTPException(503, str(exc), headers={"Retry-After": "5"}) from None
    response.headers["Location"] = f"/api/runs/{record['id']}"
    return record


@router.post(
    "/sensitivity",
    tags=["sensitivity"],
    status_code=202,
    responses={401: {"description": "no token"}, 503: {"description": "run queue full"}},
)
def start_sensitivity(
    request: Request, body: StartSensitivity, response: Response, token_id: int = Write
) -> dict[str, Any]:
    """Start a global sensitivity analysis (Sobol or Morris, SALib) in the background (needs a token).

    It is a run of kind ``sensitivity``: poll ``GET /api/runs/{id}``; the result ranks the inputs per issue.
    """
    st = state(request)
    _check_target(st, body.case, body.scenario)
    params = {"method": body.method, "samples": body.samples, "group_by": body.group_by}
    run = RunRequest(
        body.case, body.model, 0, body.rounds, body.seed, body.scenario, kind="sensitivity", params=params
    )
    return _submit(st, run, token_id, response)


@router.get("/recorded-runs", tags=["runs"], dependencies=[Read])
def recorded_runs(
    request: Request,
    case: Annotated[str | None, Query(pattern=ID, max_length=80)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    """Runs in the runs store (from the web and from ``accord scenarios run``), newest first."""
    st = state(request)
    if st.runs.run_store is None:
        return []
    rows = st.runs.run_store.list(limit=limit, case_id=case)
    keep = (
        "id",
        "created_at",
        "case_id",
        "scenario_id",
        "model",
        "rounds",
        "draws",
        "seed",
        "perspective",
        "summary",
    )
    return [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items() if k in keep}
        for row in rows
    ]


@router.get("/runs", tags=["runs"], dependencies=[Read])
def list_runs(
    request: Request,
    case: Annotated[str | None, Query(pattern=ID, max_length=80)] = None,
    status: Literal["queued", "running", "done", "failed"] | None = None,
    kind: Literal["run", "sensitivity"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    """Recent runs (and sensitivity analyses), newest first."""
    return state(request).runs.list(limit, case, status, kind)


RunId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/runs/{run_id}", tags=["runs"], dependencies=[Read])
def get_run(request: Request, run_id: RunId) -> dict[str, Any]:
    """Status and progress (0-1) of a run."""
    run = state(request).runs.get(run_id)
    if run is None:
        raise HTTPException(404, f"no run {run_id}")
    return run


@router.get(
    "/runs/{run_id}/result",
    tags=["runs"],
    dependencies=[Read],
    responses={409: {"description": "the run has not finished (or failed)"}},
)
def get_run_result(request: Request, run_id: RunId) -> dict[str, Any]:
    """``{run: <status>, result: <the run document, as accord run --json>, charts: <final outcome of
    each draw, mean path and bands per round>}``; for a sensitivity analysis ``result`` is the analysis."""
    st = state(request)
    run = st.runs.get(run_id)
    if run is None:
        raise HTTPException(404, f"no run {run_id}")
    body = st.runs.result(run_id) if run["status"] == "done" else None
    if body is None:
        raise HTTPException(409, {"message": f"run {run_id} is {run['status']}", "run": run})
    return {"run": run, **body}
