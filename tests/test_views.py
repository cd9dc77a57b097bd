"""Chart views drawn by both the dashboard and the report."""

from __future__ import annotations

import accord
from accord import views


def test_network_has_an_edge_for_every_relation_end():
    case = accord.load_case("nagorno-karabakh-2020")
    net = views.network_view(case)
    drawn = {(e["from"], e["to"]) for e in net["edges"]}
    for relation in case.relations:
        for target in relation.ends[1:]:
            assert (relation.from_, target) in drawn, relation.id
    # a mediation naming its parties is drawn to each of them
    usa = [e for e in net["edges"] if e["from"] == "usa"]  # the US mediation of October 2020
    assert {e["to"] for e in usa} >= {"armenia", "azerbaijan"}
    assert len({e["id"] for e in net["edges"]}) == len(net["edges"])
    assert None not in {e["to"] for e in net["edges"]}
