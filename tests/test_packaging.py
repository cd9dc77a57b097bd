"""Every data file under src/accord is declared as package data, so a non-editable install has it too."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_data_file_is_package_data():
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"][
        "accord"
    ]
    package = REPO / "src" / "accord"
    data_files = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    ]
    assert data_files, "expected some data files (built-in cases, templates)"

    def declared(path: str) -> bool:
        return any(
            fnmatch.fnmatch(path, pattern.replace("**/", "")) or fnmatch.fnmatch(path, pattern)
            for pattern in patterns
        )

    missing = [f for f in data_files if not declared(f)]
    assert not missing, f"add these to [tool.setuptools.package-data] in pyproject.toml: {missing}"
