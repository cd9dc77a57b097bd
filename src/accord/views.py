"""Chart- and table-ready views of cases, evidence passages and runs: the API layer's part for pictures.

Everything here is a pure function of a :class:`~accord.case.model.Case` (plus a corpus to read passages
from) and returns plain JSON-ready data. The web dashboard and the self-contained HTML report both draw
from it, so they show exactly the same data; neither imports the other.

Evidence references ("refs") name one number or item of a case with ``/``-separated parts, because case
ids may contain dots:

* ``issue/<issue>/status_quo``
* ``stance/<actor>/capability`` and ``stance/<actor>/<issue>/position|salience|capability``
* ``relation/<id>`` and ``event/<id>``
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.case.model import Case, Pointer, Quantity
from accord.case.problem import case_to_problem, quantity_grid
from accord.engines.base import Problem
from accord.engines.registry import case_params, run_problem
from accord.evidence.pointers import Corpus, sentence_bounds, sha256_text
from accord.results import RunResult

__all__ = [
    "EvidenceNotFound",
    "PassageSource",
    "all_refs",
    "case_summary",
    "evidence_for",
    "evidence_table",
    "network_view",
    "passage",
    "positions_view",
    "execute_run",
    "execute_sensitivity",
    "timeline_view",
    "tornado",
]

CONTEXT_CHARS = 420  # at most this much text either side of a cited span
MAX_FINALS = 2000  # final outcomes kept per issue for distribution charts


class EvidenceNotFound(LookupError):
    """The ref names nothing in the case (unknown actor, issue, relation ...)."""


# ---------------------------------------------------------------------------------------------------
# Passages
# ---------------------------------------------------------------------------------------------------


@dataclass
class PassageSource:
    """Where passage texts come from: the corpus folder first, then an optional corpus store.

    Documents are looked up by id only (never by path), so no request can make the server read a file
    it was not configured to read.
    """

    corpus: Corpus | None = None
    store_text: Callable[[str], str | None] | None = None
    titles: dict[str, str] = field(default_factory=dict)

    def text(self, doc: str) -> str | None:
        if self.corpus is not None and doc in self.corpus:
            return self.corpus.text(doc)
        if self.store_text is not None:
            try:
                return self.store_text(doc)
            except Exception:  # noqa: BLE001 - a broken store must not break evidence display
                return None
        return None

    @property
    def available(self) -> bool:
        return self.corpus is not None or self.store_text is not None


def _trim_left(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[-limit:]
    space = cut.find(" ")
    return "…" + (cut[space + 1 :] if 0 <= space < 40 else cut)


def _trim_right(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit - 40 else cut) + "…"


def passage(source: PassageSource, doc: str, start: int, end: int, sha256: str | None = None) -> dict[str, Any]:
    """The cited span with a sentence of context either side, and whether it still hashes to ``sha256``."""
    out: dict[str, Any] = {"doc": doc, "start": start, "end": end, "title": source.titles.get(doc), "found": False}
    text = source.text(doc)
    if text is None or not 0 <= start < end <= len(text):
        out["problem"] = "document not in the corpus" if text is None else "span out of range"
        return out
    cited = text[start:end]
    before_start = sentence_bounds(text, max(0, start - 2), max(0, start - 1))[0] if start > 1 else 0
    after_end = sentence_bounds(text, min(len(text), end + 1), min(len(text), end + 2))[1] if end < len(text) - 1 else len(text)
    out.update(
        found=True,
        text=cited,
        before=_trim_left(text[before_start:start], CONTEXT_CHARS),
        after=_trim_right(text[end:after_end], CONTEXT_CHARS),
        verified=None if sha256 is None else sha256_text(cited) == sha256,
    )
    return out


def _pointer(p: Pointer, source: PassageSource | None) -> dict[str, Any]:
    data: dict[str, Any] = {"doc": p.doc, "start": p.start, "end": p.end, "sha256": p.sha256, "note": p.note}
    if source is not None and source.available:
        data["passage"] = passage(source, p.doc, p.start, p.end, p.sha256)
    return data


def _quantity(q: Quantity, source: PassageSource | None) -> dict[str, Any]:
    return {
        "point": q.point,
        "bounds": list(q.bounds),
        "estimates": [
            {
                "value": e.value,
                "low": e.low,
                "high": e.high,
                "sources": list(e.sources),
                "note": e.note,
                "pointers": [_pointer(p, source) for p in e.evidence],
            }
            for e in q.all_estimates
        ],
    }


# ---------------------------------------------------------------------------------------------------
# Evidence refs
# ---------------------------------------------------------------------------------------------------


def _find(items: Iterable[Any], key: str, value: str, what: str) -> Any:
    for item in items:
        if getattr(item, key) == value:
            return item
    raise EvidenceNotFound(f"no {what} {value!r} in this case")


def _stance_quantity(case: Case, parts: list[str]) -> tuple[str, Quantity]:
    stance = _find(case.stances, "actor", parts[0], "stance of actor")
    actor = case.actor(stance.actor).name
    if parts[1:] == ["capability"]:
        return f"{actor}: capability", stance.capability
    if len(parts) != 3 or parts[2] not in ("position", "salience", "capability"):
        raise EvidenceNotFound("a stance ref is stance/ACTOR/capability or stance/ACTOR/ISSUE/position|salience|capability")
    issue_stance = stance.issues.get(parts[1])
    if issue_stance is None:
        raise EvidenceNotFound(f"actor {parts[0]!r} holds no stance on issue {parts[1]!r}")
    q = getattr(issue_stance, parts[2]) or (stance.capability if parts[2] == "capability" else None)
    return f"{actor}: {parts[2]} on {parts[1]}", q


def evidence_for(case: Case, ref: str, source: PassageSource | None = None) -> dict[str, Any]:
    """Everything behind one number or item of the case: its estimates, pointers and cited passages."""
    kind, _, rest = ref.partition("/")
    parts = rest.split("/") if rest else []
    if kind == "issue" and len(parts) == 2 and parts[1] == "status_quo":
        issue = _find(case.issues, "id", parts[0], "issue")
        return {"ref": ref, "kind": kind, "label": f"Status quo of {issue.id}: {issue.question}", **_quantity(issue.status_quo, source)}
    if kind == "stance" and len(parts) in (2, 3):
        label, q = _stance_quantity(case, parts)
        return {"ref": ref, "kind": kind, "label": label, **_quantity(q, source)}
    if kind == "issue" and len(parts) == 2 and parts[1] == "consent":
        issue = _find(case.issues, "id", parts[0], "issue")
        if issue.consent is None:
            raise EvidenceNotFound(f"issue {parts[0]!r} needs no one's consent")
        estimate = {"value": None, "low": None, "high": None, "sources": [], "note": issue.consent.note,
                    "pointers": [_pointer(p, source) for p in issue.consent.evidence]}
        label = f"Consent on {issue.id}: " + ", ".join(issue.consent.actors)
        return {"ref": ref, "kind": kind, "label": label, "point": None, "bounds": None, "estimates": [estimate]}
    if kind in ("relation", "event", "state") and len(parts) == 1:
        items = {"relation": case.relations, "event": case.events, "state": case.states}[kind]
        item = _find(items, "id", parts[0], kind)
        if kind == "state":
            label = f"state {item.id}: {'holds' if item.holds else 'does not hold'} ({item.description})"
        elif kind == "relation":
            label = f"{item.type.value}: {item.from_} → {' & '.join(item.ends[1:])}"
        else:
            label = f"{item.date} {item.title}"
        note = item.outcome if kind == "event" else item.note
        estimate = {"value": None, "low": None, "high": None, "sources": [], "note": note,
                    "pointers": [_pointer(p, source) for p in item.evidence]}
        return {"ref": ref, "kind": kind, "label": label, "point": None, "bounds": None, "estimates": [estimate]}
    raise EvidenceNotFound(f"not an evidence ref: {ref!r} (e.g. stance/russia/territory/position, relation/ID, event/ID)")


def all_refs(case: Case) -> list[str]:
    """Every ref of the case, in the order a reader meets them (issues, stances, relations, events)."""
    refs = [f"issue/{i.id}/status_quo" for i in case.issues]
    for stance in case.stances:
        refs.append(f"stance/{stance.actor}/capability")
        for issue_id, s in stance.issues.items():
            refs += [f"stance/{stance.actor}/{issue_id}/{attr}" for attr in ("position", "salience")]
            if s.capability is not None:
                refs.append(f"stance/{stance.actor}/{issue_id}/capability")
    refs += [f"issue/{i.id}/consent" for i in case.issues if i.consent is not None]
    refs += [f"relation/{r.id}" for r in case.relations]
    refs += [f"state/{s.id}" for s in case.states]
    refs += [f"event/{e.id}" for e in case.events]
    return refs


def evidence_table(case: Case, source: PassageSource | None = None) -> list[dict[str, Any]]:
    """One row per pointer: what it supports, the value, the document, the span and (with a corpus) the passage."""
    rows = []
    for ref in all_refs(case):
        item = evidence_for(case, ref, source)
        for est in item["estimates"]:
            for p in est["pointers"]:
                rows.append({"ref": ref, "label": item["label"], "value": est["value"], "low": est["low"],
                             "high": est["high"], **p})
    return rows


# ---------------------------------------------------------------------------------------------------
# Case views
# ---------------------------------------------------------------------------------------------------


def case_summary(case: Case) -> dict[str, Any]:
    meta = case.case
    return {
        "id": case.id,
        "title": meta.title,
        "as_of": meta.as_of,
        "description": meta.description,
        "counts": {
            "actors": len(case.actors),
            "issues": len(case.issues),
            "stances": len(case.stances),
            "relations": len(case.relations),
            "events": len(case.events),
            "pointers": len(case.all_pointers()),
        },
        "sources": [{"id": s.id, "title": s.title, "date": s.date, "publisher": s.publisher} for s in meta.sources],
        "actors": [{"id": a.id, "name": a.name, "kind": a.kind.value} for a in case.actors],
        "issues": [
            {"id": i.id, "question": i.question, "min_label": i.scale.min_label, "max_label": i.scale.max_label,
             "status_quo": i.status_quo.point}
            for i in case.issues
        ],
    }


def _layout(n: int, edges: list[tuple[int, int]], iterations: int = 200) -> np.ndarray:
    """Positions in [0, 1]^2 from graph distances (stress majorisation, SMACOF), deterministic.

    The largest connected group of actors is laid out by their distances in the graph; actors outside
    it (no ties to it) stand in a column on the right, so they do not squeeze everyone else together.
    """
    if n == 1:
        return np.full((1, 2), 0.5)
    dist = _distances(n, edges)
    main = np.isfinite(dist[int(np.argmax(np.isfinite(dist).sum(axis=1)))])
    out = np.empty((n, 2))
    out[main] = _smacof(dist[np.ix_(main, main)], iterations) * [0.86, 1.0] if main.sum() > 1 else 0.5
    others = np.flatnonzero(~main)
    for k, i in enumerate(others):
        out[i] = (1.0, 1.0 - (k + 0.5) / max(len(others), 1))
    return out


def _distances(n: int, edges: list[tuple[int, int]]) -> np.ndarray:
    """Shortest-path lengths between actors (ties as undirected, unweighted); ``inf`` when unconnected."""
    adjacency: list[set[int]] = [set() for _ in range(n)]
    for a, b in edges:
        if a != b:
            adjacency[a].add(b)
            adjacency[b].add(a)
    dist = np.full((n, n), np.inf)
    for source in range(n):
        dist[source, source] = 0
        frontier = [source]
        while frontier:
            nxt = [v for u in frontier for v in adjacency[u] if dist[source, v] == np.inf]
            for v in nxt:
                dist[source, v] = dist[source, frontier[0]] + 1
            frontier = list(dict.fromkeys(nxt))
    return dist


def _smacof(dist: np.ndarray, iterations: int) -> np.ndarray:
    n = dist.shape[0]
    # classical MDS as the start, then SMACOF iterations (weights 1/d^2)
    j = np.eye(n) - 1.0 / n
    b = -0.5 * j @ (dist**2) @ j
    values, vectors = np.linalg.eigh(b)
    order = np.argsort(values)[::-1][:2]
    pos = vectors[:, order] * np.sqrt(np.maximum(values[order], 1e-9))
    pos += np.random.default_rng(7).normal(0, 1e-3, pos.shape)
    weights = np.where(dist > 0, 1.0 / np.maximum(dist, 1e-9) ** 2, 0.0)
    v = -weights + np.diag(weights.sum(axis=1))
    v_pinv = np.linalg.pinv(v)
    for _ in range(iterations):
        current = np.linalg.norm(pos[:, None] - pos[None, :], axis=-1)
        ratio = np.where(current > 1e-9, dist / np.maximum(current, 1e-9), 0.0)
        bz = -weights * ratio
        bz[np.diag_indices(n)] = -bz.sum(axis=1)
        pos = v_pinv @ bz @ pos
    span = pos.max(axis=0) - pos.min(axis=0)
    return (pos - pos.min(axis=0)) / np.where(span > 0, span, 1)


def network_view(case: Case) -> dict[str, Any]:
    """Actors as nodes (sized by capability, with its ref) and relations as typed edges, laid out."""
    ids = list(case.actor_ids)
    index = {a: i for i, a in enumerate(ids)}
    edges = [
        (index[r.from_], index[target])
        for r in case.relations
        for target in r.ends[1:]
        if r.from_ in index and target in index
    ]
    xy = _layout(len(ids), edges)
    stance_actors = {s.actor: s for s in case.stances}
    nodes = []
    for i, actor in enumerate(case.actors):
        stance = stance_actors.get(actor.id)
        nodes.append({
            "id": actor.id,
            "name": actor.name,
            "kind": actor.kind.value,
            "capability": stance.capability.point if stance else None,
            "ref": f"stance/{actor.id}/capability" if stance else None,
            "x": float(xy[i, 0]),
            "y": float(xy[i, 1]),
        })
    # A mediation between parties (no single `to`) is drawn as one edge to each party.
    relations = [
        {"id": r.id if r.to is not None else f"{r.id}:{target}", "type": r.type.value, "from": r.from_, "to": target,
         "directed": r.is_directed, "since": r.since, "share": r.share,
         "applies_if": r.applies_if.description if r.applies_if else None, "ref": f"relation/{r.id}"}
        for r in case.relations
        for target in r.ends[1:]
    ]
    return {"nodes": nodes, "edges": relations, "types": sorted({r["type"] for r in relations})}


def timeline_view(case: Case) -> dict[str, Any]:
    events = [
        {"id": e.id, "date": e.start.isoformat(), "label": e.date, "precision": e.precision.value,
         "end_date": e.end_date, "type": e.type.value, "title": e.title, "actors": list(e.actors),
         "outcome": e.outcome, "ref": f"event/{e.id}"}
        for e in sorted(case.events, key=lambda e: e.start)
    ]
    return {"events": events, "types": sorted({e["type"] for e in events})}


def positions_view(case: Case) -> dict[str, Any]:
    """Per issue: the status quo and every actor's position (with its range), salience and capability."""
    issues = []
    for issue in case.issues:
        rows = []
        for stance in case.stances:
            s = stance.issues.get(issue.id)
            if s is None:
                continue
            cap = s.capability or stance.capability
            low, high = s.position.bounds
            rows.append({
                "actor": stance.actor,
                "name": case.actor(stance.actor).name,
                "position": s.position.point,
                "low": low,
                "high": high,
                "salience": s.salience.point,
                "capability": cap.point,
                "estimates": len(s.position.all_estimates),
                "carry_over": any(e.carry_over for e in s.position.all_estimates),
                "refs": {
                    "position": f"stance/{stance.actor}/{issue.id}/position",
                    "salience": f"stance/{stance.actor}/{issue.id}/salience",
                    "capability": (f"stance/{stance.actor}/{issue.id}/capability" if s.capability
                                   else f"stance/{stance.actor}/capability"),
                },
            })
        issues.append({
            "id": issue.id,
            "question": issue.question,
            "min_label": issue.scale.min_label,
            "max_label": issue.scale.max_label,
            "points": [{"at": p.at, "label": p.label} for p in issue.scale.points or []],
            "consent": list(issue.consent.actors) if issue.consent else [],
            "status_quo": issue.status_quo.point,
            "status_quo_ref": f"issue/{issue.id}/status_quo",
            "actors": rows,
        })
    pooling = case.case.pooling or "several readings of one number are averaged with equal weights"
    return {"issues": issues, "pooling": pooling}


