"""Accord: turn what analysts write about a conflict into an executable model of it.

The top-level names are the Python API: ``load_case`` reads and validates a case (file or built-in name),
``run`` runs a bargaining model on it and returns tidy pandas views.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("accord")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

from accord.api import RunResult, run  # noqa: E402
from accord.case import Case, CaseError, load_case  # noqa: E402

__all__ = ["Case", "CaseError", "RunResult", "__version__", "load_case", "run"]
