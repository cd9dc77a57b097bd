"""``Run``: what :func:`accord.run` returns for a point run, Monte Carlo draws or a scenario, in one shape.

A run always holds the **point run** (the model on the case's point estimates, scenario applied: one
trajectory, positions round by round) and, with draws, the **distribution** of the final outcome over
the case's uncertainty. The headline forecast is the distribution's median and central 80% interval
(:data:`LEVEL`, the level whose coverage was measured on DEU III) when there are draws, else the point
run's outcome; :attr:`Run.headline` says which, so no interface can present a point run as a
distribution, and :attr:`Run.interval_kind` says what the interval holds: the case's input uncertainty
only, or (the default forecaster, set by :func:`accord.api.forecast_distribution`) that plus the model
error measured on DEU III. The status quo reported is the case's own (its point estimate),
not a sampled one.

One JSON document, :meth:`Run.to_json`, serves the CLI (``accord run --json``), the web, and the runs
store; its top-level keys are the same whatever the options (docs/run-schema.json is its JSON Schema):

``case, model, scenario, perspective, seed, draws, headline, forecaster, rounds_run, issues, status_quo,
forecast, interval, point_forecast, rounds, summary, triggers, timings, run_id``.

``forecast`` {issue: number}, ``status_quo`` {issue: number} and ``rounds`` [{round, positions {actor:
{issue: number}}, outcome {issue: number}}] are the core keys that scripts rely on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.case.model import Case
from accord.results import RunResult, median
from accord.scenarios.runner import PointRun, RunSpec
from accord.scenarios.summary import DrawResults, Threshold

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["INPUT_ONLY", "INTERVAL", "JSON_KEYS", "LEVEL", "NO_INTERVAL", "Run", "WITH_MODEL_ERROR"]

LEVEL = 0.80  # the central interval every interface shows (the level calibrated on DEU III)
INTERVAL = (0.10, 0.90)  # its quantiles
INPUT_ONLY = "input uncertainty only"
WITH_MODEL_ERROR = "input uncertainty + DEU model error"
NO_INTERVAL = "none (point run)"
JSON_KEYS = (
    "case",
    "model",
    "scenario",
    "perspective",
    "seed",
    "draws",
    "headline",
    "forecaster",
    "rounds_run",
    "issues",
    "status_quo",
    "forecast",
    "interval",
    "point_forecast",
    "rounds",
    "summary",
    "triggers",
    "timings",
    "run_id",
)


@dataclass
class Run:
    """A run of a case (optionally under a scenario): the point run and, with draws, the distribution."""

    spec: RunSpec
    scenario_id: str | None
    seed: int
    thresholds: tuple[Threshold, ...] = ()
    draws: DrawResults | None = None
    point: PointRun | None = None
    timings: dict[str, Any] = field(default_factory=dict)
    run_id: str | None = None
    # the error model added to the draws (None: the draws are the model's outcomes under input uncertainty)
    model_error: str | None = None

    # ---- what the run is -------------------------------------------------------------------------
    @property
    def case(self) -> Case:
        return self.spec.case

    @property
    def model(self) -> str:
        return self.spec.model

    @property
    def issues(self) -> tuple[str, ...]:
        return self.case.issue_ids

    @property
    def n_draws(self) -> int:
        return self.draws.n_draws if self.draws is not None else 0

    @property
    def headline(self) -> str:
        """``"distribution"`` (median and interval of the draws) or ``"point"`` (the point run only)."""
        return "distribution" if self.n_draws > 0 else "point"

    @property
    def interval_kind(self) -> str:
        """What the interval holds: :data:`WITH_MODEL_ERROR`, :data:`INPUT_ONLY` or :data:`NO_INTERVAL`."""
        if self.n_draws == 0:
            return NO_INTERVAL
        return WITH_MODEL_ERROR if self.model_error else INPUT_ONLY

    def forecaster(self) -> dict[str, Any]:
        """The ``forecaster`` entry of the JSON: which distribution the headline is, and at what level."""
        return {
            "model": self.model,
            "model_error": self.model_error,
            "interval_kind": self.interval_kind,
            "level": LEVEL if self.n_draws else None,
        }

    # ---- the numbers -----------------------------------------------------------------------------
    @property
    def status_quo(self) -> dict[str, float]:
        """The case's status quo per issue (its point estimate, whatever was sampled)."""
        return {issue.id: float(issue.status_quo.point) for issue in self.case.issues}

    @property
    def point_forecast(self) -> dict[str, float]:
        """The point run's final outcome per issue."""
        final = self.run_result().trajectory.forecast[0]
        return {issue: float(v) for issue, v in zip(self.issues, final, strict=True)}

    @property
    def forecast(self) -> dict[str, float]:
        """The headline per issue: the median of the draws, or without draws the point run's outcome."""
        if self.draws is None or self.n_draws == 0:
            return self.point_forecast
        middle = median(self.draws.forecast, axis=0)
        return {issue: float(v) for issue, v in zip(self.draws.issues, middle, strict=True)}

    def interval(self) -> dict[str, tuple[float, float]]:
        """The central 80% interval (:data:`INTERVAL`) of the draws per issue (empty without draws)."""
        if self.draws is None or self.n_draws == 0:
            return {}
        lo, hi = np.quantile(self.draws.forecast, INTERVAL, axis=0)
        return {issue: (float(a), float(b)) for issue, a, b in zip(self.draws.issues, lo, hi, strict=True)}

    def summary(self) -> dict[str, Any]:
        """Per-issue numbers (see :meth:`DrawResults.summary`); a point run is summarised as one draw.

        ``status_quo`` is the case's; the median of the sampled status quo is ``status_quo_sampled``."""
        summary = self.as_draws().summary(self.thresholds)
        for issue, row in summary["issues"].items():
            row["status_quo_sampled"] = row["status_quo"]
            row["status_quo"] = self.status_quo.get(issue, row["status_quo"])
        return summary

    def as_draws(self) -> DrawResults:
        """The draws, or the point run seen as one draw (so both kinds print and store the same way)."""
        if self.draws is not None:
            return self.draws
        assert self.point is not None
        p = self.point
        return DrawResults(
            issues=p.start.issues,
            actors=p.start.actors,
            forecast=p.trajectory.forecast,
            status_quo=p.start.batched().status_quo,
            stable=p.stable,
            fired_round=p.fired_round,
            trigger_labels=p.trigger_labels,
            mean_path=p.trajectory.outcome[0],
            seed=self.seed,
            converged=None if p.settled is None else p.settled.converged,
            last_swing=None if p.settled is None else p.settled.last_swing,
        )

    def run_result(self) -> RunResult:
        """The point run with its names: trajectory, tidy frames of positions and outcomes."""
        assert self.point is not None, "a Run always carries its point run"
        p = self.point
        return RunResult(
            case_id=self.case.id,
            model=self.spec.model,
            trajectory=p.trajectory,
            actors=p.start.actors,
            issues=p.start.issues,
            status_quo=np.array([self.status_quo[i] for i in p.start.issues]),
            seed=self.seed,
        )

    @property
    def rounds_run(self) -> int:
        """Rounds (turns) the point run actually took: an engine that stops by itself may use fewer
        than it was allowed (``spec.n_rounds``)."""
        trajectory = self.run_result().trajectory
        turns = trajectory.diagnostics.get("turns")
        return int(np.max(turns)) if turns is not None else int(trajectory.n_rounds)

    @property
    def rounds_label(self) -> str:
        """How long the point run ran (``"10 rounds"``, ``"19 of at most 100 turns"``)."""
        return self.run_result().rounds_label

    # ---- tidy pandas views -----------------------------------------------------------------------
    def forecast_frame(self) -> pd.DataFrame:
        """Per issue: status quo (the case's), forecast (the headline), the central 80% interval ``p10``
        and ``p90`` (NaN without draws), the point run's outcome, and what 0 and 100 mean."""
        import pandas as pd

        interval = self.interval()
        forecast, point = self.forecast, self.point_forecast
        rows = [
            {
                "issue": issue.id,
                "status_quo": self.status_quo[issue.id],
                "forecast": forecast[issue.id],
                "p10": interval[issue.id][0] if interval else float("nan"),
                "p90": interval[issue.id][1] if interval else float("nan"),
                "point": point[issue.id],
                "scale_0": issue.scale.min_label,
                "scale_100": issue.scale.max_label,
            }
            for issue in self.case.issues
        ]
        return pd.DataFrame(rows).set_index("issue")

    def positions_frame(self) -> pd.DataFrame:
        """The point run: one row per (draw, round, actor, issue) with the actor's position."""
        return self.run_result().positions_frame()

    def outcome_frame(self) -> pd.DataFrame:
        """The point run: one row per (draw, round, issue) with the predicted outcome."""
        return self.run_result().outcome_frame()

    def movement_frame(self) -> pd.DataFrame:
        """The point run: per (actor, issue) the start and end position and the change."""
        return self.run_result().movement_frame()

    def draws_frame(self) -> pd.DataFrame:
        """One row per (draw, issue): forecast, sampled status quo, stability, trigger rounds."""
        return self.as_draws().frame()

    def _rounds_taken(self, rounds: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The point run's rounds up to the last one it took (an engine that stopped early pads its
        trajectory with the final state; those copies are dropped only when they are exact copies)."""
        used = self.rounds_run
        tail = rounds[used + 1 :]
        if tail and all(r["positions"] == rounds[used]["positions"] for r in tail):
            return rounds[: used + 1]
        return rounds

    # ---- one JSON document -----------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The run as one JSON-ready document, the same keys whatever the options (module docstring)."""
        point_doc = self.run_result().to_json()
        summary = self.summary()
        doc: dict[str, Any] = {
            "case": self.case.id,
            "model": self.model,
            "scenario": self.scenario_id,
            "perspective": self.spec.perspective,
            "seed": self.seed,
            "draws": self.n_draws,
            "headline": self.headline,
            "forecaster": self.forecaster(),
            "rounds_run": self.rounds_run,
            "issues": {
                i.id: {"question": i.question, "scale": {"0": i.scale.min_label, "100": i.scale.max_label}}
                for i in self.case.issues
            },
            "status_quo": self.status_quo,
            "forecast": self.forecast,
            "interval": {
                k: {"low": lo, "high": hi, "level": LEVEL} for k, (lo, hi) in self.interval().items()
            },
            "point_forecast": self.point_forecast,
            "rounds": self._rounds_taken(point_doc["rounds"]),
            "summary": summary,
            "triggers": summary["triggers"],
            "timings": dict(self.timings),
            "run_id": self.run_id,
        }
        assert tuple(doc) == JSON_KEYS
        return doc