# ---------------------------------------------------------------------------------------------------
# Runs: the scenario layer does the work; this turns its results into what the pages draw
# ---------------------------------------------------------------------------------------------------

Progress = Callable[[float], None]


def _r(x: Any) -> Any:
    """Round floats for JSON (3 decimals is far below what the 0-100 scales can tell apart)."""
    return np.round(np.asarray(x, dtype=float), 3).tolist()


def execute_run(
    case: Case,
    scenario: Any | None,
    model: str,
    draws: int = 0,
    rounds: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    record: Callable[[Any], str | None] | None = None,
) -> dict[str, Any]:
    """Run a scenario (or the case as it is) and summarise it for the run view, the comparison and the report.

    Always runs the point estimates once (the actors' trajectories per round); with ``draws > 0`` also
    the Monte Carlo draws (forecast interval, mean path, distribution of final outcomes). ``progress``
    gets the fraction done in [0, 1]; ``record`` is given the scenario layer's run (the draws, else the
    point run) to store it, and returns its id in the runs store.
    """
    from accord.scenarios.api import run_scenario

    point = run_scenario(scenario, case, model=model, draws=0, seed=seed, rounds=rounds)
    summary = _point_summary(point.run_result(), point.summary())
    summary.update(case=case.id, scenario=getattr(scenario, "id", None), draws=draws)
    if progress is not None:
        progress(0.05 if draws else 1.0)
    if draws > 0:
        done = 0

        def step(k: int) -> None:
            nonlocal done
            done += k
            if progress is not None:
                progress(0.05 + 0.95 * min(done, draws) / draws)

        mc = run_scenario(scenario, case, model=model, draws=draws, seed=seed, rounds=rounds, progress=step)
        _add_draws(summary, mc.draws, mc.summary())
    if record is not None:
        summary["store_id"] = record(mc if draws > 0 else point)
    return summary


