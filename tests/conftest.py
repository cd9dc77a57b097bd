"""Shared fixtures: paths to the shared reference data and the PostgreSQL server of the test run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    assert SHARED.is_dir(), f"{SHARED} is missing: the shared/ folder must sit beside the checkout"
    return SHARED


@pytest.fixture(scope="session")
def pg_url() -> str:
    """URL of the PostgreSQL server that `make test` (scripts/with-services.sh) started.

    Run through `make test` it is always there. A bare `pytest` without the server skips these tests,
    except under CI, where a missing server is a failure, not a skip.
    """
    url = os.environ.get("ACCORD_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("ACCORD_TEST_PG_URL is not set: run the suite with `make test`")
        pytest.skip("no PostgreSQL server: run `make test` (scripts/with-services.sh starts one)")
    return url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium, which `make test` (scripts/with-services.sh) installs; same skip/fail rule as
    pg_url."""
    path = os.environ.get("ACCORD_TEST_CHROMIUM")
    if not path or not Path(path).exists():
        if os.environ.get("CI"):
            pytest.fail("ACCORD_TEST_CHROMIUM is not set: run the suite with `make test`")
        pytest.skip("no Chromium: run `make test` (scripts/with-services.sh installs it)")
    return path


# ---- the two tiers -------------------------------------------------------------------------------------
# `make test` runs everything; `make test-fast` (`-m "not slow and not services"`) leaves out the tests
# below and every test that needs PostgreSQL or Chromium. The list is kept here, in one place, with why
# each is slow (seconds measured by `pytest --durations=0` at load ~7 on 2 cores, where the fast tier took
# 270 s); tests/test_tiers.py checks that every entry still names a test.
SLOW: dict[str, str] = {
    # the hostile-input suite: hypothesis campaigns (150 examples each in `make test`, 2,500 in
    # `make fuzz`), hostile YAML and CLI/store abuse, 45 s
    "tests/hostile/": "hostile inputs: fuzz campaigns, hostile YAML, CLI and store abuse",
    "tests/case/test_validate_property.py": "hypothesis properties of validation, 6 s",
    # a model or a process start-up per test
    "tests/case/test_scaffold.py::test_suggest_semantic_fuses_a_ranking_by_meaning": "loads the model, 16 s",
    "tests/test_tutorial.py": "every step of the tutorial in order, 15 s",
    "tests/test_cli.py::test_run_imports_neither_pandas_nor_sqlalchemy": "fresh interpreters, 3 s",
    "tests/test_cli.py::test_identifiers_are_never_cut_at_80_columns": "every command at 80 columns, 4 s",
    # long end-to-end runs (draws, fits, several variants)
    "tests/scenarios/test_cli_scenarios.py::test_run_draws_reports_intervals_thresholds_and_stores": "6 s",
    "tests/scenarios/test_cli_scenarios.py::test_compare_scenarios_and_perspectives": "4 s",
    "tests/scenarios/test_cli_scenarios.py::test_bad_options": "many CLI runs, 4 s",
    "tests/test_cli.py::test_compare_never_folds_a_scenario_id": "3 s",
    "tests/validation/test_backtest_cli.py::test_fit_writes_params_usable_by_deu": "a fit, 4 s",
    "tests/validation/test_backtest_cli.py::test_case_backtest_errors": "2 s",
    "tests/validation/test_backtest.py::test_shipped_parameters_are_reproducible": "a fit, 3 s",
    "tests/case/test_scaffold.py::test_suggest_refuses_bad_input": "3 s",
    "tests/test_answer.py::test_same_seed_same_answer": "two answers, 3 s",
    "tests/scenarios/test_runner.py::test_chunk_size_does_not_change_results": "2 s",
    "tests/engines/test_eum.py::test_many_actors_agree_with_oracle": "the pure-Python oracle, 2 s",
    # executors and kills: other processes (a Dask cluster, a pool, a killed child)
    "tests/scenarios/test_runner.py::test_processes_give_identical_results": "a process pool",
    "tests/scenarios/test_runner.py::test_dask_local_cluster_gives_identical_results": "a Dask cluster",
    "tests/store/test_runs.py::test_a_run_killed_while_drawing_leaves_no_row": "kills a child",
    "tests/store/test_runs.py::test_a_run_killed_inside_the_database_transaction_leaves_no_row": (
        "kills a child"
    ),
}
SERVICES = ("pg_url", "pg_web_url", "chromium_path")  # fixtures of the services `make test` starts


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the slow tier (:data:`SLOW`) and the tests that need a service (``services``)."""
    for item in items:
        path = Path(str(item.fspath)).relative_to(REPO).as_posix()
        name = item.name.split("[", 1)[0]
        folders = {f"{'/'.join(path.split('/')[:k])}/" for k in range(1, path.count("/") + 1)}
        if path in SLOW or f"{path}::{name}" in SLOW or folders & SLOW.keys():
            item.add_marker(pytest.mark.slow)
        if any(f in getattr(item, "fixturenames", ()) for f in SERVICES):
            item.add_marker(pytest.mark.services)


@pytest.fixture(autouse=True)
def _fresh_consoles() -> None:
    """Each test gets new CLI consoles: Rich reads ``COLUMNS`` when a console is made, so a console left by
    an earlier test would keep that test's width (the outcome would depend on the order tests run in)."""
    from accord.cli.output import _consoles

    vars(_consoles).clear()
