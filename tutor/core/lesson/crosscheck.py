"""lesson.md against lesson.py: anchors name real steps, symbols and plotted names appear in
the code, the loop exists, and each anchored line computes what its step's equations define."""

from __future__ import annotations

from pathlib import Path

from .front_matter import did_you_mean
from .model import Equation, Lesson
from .problems import Problem
from .source import CodeMap


def unknown_anchors(lesson: Lesson, cmap: CodeMap) -> list[Problem]:
    """Anchors that are malformed or name no step of lesson.md (with a did-you-mean)."""
    py = lesson.py_path
    problems = [Problem(py, line, message, kind="anchor") for line, message in cmap.bad_anchors]
    step_ids = [s.id for s in lesson.steps]
    for first, step_id in cmap.anchors.items():
        if lesson.step(step_id) is None:
            hint = did_you_mean(step_id, step_ids)
            known = f" (steps: {', '.join(step_ids)})" if step_ids and not hint else ""
            problems.append(
                Problem(
                    py,
                    cmap.anchor_lines[first],
                    f"anchor names unknown step '{step_id}'{hint}{known}",
                    kind="anchor",
                )
            )
    return problems


def cross_check(lesson: Lesson, cmap: CodeMap) -> None:
    md, problems = lesson.md_path, lesson.problems
    for step in lesson.steps:
        if not step.lines:
            problems.append(
                Problem(
                    md,
                    step.line,
                    f"step '{step.id}' is not anchored by any line of lesson.py: "
                    f"add '# step: {step.id}' to the line that computes it",
                )
            )
    for symbol in lesson.symbols:
        if symbol.name not in cmap.names:
            problems.append(
                Problem(
                    md,
                    symbol.line,
                    f"symbol '{symbol.latex}' maps to '{symbol.name}', "
                    "which never appears in lesson.py",
                )
            )
    problems.extend(_exercise_problems(lesson, cmap))
    for expectation in lesson.expectations:
        if expectation.name not in cmap.names:
            problems.append(
                Problem(
                    md,
                    expectation.line,
                    f"expect: '{expectation.name}' never appears in lesson.py",
                )
            )
    graph_names = (lesson.network.names() if lesson.network else set()) | set(
        lesson.plots.series if lesson.plots else []
    )
    if lesson.plots and lesson.plots.boundary:
        graph_names |= {lesson.plots.boundary.function}
        if lesson.plots.boundary.points:
            graph_names.add(lesson.plots.boundary.points)
    for name in sorted(graph_names):
        base = name.split("[")[0]
        if base not in cmap.names:
            key = "network" if lesson.network and base in lesson.network.names() else "plots"
            problems.append(
                Problem(
                    md, lesson.key_lines.get(key, 1), f"'{base}' ({key}) never appears in lesson.py"
                )
            )
    if lesson.iteration is not None and lesson.iteration not in cmap.loops:
        line = lesson.key_lines.get("iteration", 1)
        problems.append(
            Problem(
                md,
                line,
                f"'iteration: {lesson.iteration}' names no loop variable of lesson.py: "
                f"expected a loop like 'for {lesson.iteration} in range(20):'",
                kind="loop",
            )
        )


def _exercise_problems(lesson: Lesson, cmap: CodeMap) -> list[Problem]:
    """Each exercise names a real step and fits it (what can be known before a run)."""
    md, problems = lesson.md_path, []
    step_ids = [s.id for s in lesson.steps]
    for exercise in lesson.exercises.values():

        def problem(message: str, exercise=exercise) -> None:
            problems.append(Problem(md, exercise.line, f"exercise '{exercise.id}': {message}"))

        target = lesson.step(exercise.step) if exercise.step else None
        if exercise.step and target is None:
            hint = did_you_mean(exercise.step, step_ids)
            problem(f"names unknown step '{exercise.step}'{hint}")
            continue
        if exercise.kind == "code" and target is not None:
            if exercise.blank and target.lines and len(exercise.blank) != len(target.lines):
                problem(
                    f"'blank' has {len(exercise.blank)} line(s) but the step anchors "
                    f"{len(target.lines)} line(s) of lesson.py: give one line per anchored line"
                )
        elif exercise.kind == "predict" and target is not None:
            sets = [n for line in sorted(target.lines) for n in cmap.stores.get(line, ())]
            if exercise.name and exercise.name not in sets:
                problem(
                    f"'name: {exercise.name}' is not set by step '{target.id}' "
                    f"(its lines set {', '.join(sets) or 'nothing'})"
                )
            elif not sets:
                problem(f"step '{target.id}' sets no variable: nothing to predict")
        elif exercise.kind == "derive" and target is not None:
            count = len(target.equations)
            if count < 2 or exercise.row > count:
                problem(
                    f"'row: {exercise.row or count}' but step '{target.id}' has {count} "
                    "equation line(s): a derive hides one line of a derivation of several"
                )
        elif exercise.kind == "break" and exercise.change is not None:
            found = lesson.source.count(exercise.change[0])
            if found != 1:
                problem(
                    f"'change: from' occurs {found} times in lesson.py; it must occur exactly "
                    "once (quote more of the line)"
                )
    return problems


