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
    # Equations are verified (in the worker) only when they all compiled: otherwise their
    # problems are reported already.
    verify = None if lesson.problems else "all"
    result = runner.run(
        lesson.py_path, lesson.source, lesson.iteration, verify=verify, partial=True
    )
    problems.extend(run_problems(lesson, result))
    if not problems:  # the complete lesson is right: now each exercise made from it
        problems.extend(exercise_problems(lesson, result, runner))
    return problems


def exercise_problems(lesson: Lesson, shipped: RunResult, runner: Runner) -> list[Problem]:
    """Each exercise proven on the runs it is about (docs/lesson-format.md 3.9)."""
    from .exercises import (
        blanked,
        changed_source,
        hidden_row,
        judge_claim,
        judge_derivation,
        judge_prediction,
        predict_event,
        predicted_name,
    )

    problems: list[Problem] = []
    timeline = shipped.timeline
    for exercise in lesson.exercises.values():

        def problem(message: str, exercise=exercise) -> None:
            problems.append(
                Problem(lesson.md_path, exercise.line, f"exercise '{exercise.id}': {message}")
            )

        if exercise.kind == "code":
            result = runner.run(
                lesson.py_path, blanked(lesson, exercise), lesson.iteration, verify="all"
            )
            if result.error is not None:
                problem(f"its blank does not run to the end: {result.error.message}")
                continue
            failing = {lesson.anchors.get(p.line) for p in result.checks or []}
            if exercise.step not in failing:
                problem(
                    f"its blank does not fail step '{exercise.step}': the step's equations "
                    "hold without the line, so nothing tells the learner it is missing"
                )
            others = sorted(s for s in failing - {exercise.step} if s)
            if others:
                problem(f"its blank fails step(s) {', '.join(others)} too: only its own should")
        elif exercise.kind == "predict":
            event = predict_event(lesson, timeline, exercise)
            name = predicted_name(lesson, exercise)
            if event is None:
                problem(f"the run never sets {name} in step '{exercise.step}' there")
                continue
            value = timeline.value(name, event)
            verdict = judge_prediction(exercise, repr(exercise.answer), value, lesson.digits)
            if not verdict.ok:
                problem(
                    f"'answer: {exercise.answer:g}' is not the recorded value ({verdict.message})"
                )
        elif exercise.kind == "derive":
            step = lesson.step(exercise.step)
            row = hidden_row(lesson, exercise)
            if step is None or not 0 <= row < len(step.equations):
                continue  # reported when the lesson loaded
            try:
                verdict = judge_derivation(lesson, exercise, step.equations[row].latex, timeline)
            except ValueError as exc:
                problem(f"its hidden line cannot be typed back: {exc}")
                continue
            if not verdict.ok:
                problem(f"its hidden line, typed back, is not accepted: {verdict.message}")
        elif exercise.kind == "break":
            changed = changed_source(lesson, exercise)
            if changed is None or not exercise.holds:
                continue  # reported when the lesson loaded
            result = runner.run(lesson.py_path, changed, lesson.iteration)
            if not len(result.timeline):
                problem(
                    f"the changed code records nothing: {result.error and result.error.message}"
                )
                continue
            verdict = judge_claim(lesson, exercise, result.timeline)
            if not verdict.ok:
                problem(f"the claim does not hold on the changed code ({verdict.message})")
            if judge_claim(lesson, exercise, timeline).ok:
                problem("the claim holds on the shipped code too: it shows nothing the change does")
    return problems


def run_problems(lesson: Lesson, result: RunResult) -> list[Problem]:
    """What a run says about the lesson: its error, steps that never ran, a loop that never looped."""
    problems: list[Problem] = []
    if result.error is not None:
        problems.append(error_problem(lesson.py_path, result.error))
        # The equations that disagreed before it (a wrong value may be what made it fail);
        # later steps were not reached: that they never ran is not worth saying.
        problems.extend(result.checks or [])
        return problems
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
