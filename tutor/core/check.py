"""``nn-tutor check``: a lesson passes when it loads cleanly, its code runs to the end,
every step runs, and every equation agrees with the code at every recorded event.

The CLI and the UI share this one definition of "this lesson is correct".
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .derivatives import DerivativeReport, prove_derivatives
from .lesson.model import Lesson
from .lesson.problems import Problem
from .run.result import Limits, RunResult
from .run.runner import Runner, error_problem
from .run.timeline import MISSING, Timeline


@dataclass
class CheckReport:
    """What checking one lesson found, and how much it proved (``check --stats``)."""

    lesson: Lesson
    problems: list[Problem] = field(default_factory=list)
    events: int = 0  # lines the run executed (kept or not)
    equations: int = 0  # equation lines of lesson.md
    evaluations: int = 0  # equation evaluations: each equation at each event of its line
    derivatives: int = 0  # derivatives proven by a finite difference (derivatives.py)
    unproven: list[tuple[str, str]] = field(default_factory=list)  # (derivative, why not)
    expectations: int = 0  # 'expect:' entries checked
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_lessons(
    lessons: Iterable[Lesson], limits: Limits | None = None
) -> Iterator[tuple[Lesson, list[Problem]]]:
    """Check each lesson with one shared worker process; yields its problems as it goes."""
    for report in check_reports(lessons, limits):
        yield report.lesson, report.problems


def check_reports(lessons: Iterable[Lesson], limits: Limits | None = None) -> Iterator[CheckReport]:
    """Check each lesson with one shared worker process; yields its report as it goes."""
    with Runner(limits) as runner:
        for lesson in lessons:
            yield check_report(lesson, runner)


def check_lesson(lesson: Lesson, runner: Runner) -> list[Problem]:
    return check_report(lesson, runner).problems


def check_report(lesson: Lesson, runner: Runner) -> CheckReport:
    started = time.perf_counter()
    report = CheckReport(lesson, list(lesson.problems))
    report.equations = sum(len(step.equations) for step in lesson.steps)
    problems = report.problems
    if not lesson.source or any(p.kind == "syntax" for p in problems):
        report.seconds = time.perf_counter() - started
        return report
    # Equations are verified (in the worker) only when they all compiled: otherwise their
    # problems are reported already.
    verify = None if lesson.problems else "all"
    result = runner.run(
        lesson.py_path, lesson.source, lesson.iteration, verify=verify, partial=True
    )
    timeline = result.timeline
    report.events = max(timeline.events_seen, len(timeline))
    if verify is not None and result.checks is not None:
        report.evaluations = count_evaluations(lesson, timeline)
    problems.extend(run_problems(lesson, result))
    if result.error is None:
        problems.extend(expectation_problems(lesson, timeline))
        report.expectations = len(lesson.expectations)
        problems.extend(boundary_problems(lesson, result, runner))
    proven = derivative_report(lesson, result) if result.error is None else None
    if proven is not None:
        report.derivatives = len(proven.proven)
        report.unproven = list(proven.unproven)
        if not problems:  # every equation agrees with the code: now its derivatives
            problems.extend(proven.problems)
    if not problems:  # the complete lesson is right: now each exercise made from it
        problems.extend(exercise_problems(lesson, result, runner))
    report.seconds = time.perf_counter() - started
    return report


def count_evaluations(lesson: Lesson, timeline: Timeline) -> int:
    """Equation evaluations the check did: each equation of a line at each (real) event of it."""
    from .equation.verify import equations_for_line

    counts = Counter(timeline.lines)
    for event in timeline.summaries:  # summaries stand for many events: never evaluated
        counts[timeline.lines[event]] -= 1
    return sum(
        counts[line] * len(equations_for_line(lesson, line))
        for line in lesson.anchors
        if counts[line] > 0
    )


def expectation_problems(lesson: Lesson, timeline: Timeline) -> list[Problem]:
    """Each ``expect:`` entry against the value recorded at the end of its iteration."""
    problems: list[Problem] = []
    for expected in lesson.expectations:
        at = "the end" if expected.iteration == "end" else f"iteration {expected.iteration}"

        def problem(message: str, expected=expected, at=at) -> None:
            problems.append(
                Problem(
                    lesson.md_path,
                    expected.line,
                    f"expect {expected.name} = {expected.value:g} at {at}: {message}",
                )
            )

        event = _end_of(timeline, expected.iteration)
        if isinstance(event, str):
            problem(event)
            continue
        if expected.name not in timeline.columns:
            problem(f"the run never records {expected.name}")
            continue
        value = timeline.value(expected.name, event)
        if value is MISSING:
            problem(f"{expected.name} has no value yet there")
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            problem(f"{expected.name} holds {type(value).__name__}, not a number")
            continue
        room = expected.tolerance * abs(expected.value) if expected.value else expected.tolerance
        if not abs(value - expected.value) <= room:
            problem(
                f"the run records {value!r} (off by {abs(value - expected.value):.3g}; "
                f"tolerance {expected.tolerance:g} relative)"
            )
    return problems


def derivative_report(lesson: Lesson, result: RunResult) -> DerivativeReport:
    """Each derivative equation proven by a finite difference on the run (docs 6.1, item 7)."""
    return prove_derivatives(lesson, result.timeline)


def _end_of(timeline: Timeline, iteration: int | str) -> int | str:
    """The last event of the run's iteration ``iteration`` ('end': of the run; 0: before the
    loop), or why there is none."""
    if not len(timeline):
        return "the run recorded nothing"
    if iteration == "end":
        return len(timeline) - 1
    assert isinstance(iteration, int)
    if not timeline.iterations:
        return "the run has no iterations ('iteration:' names the loop)"
    if iteration == 0:
        first = timeline.iteration_starts[0]
        return first - 1 if first > 0 else "nothing ran before the loop"
    kept = timeline.iteration_numbered(iteration)
    if kept < 1 or timeline.number(kept) != iteration or len(timeline.numbers_of(kept)) != 1:
        if iteration > timeline.run_iterations:
            return f"the run has {timeline.run_iterations} iterations"
        return "that iteration was not kept (past the run's capacity, see 5.5)"
    return timeline.iteration_span(kept)[-1]


def boundary_problems(lesson: Lesson, result: RunResult, runner: Runner) -> list[Problem]:
    """The decision-boundary function against the code: called (in the worker) at the points
    the code worked on in the last iteration, with the values recorded when it computed its
    answer there, it must give that answer (docs/lesson-format.md 3.4)."""
    boundary = lesson.plots.boundary if lesson.plots else None
    if boundary is None:
        return []
    line = lesson.key_lines.get("plots", 1)
    name = f"{boundary.function}(x1, x2)"

    def problem(message: str) -> list[Problem]:
        return [Problem(lesson.md_path, line, f"plots.boundary: {name} {message}")]

    inputs, output = boundary_io(lesson)
    if inputs is None or output is None:
        return problem(
            "cannot be checked: say which expressions hold the code's point and its answer "
            "for it, with 'inputs: [x1, x2]' and 'output: <expression>' (the network has no "
            "two plain input nodes and one plain output node to take them from)"
        )
    first = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)", output)
    target = first.group(1) if first else output
    timeline = result.timeline
    span = (
        timeline.iteration_span(timeline.iterations)
        if timeline.iterations
        else range(len(timeline))
    )
    summaries = set(timeline.summaries)
    events = [
        e for e in span if target in lesson.stores.get(timeline.lines[e], ()) and e not in summaries
    ]
    if not events:
        return problem(f"cannot be checked: no line assigns {target} in the run's last iteration")
    cases = [timeline.values(e) for e in events]
    found = runner.evaluate_points(
        lesson.py_path, lesson.source, boundary.function, inputs, output, cases
    )
    if isinstance(found, str):
        return problem(f"failed at the code's points: {found}")
    tolerance = lesson.tolerance
    for x1, x2, got, code in found:
        if not math.isclose(got, code, rel_tol=tolerance, abs_tol=1e-12) and not (
            math.isnan(got) and math.isnan(code)
        ):
            return problem(
                f"gives {_num(got)} at ({_num(x1)}, {_num(x2)}), but the code computed "
                f"{output} = {_num(code)} there (iteration {timeline.run_iterations or 'none'}, "
                "with the values recorded then)"
            )
    return []


def boundary_io(lesson: Lesson) -> tuple[tuple[str, str] | None, str | None]:
    """The boundary's inputs and output expressions: declared, else the network's two input
    nodes and one output node when each is a plain variable."""
    boundary = lesson.plots.boundary
    inputs, output = boundary.inputs, boundary.output
    network = lesson.network
    if network is not None:
        if inputs is None:
            names = [n.value for n in network.nodes if n.kind == "input"]
            if len(names) == 2 and all(r is not None and not r.index for r in names):
                inputs = (names[0].name, names[1].name)
        if output is None:
            outs = [n.value for n in network.nodes if n.kind == "output"]
            if len(outs) == 1 and outs[0] is not None and not outs[0].index:
                output = outs[0].name
    return inputs, output


def _num(value: Any) -> str:
    return format(value, ".10g")


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
