"""Accord's web app: REST API, dashboard and run workers (``accord serve``); see docs/web.md.

``create_app`` loads on first use, so importing a part (``accord.web.db``) does not build the whole app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from accord.web.app import create_app

        return create_app
    raise AttributeError(f"module 'accord.web' has no attribute {name!r}")