def execute_sensitivity(
    case: Case,
    scenario: Any | None,
    model: str,
    rounds: int | None = None,
    seed: int = 0,
    method: str = "sobol",
    samples: int = 64,
    group_by: str = "input",
    progress: Progress | None = None,
) -> dict[str, Any]:
    """A global sensitivity analysis (the scenario layer's SALib Sobol or Morris), for the dashboard."""
    from accord.scenarios.runner import RunSpec
    from accord.scenarios.sensitivity import run_sensitivity

    total = [1]
    done = [0]

    def step(k: int) -> None:
        done[0] += k
        if progress is not None:
            progress(min(done[0] / max(total[0], 1), 1.0))

    def on_total(n: int) -> None:
        total[0] = n

    result = run_sensitivity(RunSpec(case=case, scenario=scenario, model=model, rounds=rounds), method, samples, seed,
                             group_by, progress=step, on_total=on_total)
    return {"case": case.id, "scenario": getattr(scenario, "id", None), "model": model, **result.to_json()}


def _point_summary(result: RunResult, point: dict[str, Any]) -> dict[str, Any]:
    traj = result.trajectory
    return {
        "model": result.model,
        "seed": result.seed,
        "rounds": int(traj.n_rounds),
        "actors": list(result.actors),
        "issues": list(result.issues),
        "forecast": [
            {"issue": issue, "status_quo": float(result.status_quo[j]), "point": float(traj.forecast[0, j]),
             "median": float(traj.forecast[0, j]), "p05": None, "p95": None, "mean": None,
             "stable_share": point["issues"][issue]["stable_share"]}
            for j, issue in enumerate(result.issues)
        ],
        "outcome": {issue: _r(traj.outcome[0, :, j]) for j, issue in enumerate(result.issues)},
        "positions": {
            actor: {issue: _r(traj.positions[0, :, a, j]) for j, issue in enumerate(result.issues)}
            for a, actor in enumerate(result.actors)
        },
        "triggers": point.get("triggers", {}),
        "mean_path": None,
        "path_bands": None,
        "finals": None,
    }


