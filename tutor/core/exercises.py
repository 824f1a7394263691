"""The rules of exercises: which steps a run must prove, when an exercise is solved, which
exercise the learner is at, and which hint comes next. Pure; the screen asks."""

from __future__ import annotations

from collections.abc import Collection

from .lesson.model import Exercise, Lesson
from .run.result import RunResult


def steps_to_verify(lesson: Lesson) -> list[str]:
    """The exercise steps a run of the learner's code is checked on (in the worker)."""
    return [step for step in lesson.exercises if (s := lesson.step(step)) is not None and s.lines]


def solved_by(lesson: Lesson, result: RunResult) -> frozenset[str]:
    """The exercises this run solves: it ran to the end, each of the step's lines ran,
    and the step's equations hold at every event (``result.checks`` from the worker).

    ``lesson`` is bound to the code that ran (its anchors are that code's lines)."""
    if result.error is not None or result.checks is None:
        return frozenset()
    failing = {lesson.anchors.get(problem.line) for problem in result.checks}
    lines = set(result.timeline.lines)
    solved = set()
    for step_id in steps_to_verify(lesson):
        step = lesson.step(step_id)
        if step is not None and step_id not in failing and lines.intersection(step.lines):
            solved.add(step_id)
    return frozenset(solved)


def exercise_here(lesson: Lesson, step_id: str | None, solved: Collection[str]) -> Exercise | None:
    """The exercise of the current step, else the first one not solved yet, else the first."""
    exercises = lesson.exercises
    if not exercises:
        return None
    if step_id in exercises:
        return exercises[step_id]
    unsolved = (e for e in exercises.values() if e.step not in solved)
    return next(unsolved, next(iter(exercises.values())))


def next_hint(exercise: Exercise, shown: int) -> tuple[int, str, bool]:
    """After ``shown`` hints: the number of the next one, its text, and whether it is the last."""
    number = min(shown + 1, len(exercise.hints))
    return number, exercise.hints[number - 1], number == len(exercise.hints)
