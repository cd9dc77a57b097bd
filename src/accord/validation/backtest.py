"""The DEU backtest driver: every model on every issue of a file, scored against the recorded outcomes.

``run_deu(path)`` returns the report that ``accord backtest deu`` prints (the JSON layout of issue 9).
The forecaster is scored honestly in every mode:

- ``train`` given: the whole forecaster procedure (choice of candidate, fit, interval calibration) is
  fitted on the training file only, then scored on ``path``; ``path`` is read only after the fit;
- no ``train``, and ``path`` holds issues the shipped parameters were fitted on: the forecaster is
  scored by nested cross-validation grouped by proposal inside ``path`` (its name says ``(cv)``);
- otherwise: the shipped parameters, fitted on the development file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accord.formats.deu import DeuData, DeuFormatError, read_deu
from accord.validation import cv, metrics
from accord.validation.exchange import exchange_outcomes
from accord.validation.features import issue_features
from accord.validation.forecaster import distribution, load_params, predict_candidate, residual_classes
from accord.validation.models import MODELS, ModelSpec, predict_many, select
from accord.validation.problems import issue_problem, participants

__all__ = ["Prepared", "prepare", "run_deu", "fit_params", "score_models", "N_BOOT", "TooFewProposals"]

N_BOOT = 2000
Progress = Callable[[str], None]


@dataclass
class Prepared:
    """One file's issues with an outcome: every model's forecasts and the forecaster's feature rows."""

    data: DeuData
    issues: list[str]
    groups: np.ndarray
    outcome: np.ndarray
    has_sq: np.ndarray
    forecasts: dict[str, np.ndarray]
    rows: list[dict[str, float]]


def _sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def prepare(data: DeuData, specs: list[ModelSpec], progress: Progress | None = None) -> Prepared:
    """Run ``specs`` (and the SMP the features need) on every scored issue of ``data``."""
    scored = data.scored()
    if not scored:
        raise DeuFormatError(
            data.path, "no issue has an outcome", None, "out", "a backtest scores issues with an outcome"
        )
    problems = {cap: [issue_problem(data, i, cap) for i in scored] for cap in ("equal", "weights")}
    forecasts: dict[str, np.ndarray] = {}
    needed = {m.name: m for m in specs}
    needed.setdefault("smp", next(m for m in MODELS if m.name == "smp"))
    for spec in needed.values():
        if spec.per_proposal:
            forecasts[spec.name] = exchange_by_proposal(data, scored)
        else:
            forecasts[spec.name] = predict_many(spec, [p.problem for p in problems[spec.capability]])
        if progress:
            progress(spec.name)
    eq = problems["equal"]
    rows = [
        issue_features(p.problem, p.has_status_quo, smp=s, procedure=p.issue.meta.get("proc"))
        for p, s in zip(eq, forecasts["smp"], strict=True)
    ]
    traded = forecasts["exchange"] if "exchange" in forecasts else exchange_by_proposal(data, scored)
    for row, value in zip(rows, traded, strict=True):
        row["exchange"] = float(value)
    return Prepared(
        data=data,
        issues=[i.issue for i in scored],
        groups=np.array([i.proposal for i in scored]),
        outcome=np.array([i.outcome for i in scored], dtype=float),
        has_sq=np.array([p.has_status_quo for p in eq]),
        forecasts={k: v for k, v in forecasts.items() if k in {m.name for m in specs}},
        rows=rows,
    )


MIN_PROPOSALS = 10


class TooFewProposals(ValueError):
    """A file too small to cross-validate the forecaster on (it needs proposals to leave out)."""


def exchange_by_proposal(data: DeuData, scored: tuple) -> np.ndarray:
    """The exchange model on every proposal's issues together (equal capability), for the scored issues."""
    value: dict[str, float] = {}
    for proposal in data.proposals:
        issues = [i for i in data.issues if i.proposal == proposal]
        x = np.full((len(data.actors), len(issues)), np.nan)
        s = np.zeros_like(x)
        for j, issue in enumerate(issues):
            ip = issue_problem(data, issue, "equal")
            mask = participants(issue)
            x[mask, j] = ip.problem.positions[:, 0]
            s[mask, j] = ip.problem.salience[:, 0]
        out = exchange_outcomes(x, s, np.ones(len(data.actors)))
        value.update({i.issue: float(o) for i, o in zip(issues, out, strict=True)})
    return np.array([value[i.issue] for i in scored])


def fit_params(prep: Prepared, seed: int = 0) -> dict[str, Any]:
    """The forecaster's parameters fitted on a prepared file (what ``accord backtest fit`` writes)."""
    n_prop = len(set(prep.groups.tolist()))
    if n_prop < MIN_PROPOSALS:
        raise TooFewProposals(
            f"{prep.data.path}: {n_prop} proposals with an outcome; fitting the forecaster "
            f"needs at least {MIN_PROPOSALS} (its intervals come from cross-validation)"
        )
    params = cv.fit_all(prep.rows, prep.outcome, prep.groups, seed)
    params["trained_on"] = {
        "file": Path(prep.data.path).name,
        "sha256": _sha256(prep.data.path),
        "issues": len(prep.issues),
        "proposals": len(set(prep.groups.tolist())),
        "issue_ids": prep.issues,
        "seed": seed,
    }
    return {"format": "accord-forecaster/1", **params}


