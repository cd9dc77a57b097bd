"""``GET /api/compare``: a case read by each of its sources, or cases side by side (e.g. 2013 and 2020).

The same comparison as ``accord compare --perspectives`` and ``accord compare CASE CASE``
(:mod:`accord.comparisons`). Reading only, so no token is needed where reading is open: each comparison
is computed once per set of case versions and settings and kept in the app's cache; one computation runs at
a time, and a request that would start a second gets 503 with ``Retry-After`` rather than holding one of
the server's threads while it waits (the page retries). Draws are capped lower than a run's
(``MAX_DRAWS``), so a reader cannot keep the server busy for long.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from accord.engines.base import ProblemError
from accord.engines.registry import ALIASES, DEFAULT_MODEL, ENGINES
from accord.web.deps import allow_read, case_or_404, field_problem, scenario_of_case, state

if TYPE_CHECKING:
    from accord.case.model import Case
    from accord.web.app import AppState

router = APIRouter()
ID = r"^[a-z0-9][a-z0-9_.-]*$"
MAX_DRAWS = 500
MAX_CASES = 6
_one_at_a_time = threading.Lock()


def _cases(st: AppState, ids: list[str]) -> list[Case]:
    return [case_or_404(st, case_id) for case_id in ids]


@router.get(
    "/compare",
    tags=["cases"],
    dependencies=[Depends(allow_read)],
    responses={
        404: {"description": "unknown case or scenario"},
        422: {"description": "bad settings"},
        503: {"description": "another comparison is being computed: retry after Retry-After seconds"},
    },
)
def get_comparison(
    request: Request,
    kind: Annotated[
        Literal["perspectives", "cases"],
        Query(description="perspectives: one case read by each source; cases: several cases side by side"),
    ],
    case: Annotated[
        list[str],
        Query(description="The case (perspectives), or the cases in order, the first the baseline (cases)."),
    ],
    model: Annotated[str, Query(max_length=40, description="A model (GET /api/models).")] = DEFAULT_MODEL,
    draws: Annotated[int, Query(ge=0, le=MAX_DRAWS, description="Draws per variant (0: point runs).")] = 0,
    seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = 0,
    scenario: Annotated[
        str | None,
        Query(pattern=ID, max_length=80, description="perspectives only: read this scenario by each source"),
    ] = None,
) -> dict[str, Any]:
    """Every issue of every variant with its median, 80% and 5-95% intervals, status quo and difference
    from the first variant (the pooled reading, or the first case)."""
    from accord.answer import case_version
    from accord.comparisons import case_variants, comparison, perspective_variants
    from accord.store.runs import content_hash

    st = state(request)
    bad = next((c for c in case if len(c) > 80 or not re.match(ID, c)), None)
    if bad is not None:
        raise HTTPException(
            422, _problem("case", f"{bad[:80]!r} is not a case id (GET /api/cases lists them)")
        )
    if model not in ENGINES and model not in ALIASES:
        raise HTTPException(
            422, _problem("model", f"unknown model {model[:40]!r}; choose one of: {', '.join(ENGINES)}")
        )
    if kind == "perspectives" and len(case) != 1:
        raise HTTPException(
            422, _problem("case", "perspectives compare the sources of one case: give one case")
        )
    if kind == "cases" and not 2 <= len(case) <= MAX_CASES:
        raise HTTPException(422, _problem("case", f"give 2 to {MAX_CASES} cases to compare"))
    cases = _cases(st, case)
    chosen = _scenario(st, scenario, kind, cases[0].id)
    version = content_hash(chosen.model_dump(mode="json", by_alias=True)) if chosen is not None else None
    key: Any = ("compare", kind, tuple(case_version(c) for c in cases), version, model, draws, seed)
    cached = st.caches.get(key)
    if cached is not None:
        return dict(cached)
    # one comparison computes at a time; a second waits outside the server's threads (503, retry)
    if not _one_at_a_time.acquire(blocking=False):
        raise HTTPException(
            503, "another comparison is being computed; retry in a few seconds", headers={"Retry-After": "3"}
        )
    try:
        doc = st.caches.get(key)
        if doc is None:
            variants = (
                perspective_variants(cases[0], chosen) if kind == "perspectives" else case_variants(cases)
            )
            try:
                doc = {"kind": kind, **comparison(variants, model=model, draws=draws, seed=seed)}
            except (ProblemError, ValueError) as exc:
                raise HTTPException(422, f"the model cannot use these cases: {exc}") from None
            if len(st.caches) > 256:
                st.caches.clear()
            st.caches[key] = doc
    finally:
        _one_at_a_time.release()
    return dict(doc)


def _scenario(st: AppState, scenario_id: str | None, kind: str, case_id: str) -> Any:
    """The scenario to read by each source (404 unknown, 422 with cases or about another case)."""
    if scenario_id is None:
        return None
    if kind != "perspectives":
        raise HTTPException(
            422, _problem("scenario", "a scenario is read by each source: use kind=perspectives")
        )
    return scenario_of_case(st, scenario_id, case_id, "query").scenario


def _problem(field: str, message: str) -> list[dict[str, Any]]:
    return field_problem("query", field, message)
