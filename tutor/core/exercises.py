"""The rules of exercises (docs/lesson-format.md 3.9): the blank the tutor makes for a code
exercise, when each kind is solved, which exercise the learner is at, which hint comes
next. Pure; the screen and the check ask.

- code: ``blanked`` puts placeholders in the step's lines; ``solved_by`` a run.
- predict: ``predict_event`` is where it asks; ``judge_prediction`` the number typed.
- derive: ``hidden_row``; ``judge_derivation`` what was typed, at every event of the step.
- break: ``changed_source`` (for the check); ``judge_claim`` a run.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from .lesson.model import Exercise, Lesson
from .numbers import format_value
from .run.result import RunResult
from .run.timeline import MISSING, Timeline


@dataclass(frozen=True)
class Judgement:
    """An answer (or a run) judged: right or not, and what to tell the learner."""

    ok: bool
    message: str


def steps_to_verify(lesson: Lesson) -> list[str]:
    """The code exercises' steps a run of the learner's code is checked on (in the worker)."""
    steps = []
    for exercise in lesson.exercises_of("code"):
        step = lesson.step(exercise.step)
        if step is not None and step.lines and step.id not in steps:
            steps.append(step.id)
    return steps


def solved_by(lesson: Lesson, result: RunResult) -> frozenset[str]:
    """The exercises this run solves: it ran to the end, each of the step's lines ran,
    and the step's equations hold at every event (``result.checks`` from the worker).

    ``lesson`` is bound to the code that ran (its anchors are that code's lines)."""
    if result.error is not None or result.checks is None:
        return frozenset()
    failing = {lesson.anchors.get(problem.line) for problem in result.checks}
    lines = set(result.timeline.lines)
    solved = set()
    for exercise in lesson.exercises_of("code"):
        step = lesson.step(exercise.step)
        if step is not None and step.id not in failing and lines.intersection(step.lines):
            solved.add(exercise.id)
    return frozenset(solved)


def exercise_here(
    lesson: Lesson, step_id: str | None, solved: Collection[str], kind: str = "code"
) -> Exercise | None:
    """The ``kind`` exercise of the current step, else the first one not solved yet, else
    the first."""
    exercises = lesson.exercises_of(kind)
    if not exercises:
        return None
    here = next((e for e in exercises if e.step == step_id), None)
    if here is not None:
        return here
    return next((e for e in exercises if e.id not in solved), exercises[0])


def next_hint(exercise: Exercise, shown: int) -> tuple[int, str, bool]:
    """After ``shown`` hints: the number of the next one, its text, and whether it is the last."""
    number = min(shown + 1, len(exercise.hints))
    return number, exercise.hints[number - 1], number == len(exercise.hints)


# -- code -------------------------------------------------------------------------------
def _replace_lines(source: str, replacements: dict[int, str]) -> str:
    """``source`` with the code of each line replaced, its indentation and comment kept."""
    from .lesson.source import code_lines

    rows = source.split("\n")
    code = code_lines(source)
    for line, text in replacements.items():
        row = rows[line - 1]
        kept = code.get(line, row)
        indent = row[: len(row) - len(row.lstrip())]
        comment = row[len(kept) :].strip()
        rows[line - 1] = f"{indent}{text.strip()}" + (f"  {comment}" if comment else "")
    return "\n".join(rows)


def placeholders(lesson: Lesson, exercise: Exercise) -> dict[int, str]:
    """The lines of ``lesson``'s code (bound to the code to blank) a code exercise blanks,
    and what stands in each: the lesson's ``blank``, else ``name = 0.0`` (``pass`` for a
    line that sets nothing)."""
    step = lesson.step(exercise.step)
    if step is None:
        return {}
    lines = sorted(step.lines)
    if exercise.blank and len(exercise.blank) == len(lines):
        return dict(zip(lines, exercise.blank, strict=True))
    result = {}
    for line in lines:
        names = lesson.stores.get(line, ())
        result[line] = f"{names[0]} = 0.0" if names else "pass"
    return result


def blanked(lesson: Lesson, exercise: Exercise) -> str:
    """``lesson``'s code (the learner's, when bound to it) with the exercise's lines blanked."""
    return _replace_lines(lesson.source, placeholders(lesson, exercise))


def is_blank(lesson: Lesson, exercise: Exercise) -> bool:
    """The exercise's lines are still the placeholders (``lesson`` bound to the code)."""
    from .lesson.source import code_lines

    code = code_lines(lesson.source)
    wanted = placeholders(lesson, exercise)
    return bool(wanted) and all(
        " ".join(code.get(line, "").split()) == " ".join(text.split())
        for line, text in wanted.items()
    )


def shipped_lines(lesson: Lesson, exercise: Exercise) -> list[str]:
    """The complete code of the exercise's step (``lesson`` as shipped): its solution."""
    from .lesson.source import code_lines

    step = lesson.step(exercise.step)
    code = code_lines(lesson.source)
    return [code.get(line, "").strip() for line in sorted(step.lines)] if step else []


# -- predict ----------------------------------------------------------------------------
def predicted_name(lesson: Lesson, exercise: Exercise) -> str:
    step = lesson.step(exercise.step)
    if exercise.name or step is None:
        return exercise.name
    for line in sorted(step.lines):
        names = lesson.stores.get(line, ())
        if names:
            return names[0]
    return ""


def predict_event(lesson: Lesson, timeline: Timeline, exercise: Exercise) -> int | None:
    """The event a predict asks before: the first run of the step's line that sets the
    name, in iteration ``exercise.iteration`` of the training loop (the first run of it in
    a lesson without one, or for a step outside the loop, such as results computed after
    training). None: the run never got there."""
    step = lesson.step(exercise.step)
    name = predicted_name(lesson, exercise)
    if step is None or not name:
        return None
    lines = {line for line in step.lines if name in lesson.stores.get(line, ())}
    first = next((e for e in range(len(timeline)) if timeline.lines[e] in lines), None)
    if not (timeline.iterations and lesson.iteration) or first is None:
        return first
    if timeline.iteration(first) is None:  # the step runs before or after the loop
        return first
    k = timeline.iteration_numbered(exercise.iteration)
    if k < 1 or timeline.number(k) != exercise.iteration:
        return None
    return next((e for e in timeline.iteration_span(k) if timeline.lines[e] in lines), None)


def read_number(text: str) -> float:
    """A number the learner typed: ``0.8``, ``-3``, ``1e-3``, or arithmetic of numbers
    (``0.5 - 0.1 * -3``); ``ValueError`` for anything else."""
    from .equation.compiler import EquationError
    from .equation.typed import compile_python

    try:
        value = compile_python(text.replace("−", "-").replace("·", "*"), {}).fn({})
    except EquationError as exc:
        raise ValueError(exc.message) from None
    except (ArithmeticError, ValueError) as exc:
        raise ValueError(f"{type(exc).__name__}: {exc}") from None
    return float(value)


def judge_prediction(exercise: Exercise, typed: str, value: Any, digits: int = 4) -> Judgement:
    """The learner's guess against the recorded ``value``."""
    guess = read_number(typed)
    shown = format_value(value, digits)
    try:
        actual = float(value)
    except (TypeError, ValueError):
        return Judgement(False, f"you said {format_value(guess, digits)}: it is {shown}")
    near = abs(guess - actual) <= exercise.tolerance * max(1.0, abs(actual))
    said = f"you said {format_value(guess, digits)}: it is {shown}"
    return Judgement(near, f"{said} ✓" if near else f"{said} ✗")


# -- derive -----------------------------------------------------------------------------
def hidden_row(lesson: Lesson, exercise: Exercise) -> int:
    """The 0-based index, among the step's equation lines, of the line a derive hides."""
    step = lesson.step(exercise.step)
    count = len(step.equations) if step else 0
    return (exercise.row or count) - 1


def judge_derivation(
    lesson: Lesson, exercise: Exercise, typed: str, timeline: Timeline
) -> Judgement:
    """What the learner typed for the hidden line, at every event of its step where the
    line's left side is computed (as the check does: that name's value before the line,
    every other name's after). ``ValueError`` for what does not read as an expression."""
    from .equation.compiler import EquationError, close, symbol_table
    from .equation.typed import compile_typed

    step = lesson.step(exercise.step)
    compiled = lesson.equations.get(exercise.step, [])
    row = hidden_row(lesson, exercise)
    if step is None or not 0 <= row < len(compiled):
        return Judgement(False, "this line cannot be checked (see nn-tutor check)")
    target = compiled[row].target
    table, _ = symbol_table(lesson.symbols)
    try:
        typed_expression = compile_typed(typed, table)
    except EquationError as exc:
        raise ValueError(exc.message) from None
    lines = {line for line in step.lines if target in lesson.stores.get(line, ())}
    tolerance = lesson.tolerance_for(step.id)
    checked: list[int] = []
    for event, line in enumerate(timeline.lines):
        if line not in lines or timeline.is_summary(event):
            continue
        env = {}
        for name in typed_expression.names:
            if name in timeline.columns:
                env[name] = timeline.value(name, event - 1 if name == target else event)
        code = timeline.value(target, event) if target in timeline.columns else MISSING
        if code is MISSING or any(env.get(n, MISSING) is MISSING for n in typed_expression.names):
            continue
        where = _where(timeline, event)
        try:
            yours = typed_expression.fn(env)
        except Exception as exc:  # noqa: BLE001 - a division by zero in the math is information
            return Judgement(False, f"{where}: yours raises {type(exc).__name__}: {exc}")
        try:
            same = close(yours, code, tolerance)
        except (TypeError, ValueError):
            same = False
        if not same:
            return Judgement(
                False,
                f"{where}: yours gives {format_value(yours, lesson.digits)}, the code "
                f"computed {format_value(code, lesson.digits)}",
            )
        checked.append(event)
    if not checked:
        return Judgement(False, "the step has not run yet: nothing to check against")
    line = compiled[row]
    if differs := _differs_elsewhere(lesson, line, typed_expression, timeline, checked, tolerance):
        return Judgement(False, differs)
    return Judgement(True, f"it holds at all {len(checked)} events of the step ✓")


def _differs_elsewhere(
    lesson: Lesson, line: Any, typed: Any, timeline: Timeline, events: list[int], tolerance: float
) -> str:
    """A typed line can match every recorded number by chance: with x = 1 at every event,
    2(ŷ − y) and 2(ŷ − y)·x agree. The names the recorded events never vary (the data, a
    constant) are moved a little, a few times, and the typed line and the hidden one are
    evaluated there; a disagreement says where ("" when none). Names that vary are tested
    by the events themselves (moving them would break their relations, like a = σ(z)); an
    answer written with names the hidden line does not read is judged on the events alone."""
    import random

    from .equation.compiler import close

    if not line.sides or not typed.names <= line.names:
        return ""

    def at(name: str, event: int) -> Any:
        return timeline.value(name, event - 1 if name == line.target else event)

    env = {name: at(name, events[0]) for name in line.names if name in timeline.columns}
    fixed = [
        name
        for name, value in env.items()
        if type(value) in (int, float) and all(at(name, e) == value for e in events)
    ]
    rng = random.Random(14)  # the same moves each time: the same answer, the same verdict
    for _ in range(3 if fixed else 0):
        moved = dict(env)
        for name in fixed:
            value = env[name]
            moved[name] = round(value + (0.5 + abs(value)) * rng.uniform(0.2, 0.6), 3)
        try:
            yours, the_line = typed.fn(moved), line.sides[-1](moved)
            same = close(yours, the_line, tolerance)
        except Exception:  # noqa: BLE001 - a value the math cannot take: try other moves
            continue
        if not same:
            where = ", ".join(f"{n} = {format_value(moved[n], 3)}" for n in sorted(fixed))
            return (
                f"it matches this run's numbers, but not the derivation in general: with "
                f"{where}, yours gives {format_value(yours, lesson.digits)}, the line gives "
                f"{format_value(the_line, lesson.digits)}"
            )
    return ""


def _where(timeline: Timeline, event: int) -> str:
    k = timeline.iteration(event)
    return f"event {event + 1}" + (f", iteration {timeline.number(k)}" if k else "")


# -- break ------------------------------------------------------------------------------
def changed_source(lesson: Lesson, exercise: Exercise) -> str | None:
    """The shipped code with the break's change made (None: it cannot be made)."""
    if exercise.change is None or lesson.source.count(exercise.change[0]) != 1:
        return None
    return lesson.source.replace(exercise.change[0], exercise.change[1])


def judge_claim(lesson: Lesson, exercise: Exercise, timeline: Timeline) -> Judgement:
    """Whether the break's claim holds on a run: at its last event (``at: end``), or at the
    end of every training iteration and at the last event (``at: every``; at every event
    where its names change, without a training loop)."""
    from .equation.compiler import EquationError, symbol_table
    from .equation.typed import compile_relation

    table, _ = symbol_table(lesson.symbols)
    try:
        relation = compile_relation(exercise.holds, table)
    except EquationError as exc:
        return Judgement(False, f"the claim cannot be checked: {exc.message}")
    if not len(timeline):
        return Judgement(False, "the run recorded nothing")
    last = len(timeline) - 1
    if exercise.at == "end":
        events: list[int] = [last]
    elif timeline.iterations:
        ends = [timeline.iteration_ends[k] - 1 for k in range(timeline.iterations)]
        events = sorted({e for e in ends if e >= 0} | {last})
    else:
        changes: set[int] = {last}
        for name in relation.names:
            if name in timeline.columns:
                changes.update(timeline.columns[name].events)
        events = sorted(changes)
    tolerance = lesson.tolerance
    checked = 0
    for event in events:
        env = {n: timeline.value(n, event) for n in relation.names if n in timeline.columns}
        if len(env) < len(relation.names) or any(v is MISSING for v in env.values()):
            continue
        try:
            ok = relation.holds(env, tolerance)
        except Exception as exc:  # noqa: BLE001
            return Judgement(False, f"{_where(timeline, event)}: {type(exc).__name__}: {exc}")
        values = ", ".join(f"{n} = {format_value(env[n], lesson.digits)}" for n in sorted(env))
        if not ok:
            return Judgement(False, f"at {_where(timeline, event)} {values}: not {exercise.holds}")
        checked += 1
    if not checked:
        return Judgement(False, "the run never computed what the claim reads")
    return Judgement(True, f"{exercise.holds} holds ({values} at the end)")
