"""A tiny DEU file whose scores are computed by hand in the tests (see test_metrics.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

DEV_FILE = Path("/work/shared/validation/deu3/deu3-1996-2004.tsv")
HEADER = ["prnr", "isnr", "prname", "pcom", "pep", "pde", "pfr", "scom", "sep", "sde", "sfr", "rp", "out"]
ROWS = [
    ["", "", "", "4", "4", "4", "2", "", "", "", "", "", ""],  # weight row
    ["d01", "i1", "one", "100", "0", "50", "", "50", "50", "100", "", "0", "60"],
    ["d01", "i2", "one", "0", "100", "100", "0", "100", "100", "50", "50", "", "100"],
    ["d02", "i3", "two", "20", "40", "60", "80", "50", "50", "50", "", "20", "50"],
    ["d02", "i4", "two", "20", "40", "60", "80", "50", "50", "50", "50", "20", ""],
]


def tsv(rows: list[list[str]], header: list[str] = HEADER) -> str:
    return "\n".join("\t".join(r) for r in [header, *rows]) + "\n"


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.tsv"
    path.write_text(tsv(ROWS), encoding="utf-8")
    return path


@pytest.fixture
def dev_file() -> Path:
    if not DEV_FILE.exists():
        pytest.skip(f"the DEU development file is not on this machine ({DEV_FILE})")
    return DEV_FILE
