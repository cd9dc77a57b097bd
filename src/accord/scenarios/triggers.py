"""Conditional commitments compiled to engine round hooks.

Engines call ``on_round`` after each round with the batched state (see
:class:`accord.engines.base.RoundState`). A :class:`TriggerHook` checks every trigger's condition on the
round's outcome, draw by draw; where a condition holds for the first time it applies the trigger's
effects to those draws only and returns the changed state, so the engine continues from it. A trigger
therefore changes the rest of that draw's trajectory, not just its start, and fires at most once per
draw. ``fired_round[d, t]`` records the round at which trigger ``t`` fired in draw ``d`` (0: never).

A relation's clause may also name a case *state* (``applies_if.state``, e.g. fighting on Armenia's own
territory). The state is a fact of the case as of its ``as_of``, not something the bargaining moves: where
it does not hold the trigger is disabled and never fires; where it holds, the trigger fires as soon as its
issue conditions (if any) hold, at the first round when there are none. A scenario may set a state
(``set_state``): ``states`` then overrides the case's own value for the clauses that read it.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.case.model import Case
from accord.engines.base import Problem, RoundState
from accord.scenarios.interventions import apply_intervention

__all__ = ["CompiledTrigger", "TriggerHook", "compile_triggers"]

_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}


@dataclass(frozen=True)
class CompiledTrigger:
    """A trigger reduced to what the hook needs: conditions on issue indices and the effects."""

    label: str
    conditions: tuple[tuple[int, str, float], ...]  # (issue index, op, threshold), all must hold
    effects: tuple[Any, ...]
    state: str | None = None  # the case state the clause reads, if any
    enabled: bool = True  # False where that state does not hold: the trigger never fires

    def describe(self, issues: Sequence[str]) -> str:
        parts = [f"{issues[i]} {op} {t:g}" for i, op, t in self.conditions]
        if self.state is not None:
            parts.insert(0, f"{self.state} ({'holds' if self.enabled else 'does not hold'})")
        return " and ".join(parts) or "always"


def compile_triggers(
    triggers: Sequence[Any], case: Case, issues: Sequence[str], states: Mapping[str, bool] | None = None
) -> list[CompiledTrigger]:
    """Resolve ``relation:`` conditions from the case's ``applies_if`` and map issues to indices.

    ``states`` are the scenario's settings of case states (:attr:`Scenario.states`); a state it does not
    set keeps the case's value."""
    states = states or {}
    relations = {r.id: r for r in case.relations}
    compiled = []
    for n, trig in enumerate(triggers):
        cond = relations[trig.relation].applies_if if trig.relation is not None else None
        if trig.when is None:
            assert cond is not None and (cond.issue is not None or cond.state is not None)
            raw = [] if cond.issue is None else [(cond.issue, cond.op, float(cond.threshold))]
            label = trig.id or trig.relation
        else:
            raw = [(c.issue, c.op, float(c.threshold)) for c in trig.conditions]
            label = trig.id or trig.relation or f"trigger-{n + 1}"
        state = cond.state if cond is not None else None
        enabled = True if state is None else states.get(state, case.state(state).holds)
        conditions = tuple((list(issues).index(issue), op, threshold) for issue, op, threshold in raw)
        compiled.append(CompiledTrigger(label, conditions, tuple(trig.then), state, enabled))
    return compiled


class TriggerHook:
    """The ``on_round`` callback for one batch of draws (stateful: it remembers which draws fired)."""

    def __init__(
        self,
        triggers: Sequence[CompiledTrigger],
        actors: Sequence[str],
        issues: Sequence[str],
        status_quo: np.ndarray,
        scale: tuple[float, float] = (0.0, 100.0),
    ):
        self.triggers = list(triggers)
        self.actors = tuple(actors)
        self.issues = tuple(issues)
        self.status_quo = np.asarray(status_quo, dtype=float)  # [D, I]
        self.scale = scale
        self.fired_round = np.zeros((self.status_quo.shape[0], len(self.triggers)), dtype=np.int32)

    def conditions_hold(self, trigger: CompiledTrigger, outcome: np.ndarray) -> np.ndarray:
        """Boolean ``[D]``: every condition of ``trigger`` holds on ``outcome`` ``[D, I]``."""
        hold = np.ones(outcome.shape[0], dtype=bool)
        for issue, op, threshold in trigger.conditions:
            hold &= _OPS[op](outcome[:, issue], threshold)
        return hold

    def __call__(self, state: RoundState) -> RoundState | None:
        outcome = np.asarray(state.outcome, dtype=float)
        capability = np.asarray(state.capability, dtype=float)
        per_actor = capability.ndim == 2  # the SMP passes one capability per actor
        batch = Problem(
            positions=np.asarray(state.positions, dtype=float),
            salience=np.asarray(state.salience, dtype=float),
            capability=np.repeat(capability[:, :, None], len(self.issues), axis=2)
            if per_actor
            else capability,
            status_quo=self.status_quo,
            actors=self.actors,
            issues=self.issues,
            scale=self.scale,
        )
        changed = False
        for t, trigger in enumerate(self.triggers):
            if not trigger.enabled:
                continue
            fire = self.conditions_hold(trigger, outcome) & (self.fired_round[:, t] == 0)
            if not fire.any():
                continue
            self.fired_round[fire, t] = state.round
            for effect in trigger.effects:
                batch = apply_intervention(batch, effect, rows=fire)
            changed = True
        if not changed:
            return None
        cap = batch.capability
        if per_actor and np.all(cap == cap[:, :, :1]):
            cap = cap[:, :, 0]  # otherwise per issue: the engine folds it into one weight per actor
        return RoundState(state.round, batch.positions, batch.salience, cap, outcome)
