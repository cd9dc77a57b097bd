"""The fitted forecaster: a stacked model of engine forecasts and simple features, with calibrated intervals.

What it is (docs/validation.md): per issue, a point forecast from one of the candidate models
(:data:`CANDIDATES`) fitted on DEU III outcomes, and a forecast distribution made of that point plus the
model's *cross-validated* errors on the development file (separately for yes/no issues and for the
others, since their errors differ), clipped to the scale. The median, and the central interval, of that
distribution are the forecast.

:func:`forecast` works on any unbatched problem: any number of actors and issues, any scale (the problem
is mapped to 0-100, the scale the model was fitted on, and back). A model fitted on features the problem
does not have (the Commission, the Parliament and the Council exist only in EU data) falls back to the
candidate fitted without them, and the result says which model answered each issue.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from accord.engines.base import Problem
from accord.validation.exchange import exchange_outcomes
from accord.validation.features import EU, is_dichotomous, issue_column, issue_features
from accord.validation.weighted import fit_weighted, predict_weighted

__all__ = [
    "CANDIDATES",
    "Forecast",
    "fit_candidate",
    "predict_candidate",
    "distribution",
    "forecast",
    "issue_classes",
    "load_params",
    "with_model_error",
    "PARAMS_FILE",
]

PARAMS_FILE = "forecaster_params.json"
LAD = ("const", "compromise", "median", "smp", "status_quo", "sq_missing", "dichotomous", "spread")
CANDIDATES: dict[str, dict[str, Any]] = {
    "compromise": {"kind": "fixed"},
    "switch": {"kind": "fixed"},
    "blend": {"kind": "blend", "columns": ("compromise", "median", "smp", "status_quo", "midpoint")},
    "lad": {"kind": "lad", "columns": LAD},
    "lad_eu": {"kind": "lad", "columns": LAD + EU},
    # second round (docs/validation.md, section 1b)
    "powered": {"kind": "weighted", "power": True, "institutions": False},
    "institutions": {"kind": "weighted", "power": False, "institutions": True},
    "powered_institutions": {"kind": "weighted", "power": True, "institutions": True},
    # third round (section 1c)
    "exchange": {"kind": "fixed"},
}
FALLBACK = {"lad_eu": "lad"}
MIN_CLASS_RESIDUALS = 10
N_SAMPLES = 200  # forecast distributions are 200 quantiles of the residuals (a fixed grid)


def _column(rows: list[dict[str, float]], name: str) -> np.ndarray:
    if name == "const":
        return np.ones(len(rows))
    return np.array([r.get(name, r["compromise"]) for r in rows], dtype=float)


def design(rows: list[dict[str, float]], columns: tuple[str, ...]) -> np.ndarray:
    """Feature matrix; an EU feature absent from a row takes the row's compromise (the pre-registered
    rule)."""
    return np.column_stack([_column(rows, c) for c in columns])


def _lad(x: np.ndarray, y: np.ndarray, convex: bool) -> np.ndarray:
    """Least absolute deviations; ``convex``: coefficients >= 0 summing to 1 (a blend of forecasts)."""
    n, p = x.shape
    cost = np.concatenate([np.zeros(p), np.ones(2 * n)])
    a_eq = np.hstack([x, np.eye(n), -np.eye(n)])
    b_eq = y
    bounds = [(0, None) if convex else (None, None)] * p + [(0, None)] * (2 * n)
    if convex:
        a_eq = np.vstack([a_eq, np.concatenate([np.ones(p), np.zeros(2 * n)])])
        b_eq = np.append(y, 1.0)
    from scipy.optimize import linprog  # only for fitting: loading SciPy costs ~0.3 s per command

    res = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if not res.success:
        raise RuntimeError(f"the LAD fit failed: {res.message}")
    return res.x[:p]


def fit_candidate(name: str, rows: list[dict[str, float]], outcome: np.ndarray) -> dict[str, Any]:
    """Fitted parameters of candidate ``name`` (a JSON-able dict)."""
    spec = CANDIDATES[name]
    if spec["kind"] == "fixed":
        return {"kind": "fixed"}
    if spec["kind"] == "weighted":
        return fit_weighted(rows, np.asarray(outcome, float), spec["power"], spec["institutions"])
    columns = spec["columns"]
    coef = _lad(design(rows, columns), np.asarray(outcome, float), convex=spec["kind"] == "blend")
    return {"kind": spec["kind"], "columns": list(columns), "coef": [float(c) for c in coef]}


def predict_candidate(name: str, fitted: dict[str, Any], rows: list[dict[str, float]]) -> np.ndarray:
    """Point forecasts on the 0-100 scale."""
    if name == "compromise":
        pred = _column(rows, "compromise")
    elif name == "exchange":
        pred = _column(rows, "exchange")
    elif name == "switch":
        pred = np.where(
            _column(rows, "dichotomous") > 0.5, _column(rows, "median"), _column(rows, "compromise")
        )
    elif fitted["kind"] == "weighted":
        pred = predict_weighted(fitted, rows)
    else:
        pred = design(rows, tuple(fitted["columns"])) @ np.asarray(fitted["coef"])
    return np.clip(pred, 0.0, 100.0)


def residual_classes(rows: list[dict[str, float]]) -> np.ndarray:
    return np.array(["dichotomous" if r["dichotomous"] > 0.5 else "continuous" for r in rows])


def distribution(point: np.ndarray, classes: np.ndarray, residuals: dict[str, list[float]]) -> np.ndarray:
    """``[N, S]`` forecast samples: each point plus its class's cross-validated residuals, clipped to 0-100.

    A class with fewer than :data:`MIN_CLASS_RESIDUALS` residuals uses all residuals (too few to trust).
    """
    pooled = np.concatenate([np.asarray(v, float) for v in residuals.values()])
    grid = (np.arange(N_SAMPLES) + 0.5) / N_SAMPLES
    out = np.empty((len(point), N_SAMPLES))
    for k, (p, c) in enumerate(zip(point, classes, strict=True)):
        own = np.asarray(residuals.get(c, []), float)
        res = own if own.size >= MIN_CLASS_RESIDUALS else pooled
        out[k] = np.clip(p + np.quantile(res, grid), 0.0, 100.0)
    return out


@dataclass(frozen=True)
class Forecast:
    """What :func:`forecast` returns, one entry per issue, on the problem's own scale."""

    issues: tuple[str, ...]
    median: np.ndarray
    low: np.ndarray
    high: np.ndarray
    point: np.ndarray
    level: float
    model: tuple[str, ...]
    samples: np.ndarray

    def as_dict(self) -> list[dict[str, Any]]:
        return [
            {
                "issue": i,
                "median": float(m),
                "low": float(lo),
                "high": float(hi),
                "point": float(p),
                "model": mo,
                "level": self.level,
            }
            for i, m, lo, hi, p, mo in zip(
                self.issues, self.median, self.low, self.high, self.point, self.model, strict=True
            )
        ]


