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


@dataclass(frozen=True)
class Exercise:
    """A step the learner writes: the shipped code leaves a blank, the lesson has hints and a solution."""

    step: str
    hints: tuple[str, ...] = ()
    solution: tuple[str, ...] = ()  # one line of code per anchored line of the step, in order
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

    @property
    def is_derivation(self) -> bool:
        return len(self.equations) > 1


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
    exercises: dict[str, Exercise] = field(default_factory=dict)  # step id -> exercise
    key_lines: dict[str, int] = field(default_factory=dict)  # front matter key -> lesson.md line
    tolerance: float = 1e-9  # relative tolerance of equation checks
    step_tolerances: dict[str, float] = field(default_factory=dict)
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

    def solved_source(self, source: str | None = None) -> str:
        """``source`` (default: the shipped code) with every exercise's reference solution filled in.

        Each solution line replaces the code of one anchored line of its step, keeping
        the line's indentation and its comment (so the anchor stays).
        """
        from .source import code_lines

        source = self.source if source is None else source
        rows = source.split("\n")
        code = code_lines(source)
        for exercise in self.exercises.values():
            step = self.step(exercise.step)
            if step is None:
                continue
            for line, solution in zip(sorted(step.lines), exercise.solution, strict=False):
                row = rows[line - 1]
                kept = code.get(line, row)
                indent = row[: len(row) - len(row.lstrip())]
                comment = row[len(kept) :].strip()
                rows[line - 1] = f"{indent}{solution.strip()}" + (f"  {comment}" if comment else "")
        return "\n".join(rows)
