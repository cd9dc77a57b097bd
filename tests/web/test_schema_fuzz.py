"""Schemathesis over the OpenAPI schema: generated requests to every endpoint never get a 500.

Bounded (a dozen examples per operation) so it fits the suite's time budget; writes carry a valid token
so the writing endpoints are exercised past the access check. Runs the app in process (ASGI): no network.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from accord.web import create_app
from tests.web.conftest import CORPUS

_DB = Path(tempfile.mkdtemp(prefix="accord-fuzz-")) / "fuzz.db"
APP = create_app(str(_DB), CORPUS if CORPUS.is_dir() else None, run_workers=1, open_read="all")
TOKEN = APP.state.accord.tokens.create("fuzz")[0]
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _stop_workers():
    yield
    APP.state.accord.runs.shutdown(wait=False)


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=[not_a_server_error])
