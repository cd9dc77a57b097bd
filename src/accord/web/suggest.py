"""``GET /api/cases/{id}/suggest``: candidate sentences to cite for one number, for the evidence panel.

The same ranking as ``accord evidence suggest`` (:func:`accord.case.passages.suggest_passages`, BM25 over
the server's corpus, sentences naming the actor first); each candidate is a pointer ready to paste.
Reading only, like the evidence endpoint.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request

from accord.case.passages import suggest_passages
from accord.errors import AccordError
from accord.web.deps import allow_read, state
from accord.web.library import NotFound

router = APIRouter()
ID = r"^[a-z0-9][a-z0-9_.-]*$"
REF = r"^(stance/[a-z0-9_.-]+(/[a-z0-9_.-]+)?/(position|salience|capability)|issue/[a-z0-9_.-]+/status_quo)$"


def number_of(ref: str) -> str:
    """An evidence ref (``stance/russia/territory/position``, ``issue/territory/status_quo``) in the
    command line's spelling (``russia.territory.position``, ``territory.status_quo``)."""
    return ".".join(ref.split("/")[1:])


@router.get(
    "/cases/{case_id}/suggest",
    dependencies=[Depends(allow_read)],
    responses={
        404: {"description": "Unknown case, or no corpus on this server"},
        422: {"description": "The ref names no number of the case"},
    },
)
def suggest(
    request: Request,
    case_id: Annotated[str, Path(pattern=ID, max_length=80)],
    ref: Annotated[
        str, Query(pattern=REF, max_length=200, description="The number, as in the evidence panel.")
    ],
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[dict[str, Any]]:
    """The ``limit`` best sentences of the corpus to cite for ``ref``, each as ``{doc, start, end, sha256,
    score, text}``."""
    st = state(request)
    try:
        case = st.library.case(case_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    if st.corpus is None:
        raise HTTPException(404, "no corpus on this server: start it with --corpus DIR")
    data = case.model_dump(mode="json", by_alias=True)
    try:
        found = suggest_passages(data, number_of(ref), st.corpus.texts, limit)
    except AccordError as exc:
        raise HTTPException(422, f"{exc.message} ({exc.hint})" if exc.hint else exc.message) from None
    return [{**p.pointer(), "score": round(p.score, 4), "text": p.text} for p in found]
