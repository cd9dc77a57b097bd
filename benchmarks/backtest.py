"""Backtest: forecast from the 2013 Nagorno-Karabakh case, compare with the 2020 case's status quo.

Prints per model the 2013 forecast per issue, its absolute error against what the 2020 case records, and
the mean absolute error; "nothing changes" (the 2013 status quo) is the naive baseline. One backtest of
one conflict: it shows how each model behaves on this system, nothing more (see docs/models.md).
Run: .venv/bin/python benchmarks/backtest.py
"""

from __future__ import annotations

import numpy as np

import accord
from accord.engines.eum import EUMParams

MODELS = [
    ("smp", "smp", None),
    ("eum (paper, global)", "eum", None),
    ("eum (paper, pairwise)", "eum", EUMParams(normalisation="pairwise")),
    ("eum (reference)", "eum", EUMParams(variant="reference")),
    ("mean", "mean", None),
    ("median", "median", None),
    ("nash", "nash", None),
]


def main() -> None:
    before = accord.load_case("nagorno-karabakh-2013")
    after = accord.load_case("nagorno-karabakh-2020")
    issues = [i.id for i in after.issues]
    actual = np.array([after.issue(i).status_quo.point for i in issues])
    persistence = np.array([before.issue(i).status_quo.point for i in issues])
    print(f"{'model':24s}" + "".join(f"{i:>14s}" for i in issues) + f"{'MAE':>8s}")
    print(f"{'2020 status quo':24s}" + "".join(f"{v:14.0f}" for v in actual))
    rows = [("nothing changes", persistence)]
    for label, model, params in MODELS:
        forecast = accord.run(before, model=model, params=params).forecast
        rows.append((label, np.array([forecast[i] for i in issues])))
    for label, values in rows:
        error = np.abs(values - actual)
        cells = "".join(f"{v:8.0f} ({e:3.0f})" for v, e in zip(values, error, strict=True))
        print(f"{label:24s}{cells}{error.mean():8.1f}")


if __name__ == "__main__":
    main()
