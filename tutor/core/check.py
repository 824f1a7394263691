"""``nn-tutor check``: a lesson passes when it loads cleanly, its code runs to the end,
every step runs, and every equation agrees with the code at every recorded event.

The CLI and the UI share this one definition of "this lesson is correct".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .lesson.model import Lesson
from .lesson.problems import Problem
from .run.result import Limits, RunResult
from .run.runner import Runner, error_problem


def check_lessons(
    lessons: Iterable[Lesson], limits: Limits | None = None
) -> Iterator[tuple[Lesson, list[Problem]]]:
    """Check each lesson with one shared worker process; yields its problems as it goes."""
    with Runner(limits) as runner:
        for lesson in lessons:
            yield lesson, check_lesson(lesson, runner)


def check_lesson(lesson: Lesson, runner: Runner) -> list[Problem]:
    problems = list(lesson.problems)
    if not lesson.source or any(p.kind == "syntax" for p in problems):
        return problems
    # Exercises ship with blanks; the lesson is proven with the reference solutions filled in.
    # Equations are verified (in the worker) only when they all compiled: otherwise their
    # problems are reported already.
    verify = None if lesson.problems else "all"
    result = runner.run(lesson.py_path, lesson.solved_source(), lesson.iteration, verify=verify)
    problems.extend(run_problems(lesson, result))
    return problems


def run_problems(lesson: Lesson, result: RunResult) -> list[Problem]:
    """What a run says about the lesson: its error, steps that never ran, a loop that never looped."""
    problems: list[Problem] = []
    if result.error is not None:
        problems.append(error_problem(lesson.py_path, result.error))
        return problems  # later steps were not reached: one message is enough
    timeline = result.timeline
    problems.extend(result.checks or [])
    ran = {timeline.step(i) for i in _distinct_line_events(timeline)}
    for step in lesson.steps:
        if step.lines and step.id not in ran:
            problems.append(
                Problem(
                    lesson.py_path,
                    step.lines[0],
                    f"step '{step.id}' never ran: no line anchored to it executed",
                    kind="run",
                )
            )
    loop_reported = any(p.kind == "loop" for p in lesson.problems)
    if lesson.iteration and not loop_reported and timeline.iterations == 0:
        problems.append(
            Problem(
                lesson.md_path,
                lesson.key_lines.get("iteration", 1),
                f"the loop over '{lesson.iteration}' never ran an iteration",
                kind="loop",
            )
        )
    return problems


def _distinct_line_events(timeline) -> list[int]:
    """One event per distinct line (the first time it ran)."""
    first: dict[int, int] = {}
    for i, line in enumerate(timeline.lines):
        if line not in first:
            first[line] = i
    return list(first.values())
