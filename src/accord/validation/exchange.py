"""A vote-exchange model in the manner of Stokman & Van Oosten (1994), from its published description.

Issues negotiated together (one EU proposal, or all issues of a case) allow trades: actor ``i`` gives
ground on an issue it cares less about, actor ``k`` on another, and both expect a better outcome. The
expected outcome of an issue is the compromise (capability x salience weighted mean); moving actor
``a`` by one point on issue ``j`` moves it by ``w_aj / W_j``. Utilities are linear losses weighted by
salience. For ``i`` moving by ``d_i`` on ``j`` towards ``k`` and ``k`` moving by ``d_k`` on ``l``
towards ``i`` (the two on opposite sides of the expected outcome on both issues):

- ``k`` gains ``s_kj * e_ij`` and ``i`` loses ``s_ij * e_ij`` per point of ``d_i`` (``e = w / W``);
- ``i`` gains ``s_il * e_kl`` and ``k`` loses ``s_kl * e_kl`` per point of ``d_k``;
- the equal-gain rule fixes ``d_k / d_i`` so that both gain the same, which is positive exactly when
  ``s_kj * s_il > s_ij * s_kl`` (each gives where it cares relatively less);
- the shifts are as large as allowed: nobody moves past its partner's position.

The exchange with the largest gain is made first, positions and expected outcomes are updated, and
the search repeats; each actor shifts on each issue at most once, so it ends. The forecast is the
compromise of the final positions.
"""

from __future__ import annotations

import numpy as np

__all__ = ["exchange_outcomes"]

MIN_GAIN = 1e-9


def _outcome(x: np.ndarray, w: np.ndarray, total: np.ndarray) -> np.ndarray:
    return np.where(total > 0, (w * np.nan_to_num(x)).sum(axis=0) / np.where(total > 0, total, 1.0), 50.0)


def exchange_outcomes(positions: np.ndarray, salience: np.ndarray, capability: np.ndarray) -> np.ndarray:
    """Forecast ``[I]`` of issues traded together; ``positions`` ``[A, I]`` with NaN where an actor is absent.

    An issue nobody weighs keeps the plain mean of its positions (or 50 with none). With one issue, or no
    profitable exchange, this is the compromise.
    """
    x = np.array(positions, dtype=float)
    present = ~np.isnan(x)
    w = np.where(present, np.asarray(capability, float)[:, None] * np.asarray(salience, float), 0.0)
    s = np.where(present, np.asarray(salience, float), 0.0)
    total = w.sum(axis=0)
    n_actors, n_issues = x.shape
    if n_issues < 2:
        return _outcome(x, w, total)
    eff = np.where(total > 0, w / np.where(total > 0, total, 1.0), 0.0)  # [A, I]
    free = present.copy()  # may still shift on this issue
    diff_issue = ~np.eye(n_issues, dtype=bool)[None, None]  # j != l
    for _ in range(n_actors * n_issues):
        out = _outcome(x, w, total)
        side = np.where(present, np.sign(np.nan_to_num(x) - out), 0.0)  # [A, I]
        # indices [i, k, j, l]: i shifts on j, k shifts on l
        opposite = (side[:, None, :] * side[None, :, :]) < 0  # [i, k, I]
        ok = opposite[:, :, :, None] & opposite[:, :, None, :] & diff_issue
        ok &= free[:, None, :, None] & free[None, :, None, :]
        if not ok.any():
            break
        g_kj = s[None, :, :, None] * eff[:, None, :, None]  # k's gain per point of i's shift on j
        l_ij = s[:, None, :, None] * eff[:, None, :, None]  # i's loss
        g_il = s[:, None, None, :] * eff[None, :, None, :]  # i's gain per point of k's shift on l
        l_kl = s[None, :, None, :] * eff[None, :, None, :]  # k's loss
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(ok, (g_kj + l_ij) / (g_il + l_kl), 0.0)  # d_k / d_i
            unit = g_kj - ratio * l_kl  # each side's gain per point of d_i
            gap_j = np.abs(np.nan_to_num(x)[:, None, :] - np.nan_to_num(x)[None, :, :])[:, :, :, None]
            gap_l = np.abs(np.nan_to_num(x)[:, None, :] - np.nan_to_num(x)[None, :, :])[:, :, None, :]
            d_i = np.where(ok & (ratio > 0), np.minimum(gap_j, gap_l / np.where(ratio > 0, ratio, 1.0)), 0.0)
            gain = np.where(ok & (unit > 0), unit * d_i, 0.0)
        best = np.unravel_index(int(np.argmax(gain)), gain.shape)
        if gain[best] <= MIN_GAIN:
            break
        i, k, j, l_ = best
        x[i, j] += np.sign(x[k, j] - x[i, j]) * d_i[best]
        x[k, l_] += np.sign(x[i, l_] - x[k, l_]) * ratio[best] * d_i[best]
        free[i, j] = free[k, l_] = False
    # shifts stay between partners' positions, so the outcome stays inside the positions' range
    # (clipping removes only floating-point excess)
    lo = np.where(present, positions, np.inf).min(axis=0)
    hi = np.where(present, positions, -np.inf).max(axis=0)
    out = _outcome(x, w, total)
    return np.where(present.any(axis=0), np.clip(out, np.minimum(lo, hi), np.maximum(lo, hi)), out)
