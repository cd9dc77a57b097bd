"""The case format: a conflict as actors, issues, stances, relations, states and dated events, tied to
evidence.

These pydantic models define the schema (``accord case schema`` prints it as JSON Schema). They are frozen
and forbid unknown fields, so a typo is an error rather than silently ignored data. Checks that need the
whole case (unknown ids, ranges that depend on the quantity, dates against ``as_of``, readings against
their moment) live in :mod:`accord.case.validate` and :mod:`accord.case.rules`, which report every
problem with its file position.

The package is split by size only: :mod:`.base` (dates, pointers, quantities), :mod:`.parts` (actors,
issues, stances, relations, states, events) and :mod:`.case` (the whole case).
"""

from accord.case.model.base import (
    FORMAT_VERSION,
    DatePrecision,
    Estimate,
    Pointer,
    Quantity,
    parse_partial_date,
)
from accord.case.model.case import Case
from accord.case.model.parts import (
    UNDIRECTED,
    Actor,
    ActorKind,
    AppliesIf,
    CaseMeta,
    Consent,
    Event,
    EventType,
    Issue,
    IssueStance,
    Period,
    Relation,
    RelationType,
    Scale,
    ScalePoint,
    Source,
    Stance,
    State,
    StateTest,
    Units,
)

__all__ = [
    "FORMAT_VERSION",
    "UNDIRECTED",
    "Actor",
    "ActorKind",
    "AppliesIf",
    "Case",
    "CaseMeta",
    "Consent",
    "DatePrecision",
    "Estimate",
    "Event",
    "EventType",
    "Issue",
    "IssueStance",
    "Period",
    "Pointer",
    "Quantity",
    "Relation",
    "RelationType",
    "Scale",
    "ScalePoint",
    "Source",
    "Stance",
    "State",
    "StateTest",
    "Units",
    "parse_partial_date",
]
