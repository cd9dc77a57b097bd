"""Accord: turn what analysts write about a conflict into an executable model of it.

The top-level names are the Python API: ``load_case`` reads and validates a case (file or built-in name),
``run`` runs a bargaining model on it (point run, Monte Carlo draws, scenarios) and returns a
:class:`Run` with tidy pandas views and one JSON document.

The names load on first use (PEP 562), so ``import accord`` and ``accord --version`` stay fast: NumPy,
pandas, pydantic and SQLAlchemy are imported only by the commands and functions that need them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "AccordError",
    "Case",
    "CaseError",
    "Run",
    "RunResult",
    "Workspace",
    "__version__",
    "load_case",
    "run",
]

if TYPE_CHECKING:
    __version__: str
    from accord.api import run
    from accord.case.io import load_case
    from accord.case.model import Case
    from accord.case.validate import CaseError
    from accord.errors import AccordError
    from accord.results import RunResult
    from accord.scenarios.run import Run
    from accord.workspace import Workspace

_LAZY = {
    "run": "accord.api",
    "load_case": "accord.case.io",
    "Case": "accord.case.model",
    "CaseError": "accord.case.validate",
    "Run": "accord.scenarios.run",
    "RunResult": "accord.results",
    "Workspace": "accord.workspace",
    "AccordError": "accord.errors",
}


def _read_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("accord")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0.0.0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":  # read from the installed metadata on first use (it costs ~10-40 ms)
        globals()["__version__"] = version = _read_version()
        return version
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
