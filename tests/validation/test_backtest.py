"""The backtest driver: the JSON layout, --train's isolation from the scored file, the shipped fit."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import accord.validation.backtest as bt
from accord.formats.deu import read_deu
from accord.validation.forecaster import load_params
from accord.validation.models import MODELS
from tests.validation.synth import write_synthetic


def _numbers_only(value) -> bool:
    if isinstance(value, dict):
        return all(_numbers_only(v) for v in value.values())
    if isinstance(value, list):
        return all(_numbers_only(v) for v in value)
    return value is not None and (not isinstance(value, float) or np.isfinite(value))


def test_train_never_reads_the_scored_file(tmp_path: Path, monkeypatch):
    train = write_synthetic(tmp_path / "train.tsv", 14, seed=1, prefix="t")
    scored = write_synthetic(tmp_path / "scored.tsv", 6, seed=2, prefix="u")
    events: list[str] = []
    real_read, real_fit = bt.read_deu, bt.fit_params

    def read(path):
        events.append(f"read {Path(path).name}")
        return real_read(path)

    def fit(prep, seed=0):
        events.append(f"fit on {Path(prep.data.path).name}")
        return real_fit(prep, seed)

    monkeypatch.setattr(bt, "read_deu", read)
    monkeypatch.setattr(bt, "fit_params", fit)
    report = bt.run_deu(scored, train=train, models=["compromise", "forecaster"], seed=0)
    assert events == ["read train.tsv", "fit on train.tsv", "read scored.tsv"]
    assert report["forecaster_mode"] == "trained on train.tsv" and report["forecaster"] == "forecaster"


def test_scored_outcomes_do_not_change_the_trained_forecast(tmp_path: Path):
    train = write_synthetic(tmp_path / "train.tsv", 14, seed=1, prefix="t")
    scored = write_synthetic(tmp_path / "scored.tsv", 6, seed=2, prefix="u")
    first = bt.run_deu(scored, train=train, models=["forecaster"])
    text = scored.read_text().splitlines()
    shifted = [text[0]] + ["\t".join(c.split("\t")[:-1] + ["0"]) for c in text[1:]]
    scored.write_text("\n".join(shifted) + "\n")
    second = bt.run_deu(scored, train=train, models=["forecaster"])
    # every outcome is now 0, so each model's MAE equals the mean of its (unchanged) point forecasts
    f1 = {m["name"]: m for m in first["models"]}["forecaster"]
    f2 = {m["name"]: m for m in second["models"]}["forecaster"]
    assert f1["mae"] != f2["mae"] and f2["mae"] > 0


def test_json_layout_has_numbers_only(tiny: Path):
    report = bt.run_deu(tiny, models=[m.name for m in MODELS])
    assert set(report) >= {"dataset", "issues", "forecaster", "models"}
    assert len(report["models"]) == len(MODELS)
    for entry in report["models"]:
        for key in (
            "name",
            "mae",
            "rmse",
            "median_ae",
            "within10",
            "within20",
            "mae_ci95",
            "delta_vs_compromise",
            "delta_ci95",
            "not_scored",
        ):
            assert key in entry
        assert _numbers_only(entry), entry["name"]
    json.dumps(report)


def test_unknown_model_is_refused(tiny: Path):
    with pytest.raises(ValueError, match="unknown model 'oracle'"):
        bt.run_deu(tiny, models=["oracle"])


def test_too_few_proposals_for_the_forecaster(tiny: Path):
    with pytest.raises(bt.TooFewProposals):
        bt.run_deu(tiny, train=tiny, models=["forecaster"])


def test_shipped_parameters_are_reproducible(dev_file: Path):
    shipped = load_params()
    prep = bt.prepare(read_deu(dev_file), [m for m in MODELS if m.name == "compromise"])
    refit = bt.fit_params(prep, seed=shipped["trained_on"]["seed"])
    assert refit["selected"] == shipped["selected"]
    assert refit["trained_on"]["sha256"] == shipped["trained_on"]["sha256"]
    for name, fitted in refit["candidates"].items():
        assert np.allclose(fitted.get("coef", []), shipped["candidates"][name].get("coef", []), atol=1e-6), (
            name
        )
        same = {k: v for k, v in fitted.items() if k != "coef"}
        assert same == {k: v for k, v in shipped["candidates"][name].items() if k != "coef"}, name
    for name, classes in refit["residuals"].items():
        for cls, values in classes.items():
            assert np.allclose(values, shipped["residuals"][name][cls], atol=1e-6), (name, cls)


def test_train_overlapping_the_scored_file_is_flagged(tmp_path: Path):
    train = write_synthetic(tmp_path / "train.tsv", 12, seed=1, prefix="t")
    report = bt.run_deu(train, train=train, models=["forecaster"])
    assert "not out of sample" in report["forecaster_mode"]
