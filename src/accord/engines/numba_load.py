"""Numba for the compiled kernels, without the SciPy import of the BLAS probe in Numba's first compilation.

Numba's first compilation (or first load from its disk cache) in a process imports its array functions,
``numba.np.arraymath``. At import that module asks whether a BLAS is available by importing
``scipy.linalg.cython_blas``, and with SciPy installed (Accord depends on it) this loads all of
``scipy.linalg``: 0.15-0.25 s here, a third of the cost of a process's first compiled run. The answer only
selects how Numba compiles ``np.correlate`` and ``np.convolve`` (BLAS's dot, or a loop). The kernels of
:mod:`accord.engines.smp.kernel` and :mod:`accord.engines.eum.kernel` call neither, nor any other BLAS
function: they are explicit loops.

:func:`load` imports ``numba.np.arraymath`` itself, once, and while it does, an import of
``scipy.linalg`` *from this thread* fails at once, so the probe answers "no BLAS" without loading it. Other
threads import as usual. Afterwards the only difference in the process is that Numba code calling
``np.correlate`` or ``np.convolve`` gets the loop (equal up to rounding), and ``scipy.linalg`` imports
as usual when something asks for it. Nothing is refused when ``scipy.linalg`` is already imported (the
probe is then free), and should the import fail (a Numba laid out otherwise), Numba loads as it would
have. ``tests/engines/test_numba_load.py`` checks each of these.
"""

from __future__ import annotations

import importlib.abc
import sys
import threading
from types import ModuleType
from typing import Any

__all__ = ["load"]

_PROBED = "scipy.linalg"


class _RefuseOnThisThread(importlib.abc.MetaPathFinder):
    """A finder that refuses one module name to one thread, and says nothing about any other import."""

    def __init__(self, name: str) -> None:
        self.name, self.thread = name, threading.get_ident()

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> None:
        if fullname == self.name and threading.get_ident() == self.thread:
            raise ModuleNotFoundError(f"{fullname}: not loaded for Numba's BLAS probe", name=fullname)
        return None


def load() -> ModuleType:
    """``numba``, with its array functions imported without the ``scipy.linalg`` import (see above)."""
    import numba

    if "numba.np.arraymath" not in sys.modules and _PROBED not in sys.modules:
        finder = _RefuseOnThisThread(_PROBED)
        sys.meta_path.insert(0, finder)
        try:
            import numba.np.arraymath  # noqa: F401 - the import whose probe is answered here
        except ImportError:  # another Numba's layout: its first compilation imports what it needs, as usual
            pass
        finally:
            sys.meta_path.remove(finder)
    return numba
