"""``nn-tutor check``: a lesson passes when it loads cleanly, its code runs to the end,
every step runs, and every equation agrees with the code at every recorded event.

The CLI and the UI share this one definition of "this lesson is correct".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .lesson.model import Lesson
from .lesson.problems import Problem
from .run.recorder import Limits, RunResult
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
    if not lesson.source or any(
        p.path == lesson.py_path and "syntax" in p.message for p in problems
    ):
        return problems
    # Exercises ship with blanks; the lesson is proven with the reference solutions filled in.
    result = runner.run(lesson.py_path, lesson.solved_source(), lesson.iteration)
    problems.extend(run_problems(lesson, result))
    return problems


def run_problems(lesson: Lesson, result: RunResult) -> list[Problem]:
    """What a run says about the lesson: its error, steps that never ran, a loop that never looped."""
    problems: list[Problem] = []
    if result.error is not None:
        problems.append(error_problem(lesson.py_path, result.error))
        return problems  # later steps were not reached: one message is enough
    timeline = result.timeline
    if not lesson.problems:  # equations that did not compile were reported already
        from .equation.verify import check_equations

        problems.extend(check_equations(lesson, timeline))
    ran = {timeline.step(i) for i in _distinct_line_events(timeline)}
    for step in lesson.steps:
        if step.lines and step.id not in ran:
            problems.append(
                Problem(
                    lesson.py_path,
                    step.lines[0],
                    f"step '{step.id}' never ran: no line anchored to it executed",
                )
            )
    loop_reported = any("'iteration:" in p.message for p in lesson.problems)
    if lesson.iteration and not loop_reported and timeline.iterations == 0:
        problems.append(
            Problem(
                lesson.md_path,
                lesson.key_lines.get("iteration", 1),
                f"the loop over '{lesson.iteration}' never ran an iteration",
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
