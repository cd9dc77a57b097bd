"""The two test tiers: every test the fast tier leaves out is still named correctly and still runs in
`make test` (which selects no marker), so moving a test to the slow tier never drops it."""

from __future__ import annotations

import ast
import re

from tests.conftest import REPO, SLOW

MAKEFILE = (REPO / "Makefile").read_text(encoding="utf-8")


def _test_names(path: str) -> set[str]:
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name.startswith("test")}


def test_every_slow_entry_names_a_test_that_exists():
    for entry in SLOW:
        if entry.endswith("/"):  # a folder: all of it
            assert (REPO / entry).is_dir() and list((REPO / entry).glob("test_*.py")), entry
            continue
        path, _, name = entry.partition("::")
        assert (REPO / path).is_file(), entry
        names = _test_names(path)
        assert (name in names) if name else names, entry


def test_make_test_runs_every_tier_and_the_fast_tier_only_leaves_out_markers():
    full = re.search(r"^test: .*\n((?:\t.*\n)+)", MAKEFILE, re.M)
    assert full is not None and "pytest" in full.group(1) and '-m "' not in full.group(1)
    fast = re.search(r"^FAST := ((?:.*\\\n)*.*)", MAKEFILE, re.M)
    assert fast is not None and '-m "not slow and not services"' in fast.group(1)
