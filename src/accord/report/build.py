"""``accord report``: one HTML file holding everything (scripts, styles, data), readable offline.

The report reuses the dashboard's stylesheet and drawing code (``accord/assets``) and inlines the
plotly.js that the installed ``plotly`` package ships, so it shows the same charts as the live pages and
needs no network: the file can be mailed, archived or opened on a machine without Accord.

Data comes from the same service functions as the web API (network, timeline, positions, runs through
the scenario layer, the tornado, every evidence item with its cited passage when a corpus is given).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from accord import __version__, views
from accord.answer import DEFAULT_DRAWS, answer
from accord.assets import ASSETS_DIR as STATIC_DIR
from accord.assets import plotly_js_path
from accord.case.model import Case
from accord.engines.registry import DEFAULT_MODEL
from accord.spans.pointers import Corpus

__all__ = ["ReportVariant", "build_report", "write_report"]

_env = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent)), autoescape=select_autoescape(["html"])
)


@dataclass(frozen=True)
class ReportVariant:
    """One column of the report's forecasts: the case as it is (``scenario=None``) or a scenario of it."""

    label: str
    scenario: Any | None = None  # accord.scenarios.language.Scenario


def _script(text: str) -> str:
    """Text safe inside a <script> element (no early end tag)."""
    return text.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def _json(data: Any) -> str:
    """JSON that cannot break out of its <script> element, whatever strings the case holds."""
    return (
        json.dumps(data, allow_nan=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def report_data(
    case: Case,
    variants: Sequence[ReportVariant] = (),
    model: str = DEFAULT_MODEL,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    corpus: Corpus | None = None,
    progress: Callable[[str], None] | None = None,
    answer_doc: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything the report draws, as JSON-ready data (``answer_doc``: an answer already computed for
    the case)."""
    say = progress or (lambda _msg: None)
    titles = {s.id: s.title for s in case.case.sources}
    source = views.PassageSource(corpus, titles=titles) if corpus is not None else None
    variants = list(variants) or [ReportVariant("the case as it is")]
    runs = []
    for v in variants:
        say(f"running {v.label} ({model}, {draws} draws)")
        runs.append(
            {"label": v.label, "result": views.execute_run(case, v.scenario, model, draws, None, seed)}
        )
    say("sensitivity, one input at a time (every issue in one batch)")
    try:
        sensitivity = list(views.tornados(case, model).values())
    except ValueError as exc:  # a model that refuses the point inputs: say so in the report
        sensitivity = [
            {"issue": i, "model": model, "base": None, "bars": [], "error": str(exc)} for i in case.issue_ids
        ]
    say("collecting evidence")
    evidence = {ref: views.evidence_for(case, ref, source) for ref in views.all_refs(case)}
    say("the answer: every built-in scenario, the drivers")
    # the same draws as the runs above, so the answer's "as it stands" row is the baseline run's numbers
    the_answer = (
        answer_doc
        if answer_doc is not None
        else answer(case, model=model, draws=draws or DEFAULT_DRAWS, seed=seed)
    )
    passages = {}
    if source is not None:
        for row in the_answer["scenarios"]:
            for p in row["passages"]:
                passages[f"{p['doc']}:{p['start']}:{p['end']}"] = views.passage(
                    source, p["doc"], p["start"], p["end"]
                )
    return {
        "answer": the_answer,
        "passages": passages,
        "case": views.case_summary(case),
        "network": views.network_view(case),
        "timeline": views.timeline_view(case),
        "positions": views.positions_view(case),
        "runs": runs,
        "sensitivity": [t for t in sensitivity if t["bars"]],
        "sensitivity_errors": [t for t in sensitivity if not t["bars"]],
        "evidence": evidence,
        "model": model,
        "draws": draws,
        "seed": seed,
        "corpus": corpus is not None,
    }


def build_report(
    case: Case,
    variants: Sequence[ReportVariant] = (),
    model: str = DEFAULT_MODEL,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    corpus: Corpus | None = None,
    progress: Callable[[str], None] | None = None,
    answer_doc: dict[str, Any] | None = None,
) -> str:
    """The report as one HTML document (several MB: plotly.js is inlined)."""
    data = report_data(case, variants, model, draws, seed, corpus, progress, answer_doc)
    titles = {s["id"]: {"title": s["title"], "date": s["date"]} for s in data["case"]["sources"]}
    rows = [row for ref in views.all_refs(case) for row in _evidence_rows(data["evidence"][ref], titles)]
    return _env.get_template("report.html").render(
        data=data,
        data_json=_json(data),
        evidence_rows=rows,
        css=(STATIC_DIR / "accord.css").read_text(encoding="utf-8"),
        accord_js=_script(
            (STATIC_DIR / "accord.js").read_text(encoding="utf-8")
            + (STATIC_DIR / "answer.js").read_text(encoding="utf-8")
        ),
        plotly_js=_script(plotly_js_path().read_text(encoding="utf-8")),
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
    )


def _evidence_rows(item: dict[str, Any], titles: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per estimate: what it supports, the value it gives, its sources by title and date."""
    rows = []
    for est in item["estimates"]:
        docs = list(dict.fromkeys(est["sources"] or [p["doc"] for p in est["pointers"]]))
        rows.append(
            {
                "ref": item["ref"],
                "label": item["label"],
                "value": est["value"],
                "used": item["point"],
                "sources": [titles.get(d, {"title": d, "date": None}) for d in docs],
                "pointers": len(est["pointers"]),
            }
        )
    return rows


def write_report(path: str | Path, html: str) -> Path:
    path = Path(path)
    path.write_text(html, encoding="utf-8")
    return path