def _add_draws(summary: dict[str, Any], draws: Any, mc: dict[str, Any]) -> None:
    """Overlay the Monte Carlo numbers: median and 5-95% interval per issue, mean path, final outcomes."""
    for row in summary["forecast"]:
        row.update({k: mc["issues"][row["issue"]][k] for k in ("median", "p05", "p95", "mean", "stable_share")})
    finals = draws.forecast
    if finals.shape[0] > MAX_FINALS:
        finals = finals[np.linspace(0, finals.shape[0] - 1, MAX_FINALS).astype(int)]
    issues = list(draws.issues)
    summary["triggers"] = mc.get("triggers", {})
    summary["stable_all"] = mc.get("stable_all")
    summary["finals"] = {issue: _r(finals[:, j]) for j, issue in enumerate(issues)}
    if draws.mean_path is not None:
        summary["mean_path"] = {issue: _r(draws.mean_path[:, j]) for j, issue in enumerate(issues)}
    bands = getattr(draws, "path_bands", None)
    if bands is not None:
        summary["path_bands"] = {
            issue: {"p05": _r(bands[0, :, j]), "p50": _r(bands[1, :, j]), "p95": _r(bands[2, :, j])}
            for j, issue in enumerate(issues)
        }


# ---------------------------------------------------------------------------------------------------
# Sensitivity (one at a time): the tornado chart
# ---------------------------------------------------------------------------------------------------


