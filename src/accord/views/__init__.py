"""Chart- and table-ready views of cases, evidence passages and runs: the API layer's part for pictures.

Everything here is a pure function of a :class:`~accord.case.model.Case` (plus a corpus to read passages
from) and returns plain JSON-ready data. The web dashboard and the self-contained HTML report both draw
from it, so they show exactly the same data; neither imports the other. Split by view:
:mod:`~accord.views.evidence` (passages and refs), :mod:`~accord.views.case` (summary, network, timeline,
positions), :mod:`~accord.views.runs` (runs and global sensitivity), :mod:`~accord.views.tornado`.
"""

from accord.views.case import case_summary, network_view, positions_view, timeline_view
from accord.views.evidence import (
    CONTEXT_CHARS,
    EvidenceNotFound,
    PassageSource,
    all_refs,
    evidence_for,
    evidence_table,
    passage,
)
from accord.views.runs import MAX_FINALS, execute_run, execute_sensitivity
from accord.views.tornado import tornado, tornados

__all__ = [
    "CONTEXT_CHARS",
    "MAX_FINALS",
    "EvidenceNotFound",
    "PassageSource",
    "all_refs",
    "case_summary",
    "evidence_for",
    "evidence_table",
    "execute_run",
    "execute_sensitivity",
    "network_view",
    "passage",
    "positions_view",
    "timeline_view",
    "tornado",
    "tornados",
]
