"""The answer endpoints: ``GET /api/cases/{id}/answer`` (JSON or CSV) and ``POST /api/cases/{id}/whatif``.

Reading only: no token is needed where reading is open (loopback by default). The answer is computed once
per case version (concurrent first requests wait for that one computation) and kept in the app's cache.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from accord.case.model import Case
from accord.web.deps import allow_read, case_or_404, invalid, scenario_of_case, state

if TYPE_CHECKING:
    from accord.web.app import AppState

router = APIRouter()
ID = r"^[a-z0-9][a-z0-9_.-]*$"
CaseId = Annotated[str, Path(pattern=ID, max_length=80, description="A case id (GET /api/cases).")]
Read = Depends(allow_read)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WhatIfChange(_Body):
    actor: str = Field(pattern=ID, max_length=80)
    attribute: Literal["position", "salience", "capability", "remove"]
    issue: str | None = Field(None, pattern=ID, max_length=80, description="The issue (none: every issue).")
    value: float | None = Field(None, ge=0, le=100)


class WhatIf(_Body):
    changes: list[WhatIfChange] = Field(max_length=40)
    draws: int = Field(
        0, ge=0, le=500, description="0: the point forecast only (fast); else draws for an interval."
    )
    scenario: str | None = Field(
        None, pattern=ID, max_length=80, description="Start from this scenario (its changes come first)."
    )
    states: dict[Annotated[str, Field(pattern=ID, max_length=80)], StrictBool] = Field(
        default_factory=dict, max_length=20, description="Case states to set, e.g. {state-id: true}."
    )
    triggers_off: list[Annotated[str, Field(max_length=80)]] = Field(
        default_factory=list, max_length=40, description="Triggers of the scenario to switch off, by label."
    )


_answer_locks: dict[tuple[str, str], threading.Lock] = {}
_answer_locks_guard = threading.Lock()


def _answer_key(case: Case) -> tuple[str, str, str]:
    from accord.answer import case_version

    return ("answer", case.id, case_version(case))


def remember_answer(st: AppState, case: Case, doc: dict[str, Any]) -> None:
    """Put an answer computed elsewhere (``accord.answer.answer`` of this very case) in the server's cache."""
    st.caches[_answer_key(case)] = doc


def case_answer(st: AppState, case: Case) -> dict[str, Any]:
    """The case's answer, computed once per case version (concurrent first requests wait for one
    computation)."""
    from accord.answer import answer

    key = _answer_key(case)
    if key in st.caches:
        return st.caches[key]
    with _answer_locks_guard:
        lock = _answer_locks.setdefault(key[1:], threading.Lock())
    with lock:
        if key not in st.caches:
            st.caches[key] = answer(case)
    return st.caches[key]


@router.get(
    "/cases/{case_id}/answer",
    tags=["cases"],
    dependencies=[Read],
    responses={200: {"content": {"application/json": {}, "text/csv": {}}}},
)
def get_case_answer(
    request: Request,
    case_id: CaseId,
    format: Annotated[
        Literal["json", "csv"], Query(description="json (default) or csv (the scenario table)")
    ] = "json",
) -> Response:
    """The case's question answered: every built-in scenario's forecast per issue (median, interval, shift
    from the case as it stands), the leverage of the actor the scenarios are about, the drivers (Morris, with
    their stability across seeds) and what the sources disagree on. The first request for a case version
    computes it (a few seconds); later ones are served from memory."""
    from accord.answer import answer_csv

    st = state(request)
    doc = case_answer(st, case_or_404(st, case_id))
    if format == "csv":
        return Response(
            answer_csv(doc),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{case_id}-answer.csv"'},
        )
    return JSONResponse(doc)


@router.post("/cases/{case_id}/whatif", tags=["cases"], dependencies=[Read])
def case_whatif(request: Request, case_id: CaseId, body: WhatIf) -> dict[str, Any]:
    """The point forecast with a few numbers changed (or actors left out), beside the case's own; with
    ``draws`` also the median and interval. ``scenario`` starts from a scenario (its ``triggers_off`` left
    out); ``states`` sets case states, which decide whether the triggers reading them fire. Writes
    nothing; the result's ``scenario_yaml`` can be saved with ``POST /api/scenarios`` (needs a token)."""
    from accord.scenarios.language import ScenarioError
    from accord.whatif import whatif

    st = state(request)
    case = case_or_404(st, case_id)
    base = None
    if body.scenario is not None:
        base = scenario_of_case(st, body.scenario, case_id, "body").scenario
    changes = [c.model_dump() for c in body.changes]
    for k, c in enumerate(changes):
        if c["attribute"] != "remove" and c["value"] is None:
            raise HTTPException(
                422, [{"loc": ["body", "changes", k, "value"], "msg": "give a value", "type": "missing"}]
            )
    try:
        return whatif(
            case, changes, draws=body.draws, base=base, states=body.states, triggers_off=body.triggers_off
        )
    except ScenarioError as exc:
        raise invalid(exc.problems) from None
    except ValueError as exc:
        raise HTTPException(422, f"the model cannot use these inputs: {exc}") from None
