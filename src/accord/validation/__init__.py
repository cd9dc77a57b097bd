"""Measured accuracy: backtests of every engine and baseline on real outcomes, and the fitted forecaster.

Layers: :mod:`~accord.validation.metrics` (scores, bootstrap intervals), :mod:`~accord.validation.baselines`
(one-shot models that are not engines), :mod:`~accord.validation.problems` (a DEU issue as an engine
:class:`~accord.engines.base.Problem`), :mod:`~accord.validation.forecaster` (the stacked model with
calibrated intervals), :mod:`~accord.validation.backtest` (the driver). See docs/validation.md.
"""
