"""Request dependencies shared by the API and the pages: the app's state and the read/write policies.

Apart from :mod:`accord.web.app` so that the routers (``api``, ``pages``) import these without importing
the module that builds the app and includes them (no import cycle).
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from fastapi import HTTPException, Request

if TYPE_CHECKING:
    from accord.web.app import AppState

__all__ = ["allow_read", "bearer", "require_token", "state"]


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
