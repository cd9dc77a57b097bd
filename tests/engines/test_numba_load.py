"""Numba for the kernels without the ``scipy.linalg`` import of its BLAS probe (``engines.numba_load``).

Each check runs in a fresh interpreter: the probe runs once per process, at Numba's first compilation.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

pytest.importorskip("numba")

from accord.engines.numba_load import _RefuseOnThisThread  # noqa: E402

FIRST_RUN = """
import json, sys
import numpy as np
from accord.engines import smp
from accord.engines.base import Problem
g = np.random.default_rng(1)
p = Problem(g.uniform(0, 100, (1, 6, 2)), g.uniform(0.1, 0.5, (1, 6, 2)), g.uniform(0.1, 1, (1, 6)),
            np.full((1, 2), 50.0))
{before}
t = smp.run(p, params=smp.SMPParams(backend="numba"))
import numba.np.arraymath as am
state = {{"linalg_loaded": "scipy.linalg" in sys.modules, "have_blas": am._HAVE_BLAS}}
import scipy.linalg, scipy.linalg.cython_blas  # imports as usual afterwards, and works
state["solve"] = scipy.linalg.solve(np.array([[2.0, 0.0], [0.0, 4.0]]), np.array([2.0, 4.0])).tolist()
state["positions"] = t.positions.tolist()
print(json.dumps(state))
"""


def _first_run(before: str = "") -> dict:
    out = subprocess.run(
        [sys.executable, "-c", FIRST_RUN.format(before=before)],
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_first_compiled_run_does_not_import_scipy_linalg_and_scipy_works_after():
    state = _first_run()
    assert state["linalg_loaded"] is False and state["have_blas"] is False
    assert state["solve"] == [1.0, 1.0]


def test_with_scipy_linalg_already_imported_numba_probes_as_usual_and_results_are_the_same():
    state = _first_run(before="import scipy.linalg")
    assert state["linalg_loaded"] is True and state["have_blas"] is True
    assert state["positions"] == _first_run()["positions"]


def test_the_refusal_holds_for_one_name_on_one_thread_only():
    finder = _RefuseOnThisThread("some.module")
    with pytest.raises(ModuleNotFoundError):
        finder.find_spec("some.module", None)
    assert finder.find_spec("some.other", None) is None
    seen: list[object] = []
    worker = threading.Thread(target=lambda: seen.append(finder.find_spec("some.module", None)))
    worker.start()
    worker.join()
    assert seen == [None]


def test_when_the_early_import_fails_numba_loads_as_usual_and_the_kernels_run():
    # a finder refusing numba.np.arraymath to load()'s early import (and to it only) stands in for a Numba
    # whose modules are laid out otherwise; Numba's own import of it later goes through
    before = """
import importlib.abc
from accord.engines import numba_load
class EarlyOnly(importlib.abc.MetaPathFinder):
    refused = 0
    def find_spec(self, name, path, target=None):
        early = any(isinstance(f, numba_load._RefuseOnThisThread) for f in sys.meta_path)
        if name == "numba.np.arraymath" and early:
            EarlyOnly.refused += 1
            raise ImportError(name)
sys.meta_path.insert(0, EarlyOnly())
numba_load.load()
assert EarlyOnly.refused == 1 and "numba.np.arraymath" not in sys.modules
"""
    state = _first_run(before=before)
    assert state["linalg_loaded"] is True and state["have_blas"] is True  # Numba probed as it would have
    assert state["positions"] == _first_run()["positions"]