def load_params(path: str | Path | None = None) -> dict[str, Any]:
    """The shipped parameters (package data), or those of a file written by ``accord backtest fit``."""
    if path is not None:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    return json.loads(resources.files("accord.validation").joinpath(PARAMS_FILE).read_text(encoding="utf-8"))


def _to_percent(problem: Problem) -> Problem:
    lo, hi = problem.scale
    f = 100.0 / (hi - lo)
    return Problem(
        positions=(problem.positions - lo) * f,
        salience=problem.salience,
        capability=problem.capability,
        status_quo=(problem.status_quo - lo) * f,
        actors=problem.actors,
        issues=problem.issues,
        scale=(0.0, 100.0),
    )


def _exchange(problem: Problem) -> np.ndarray:
    """The exchange model over all issues of a problem (actors with salience 0 on an issue are absent)."""
    x = np.where(problem.salience > 0, problem.positions, np.nan)
    cap = problem.capability if problem.capability.ndim == 1 else problem.capability.mean(axis=1)
    return exchange_outcomes(x, problem.salience, cap)


def _answering_model(selected: str, row: dict[str, float], params: dict[str, Any]) -> str:
    name = selected
    while name in FALLBACK and not all(c in row for c in EU):
        name = FALLBACK[name]
    return name if name in params["candidates"] else "compromise"


