"""A case's network as GEXF (Gephi) or GraphML: actors as nodes, relations as dated edges.

Written with NetworkX. Nodes carry the actor's name, kind and capability; edges the relation's id, type,
share, note and ``directed`` (false for alliances, borders ...: the graph itself is directed, as
NetworkX reads no mixed GEXF). In GEXF the graph is *dynamic*: each edge has ``start`` and ``end`` dates
(from the
relation's ``since`` and ``until``; open ends stay open), so Gephi's timeline plays the ties appearing
and ending. GraphML has no time model: the same dates are plain ``since``/``until`` attributes.
A mediation between parties becomes one edge to each party.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from accord.case.model import Case, parse_partial_date

__all__ = ["case_graph", "to_gexf", "to_graphml"]


def _day(text: str | None, end: bool) -> str | None:
    """The first day a partial date covers (its last day for an end: 2020-10 ends on 2020-10-31)."""
    if not text:
        return None
    first, precision = parse_partial_date(text)
    if not end or precision.value == "day":
        return first.isoformat()
    if precision.value == "month":
        nxt = first.replace(year=first.year + (first.month == 12), month=first.month % 12 + 1)
        return (nxt - dt.timedelta(days=1)).isoformat()
    return first.replace(month=12, day=31).isoformat()


def case_graph(case: Case, dynamic: bool = False) -> Any:
    """A ``networkx.MultiDiGraph`` of the case (undirected relations keep their from -> to order)."""
    import networkx as nx

    graph = nx.MultiDiGraph(name=case.case.title, as_of=case.case.as_of)
    if dynamic:
        graph.graph.update(mode="dynamic", timeformat="date")
    capability = {s.actor: s.capability.point for s in case.stances}
    for actor in case.actors:
        attrs: dict[str, Any] = {"label": actor.name, "kind": actor.kind.value}
        if actor.id in capability:
            attrs["capability"] = float(capability[actor.id])
        graph.add_node(actor.id, **attrs)
    for r in case.relations:
        since, until = _day(r.since, False), _day(r.until, True)
        for target in r.ends[1:]:
            attrs = {
                "id": f"{r.id}:{target}" if r.to is None else r.id,
                "relation": r.id,
                "relation_type": r.type.value,
                "directed": r.is_directed,
            }
            if r.share is not None:
                attrs["share"] = float(r.share)
            if r.note:
                attrs["note"] = r.note
            if dynamic:
                attrs.update({k: v for k, v in (("start", since), ("end", until)) if v})
            else:
                attrs.update({k: v for k, v in (("since", since), ("until", until)) if v})
            graph.add_edge(r.from_, target, key=attrs["id"], **attrs)
    return graph


def to_gexf(case: Case) -> bytes:
    """The case as a GEXF 1.2 document with dated edges (Gephi's timeline)."""
    import networkx as nx

    buf = io.BytesIO()
    nx.write_gexf(case_graph(case, dynamic=True), buf, version="1.2draft")
    return buf.getvalue()


def to_graphml(case: Case) -> bytes:
    """The case as GraphML (yEd, Cytoscape, igraph, NetworkX)."""
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(case_graph(case), buf)
    return buf.getvalue()
