"""Comparisons the CLI and the web share: a case read by each of its sources, and cases side by side.

``accord compare --perspectives`` and the dashboard's Compare view ask the same two questions of
:func:`accord.api.compare`: how does the forecast change when the case is read as one source reads it
(its estimates where it gives them, the pooled ones elsewhere), and how does an earlier case (2013)
differ from a later one (2020) issue by issue? This module builds the variants of those comparisons and
turns their summaries into one document, with the first variant as the baseline every other is
measured against and the status quo of each issue beside it.

>>> import accord
>>> from accord.comparisons import comparison, perspective_variants
>>> doc = comparison(perspective_variants(accord.load_case("nagorno-karabakh-2013")), model="mean")
>>> [v["label"] for v in doc["variants"]][:1], doc["baseline"]
(['pooled (all sources)'], 'pooled (all sources)')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from accord.api import compare
from accord.case.model import Case
from accord.engines.registry import DEFAULT_MODEL
from accord.scenarios.language import Scenario
from accord.scenarios.service import Variant, perspective_sources

__all__ = ["KINDS", "case_variants", "comparison", "perspective_variants", "source_label"]

KINDS = ("perspectives", "cases")
POOLED = "pooled (all sources)"


def source_label(case: Case, source_id: str) -> str:
    """A source named as people know it: its title and date (the id only when it has no title)."""
    for source in case.case.sources:
        if source.id == source_id:
            title = source.title or source.id
            return f"{title} ({source.date})" if source.date else title
    return source_id


def perspective_variants(case: Case, scenario: Scenario | None = None) -> list[Variant]:
    """The pooled reading first, then one variant per source that gives numbers."""
    pooled = Variant(POOLED, case, scenario)
    return [pooled] + [Variant(source_label(case, s), case, scenario, s) for s in perspective_sources(case)]


def case_variants(cases: Sequence[Case]) -> list[Variant]:
    """One variant per case, in the order given (the first is the baseline), labelled with its date."""
    return [Variant(f"{c.case.title} (as of {c.case.as_of})", c) for c in cases]


def comparison(
    variants: Sequence[Variant],
    model: str = DEFAULT_MODEL,
    draws: int = 0,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Every issue of every variant (same model, draws and seed), each number beside the baseline's.

    Per variant and issue: ``status_quo`` (that variant's case), ``median``, ``low`` and ``high`` (the
    headline's 80% interval, ``p10``-``p90``), ``p05``, ``p95`` (all equal to the median for a point run)
    and ``shift`` (median minus the baseline's median on the same issue; ``None`` where the baseline lacks
    the issue). ``issues`` lists every issue met, in order, with its scale's ends.
    """
    rows = compare(variants, model=model, draws=draws, seed=seed, progress=progress)
    issues: dict[str, dict[str, Any]] = {}
    for v, _ in rows:
        for issue in v.case.issues:
            issues.setdefault(
                issue.id,
                {
                    "id": issue.id,
                    "question": issue.question,
                    "min_label": issue.scale.min_label,
                    "max_label": issue.scale.max_label,
                },
            )
    base = rows[0][1]["issues"] if rows else {}
    several_cases = len({v.case.id for v, _ in rows}) > 1
    out_variants = []
    for v, summary in rows:
        forecast = {}
        for issue_id, row in summary["issues"].items():
            ref = base.get(issue_id)
            forecast[issue_id] = {
                "status_quo": _r(row["status_quo"]),
                "median": _r(row["median"]),
                "low": _r(row["p10"]),
                "high": _r(row["p90"]),
                "p05": _r(row["p05"]),
                "p95": _r(row["p95"]),
                "shift": None if ref is None else _r(row["median"] - ref["median"]),
            }
        out_variants.append(
            {
                "label": v.label,
                "short": _short(v, several_cases),
                "case": v.case.id,
                "as_of": v.case.case.as_of,
                "scenario": v.scenario.id if v.scenario else None,
                "perspective": v.perspective,
                "forecast": forecast,
                "triggers": summary.get("triggers", {}),
            }
        )
    return {
        "model": model,
        "draws": draws,
        "seed": seed,
        "baseline": out_variants[0]["label"] if out_variants else None,
        "issues": list(issues.values()),
        "variants": out_variants,
    }


def _short(v: Variant, several_cases: bool) -> str:
    """A label for a chart's axis that keeps what tells the variants apart first (a date)."""
    if v.perspective is not None:
        source = next((s for s in v.case.case.sources if s.id == v.perspective), None)
        if source is not None and source.date:
            return f"{source.date}: {source.title or source.id}"
    elif several_cases:
        return f"{v.case.case.as_of}: {v.case.case.title}"
    return v.label


def _r(x: float) -> float:
    return round(float(x), 2)
