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
