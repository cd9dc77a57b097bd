"""Re-weighted compromise models (second-round candidates, docs/validation.md section 1b).

The compromise model weights each actor by capability x salience. These variants change the weights
and fit the change on outcomes, by plain grid search on the training issues' MAE:

- salience enters as ``salience ** g`` (``g`` from :data:`GAMMAS`);
- the Commission's and the Parliament's weights are multiplied by factors from :data:`FACTORS`, one pair
  for codecision and one for the other procedures. Where the procedure is unknown, or the problem has
  neither institution, the factors are 1 (the plain compromise).

Rows carry each issue's actors as ``_x`` (positions), ``_s`` (salience), ``_c`` (capability) and
``_role`` (0 a member state or any other actor, 1 the Commission, 2 the Parliament), and ``procedure``
(1 codecision, 0 another procedure, -1 unknown); see :func:`accord.validation.features.issue_features`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["GAMMAS", "FACTORS", "fit_weighted", "predict_weighted"]

GAMMAS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0)
FACTORS = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)


def _row_sums(r: dict[str, Any], gammas: tuple[float, ...]) -> np.ndarray:
    """``[G, 3 roles, 2]``: sum of w * x and of w per role; cached in the row (cross-validation refits
    often)."""
    cache = r.setdefault("_sums_cache", {})
    if gammas not in cache:
        x, s, c, role = (np.asarray(r[k], float) for k in ("_x", "_s", "_c", "_role"))
        g = np.asarray(gammas)[:, None]
        w = c * np.where(
            g > 0, np.where(s > 0, s, 0.0) ** np.maximum(g, 1e-300), (s > 0).astype(float)
        )  # [G, A]
        onehot = (role[None, :] == np.arange(3)[:, None]).astype(float)  # [3, A]
        cache[gammas] = np.stack([(w * x) @ onehot.T, w @ onehot.T], axis=-1)
    return cache[gammas]


def _sums(rows: list[dict[str, Any]], gammas: tuple[float, ...]) -> np.ndarray:
    """``[N, G, 3 roles, 2]``: per issue and exponent, sum of w * x and of w for each role."""
    return np.stack([_row_sums(r, gammas) for r in rows])


def _predict(sums: np.ndarray, fallback: np.ndarray, fc: np.ndarray, fe: np.ndarray) -> np.ndarray:
    """Weighted means for factor arrays broadcast against ``sums[..., role, 0/1]``."""
    num = sums[..., 0, 0] + fc * sums[..., 1, 0] + fe * sums[..., 2, 0]
    den = sums[..., 0, 1] + fc * sums[..., 1, 1] + fe * sums[..., 2, 1]
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), fallback)


def fit_weighted(
    rows: list[dict[str, Any]], y: np.ndarray, power: bool, institutions: bool
) -> dict[str, Any]:
    """Grid-search the exponent and/or the institution factors that minimise the training MAE."""
    gammas = GAMMAS if power else (1.0,)
    factors = np.array(FACTORS if institutions else (1.0,))
    sums = _sums(rows, gammas)  # [N, G, 3, 2]
    fallback = np.array([r["compromise"] for r in rows])
    proc = np.array([r.get("procedure", -1.0) for r in rows])
    fc, fe = np.meshgrid(factors, factors, indexing="ij")  # [F, F]
    best: tuple[float, float, dict[str, list[float]]] | None = None
    for g, gamma in enumerate(gammas):
        pred = _predict(sums[:, g, None, None], fallback[:, None, None], fc, fe)  # [N, F, F]
        err = np.abs(np.clip(pred, 0, 100) - y[:, None, None])
        total, chosen = 0.0, {}
        for label, mask in (("codecision", proc == 1), ("other", proc == 0)):
            if mask.any():
                per = err[mask].sum(axis=0)
                i, j = np.unravel_index(
                    np.argmin(per + 1e-9 * (np.abs(np.log(fc + 1e-3)) + np.abs(np.log(fe + 1e-3)))), per.shape
                )
                chosen[label] = [float(factors[i]), float(factors[j])]
                total += float(per[i, j])
            else:
                chosen[label] = [1.0, 1.0]
        total += (
            float(err[proc == -1][:, factors.tolist().index(1.0), factors.tolist().index(1.0)].sum())
            if (proc == -1).any()
            else 0.0
        )
        if best is None or total < best[0] - 1e-9:
            best = (total, gamma, chosen)
    assert best is not None
    return {"kind": "weighted", "gamma": best[1], "factors": best[2]}


def predict_weighted(fitted: dict[str, Any], rows: list[dict[str, Any]]) -> np.ndarray:
    """Point forecasts of a fitted re-weighted compromise (0-100)."""
    sums = _sums(rows, (float(fitted["gamma"]),))[:, 0]
    fallback = np.array([r["compromise"] for r in rows])
    out = np.empty(len(rows))
    for n, r in enumerate(rows):
        proc = r.get("procedure", -1.0)
        fc, fe = fitted["factors"]["codecision" if proc == 1 else "other"] if proc in (0, 1) else (1.0, 1.0)
        out[n] = _predict(sums[n], fallback[n], np.float64(fc), np.float64(fe))
    return np.clip(out, 0.0, 100.0)