def _forecaster_scores(prep: Prepared, params: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    name = params["selected"]
    point = predict_candidate(name, params["candidates"][name], prep.rows)
    return point, distribution(point, residual_classes(prep.rows), params["residuals"][name])


def _model_entry(
    name: str,
    point: np.ndarray,
    prep: Prepared,
    mask: np.ndarray,
    base_err: np.ndarray,
    seed: int,
    samples: np.ndarray | None = None,
) -> dict[str, Any]:
    y, g = prep.outcome[mask], prep.groups[mask]
    err = np.abs(point[mask] - y)
    s = metrics.point_scores(point[mask], y)
    delta, lo, hi = metrics.paired_delta_ci(err, base_err[mask], g, N_BOOT, seed)
    dich = np.array([r["dichotomous"] > 0.5 for r in prep.rows])[mask]
    entry: dict[str, Any] = {
        "name": name,
        "issues": s.n,
        "not_scored": int((~mask).sum()),
        "mae": s.mae,
        "rmse": s.rmse,
        "median_ae": s.median_ae,
        "within10": s.within10,
        "within20": s.within20,
        "mae_ci95": list(metrics.group_bootstrap_ci(err, g, N_BOOT, seed)),
        "delta_vs_compromise": delta,
        "delta_ci95": [lo, hi],
    }
    for label, part in (("dichotomous", dich), ("continuous", ~dich)):
        entry[label] = {"issues": int(part.sum()), "mae": float(err[part].mean()) if part.any() else 0.0}
    if samples is not None:
        smp = samples[mask]
        cover = {}
        for level in metrics.LEVELS:
            tail = (1 - level) / 2
            lo_q, hi_q = np.quantile(smp, tail, axis=1), np.quantile(smp, 1 - tail, axis=1)
            cover[f"{round(level * 100)}"] = metrics.interval_coverage(lo_q, hi_q, y)
        entry["coverage"] = cover
        entry["crps"] = float(metrics.crps_sample(smp, y).mean())
    return entry


def score_models(
    prep: Prepared,
    specs: list[ModelSpec],
    extra: dict[str, tuple[np.ndarray, np.ndarray | None]],
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Table entries for every model; ``extra``: name -> (points, samples) of fitted models."""
    base_err = np.abs(prep.forecasts["compromise"] - prep.outcome)
    entries = []
    for spec in specs:
        mask = prep.has_sq if spec.needs_status_quo else np.ones(len(prep.issues), bool)
        entries.append(_model_entry(spec.name, prep.forecasts[spec.name], prep, mask, base_err, seed))
    for name, (point, samples) in extra.items():
        entries.append(
            _model_entry(name, point, prep, np.ones(len(prep.issues), bool), base_err, seed, samples)
        )
    return entries


def run_deu(
    path: str | Path,
    train: str | Path | None = None,
    models: list[str] | None = None,
    seed: int = 0,
    params: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Backtest every selected model on the DEU file ``path`` (see the module docstring)."""
    specs, with_forecaster = select(models)
    extra: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
    mode = "none"
    if with_forecaster and train is not None:
        train_prep = prepare(read_deu(train), [m for m in MODELS if m.name == "compromise"], progress)
        params = fit_params(train_prep, seed)
        mode = "trained on " + Path(train).name
    prep = prepare(read_deu(path), specs, progress)
    if train is not None and params is not None:
        shared = set(params["trained_on"]["issue_ids"]) & set(prep.issues)
        if shared:
            mode += f" ({len(shared)} scored issues are also in the training file: not out of sample)"
    name = "forecaster"
    if with_forecaster:
        if params is None:
            params = load_params()
            seen = set(params["trained_on"].get("issue_ids", []))
            if seen & set(prep.issues):
                mode = "nested cross-validation (the shipped fit saw these issues)"
        if mode.startswith("nested"):
            if len(set(prep.groups.tolist())) < MIN_PROPOSALS:
                raise TooFewProposals(
                    f"{path}: too few proposals to cross-validate the forecaster on; "
                    "leave it out (--models) or pass --train"
                )
            res = cv.nested_select(prep.rows, prep.outcome, prep.groups, seed)
            extra[name + " (cv)"] = (res.point, res.samples)
            name += " (cv)"
        else:
            mode = mode if mode != "none" else "shipped parameters"
            extra[name] = _forecaster_scores(prep, params)
        if progress:
            progress("forecaster")
    return {
        "dataset": Path(path).name,
        "issues": len(prep.issues),
        "proposals": len(set(prep.groups.tolist())),
        "forecaster": name if with_forecaster else "",
        "forecaster_mode": mode,
        "seed": seed,
        "models": score_models(prep, specs, extra, seed),
    }