def _swing(q: Quantity, attribute: str) -> tuple[float, float, bool]:
    """Low and high values to try: the quantity's documented range, or a default swing if it has none."""
    low, high = q.bounds
    if high > low:
        return low, high, True
    point = q.point
    if attribute == "position":
        return max(0.0, point - 10), min(100.0, point + 10), False
    if attribute == "salience":
        return max(0.0, point - 0.1), min(1.0, point + 0.1), False
    return point * 0.8, point * 1.2, False


def tornado(case: Case, issue: str, model: str, rounds: int | None = None, seed: int = 0, limit: int = 15) -> dict[str, Any]:
    """How far the forecast on ``issue`` moves when each input goes to its low and its high value.

    One input at a time, others at their point values: the quick, readable sensitivity a tornado chart
    shows. Inputs are each actor's position and salience on the issue and its capability.
    """
    base_problem = case_to_problem(case)
    if issue not in base_problem.issues:
        raise EvidenceNotFound(f"no issue {issue!r} in this case")
    j = base_problem.issues.index(issue)
    base = float(run_problem(base_problem, model, rounds, seed, case_params(model, None)).forecast[0, j])
    grid = quantity_grid(case)
    bars = []
    for a, actor in enumerate(base_problem.actors):
        for attribute in ("position", "salience", "capability"):
            q = grid[attribute][a][j]
            if q is None or (attribute != "capability" and case.stance(actor).issues.get(issue) is None):
                continue
            low, high, documented = _swing(q, attribute)
            results = [_forecast_with(base_problem, model, rounds, seed, attribute, a, j, v) for v in (low, high)]
            bars.append({
                "actor": actor, "attribute": attribute, "low_value": low, "high_value": high,
                "documented_range": documented, "at_low": results[0], "at_high": results[1],
                "swing": abs(results[1] - results[0]),
                "ref": f"stance/{actor}/{issue}/{attribute}" if attribute != "capability" else f"stance/{actor}/capability",
            })
    bars.sort(key=lambda b: b["swing"], reverse=True)
    return {"issue": issue, "model": model, "base": base, "bars": bars[:limit]}


def _forecast_with(problem: Problem, model: str, rounds: int | None, seed: int, attribute: str, a: int, j: int,
                   value: float) -> float:
    arrays = {"position": problem.positions.copy(), "salience": problem.salience.copy(),
              "capability": problem.capability.copy()}
    if attribute == "capability" and arrays["capability"].ndim == 1:
        arrays["capability"][a] = value
    else:
        arrays[attribute][a, j] = value
    changed = Problem(arrays["position"], arrays["salience"], arrays["capability"], problem.status_quo,
                      problem.actors, problem.issues, problem.scale, present=problem.present)
    return float(run_problem(changed, model, rounds, seed, case_params(model, None)).forecast[0, j])
