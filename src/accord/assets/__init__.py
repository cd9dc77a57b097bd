"""Front-end assets shared by the web dashboard and the self-contained HTML report.

``accord.css`` and ``accord.js`` are Accord's own; plotly.js is not committed: it comes from the installed
``plotly`` package, which ships it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["ASSETS_DIR", "plotly_js_path"]

ASSETS_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def plotly_js_path() -> Path:
    """plotly.min.js as shipped inside the installed ``plotly`` package."""
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.is_file():  # pragma: no cover - a broken plotly install
        raise RuntimeError(f"plotly.min.js not found at {path}; reinstall the plotly package")
    return path
