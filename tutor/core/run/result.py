"""What a run of lesson code returns: its timeline, and why it stopped early if it did.

Plain data, shared by the run child, the worker, the runner and the screens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .timeline import Timeline

if TYPE_CHECKING:
    from ..lesson.problems import Problem


@dataclass
class Limits:
    time: float = 10.0  # seconds
    memory: int = 1 << 30  # bytes the lesson may allocate
    max_events: int = 2_000_000
    max_output: int = 1_000_000  # characters


@dataclass
class RunError:
    """Why a run stopped early, and where."""

    kind: str  # "syntax" | "exception" | "exit" | "timeout" | "memory" | "crash" | "tracing"
    # ("tracing": the lesson's code replaced the tutor's tracer; the events before are kept)
    message: str
    line: int
    column: int | None = None


@dataclass
class RunResult:
    """What a run returns to the tutor: the timeline and, on a fault, the error."""

    timeline: Timeline = field(default_factory=Timeline)
    error: RunError | None = None
    elapsed: float = 0.0  # seconds spent running and recording
    # The equation problems of the steps asked to be verified (empty: they hold).
    checks: list[Problem] | None = None

    @property
    def ok(self) -> bool:
        return self.error is None
