"""Synthetic DEU files for tests: random issues whose outcome is the compromise plus seeded noise."""

from __future__ import annotations

from pathlib import Path

import numpy as np

ACTORS = ("com", "ep", "de", "fr", "it", "nl")


def write_synthetic(path: Path, n_proposals: int, seed: int, prefix: str = "s") -> Path:
    rng = np.random.default_rng(seed)
    header = ["prnr", "isnr"] + [f"p{a}" for a in ACTORS] + [f"s{a}" for a in ACTORS] + ["rp", "out"]
    lines = ["\t".join(header)]
    for p in range(n_proposals):
        for i in range(int(rng.integers(1, 4))):
            pos = rng.choice([0, 20, 50, 80, 100], size=len(ACTORS)).astype(float)
            sal = rng.choice([20, 50, 80], size=len(ACTORS)).astype(float)
            out = float(np.clip(np.average(pos, weights=sal) + rng.normal(0, 15), 0, 100))
            rp = "" if rng.random() < 0.2 else str(int(rng.choice([0, 100])))
            cells = [f"{prefix}{p}", f"{prefix}{p}i{i}"] + [f"{v:g}" for v in pos] + [f"{v:g}" for v in sal]
            lines.append("\t".join(cells + [rp, f"{out:.1f}"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
