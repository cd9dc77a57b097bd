"""Interventions as pure transforms of batched arrays (no I/O, no case objects).

Everything works on a batched :class:`~accord.engines.base.Problem` with positions, salience and
capability as ``[D, A, I]`` (:meth:`Problem.per_issue`; :meth:`Problem.compact` collapses a capability
that is the same on every issue again), the status quo ``[D, I]``, the names and who is present where.
Each transform returns a new batch and changes exactly what the intervention declares: the named actor,
attribute and issues, in the draws selected by ``rows`` (all draws by default; triggers pass the draws in
which they fire). Results are clipped to the attribute's range: positions to the scale, salience to
[0, 1], capability to [0, inf) (engines use capability only relative to other actors, and a coalition's
pooled capability may exceed any single actor's).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import numpy as np

from accord.engines.base import Problem

__all__ = ["Batch", "apply_intervention", "apply_interventions"]

# The arrays interventions edit are a batched :class:`Problem` with per-issue capability
# (``Problem.per_issue()``; ``Problem.compact()`` collapses it again). ``Batch`` is kept as a name for it.
Batch = Problem


def _rows(batch: Batch, rows: np.ndarray | None) -> np.ndarray:
    if rows is None:
        return np.ones(batch.n_draws, dtype=bool)
    rows = np.asarray(rows, dtype=bool)
    if rows.shape != (batch.n_draws,):
        raise ValueError(f"rows mask has shape {rows.shape}, expected ({batch.n_draws},)")
    return rows


def _update_cell(batch: Batch, iv: Any, rows: np.ndarray | None, new_values) -> Batch:
    """Replace ``attribute[rows, actor, issues]`` by ``new_values(old)`` (clipped), leave the rest alone."""
    a = batch.actor_index(iv.actor)
    mask = batch.issue_mask(iv.issue)
    arr = batch.attribute(iv.attribute)
    lo, hi = batch.bounds(iv.attribute)
    old = arr[:, a, :]
    new = np.clip(new_values(old), lo, hi)
    where = _rows(batch, rows)[:, None] & mask[None, :]
    out = arr.copy()
    out[:, a, :] = np.where(where, new, old)
    return batch.with_attribute(iv.attribute, out)


def _set(batch: Batch, iv: Any, rows: np.ndarray | None) -> Batch:
    return _update_cell(batch, iv, rows, lambda old: np.full_like(old, float(iv.value)))


def _shift(batch: Batch, iv: Any, rows: np.ndarray | None) -> Batch:
    return _update_cell(batch, iv, rows, lambda old: old + float(iv.by))


def _scale(batch: Batch, iv: Any, rows: np.ndarray | None) -> Batch:
    factor = float(iv.factor)
    if iv.attribute != "position":
        return _update_cell(batch, iv, rows, lambda old: old * factor)
    pivot = (
        batch.status_quo
        if iv.about in (None, "status_quo")
        else np.full_like(batch.status_quo, float(iv.about))
    )
    return _update_cell(batch, iv, rows, lambda old: pivot + factor * (old - pivot))


def _align(batch: Batch, iv: Any, rows: np.ndarray | None) -> Batch:
    a, b = batch.actor_index(iv.actor), batch.actor_index(iv.with_)
    mask = batch.issue_mask(iv.issue)
    weight = float(iv.weight)
    pos = batch.positions
    target = (1.0 - weight) * pos[:, a, :] + weight * pos[:, b, :]
    where = _rows(batch, rows)[:, None] & mask[None, :]
    out = pos.copy()
    out[:, a, :] = np.clip(np.where(where, target, pos[:, a, :]), *batch.scale)
    return replace(batch, positions=out)


def _add_actor(batch: Batch, iv: Any, rows: np.ndarray | None) -> Batch:
    if rows is not None:
        raise ValueError("add_actor changes the table and cannot apply to some draws only")
    if iv.actor in batch.actors:
        raise ValueError(f"actor {iv.actor!r} is already at the table")
    for issue in (*iv.position, *iv.salience):
        batch.issue_mask(issue)
    d = batch.n_draws
    pos = batch.status_quo.copy()  # [D, I]
    sal = np.zeros_like(pos)
    for j, issue in enumerate(batch.issues):
        if issue in iv.position:
            pos[:, j] = float(iv.position[issue])
        if issue in iv.salience:
            sal[:, j] = float(iv.salience[issue])
    cap = np.full((d, len(batch.issues)), float(iv.capability))
    present = None
    if batch.present is not None:
        held = np.broadcast_to(np.array([i in iv.position for i in batch.issues]), (d, len(batch.issues)))
        present = np.concatenate([batch.present, held[:, None, :]], axis=1)
    return replace(
        batch,
        positions=np.concatenate([batch.positions, pos[:, None, :]], axis=1),
        salience=np.concatenate([batch.salience, sal[:, None, :]], axis=1),
        capability=np.concatenate([batch.capability, cap[:, None, :]], axis=1),
        actors=batch.actors + (iv.actor,),
        present=present,
    )


def _remove_actor(batch: Batch, iv: Any, rows: np.ndarray | None) -> Batch:
    if rows is not None:
        raise ValueError("remove_actor changes the table and cannot apply to some draws only")
    a = batch.actor_index(iv.actor)
    if len(batch.actors) == 1:
        raise ValueError("cannot remove the last actor")
    keep = [k for k in range(len(batch.actors)) if k != a]
    return replace(
        batch,
        positions=batch.positions[:, keep, :],
        salience=batch.salience[:, keep, :],
        capability=batch.capability[:, keep, :],
        actors=tuple(batch.actors[k] for k in keep),
        present=None if batch.present is None else batch.present[:, keep, :],
    )


def _coalition(batch: Batch, iv: Any, rows: np.ndarray | None) -> Batch:
    """Members become one actor in the first member's row: pooled capability, a common position."""
    if rows is not None:
        raise ValueError("coalition changes the table and cannot apply to some draws only")
    idx = [batch.actor_index(m) for m in iv.members]
    if len(set(idx)) != len(idx):
        raise ValueError("coalition members must be distinct")
    pos, sal, cap = batch.positions[:, idx, :], batch.salience[:, idx, :], batch.capability[:, idx, :]
    pooled_cap = cap.sum(axis=1)  # [D, I]
    safe_cap = np.where(pooled_cap > 0, pooled_cap, 1.0)
    pooled_sal = np.where(pooled_cap > 0, (cap * sal).sum(axis=1) / safe_cap, sal.mean(axis=1))
    if iv.position == "weighted":
        w = cap * sal
        total = w.sum(axis=1)
        mean = (w * pos).sum(axis=1) / np.where(total > 0, total, 1.0)
        common = np.where(total > 0, mean, pos.mean(axis=1))
    else:
        common = pos[:, iv.members.index(iv.position), :]
    first = min(idx)
    keep = [k for k in range(len(batch.actors)) if k not in idx or k == first]
    new_pos, new_sal, new_cap = batch.positions.copy(), batch.salience.copy(), batch.capability.copy()
    new_pos[:, first, :] = np.clip(common, *batch.scale)
    new_sal[:, first, :] = np.clip(pooled_sal, 0.0, 1.0)
    new_cap[:, first, :] = pooled_cap
    names = list(batch.actors)
    names[first] = iv.id
    present = None
    if batch.present is not None:  # the coalition holds a position wherever a member does
        present = batch.present.copy()
        present[:, first, :] = batch.present[:, idx, :].any(axis=1)
        present = present[:, keep, :]
    return replace(
        batch,
        positions=new_pos[:, keep, :],
        salience=new_sal[:, keep, :],
        capability=new_cap[:, keep, :],
        actors=tuple(names[k] for k in keep),
        present=present,
    )


_APPLY = {
    "set": _set,
    "shift": _shift,
    "scale": _scale,
    "align": _align,
    "add_actor": _add_actor,
    "remove_actor": _remove_actor,
    "coalition": _coalition,
}


def apply_intervention(batch: Batch, iv: Any, rows: np.ndarray | None = None) -> Batch:
    """Apply one intervention (an object with ``kind`` and its fields) to ``batch``.

    ``rows`` (boolean ``[D]``) limits a value change to some draws; changes of the table itself
    (``add_actor``, ``remove_actor``, ``coalition``) always apply to every draw.
    """
    try:
        fn = _APPLY[iv.kind]
    except KeyError:
        raise ValueError(f"{iv.kind!r} is not an intervention that changes arrays") from None
    return fn(batch, iv, rows)


def apply_interventions(batch: Batch, interventions: Iterable[Any]) -> Batch:
    """Apply the static interventions in order (triggers are skipped: they act inside the run)."""
    for iv in interventions:
        if iv.kind != "trigger":
            batch = apply_intervention(batch, iv)
    return batch