def compile_equations(lesson: Lesson) -> None:
    """Parse and compile every equation; tie each anchored line to an equation of its step."""
    from ..equation.compiler import EquationError, compile_step, symbol_table

    md, py, problems = lesson.md_path, lesson.py_path, lesson.problems
    table, bad = symbol_table(lesson.symbols)
    for symbol, message in bad:
        problems.append(Problem(md, symbol.line, message))
    found: dict[str, list[tuple[int, int]]] = {}  # message -> (line, column) of each equation
    for step in lesson.steps:
        compiled, errors = compile_step(step.equations, table)
        for equation, error in errors:
            found.setdefault(error.message, []).append(equation.where(error.column))
        lesson.equations[step.id] = compiled
        if errors:
            continue  # which line an equation belongs to is unknown while one does not compile
        targets = {c.target for c in compiled}
        if not compiled:
            continue  # "has no equation" is reported already
        if step.lines:  # (a step no line anchors is reported already: one message)
            problems.extend(_unevaluated(lesson, step, compiled))
        for line in step.lines:
            stores = lesson.stores.get(line, ())
            if not targets & set(stores):
                assigned = ", ".join(stores) if stores else "nothing"
                defined = ", ".join(sorted(t for t in targets if t)) or "nothing"
                problems.append(
                    Problem(
                        py,
                        line,
                        f"this line of step '{step.id}' assigns {assigned}, but the step's "
                        f"equations define {defined}: the left side of an equation names what "
                        "its line computes",
                    )
                )
    problems.extend(_collapsed(md, found))
    for exercise in lesson.exercises_of("break"):
        if not exercise.holds:
            continue
        from ..equation.typed import compile_relation

        try:
            compile_relation(exercise.holds, table)
        except EquationError as exc:
            problems.append(
                Problem(md, exercise.line, f"exercise '{exercise.id}': 'holds': {exc.message}")
            )


ILLUSTRATIVE = "illustrative:"  # a justification that starts so: an equation check never evaluates


def is_illustrative(equation: Equation) -> bool:
    """An equation its author marked as not computed by the code (docs 3.8)."""
    return equation.justification.lower().startswith(ILLUSTRATIVE)


def _unevaluated(lesson: Lesson, step, compiled: list) -> list[Problem]:
    """Equations of ``step`` that no line of the step computes: never evaluated, so never
    proven. Each is a problem unless its justification starts with 'illustrative:'."""
    assigned = {name for line in step.lines for name in lesson.stores.get(line, ())}
    problems = []
    for item in compiled:
        equation = item.source
        if item.target in assigned or is_illustrative(equation):
            continue
        lines = "; ".join(
            f"lesson.py:{line} assigns {', '.join(lesson.stores.get(line, ())) or 'nothing'}"
            for line in step.lines
        )
        problems.append(
            Problem(
                lesson.md_path,
                equation.line,
                f"equation '{_short(equation.latex)}' of step '{step.id}' is never evaluated: "
                f"no line of the step assigns {item.target or 'its left side'} (its lines: "
                f"{lines or 'none'}); compute it in a line "
                "of the step, or start its justification with '% illustrative:' if the code "
                "is not meant to compute it",
                kind="equation",
            )
        )
    return problems


def _short(latex: str, limit: int = 60) -> str:
    text = " ".join(latex.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _collapsed(md: Path, found: dict[str, list[tuple[int, int]]]) -> list[Problem]:
    """One problem per message: a symbol missing from the table is one thing to fix, however
    many equations use it; the first place is named, the others listed after it."""
    collapsed = []
    for message, places in found.items():
        (line, column), others = places[0], sorted({line for line, _ in places[1:]})
        if others:
            shown = ", ".join(map(str, others[:5])) + (
                f" and {len(others) - 5} more" if len(others) > 5 else ""
            )
            message += f" (also on line{'s' * (len(others) > 1)} {shown})"
        collapsed.append(Problem(md, line, message, column))
    return collapsed
