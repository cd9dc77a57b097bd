"""The one interface every bargaining engine implements.

Engines are pure functions of arrays and a NumPy ``Generator``: no files, no printing, no global state.
A :class:`Problem` holds the inputs, optionally with a leading batch axis of Monte Carlo draws; an
engine's ``run`` returns a :class:`Trajectory` whose arrays always carry that draws axis (size 1 for a
single, unbatched problem), so code downstream never has to special-case the two shapes.

Shapes (``D`` draws, ``A`` actors, ``I`` issues, ``R`` rounds):

=============  ==============================  ==========================================
field          unbatched                       batched
=============  ==============================  ==========================================
positions      ``[A, I]``                      ``[D, A, I]``
salience       ``[A, I]``                      ``[D, A, I]``
capability     ``[A]`` or ``[A, I]``           ``[D, A]`` or ``[D, A, I]``
status_quo     ``[I]``                         ``[D, I]``
present        ``[A, I]`` bool or ``None``     ``[D, A, I]`` bool or ``None``
=============  ==============================  ==========================================

Positions live on the case's 0-100 scale (any finite scale works; engines that need a range take it
from :attr:`Problem.scale`), salience and capability in [0, 1].

``present`` says which actor holds a position on which issue (``None``: everyone on every issue). An
absent (actor, issue) cell has no weight in that issue's outcome and takes no part in the challenges,
votes or elections that concern that issue; its position is carried through unchanged (its number is
a placeholder: it must be finite, nothing reads it). An issue on which nobody is present keeps its
status quo. With ``present=None`` (or all True) every engine gives exactly the results it gives
without the mask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np

__all__ = ["Problem", "Trajectory", "RoundState", "RoundHook", "Engine", "ProblemError"]


class ProblemError(ValueError):
    """Raised when a problem's arrays are inconsistent or hold values an engine cannot use."""


@dataclass(frozen=True)
class Problem:
    """Inputs of one bargaining problem, or of a batch of Monte Carlo draws of it."""

    positions: np.ndarray
    salience: np.ndarray
    capability: np.ndarray
    status_quo: np.ndarray
    actors: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()
    scale: tuple[float, float] = (0.0, 100.0)
    present: np.ndarray | None = None

    def __post_init__(self) -> None:
        for name in ("positions", "salience", "capability", "status_quo"):
            value = np.asarray(getattr(self, name), dtype=float)
            if not np.all(np.isfinite(value)):
                raise ProblemError(f"{name} holds NaN or infinite values")
            object.__setattr__(self, name, value)
        if self.positions.ndim not in (2, 3):
            raise ProblemError(
                f"positions must be [actors, issues] or [draws, actors, issues], got {self.positions.shape}"
            )
        if self.salience.shape != self.positions.shape:
            raise ProblemError(
                f"salience shape {self.salience.shape} != positions shape {self.positions.shape}"
            )
        lead = self.positions.shape[:-1]  # [D?, A]
        if self.capability.shape not in (lead, self.positions.shape):
            raise ProblemError(
                f"capability shape {self.capability.shape} must be {lead} or {self.positions.shape}"
            )
        if self.status_quo.shape != self.positions.shape[:-2] + self.positions.shape[-1:]:
            raise ProblemError(
                f"status_quo shape {self.status_quo.shape} does not match positions {self.positions.shape}"
            )
        if np.any(self.salience < 0) or np.any(self.capability < 0):
            raise ProblemError("salience and capability must be non-negative")
        n_actors, n_issues = self.positions.shape[-2:]
        if self.actors and len(self.actors) != n_actors:
            raise ProblemError(f"{len(self.actors)} actor names for {n_actors} actors")
        if self.issues and len(self.issues) != n_issues:
            raise ProblemError(f"{len(self.issues)} issue names for {n_issues} issues")
        if n_actors == 0 or n_issues == 0:
            raise ProblemError("a problem needs at least one actor and one issue")
        if self.present is not None:
            object.__setattr__(self, "present", _present_mask(self.present, self.positions.shape))

    @property
    def has_absent(self) -> bool:
        """True when some actor holds no position on some issue."""
        return self.present is not None and not bool(np.all(self.present))

    def present_mask(self) -> np.ndarray:
        """``present`` as a batched ``[D, A, I]`` boolean array (all True when ``present`` is None)."""
        b = self.batched()
        if b.present is None:
            return np.ones(b.positions.shape, dtype=bool)
        return b.present

    @property
    def is_batched(self) -> bool:
        return self.positions.ndim == 3

    @property
    def n_draws(self) -> int:
        return self.positions.shape[0] if self.is_batched else 1

    @property
    def n_actors(self) -> int:
        return int(self.positions.shape[-2])

    @property
    def n_issues(self) -> int:
        return int(self.positions.shape[-1])

    def batched(self) -> Problem:
        """The same problem with a leading draws axis (size 1 if it had none)."""
        if self.is_batched:
            return self
        return Problem(
            positions=self.positions[None],
            salience=self.salience[None],
            capability=self.capability[None],
            status_quo=self.status_quo[None],
            actors=self.actors,
            issues=self.issues,
            scale=self.scale,
            present=None if self.present is None else self.present[None],
        )

    def capability_per_issue(self) -> np.ndarray:
        """Capability broadcast to ``[D, A, I]`` (batched view)."""
        b = self.batched()
        cap = b.capability
        if cap.ndim == 2:
            cap = np.broadcast_to(cap[:, :, None], b.positions.shape)
        return cap

    def per_issue(self) -> Problem:
        """A batched copy with capability expanded to ``[D, A, I]`` (the shape interventions edit)."""
        b = self.batched()
        return replace(
            b,
            positions=np.array(b.positions),
            salience=np.array(b.salience),
            capability=np.array(self.capability_per_issue()),
            status_quo=np.array(b.status_quo),
        )

    def compact(self) -> Problem:
        """The same problem with capability ``[.., A]`` where it is the same on every issue."""
        cap = self.capability
        if cap.ndim == self.positions.ndim and cap.shape[-1] and np.all(cap == cap[..., :1]):
            return replace(self, capability=cap[..., 0])
        return self

    def actor_index(self, actor: str) -> int:
        try:
            return self.actors.index(actor)
        except ValueError:
            raise KeyError(f"actor {actor!r} is not at the table ({', '.join(self.actors)})") from None

    def issue_mask(self, issue: str) -> np.ndarray:
        """Boolean ``[I]``: the issues a change names (``all`` = every issue)."""
        if issue == "all":
            return np.ones(self.n_issues, dtype=bool)
        if issue not in self.issues:
            raise KeyError(f"issue {issue!r} is not in the problem ({', '.join(self.issues)})")
        return np.array([i == issue for i in self.issues])

    def attribute(self, name: str) -> np.ndarray:
        """``position``, ``salience`` or ``capability`` by its singular name."""
        return {"position": self.positions, "salience": self.salience, "capability": self.capability}[name]

    def bounds(self, name: str) -> tuple[float, float]:
        """The valid range of an attribute: the scale, [0, 1] for salience, [0, inf) for capability."""
        return {"position": self.scale, "salience": (0.0, 1.0), "capability": (0.0, np.inf)}[name]

    def with_attribute(self, name: str, values: np.ndarray) -> Problem:
        if name == "position":
            return replace(self, positions=values)
        if name == "salience":
            return replace(self, salience=values)
        if name == "capability":
            return replace(self, capability=values)
        raise KeyError(name)

    def take(self, draws: slice | np.ndarray) -> Problem:
        """A sub-batch of draws (used for chunking)."""
        b = self.batched()
        return Problem(
            positions=b.positions[draws],
            salience=b.salience[draws],
            capability=b.capability[draws],
            status_quo=b.status_quo[draws],
            actors=self.actors,
            issues=self.issues,
            scale=self.scale,
            present=None if b.present is None else b.present[draws],
        )


