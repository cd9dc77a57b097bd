"""The corpus endpoints under ``/api/evidence``: the documents the server can quote, a passage with its
context, full-text search, and adding a text (with a token). Thin, like :mod:`accord.web.rest`.
"""

from __future__ import annotations

import math
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from accord import views
from accord.web.deps import allow_read, require_token, state

router = APIRouter(prefix="/api")

DOC_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
Read = Depends(allow_read)
Write = Depends(require_token)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AddDocument(_Body):
    doc: str = Field(
        pattern=DOC_ID, max_length=120, description="Document id (as a file name without extension)."
    )
    text: str = Field(min_length=1, max_length=2_000_000)
    media_type: Literal["text", "markdown"] = "text"
    title: str | None = Field(None, max_length=500)
    date: str | None = Field(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    publisher: str | None = Field(None, max_length=300)
    author: str | None = Field(None, max_length=300)


@router.get("/evidence/documents", tags=["evidence"], dependencies=[Read])
def evidence_documents(request: Request) -> list[dict[str, Any]]:
    """Documents the server can quote: the corpus folder's and the corpus store's."""
    st = state(request)
    docs = {
        doc: {"doc": doc, "chars": len(text), "origin": "folder"}
        for doc, text in (st.corpus.texts.items() if st.corpus else [])
    }
    for stored in st.evidence_store().documents():
        docs.setdefault(
            stored.doc,
            {
                "doc": stored.doc,
                "chars": stored.n_chars,
                "origin": "store",
                "title": stored.meta.title,
                "version": stored.version,
            },
        )
    return sorted(docs.values(), key=lambda d: d["doc"])


@router.get("/evidence/passage", tags=["evidence"], dependencies=[Read])
def evidence_passage(
    request: Request,
    doc: Annotated[str, Query(pattern=DOC_ID, max_length=120)],
    start: Annotated[int, Query(ge=0, le=10**9)],
    end: Annotated[int, Query(ge=1, le=10**9)],
) -> dict[str, Any]:
    """A span of a document with a sentence of context either side."""
    st = state(request)
    if end <= start:
        raise HTTPException(
            422, [{"loc": ["query", "end"], "msg": "end must be greater than start", "type": "value_error"}]
        )
    found = views.passage(st.passages, doc, start, end)
    if not found["found"]:
        raise HTTPException(404, f"{doc}[{start}:{end}]: {found.get('problem')}")
    return found


@router.get("/evidence/search", tags=["evidence"], dependencies=[Read])
def evidence_search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=300)],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    doc: Annotated[str | None, Query(pattern=DOC_ID, max_length=120)] = None,
) -> list[dict[str, Any]]:
    """Full-text search over the corpus store; every hit is a ready evidence pointer."""
    from accord.corpus.search import QueryError, search

    try:
        hits = search(state(request).evidence_store(), q, limit, doc=doc)
    except QueryError as exc:
        raise HTTPException(422, [{"loc": ["query", "q"], "msg": str(exc), "type": "value_error"}]) from None
    return [
        {k: (v if not isinstance(v, float) or math.isfinite(v) else None) for k, v in h.to_json().items()}
        for h in hits
    ]


@router.post(
    "/evidence/documents",
    tags=["evidence"],
    status_code=201,
    responses={
        401: {"description": "no token"},
        409: {"description": "the id belongs to a document added from a file of the server's corpus"},
        503: {"description": "the store is busy"},
    },
)
def add_document(request: Request, body: AddDocument, _token_id: int = Write) -> dict[str, Any]:
    """Add a text to the corpus store (needs a token); a changed text becomes a new version."""
    from accord.corpus.readers import DocumentMeta, SourceText

    precision = {4: "year", 7: "month", 10: "day"}.get(len(body.date)) if body.date else None
    meta = DocumentMeta(
        title=body.title,
        date=body.date,
        date_precision=precision,
        publisher=body.publisher,
        author=body.author,
    )
    source = SourceText(
        doc=body.doc,
        text=body.text,
        media_type=body.media_type,
        meta=meta,
        path=FilePath(f"web-upload/{body.doc}"),
    )
    from accord.corpus.documents import DocumentConflict, StorageError

    try:
        result = state(request).evidence_store().add(source, meta)
    except DocumentConflict as exc:
        raise HTTPException(409, f"{exc} ({exc.hint})") from None
    except StorageError as exc:
        raise HTTPException(503, str(exc), headers={"Retry-After": "1"}) from None
    return dict(result.__dict__)
