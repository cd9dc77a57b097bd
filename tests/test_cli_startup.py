"""Start-up of the command line: what a point run loads, and the stand-ins that keep it from loading more.

Speed itself is measured in ``benchmarks/bench_startup.py`` and ``benchmarks/bench_peers.py``; these tests
check the behaviour the speed-ups must keep: the same numbers, and the real thing whenever it is needed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from accord.results import median, quantile

POINT_RUN_SKIPS = ("rich", "numpy.ma", "numpy.random", "importlib.metadata", "email")


def _modules_after(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[set[str], str]:
    code = (
        "import sys\n"
        "from accord.cli.main import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('MODULES ' + ' '.join(sorted(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120, cwd=cwd, env=env
    )
    return set(proc.stderr.rsplit("MODULES ", 1)[1].split()), proc.stdout


def _loaded(name: str, modules: set[str]) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


@pytest.mark.parametrize("model", ["eum", "smp", "compromise"])
def test_a_json_point_run_loads_no_tables_no_sampling_and_no_package_metadata(tmp_path, model):
    modules, out = _modules_after(
        ["run", "--model", model, "--draws", "0", "--no-store", "-q", "--json"], tmp_path
    )
    assert '"forecast"' in out  # it did run
    for name in POINT_RUN_SKIPS:
        assert not _loaded(name, modules), name


def test_a_run_with_draws_still_loads_the_sampling_it_needs(tmp_path):
    modules, out = _modules_after(["run", "--draws", "3", "--no-store", "-q", "--json"], tmp_path)
    assert '"forecast"' in out and _loaded("numpy.random", modules)


@pytest.mark.parametrize("seed", range(40))
def test_median_is_numpy_median_bit_for_bit(seed):
    rng = np.random.default_rng(seed)
    shape = tuple(int(n) for n in rng.integers(1, 6, size=int(rng.integers(1, 4))))
    a = rng.normal(size=shape) * 10 ** float(rng.uniform(-3, 3))
    if seed % 4 == 1:
        a = np.round(a)  # ties
    if seed % 4 == 2:
        a.flat[int(rng.integers(0, a.size))] = np.nan
    if seed % 4 == 3:
        a = rng.integers(-5, 5, size=shape)
    for axis in (None, *range(a.ndim)):
        want, got = np.median(a, axis=axis), median(a, axis=axis)
        assert type(got) is type(want) and np.shape(got) == np.shape(want)
        assert np.asarray(got).tobytes() == np.asarray(want).tobytes(), (axis, a)


def test_median_leaves_masked_and_empty_input_to_numpy():
    masked = np.ma.masked_array([1.0, 2.0, 30.0, 4.0], mask=[False, False, True, False])
    with pytest.warns(UserWarning):  # as np.median does: the mask is ignored, with a warning
        assert median(masked) == np.median(masked)
    with pytest.warns(RuntimeWarning):
        assert np.isnan(median(np.array([])))


@pytest.mark.parametrize("x", [0.0, -0.0, 3.7, 1e-300, -1e308, np.nan])
def test_quantile_of_one_value_is_numpy_quantile_bit_for_bit(x):
    for q in (0.0, 0.05, 0.1, 0.5, 0.9, 0.95, 1.0):
        a = np.array([x])
        want, got = np.quantile(a, q), quantile(a, q)
        assert type(got) is type(want) and np.asarray(got).tobytes() == np.asarray(want).tobytes()
    many = np.array([3.0, 1.0, 2.0, 10.0])
    assert quantile(many, 0.9) == np.quantile(many, 0.9)


def test_the_point_run_generator_is_the_seeded_one_once_drawn_from():
    from accord.scenarios.runner import _generator

    lazy = _generator(11)
    assert np.array_equal(
        lazy.integers(0, 2**63, size=5), np.random.default_rng(11).integers(0, 2**63, size=5)
    )
    assert lazy.random() == _second_draw(11)


def _second_draw(seed: int) -> float:
    rng = np.random.default_rng(seed)
    rng.integers(0, 2**63, size=5)
    return float(rng.random())


PLUGIN_CHECK = """
import os, sys
from accord.workspace import skip_pydantic_plugins
skip_pydantic_plugins()
from pydantic import TypeAdapter
TypeAdapter(int).validate_python(3)
first = sys.modules["pydantic.plugin._loader"]
print("STAND-IN" if not hasattr(first, "entry_points") else "REAL", "importlib.metadata" in sys.modules)
os.environ["PYDANTIC_DISABLE_PLUGINS"] = ""
TypeAdapter(str).validate_python("x")
second = sys.modules["pydantic.plugin._loader"]
print("REAL" if hasattr(second, "entry_points") else "STAND-IN", callable(second.get_plugins))
"""


def _plugin_check(cwd, env):
    return subprocess.run(
        [sys.executable, "-c", PLUGIN_CHECK], capture_output=True, text=True, timeout=120, cwd=cwd, env=env
    )


def test_pydantic_plugins_are_skipped_by_a_stand_in_that_steps_aside_when_they_are_wanted(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    out = _plugin_check(tmp_path, env)
    assert out.stdout.split() == ["STAND-IN", "False", "REAL", "True"], out.stdout + out.stderr
    given = {**env, "PYDANTIC_DISABLE_PLUGINS": "logfire"}  # the user's own setting: the real loader
    out = _plugin_check(tmp_path, given)
    assert out.stdout.split()[0] == "REAL", out.stdout + out.stderr


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({}, "1"),
        ({"OPENBLAS_NUM_THREADS": "4"}, "4"),
        ({"OMP_NUM_THREADS": "2"}, None),
        ({"GOTO_NUM_THREADS": ""}, None),
    ],
)
def test_one_blas_thread_unless_the_user_chose_a_count(given, expected):
    from accord.workspace import one_blas_thread

    env = dict(given)
    one_blas_thread(env)
    assert env.get("OPENBLAS_NUM_THREADS") == expected
    assert {k: v for k, v in env.items() if k != "OPENBLAS_NUM_THREADS"} == {
        k: v for k, v in given.items() if k != "OPENBLAS_NUM_THREADS"
    }


def test_the_cli_asks_for_one_blas_thread_before_numpy_loads(tmp_path):
    code = (
        "import os, sys\nfrom accord.cli.main import main\n"
        "before = 'numpy' in sys.modules\n"
        "try:\n    main(['run', '--draws', '0', '--no-store', '-q', '--json'])\n"
        "except SystemExit:\n    pass\n"
        "after = ('numpy' in sys.modules, os.environ.get('OPENBLAS_NUM_THREADS'))\n"
        "sys.stderr.write('BLAS ' + repr((before, *after)))\n"
    )
    blas = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")
    env = {k: v for k, v in os.environ.items() if k not in blas}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert proc.stderr.rsplit("BLAS ", 1)[-1] == "(False, True, '1')", proc.stderr[-2000:]
