"""The lesson model: plain dataclasses filled by the loader, read by everything else."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import Problem

SYMBOL_KINDS = ("scalar", "vector", "matrix")


@dataclass(frozen=True)
class Symbol:
    """A LaTeX symbol and the Python name that holds its value."""

    latex: str
    name: str
    kind: str = "scalar"
    line: int = 0  # line of its entry in lesson.md


@dataclass(frozen=True)
class Equation:
    """One display equation (``$$ … $$``); several in a step form a derivation."""

    latex: str
    line: int  # line of the opening ``$$`` in lesson.md
    justification: str = ""
    spans: tuple[tuple[int, int, int], ...] = field(
        default=(), compare=False
    )  # (offset, line, column)

    def where(self, column: int) -> tuple[int, int]:
        """The lesson.md line and column of the 1-based ``column`` of ``latex``."""
        offset = column - 1
        for start, line, first in reversed(self.spans):
            if start <= offset:
                return line, first + offset - start
        return self.line, 1


KINDS = ("code", "predict", "derive", "break")  # exercise kinds (docs/lesson-format.md 3.9)


@dataclass(frozen=True)
class Exercise:
    """Something the learner does on a step: writes its line(s) (``code``: the tutor blanks
    them), guesses a value before it shows (``predict``), writes a hidden line of its
    derivation (``derive``), or makes a proposed change and watches a claim (``break``)."""

    id: str  # its key in lesson.md (the progress file records it)
    step: str
    hints: tuple[str, ...] = ()
    line: int = 0  # its entry in lesson.md
    kind: str = "code"
    blank: tuple[str, ...] = ()  # code: a placeholder per anchored line (empty: name = 0.0)
    name: str = ""  # predict: the variable whose value is guessed ("": the line's first)
    iteration: int = 1  # predict: which run of the step asks
    question: str = ""
    answer: float | None = None  # predict: the recorded value (check proves it)
    tolerance: float = 0.01  # predict: within tolerance · max(1, |value|)
    row: int = 0  # derive: the hidden equation line of the step, from 1 (0: the last)
    task: str = ""  # break: the change to make, in words
    change: tuple[str, str] | None = None  # break: (from, to) in lesson.py
    claim: str = ""  # break: what to watch, in words
    holds: str = ""  # break: the claim as a relation in LaTeX
    at: str = "end"  # break: "end" (the last event) or "every"


EXPECT_TOLERANCE = 1e-3  # relative: a quoted number is rounded (docs/lesson-format.md 3.11)


@dataclass(frozen=True)
class Expectation:
    """A number the lesson's text quotes, pinned: ``name`` holds ``value`` at the end of
    ``iteration`` (a number, or "end": the last event), within ``tolerance`` (relative)."""

    name: str
    value: float
    iteration: int | str = "end"
    tolerance: float = EXPECT_TOLERANCE
    line: int = 0  # its entry in lesson.md


@dataclass
class Step:
    """A titled part of the narrative, its equations and the code lines anchored to it."""

    id: str
    title: str
    line: int  # line of its heading in lesson.md
    markdown: str = ""  # the section's Markdown, equations included, heading excluded
    equations: list[Equation] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # lesson.py lines anchored to it
    together: bool = False  # ``{#id .together}``: independent equations, all shown at once

    @property
    def is_derivation(self) -> bool:
        return len(self.equations) > 1 and not self.together


@dataclass
class Lesson:
    """A lesson folder: ``lesson.md`` (front matter, narrative, steps) and ``lesson.py``."""

    id: str
    path: Path
    title: str = ""
    order: int = 0
    summary: str = ""
    intro: str = ""  # Markdown before the first step
    symbols: list[Symbol] = field(default_factory=list)
    iteration: str | None = None  # name of the loop variable that counts iterations
    steps: list[Step] = field(default_factory=list)
    source: str = ""  # the text of lesson.py
    anchors: dict[int, str] = field(default_factory=dict)  # lesson.py line -> step id
    network: Any = None  # graph.Network: the diagram the network pane draws
    plots: Any = None  # graph.Plots: the series to plot, and the decision boundary
    exercises: dict[str, Exercise] = field(default_factory=dict)  # exercise id -> exercise
    expectations: list[Expectation] = field(default_factory=list)  # quoted numbers, pinned
    key_lines: dict[str, int] = field(default_factory=dict)  # front matter key -> lesson.md line
    tolerance: float = 1e-9  # relative tolerance of equation checks
    step_tolerances: dict[str, float] = field(default_factory=dict)
    # symbol (LaTeX, as in 'symbols') -> (A, B): the symbol is the derivative ∂A/∂B
    derivatives: dict[str, tuple[str, str]] = field(default_factory=dict)
    derivative_tolerance: float = 1e-4  # relative tolerance of the finite-difference proofs
    digits: int = 4  # significant digits of numbers on screen
    stores: dict[int, tuple[str, ...]] = field(default_factory=dict)  # lesson.py line -> names set
    equations: dict[str, list[Any]] = field(default_factory=dict)  # step id -> compiled equations
    problems: list[Problem] = field(default_factory=list)

    @property
    def md_path(self) -> Path:
        return self.path / "lesson.md"

    @property
    def py_path(self) -> Path:
        return self.path / "lesson.py"

    @property
    def ok(self) -> bool:
        return not self.problems

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def tolerance_for(self, step_id: str) -> float:
        return self.step_tolerances.get(step_id, self.tolerance)

    def exercises_of(self, kind: str) -> list[Exercise]:
        return [e for e in self.exercises.values() if e.kind == kind]
