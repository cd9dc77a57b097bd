"""Bargaining engines: pure NumPy functions from a :class:`~accord.engines.base.Problem` to a trajectory."""

from accord.engines.base import Problem, ProblemError, RoundHook, RoundState, Trajectory

__all__ = ["Problem", "ProblemError", "RoundHook", "RoundState", "Trajectory"]
