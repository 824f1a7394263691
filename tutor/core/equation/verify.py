"""Equations against the code: at one event (for the screen) and at every event (for the check).

The rule, for an event of a line anchored to a step: each equation of the step
whose left side is a variable that line assigns is evaluated with the values
*before* the line ran for that variable and the values *after* it for every
other name (so ``w ← w − η ∂L/∂w`` reads the old ``w``, and a function's
parameters, recorded with its first line, are there). Every right side must
equal the value the code left in the variable, within a relative tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..lesson.model import Lesson
from ..lesson.problems import Problem
from ..numbers import format_value
from ..run.snapshot import MAX_ARRAY
from ..run.timeline import MISSING, ArraySummary, Timeline
from .compiler import Compiled, close


@dataclass
class Verdict:
    """One equation line at one event."""

    compiled: Compiled
    env: dict[str, Any]  # the values its right sides read
    sides: list[Any]  # each right side's value (None where it could not be computed)
    code: Any  # the value the code computed, or MISSING
    ok: bool | None  # None: nothing to compare (the code value or an input is missing)
    error: str = ""


def equations_for_line(lesson: Lesson, line: int) -> list[Compiled]:
    """The compiled equations checked when ``line`` runs."""
    step_id = lesson.anchors.get(line)
    if step_id is None:
        return []
    stores = lesson.stores.get(line, ())
    return [c for c in lesson.equations.get(step_id, []) if c.target in stores]


def verdict_at(compiled: Compiled, timeline: Timeline, event: int, tolerance: float) -> Verdict:
    env: dict[str, Any] = {}
    for name in compiled.names:
        if name not in timeline.columns:
            continue
        env[name] = timeline.value(name, event - 1 if name == compiled.target else event)
    code = (
        timeline.value(compiled.target, event) if compiled.target in timeline.columns else MISSING
    )
    missing = [name for name in compiled.names if env.get(name, MISSING) is MISSING]
    if missing:
        return Verdict(
            compiled,
            env,
            [None] * len(compiled.sides),
            code,
            None,
            f"no value for {', '.join(sorted(missing))} yet",
        )
    sides: list[Any] = []
    error = too_large({**env, str(compiled.target): code})
    for side in compiled.sides if not error else ():
        try:
            sides.append(side(env))
        except Exception as exc:  # noqa: BLE001 - a division by zero in the math is information
            sides.append(None)
            error = f"{type(exc).__name__}: {exc}"
    if code is MISSING or error or any(s is None for s in sides):
        return Verdict(compiled, env, sides or [None] * len(compiled.sides), code, None, error)
    ok = all(_close(s, code, tolerance) for s in sides)
    return Verdict(compiled, env, sides, code, ok, error)


def too_large(values: dict[str, Any]) -> str:
    """Why an equation cannot be checked: it reads an array too large to record in full
    (the recorder keeps its shape and statistics only); "" when every value is whole."""
    for name, value in values.items():
        if isinstance(value, ArraySummary):
            shape = "×".join(str(n) for n in value.shape)
            return (
                f"{name} is a {shape} array: only arrays of up to {MAX_ARRAY:,} numbers are "
                "recorded in full, so this equation cannot be checked"
            )
    return ""


def _close(a: Any, b: Any, tolerance: float) -> bool:
    try:
        return close(a, b, tolerance)
    except (TypeError, ValueError):
        return False


def check_equations(
    lesson: Lesson, timeline: Timeline, steps: set[str] | None = None
) -> list[Problem]:
    """Every anchored equation at every recorded event; one problem per failing equation line.

    ``steps`` limits the check to those step ids (an exercise, say)."""
    import numpy as np

    problems: list[Problem] = []
    if not len(timeline):
        return problems
    lines = np.frombuffer(timeline.lines, dtype=np.uint32)
    real = np.ones(len(lines), dtype=bool)
    real[np.frombuffer(timeline.summaries, dtype=np.uint32)] = False  # summaries stand for many
    for line in sorted(lesson.anchors):
        if steps is not None and lesson.anchors[line] not in steps:
            continue
        compiled_list = equations_for_line(lesson, line)
        if not compiled_list:
            continue
        events = np.nonzero((lines == line) & real)[0]
        if not len(events):
            continue
        step_id = lesson.anchors[line]
        tolerance = lesson.tolerance_for(step_id)
        for compiled in compiled_list:
            problem = _check_line(np, lesson, timeline, line, step_id, compiled, events, tolerance)
            if problem is not None:
                problems.append(problem)
    return problems


def _gather(np, timeline: Timeline, name: str, events):
    """Values of ``name`` at each event: a numpy array for numbers, else a list; None if missing."""
    column = timeline.columns.get(name)
    if column is None:
        return None, 0
    positions = (
        np.searchsorted(np.frombuffer(column.events, dtype=np.uint32), events, side="right") - 1
    )
    if (positions < 0).any():
        return None, int(np.argmax(positions < 0))
    values = column.values
    if hasattr(values, "typecode"):
        return np.frombuffer(values, dtype=np.float64 if values.typecode == "d" else np.int64)[
            positions
        ], 0
    return [values[p] for p in positions.tolist()], 0


def _check_line(np, lesson, timeline, line, step_id, compiled, events, tolerance) -> Problem | None:
    equation = compiled.source
    where = f"(lesson.md:{equation.line})"
    env: dict[str, Any] = {}
    vectorized = not compiled.loops
    for name in sorted(compiled.names):
        at = events - 1 if name == compiled.target else events
        values, first_missing = _gather(np, timeline, name, at)
        if values is None:
            symbol = next((s.latex for s in lesson.symbols if s.name == name), name)
            event = int(events[first_missing])
            return Problem(
                lesson.py_path,
                line,
                f"step \"{step_id}\"{_iteration(timeline, event)}: '{symbol}' ({name}) has no value "
                f"when this line runs {where}",
                kind="equation",
            )
        if isinstance(values, list):
            vectorized = False
        env[name] = values
    code, _ = _gather(np, timeline, compiled.target, events)
    if code is None:
        return Problem(
            lesson.py_path,
            line,
            f'step "{step_id}": the code never sets {compiled.target} {where}',
            kind="equation",
        )
    if isinstance(code, list):
        vectorized = False

    if vectorized:
        for k, side in enumerate(compiled.sides):
            try:
                with np.errstate(all="ignore"):
                    math_values = np.broadcast_to(np.asarray(side(env), dtype=float), code.shape)
            except Exception:  # noqa: BLE001 - fall back to event by event for a precise message
                vectorized = False
                break
            good = np.isclose(math_values, code, rtol=tolerance, atol=1e-12, equal_nan=True)
            if not good.all():
                bad = np.nonzero(~good)[0]
                i = int(bad[0])
                return _mismatch(
                    lesson,
                    timeline,
                    line,
                    step_id,
                    int(events[i]),
                    math_values[i],
                    code[i],
                    where,
                    len(bad),
                    k,
                    compiled,
                )
        if vectorized:
            return None

    failures: list[tuple[int, Any, Any, int]] = []
    for n, event in enumerate(events.tolist()):
        scope = {name: values[n] for name, values in env.items()}
        value = code[n]
        reason = too_large({**scope, compiled.target: value})
        if reason:
            return Problem(
                lesson.py_path,
                line,
                f'step "{step_id}"{_iteration(timeline, event)}: {reason} (use a smaller '
                f"array, or mark the equation illustrative:) {where}",
                kind="equation",
            )
        for k, side in enumerate(compiled.sides):
            try:
                got = side(scope)
            except Exception as exc:  # noqa: BLE001
                return Problem(
                    lesson.py_path,
                    line,
                    f'step "{step_id}"{_iteration(timeline, event)}: the math fails: '
                    f"{type(exc).__name__}: {exc} {where}",
                    kind="equation",
                )
            if not _close(got, value, tolerance):
                failures.append((event, got, value, k))
    if failures:
        event, got, value, k = failures[0]
        return _mismatch(
            lesson, timeline, line, step_id, event, got, value, where, len(failures), k, compiled
        )
    return None


def _mismatch(
    lesson, timeline, line, step_id, event, math_value, code_value, where, count, side, compiled
) -> Problem:
    more = f"; {count - 1} more event{'s' * (count > 2)} disagree" if count > 1 else ""
    which = f" (right side {side + 1})" if len(compiled.sides) > 1 else ""
    return Problem(
        lesson.py_path,
        line,
        f'step "{step_id}"{_iteration(timeline, event)}: math gives {_exact(math_value)}, '
        f"code gives {_exact(code_value)} for {compiled.target}{which} {where}{more}",
        kind="equation",
    )


def _iteration(timeline: Timeline, event: int) -> str:
    k = timeline.iteration(event)
    return f", iteration {k}" if k is not None else ""


def _exact(value: Any) -> str:
    """A value in a check message: enough digits to see a disagreement, plain ASCII."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    return format_value(value, digits=10, ascii=True)