def forecast(problem: Problem, params: dict[str, Any] | None = None, level: float = 0.8) -> Forecast:
    """Per-issue forecast distribution of any unbatched problem: median and central ``level`` interval.

    ``params`` defaults to the shipped ones (:func:`load_params`). Issues are forecast one at a time
    (actors with salience 0 on an issue take no part in it), each by the selected model or its fallback.
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level}")
    params = params or load_params()
    lo, hi = problem.scale
    if not hi > lo:
        raise ValueError(f"the problem's scale {problem.scale} is empty")
    pct = _to_percent(problem)
    chain = {params["selected"], *FALLBACK.get(params["selected"], "").split()}
    uses_smp = any("smp" in params["candidates"].get(n, {}).get("columns", ()) for n in chain)
    rows = [
        issue_features(issue_column(pct, j), smp=None if uses_smp else math.nan) for j in range(pct.n_issues)
    ]
    if "exchange" in chain:
        traded = _exchange(pct)
        for row, value in zip(rows, traded, strict=True):
            row["exchange"] = float(value)
    names = tuple(_answering_model(params["selected"], r, params) for r in rows)
    point = np.array(
        [predict_candidate(n, params["candidates"][n], [r])[0] for n, r in zip(names, rows, strict=True)]
    )
    classes = residual_classes(rows)
    samples = np.vstack(
        [
            distribution(point[k : k + 1], classes[k : k + 1], params["residuals"][names[k]])
            for k in range(len(rows))
        ]
    )
    tail = (1.0 - level) / 2.0
    back = (hi - lo) / 100.0
    return Forecast(
        issues=problem.issues or tuple(f"issue-{j + 1}" for j in range(problem.n_issues)),
        median=lo + back * np.median(samples, axis=1),
        low=lo + back * np.quantile(samples, tail, axis=1),
        high=lo + back * np.quantile(samples, 1.0 - tail, axis=1),
        point=lo + back * point,
        level=level,
        model=names,
        samples=lo + back * samples,
    )


# ---------------------------------------------------------------------------------------------------
# The measured model error on top of a case's own draws (the default forecast of accord run and answer)
# ---------------------------------------------------------------------------------------------------


def issue_classes(problem: Problem) -> np.ndarray:
    """The residual class of each issue of a problem (a batched one is read at its first draw, the point
    estimates): ``dichotomous`` when every position taken (and the status quo) sits at an end of the
    scale, else ``continuous``. Actors absent from an issue (``Problem.present``, or salience 0) take no
    part in it, as in the backtest."""
    b = problem.batched()
    present = b.present_mask()[0] & (b.salience[0] > 0)
    out = []
    for j in range(b.n_issues):
        keep = present[:, j]
        one = Problem(
            positions=b.positions[0][keep, j : j + 1],
            salience=b.salience[0][keep, j : j + 1],
            capability=np.ones(int(keep.sum())),
            status_quo=b.status_quo[0, j : j + 1],
            scale=problem.scale,
        )
        out.append("dichotomous" if keep.any() and is_dichotomous(one) else "continuous")
    return np.array(out)


def with_model_error(
    draws: np.ndarray,
    problem: Problem,
    seed: int = 0,
    params: dict[str, Any] | None = None,
    model: str = "compromise",
) -> np.ndarray:
    """``[D, I]`` forecast draws plus, per draw and issue, one residual of ``model`` sampled from its
    shipped cross-validated DEU residuals (by the issue's class, :func:`issue_classes`; a class with
    fewer than :data:`MIN_CLASS_RESIDUALS` uses them all), mapped from 0-100 to the problem's scale and
    clipped to it. The draws carry the case's input uncertainty; the residuals the error the model made
    on outcomes it never saw, so the spread of the result holds both. Seeded: the same ``seed`` gives the
    same residuals, drawn from a stream of their own (the input draws do not shift)."""
    params = params or load_params()
    table = params["residuals"][model]
    pooled = np.concatenate([np.asarray(v, float) for v in table.values()])
    lo, hi = problem.scale
    rng = np.random.default_rng([int(seed), 0x6D65])  # a stream apart from the input draws' blocks
    draws = np.asarray(draws, float)
    out = np.empty_like(draws)
    for j, cls in enumerate(issue_classes(problem)):
        own = np.asarray(table.get(str(cls), []), float)
        res = own if own.size >= MIN_CLASS_RESIDUALS else pooled
        picked = rng.choice(res, size=draws.shape[0], replace=True)
        out[:, j] = np.clip(draws[:, j] + picked * (hi - lo) / 100.0, lo, hi)
    return out
