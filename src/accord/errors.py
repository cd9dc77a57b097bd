"""One error hierarchy for everything a user can get wrong: ``AccordError(message, hint)`` and its kinds.

Lower layers raise these (or their own errors that carry a ``hint``); the edges render them in one place
each: the CLI in :func:`accord.cli.main.main` (``error: message`` / ``hint: ...`` on stderr, exit code of
the kind) and HTTP through :func:`http_body` and :attr:`AccordError.http_status` (a hook in the web app).
A kind says what went wrong, so both edges pick the exit code or status without parsing messages.

>>> raise UsageError("--scheduler needs --executor dask", "add --executor dask")
Traceback (most recent call last):
...
accord.errors.UsageError: --scheduler needs --executor dask
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "AccordError",
    "InputError",
    "ModelError",
    "NotFoundError",
    "StorageError",
    "UsageError",
    "hint_of",
    "http_body",
]


class AccordError(Exception):
    """A failure a user can act on: what went wrong (``message``) and what to do about it (``hint``)."""

    kind: ClassVar[str] = "error"
    exit_code: ClassVar[int] = 1
    http_status: ClassVar[int] = 400

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(AccordError):
    """Options that do not fit together or a value outside its choices (exit 2, like Typer's own)."""

    kind = "usage"
    exit_code = 2
    http_status = 400


class InputError(AccordError):
    """A file or value that cannot be used as given (a case, a scenario, a threshold, a CSV)."""

    kind = "input"
    http_status = 422


class NotFoundError(AccordError):
    """A case, scenario, run or document that does not exist."""

    kind = "not_found"
    http_status = 404


class ModelError(AccordError):
    """A model refused its inputs (for example the SMP with saliences summing above 1)."""

    kind = "model"
    http_status = 422


class StorageError(AccordError):
    """The database or the runs folder cannot be opened, read or written."""

    kind = "storage"
    http_status = 503


def hint_of(exc: BaseException) -> str:
    """The hint an error carries (``AccordError`` or the stores' errors with a ``hint`` attribute)."""
    hint = getattr(exc, "hint", "")
    return hint if isinstance(hint, str) else ""


def http_body(exc: AccordError) -> dict[str, Any]:
    """The JSON body of an error response: ``{"detail", "hint", "kind"}``."""
    return {"detail": exc.message, "hint": exc.hint, "kind": exc.kind}
