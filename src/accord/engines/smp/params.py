"""SMP parameters: one frozen object, KTAB's ``smpc`` defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

VotingRule = Literal["binary", "prop_bin", "proportional", "prop_cubic", "cubic", "asym_prospect"]


VictoryModel = Literal["linear", "square", "quartic", "octic", "binary"]


RiskRange = Literal["min", "mid", "max"]


RiskAdjust = Literal["full", "two_thirds", "half", "one_third", "none"]


ThirdParty = Literal["full", "semi", "none"]


Interpolation = Literal["S2P2", "S1P1", "S2PMax"]


@dataclass(frozen=True)
class SMPParams:
    """Parameters of the SMP; the defaults are KTAB's ``smpc`` defaults.

    ``ktab_compat`` keeps KTAB's two quirks (challenges weight actors by capability x total salience
    while every election weights by capability alone; each actor settles its own bargain queue, so one
    side of a bargain may move while the other does not). With ``ktab_compat=False`` all weights are
    capability x total salience and a bargain is implemented only when both parties choose it.
    """

    deterministic: bool = True
    ktab_compat: bool = True
    voting_rule: VotingRule = "proportional"
    victory_model: VictoryModel = "linear"
    risk_range: RiskRange = "mid"
    risk_adjust: RiskAdjust = "one_third"
    third_party: ThirdParty = "semi"
    interpolation: Interpolation = "S2P2"
    min_gain: float = 1e-5  # a challenge must promise more than this expected gain (KTAB minSigEDU)
    position_tol: float = 1e-3  # positions closer than this (0-1 scale) count as one (KTAB posTol)
    min_turns: int = 2  # the stopping rule is checked from this turn on
    stop_ratio: float = 0.02  # stop when a turn moves less than this fraction of the first turn
    min_sig_delta: float = 1e-4  # added to the first turn's movement to avoid 0/0
    normalize_salience: bool = False  # rescale actors whose saliences sum above 1 (else ProblemError)
    rounds: int = 100  # at most this many turns (KTAB: 100) unless the caller says otherwise
    # "numba": the third-party loop compiled (accord[fast]; same bits); "numpy": never; "auto": compiled
    # when Numba is installed and the run is big enough to repay loading it (or it is loaded already)
    backend: Literal["auto", "numpy", "numba"] = "auto"

    def __post_init__(self) -> None:
        choices = {
            "voting_rule": ("binary", "prop_bin", "proportional", "prop_cubic", "cubic", "asym_prospect"),
            "victory_model": ("linear", "square", "quartic", "octic", "binary"),
            "risk_range": ("min", "mid", "max"),
            "risk_adjust": ("full", "two_thirds", "half", "one_third", "none"),
            "third_party": ("full", "semi", "none"),
            "interpolation": ("S2P2", "S1P1", "S2PMax"),
            "backend": ("auto", "numpy", "numba"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"SMPParams.{name} must be one of {allowed}, got {getattr(self, name)!r}")
        if self.min_turns < 1:
            raise ValueError("SMPParams.min_turns must be at least 1")
        if isinstance(self.rounds, bool) or not isinstance(self.rounds, int) or self.rounds < 0:
            raise ValueError(f"SMPParams.rounds must be a non-negative integer, got {self.rounds!r}")
