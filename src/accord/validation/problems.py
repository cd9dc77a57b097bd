"""A DEU issue as an engine :class:`~accord.engines.base.Problem`, with the documented rules for gaps.

Rules (docs/validation.md, "Protocol"):

- an actor without a recorded position on an issue takes no part in it (it is dropped from that problem);
  so does an actor whose recorded salience is 0 (unless every actor's is), as it does for a case's actors
  without a stance (:func:`accord.validation.features.issue_column`);
- an actor with a position but no recorded salience gets the mean salience of the issue's other actors
  with a recorded salience (50 when nobody has one); a recorded salience of 0 stays 0;
- salience is divided by 100 (engines read it in [0, 1]);
- capability is either the file's weight row divided by its largest value (``"weights"``) or 1 for every
  actor (``"equal"``); each model says which it uses;
- the status quo is the reference point ``rp``; where none is recorded the problem carries the
  salience-weighted mean instead (only models that read the status quo notice, and those models do not
  score such issues: see :data:`NEEDS_STATUS_QUO`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from accord.engines.base import Problem
from accord.formats.deu import SCALE, DeuData, DeuIssue

__all__ = ["IssueProblem", "issue_problem", "participants", "Capability", "DEFAULT_SALIENCE"]

Capability = Literal["weights", "equal"]
DEFAULT_SALIENCE = 50.0


@dataclass(frozen=True)
class IssueProblem:
    """One issue ready for the engines, with what the features and the scoring need beside the arrays."""

    problem: Problem
    issue: DeuIssue
    has_status_quo: bool

    @property
    def outcome(self) -> float | None:
        return self.issue.outcome


def participants(issue: DeuIssue) -> np.ndarray:
    """Mask of the actors taking part: a recorded position, and a salience that is not a recorded 0."""
    present = issue.present
    caring = present & ~(issue.salience == 0)
    return caring if caring.any() else present


def _salience(issue: DeuIssue, present: np.ndarray) -> np.ndarray:
    sal = issue.salience[present]
    known = ~np.isnan(sal)
    fill = float(sal[known].mean()) if known.any() else DEFAULT_SALIENCE
    return np.where(known, sal, fill) / 100.0


def _capability(data: DeuData, present: np.ndarray, mode: Capability) -> np.ndarray:
    if mode == "equal" or data.weights is None:
        return np.ones(int(present.sum()))
    top = float(data.weights.max())
    return data.weights[present] / top if top > 0 else np.ones(int(present.sum()))


def issue_problem(data: DeuData, issue: DeuIssue, capability: Capability = "weights") -> IssueProblem:
    """The one-issue problem of ``issue``: its actors with a position, gaps filled by the module's rules."""
    present = participants(issue)
    if present.sum() == 0:
        raise ValueError(f"{data.path}:{issue.line}: issue {issue.issue} has no actor with a position")
    positions = issue.positions[present][:, None]
    salience = _salience(issue, present)[:, None]
    cap = _capability(data, present, capability)
    has_sq = issue.reference_point is not None
    if has_sq:
        status_quo = np.array([issue.reference_point])
    else:
        weights = salience[:, 0] * cap
        total = weights.sum()
        status_quo = np.array(
            [float(positions[:, 0] @ weights / total) if total > 0 else float(positions.mean())]
        )
    problem = Problem(
        positions=positions,
        salience=salience,
        capability=cap,
        status_quo=status_quo,
        actors=tuple(a for a, p in zip(data.actors, present, strict=True) if p),
        issues=(issue.issue,),
        scale=SCALE,
    )
    return IssueProblem(problem=problem, issue=issue, has_status_quo=has_sq)