def _present_mask(value: object, shape: tuple[int, ...]) -> np.ndarray:
    """The ``present`` mask as a boolean array of ``shape``, or a :class:`ProblemError` saying why not."""
    arr = np.asarray(value)
    if arr.dtype != bool:
        if arr.dtype.kind not in "iuf" or not np.all((arr == 0) | (arr == 1)):
            raise ProblemError(f"present must be a boolean mask (True/False or 1/0), got dtype {arr.dtype}")
        arr = arr.astype(bool)
    if arr.shape != shape:
        raise ProblemError(f"present shape {arr.shape} != positions shape {shape}")
    return arr


@dataclass
class RoundState:
    """What an engine exposes to a round hook between rounds (all batched, ``[D, A, I]`` / ``[D, I]``).

    A hook may return a modified copy; the engine continues from the returned arrays. This is how
    conditional commitments (scenario triggers) act inside the bargaining loop.
    """

    round: int
    positions: np.ndarray
    salience: np.ndarray
    capability: np.ndarray
    outcome: np.ndarray


RoundHook = Callable[[RoundState], RoundState | None]


@dataclass(frozen=True)
class Trajectory:
    """What an engine returns. Arrays always carry the draws axis.

    ``positions``: ``[D, R+1, A, I]``; index 0 is the input. ``outcome``: ``[D, R+1, I]``, the engine's
    predicted outcome after each round. ``diagnostics``: engine-specific arrays or records
    (for the EUM: challenges, offers and their types, risk exponents per round).
    """

    positions: np.ndarray
    outcome: np.ndarray
    diagnostics: dict[str, Any] = field(default_factory=dict)
    engine: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def n_rounds(self) -> int:
        return int(self.positions.shape[1] - 1)

    @property
    def forecast(self) -> np.ndarray:
        """Outcome after the last round, ``[D, I]``."""
        return self.outcome[:, -1, :]


class Engine(Protocol):
    """What the engine registry holds: a name, its parameters (one frozen object, ``rounds`` among
    them) and a pure ``run`` function.

    ``run`` uses ``params`` when given, else the engine's own; ``rounds`` overrides ``params.rounds``.
    :func:`accord.engines.testing.check_engine` checks the contract.
    """

    name: str
    params: Any

    def run(
        self,
        problem: Problem,
        params: Any | None = None,
        rounds: int | None = None,
        rng: np.random.Generator | None = None,
        on_round: RoundHook | None = None,
    ) -> Trajectory: ...
