"""Imports point only down the layers (docs: README 'Layout'), so each layer can be read and tested alone.

database, engines (with their registry), evidence.pointers  ->  case, results
->  scenarios, evidence (store, extraction), store  ->  api, views  ->  report, web  ->  cli
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "accord"

# area -> areas it must never import
FORBIDDEN = {
    "database": {"engines", "case", "scenarios", "store", "evidence", "api", "views", "web", "report", "cli"},
    "engines": {"case", "scenarios", "store", "evidence", "results", "api", "views", "web", "report", "cli"},
    "case": {"scenarios", "store", "api", "views", "web", "report", "cli"},
    "evidence": {"scenarios", "store", "api", "views", "web", "report", "cli"},
    "results": {"case", "scenarios", "store", "evidence", "api", "views", "web", "report", "cli"},
    "scenarios": {"api", "views", "web", "report", "cli"},
    "store": {"api", "views", "web", "report", "cli"},
    "api": {"web", "report", "cli"},
    "views": {"web", "report", "cli"},
    "report": {"web", "cli"},
    "web": {"report", "cli"},
}


def area_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def imported_areas(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "accord" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_imports_point_down():
    violations = []
    for path in PACKAGE.rglob("*.py"):
        area = area_of(path)
        for imported in imported_areas(path) & FORBIDDEN.get(area, set()):
            violations.append(f"{path.relative_to(PACKAGE)} ({area}) imports accord.{imported}")
    assert not violations, "\n".join(sorted(violations))
