"""Request dependencies shared by the API and the pages: the app's state and the read/write policies.

Apart from :mod:`accord.web.app` so that the routers (``api``, ``pages``) import these without importing
the module that builds the app and includes them (no import cycle).
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from fastapi import HTTPException, Request

from accord.web.library import NotFound

if TYPE_CHECKING:
    from accord.case.model import Case
    from accord.web.app import AppState

__all__ = [
    "allow_read",
    "bearer",
    "case_or_404",
    "field_problem",
    "invalid",
    "problems_json",
    "require_token",
    "scenario_of_case",
    "state",
]


def state(request: Request) -> AppState:
    return request.app.state.accord


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def require_token(request: Request) -> int:
    """Dependency of every writing endpoint: the id of a valid bearer token, else 401."""
    token = bearer(request)
    token_id = state(request).tokens.verify(token) if token else None
    if token_id is None:
        raise HTTPException(
            401,
            "this endpoint writes: send a token as 'Authorization: Bearer TOKEN' (create one with `accord "
            "token create`)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return token_id


def allow_read(request: Request) -> None:
    """Dependency of every reading endpoint: open on loopback (or for all with ``open_read='all'``)."""
    st = state(request)
    if st.open_read == "all" or _is_loopback(request.client.host if request.client else None):
        return
    require_token(request)


def problems_json(problems: list[Any]) -> list[dict[str, Any]]:
    """The CLI's problems, in FastAPI's error shape (``loc``, ``msg``, ``type``) plus the CLI's own fields."""
    return [
        {
            "loc": ["body", "text", *([p.path] if p.path else [])],
            "msg": p.message,
            "type": "invalid_file",
            "file": p.file,
            "line": p.line,
            "column": p.column,
            "path": p.path,
            "message": p.message,
            "hint": p.hint,
            "text": str(p),
        }
        for p in problems
    ]


def invalid(problems: list[Any]) -> HTTPException:
    """422 with the CLI's problems (a case or scenario text that does not validate)."""
    return HTTPException(422, problems_json(problems))


def field_problem(where: str, field: str, message: str) -> list[dict[str, Any]]:
    """One problem in FastAPI's error shape, about a query parameter or a body field (``where``)."""
    return [{"loc": [where, field], "msg": message, "type": "value_error", "path": field}]


def case_or_404(st: AppState, case_id: str) -> Case:
    """The library's case ``case_id``, or 404."""
    try:
        return st.library.case(case_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None


def scenario_of_case(st: AppState, scenario_id: str, case_id: str, where: str) -> Any:
    """The stored scenario entry ``scenario_id``: 404 when unknown, 422 (pointing at the ``scenario``
    field of ``where``: "body" or "query") when it is about another case than ``case_id``."""
    try:
        entry = st.library.scenario(scenario_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    if entry.case != case_id:
        message = f"scenario {scenario_id!r} is about case {entry.case!r}, not {case_id!r}"
        raise HTTPException(422, field_problem(where, "scenario", message))
    return entry
