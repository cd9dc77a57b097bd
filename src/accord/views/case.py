"""Chart-ready views of a case: its summary, the network of actors (laid out), the timeline, the positions."""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.case.model import Case


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
        "sources": [
            {"id": s.id, "title": s.title, "date": s.date, "publisher": s.publisher} for s in meta.sources
        ],
        "actors": [{"id": a.id, "name": a.name, "kind": a.kind.value} for a in case.actors],
        "issues": [
            {
                "id": i.id,
                "question": i.question,
                "min_label": i.scale.min_label,
                "max_label": i.scale.max_label,
                "status_quo": i.status_quo.point,
            }
            for i in case.issues
        ],
        # facts the clauses of relations read (applies_if.state); scenarios may set them (set_state)
        "states": [{"id": s.id, "description": s.description, "holds": s.holds} for s in case.states],
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


# How each type of tie is drawn and what it means (the network's legend; the same in the web and the
# report). Cooperation is solid, hostility dashed or dotted; directed types point from the first actor.
RELATION_STYLES: dict[str, dict[str, str]] = {
    "alliance": {"colour": "#1f5fa8", "dash": "solid", "note": "a mutual defence commitment"},
    "partnership": {"colour": "#3949ab", "dash": "solid", "note": "cooperation short of an alliance"},
    "membership": {"colour": "#17becf", "dash": "solid", "note": "member of an organisation (member → body)"},
    "backing": {
        "colour": "#2ca02c",
        "dash": "solid",
        "note": "political or military support (backer → backed)",
    },
    "arms_supply": {
        "colour": "#d62728",
        "dash": "solid",
        "note": "arms sold or given (supplier → recipient)",
    },
    "military_presence": {
        "colour": "#bcbd22",
        "dash": "solid",
        "note": "troops or bases on the other's territory (present → host)",
    },
    "energy": {"colour": "#9467bd", "dash": "solid", "note": "energy trade, pipelines or supply"},
    "mediation": {
        "colour": "#e377c2",
        "dash": "solid",
        "note": "mediates between parties (mediator → party)",
    },
    "leverage": {"colour": "#ff7f0e", "dash": "solid", "note": "a means of pressure (holder → target)"},
    "hostility": {"colour": "#8c1d18", "dash": "dash", "note": "open enmity or war"},
    "closed_border": {"colour": "#8c564b", "dash": "dot", "note": "the border between them is closed"},
    "no_diplomatic_relations": {"colour": "#7f7f7f", "dash": "dashdot", "note": "no diplomatic relations"},
}
_OTHER_STYLE = {"colour": "#555555", "dash": "solid", "note": "a tie of another kind"}


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
        nodes.append(
            {
                "id": actor.id,
                "name": actor.name,
                "kind": actor.kind.value,
                "capability": stance.capability.point if stance else None,
                "ref": f"stance/{actor.id}/capability" if stance else None,
                "x": float(xy[i, 0]),
                "y": float(xy[i, 1]),
            }
        )
    # A mediation between parties (no single `to`) is drawn as one edge to each party.
    relations = [
        {
            "id": r.id if r.to is not None else f"{r.id}:{target}",
            "type": r.type.value,
            "from": r.from_,
            "to": target,
            "directed": r.is_directed,
            "since": r.since,
            "share": r.share,
            "applies_if": r.applies_if.description if r.applies_if else None,
            "ref": f"relation/{r.id}",
        }
        for r in case.relations
        for target in r.ends[1:]
    ]
    types = sorted({r["type"] for r in relations})
    styles = {t: RELATION_STYLES.get(t, _OTHER_STYLE) for t in types}
    return {"nodes": nodes, "edges": relations, "types": types, "styles": styles}


def timeline_view(case: Case) -> dict[str, Any]:
    events = [
        {
            "id": e.id,
            "date": e.start.isoformat(),
            "label": e.date,
            "precision": e.precision.value,
            "end_date": e.end_date,
            "type": e.type.value,
            "title": e.title,
            "actors": list(e.actors),
            "outcome": e.outcome,
            "ref": f"event/{e.id}",
        }
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
            rows.append(
                {
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
                        "capability": (
                            f"stance/{stance.actor}/{issue.id}/capability"
                            if s.capability
                            else f"stance/{stance.actor}/capability"
                        ),
                    },
                }
            )
        issues.append(
            {
                "id": issue.id,
                "question": issue.question,
                "min_label": issue.scale.min_label,
                "max_label": issue.scale.max_label,
                "points": [{"at": p.at, "label": p.label} for p in issue.scale.points or []],
                "consent": list(issue.consent.actors) if issue.consent else [],
                "status_quo": issue.status_quo.point,
                "status_quo_ref": f"issue/{issue.id}/status_quo",
                "actors": rows,
            }
        )
    return {"issues": issues, "pooling": case.case.pooling_rule}
