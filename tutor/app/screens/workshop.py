"""The learner's workshop, reached from the lesson screen: reset, compare, hints, solutions,
the exercise's rows in the equation pane, and lost step tags put back.

Plain functions of the lesson screen (and the exercise): its key actions call them;
short answers go to the status line, not toasts over the code; the rules are the core's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .confirm import ConfirmScreen

if TYPE_CHECKING:
    from ...core.lesson.model import Exercise
    from ...core.view.equation_rows import Row
    from ...core.view.moment import Moment
    from .lesson import LessonScreen


def say(screen: LessonScreen, note: str) -> None:
    """A short answer to a key, in the status line (a toast would cover the code)."""
    screen.status.show(screen._where(), note, force=True)


def reset(screen: LessonScreen) -> None:
    """Back to the original code, after a yes (the learner's version kept as a backup)."""
    app, editor = screen.app, screen.editor
    if not editor.edited:
        say(screen, "your code is the original code already")
        return

    def answered(yes: bool | None) -> None:
        if yes:
            lesson = screen.lesson
            if lesson is not None and app.progress.untry(lesson.id):  # type: ignore[attr-defined]
                app.save_progress()  # type: ignore[attr-defined]
            backup = editor.reset()
            where = f" (your version: {backup})" if backup else ""
            app.notify(f"lesson.py is back to the original{where}.", timeout=10, markup=False)

    question = "Reset lesson.py to the original code? Your version is kept in a backup file."
    app.push_screen(ConfirmScreen(question, yes="Reset"), answered)


def diff(screen: LessonScreen) -> None:
    app, editor = screen.app, screen.editor
    if not editor.edited:
        say(screen, "you have not changed the code")
    else:
        from .text import TextScreen  # (its highlighter loads when first needed)

        app.push_screen(TextScreen("Your changes", editor.diff(), "diff"))


def hint(screen: LessonScreen) -> None:
    """The next hint of the exercise (this step's, else the first not solved), as a row of
    the equation pane on the exercise's step (the screen goes there first); after the last
    one, the last one stays."""
    from ...core.exercises import next_hint

    app, lesson, navigator = screen.app, screen.lesson, screen.navigator
    m = screen.moment()
    state = m.exercise if m is not None else None
    writing = state is not None and state.tried and not state.solved and state.here
    derive = state.derive if state is not None and not writing else ""
    exercise = lesson.exercises.get(derive) if lesson and derive else _exercise(screen)
    if lesson is None or exercise is None:
        say(screen, "this lesson has no exercise")
        return
    tried = app.progress.tried(lesson.id)  # type: ignore[attr-defined]
    if exercise.kind == "code" and exercise.id not in tried:  # nothing to write yet
        say(screen, "no exercise started here: t blanks a step's code for you to write")
        return
    if not exercise.hints:
        say(screen, "this exercise has no hints: S shows the solution")
        return
    number, text, last = next_hint(exercise, screen.hints.get(exercise.id, 0))
    screen.hints[exercise.id] = number
    if navigator is not None and screen.run is not None:
        t = navigator.timeline
        here = navigator.event >= 0 and t.step(navigator.event) == exercise.step
        first = next((e for e in screen.run.anchored if t.step(e) == exercise.step), None)
        if not here and first is not None:
            navigator.goto_event(first)  # the hint shows where the exercise is
        if here or first is not None:
            screen.redraw()
            return
    more = " (the last hint; S shows the solution)" if last else ""  # the step never ran
    app.notify(f"{text}{more}", title=f"Hint {number}/{len(exercise.hints)}", markup=False)


def equation_rows(screen: LessonScreen, m: Moment) -> tuple[list[Row], bool]:
    """The equation pane's rows: the step's, the exercise's after them (your turn, the hints
    asked for), and, the first time a ✓ shows in this lesson, what ✓ means; and whether
    the pane keeps its last row in view (it does with the exercise's rows)."""
    from ...core.view.equation_rows import (
        ascii_wanted,
        exercise_rows,
        hint_rows,
        try_it_row,
        with_check_explained,
        with_exercise,
    )

    rows = list(m.equations)
    first = screen.checks_explained
    if first is None or first == m.section:
        explained = with_check_explained(rows, ascii_wanted())
        if explained is not None:
            rows, screen.checks_explained = explained, m.section
    lesson = screen.run.lesson if screen.run is not None else None
    state = m.exercise
    if lesson is None or state is None or not state.here:
        return rows, False
    exercise = next((e for e in lesson.exercises_of("code") if e.step == state.step), None)
    writing = exercise is not None and state.tried and not state.solved
    if state.derive and not writing:  # the hidden line says what to do; then the hints
        derive = lesson.exercises[state.derive]
        extra = hint_rows(derive.hints, screen.hints.get(derive.id, 0))
        if exercise is not None:
            step = lesson.step(state.step)
            lines = step.lines if step else []
            extra += exercise_rows(lines, (), 0, True) if state.solved else [try_it_row()]
        return with_exercise(rows, extra), True
    step = lesson.step(state.step)
    if exercise is None:
        return rows, False
    if not state.tried and not state.solved:
        return with_exercise(rows, [try_it_row()]), False
    shown = screen.hints.get(exercise.id, 0)
    lines = step.lines if step else []
    return with_exercise(rows, exercise_rows(lines, exercise.hints, shown, state.solved)), True


def code_title(m: Moment) -> str:
    """The code pane's title: the file, and "your turn" on a tried, unsolved exercise's step."""
    state = m.exercise
    if state is not None and state.here and state.tried and not state.solved:
        return "Code · lesson.py · your turn: h hint, e edit"
    return "Code · lesson.py"


def restore_tags(screen: LessonScreen) -> None:
    """Put back the step tags the learner's code lost, on the lines they were on; rerun."""
    from ...core.lesson.load import lost_tags_of
    from ...core.lesson.tags import restore_tags as restored

    lesson, editor = screen.lesson, screen.editor
    if lesson is None:
        return
    lost = lost_tags_of(lesson, editor.text)
    fixable = [tag for tag in lost if tag.line is not None]
    if not fixable:
        where = "d shows your changes, R resets" if lost else "no step tag is missing"
        screen.status.show(screen._where(), where, force=True)
        return
    editor.replace_text(restored(editor.text, fixable))
    editor.request_run()  # the check is back on from this run


def try_it(screen: LessonScreen) -> None:
    """Blank the code exercise of this step (else the first not solved) in the learner's
    code, for them to write, and rerun: the step's ✗ shows what is missing."""
    from ...core.exercises import blanked, is_blank
    from ...core.lesson.load import bind_source

    lesson, editor, exercise = screen.lesson, screen.editor, _exercise(screen)
    if lesson is None or exercise is None:
        say(screen, "this lesson has no code exercise")
        return
    bound, _ = bind_source(lesson, editor.text)
    step = bound.step(exercise.step)
    if step is None or not step.lines:
        say(screen, f"your code has no line tagged '# step: {exercise.step}': ctrl+t puts it back")
        return
    numbers = ", ".join(str(n) for n in sorted(step.lines))
    where = f"line{'s' * (len(step.lines) > 1)} {numbers}"
    screen.app.progress.mark_tried(lesson.id, exercise.id)  # type: ignore[attr-defined]
    screen.app.save_progress()  # type: ignore[attr-defined]
    if is_blank(bound, exercise):
        say(screen, f"{where} of lesson.py is yours to write: e edits, h hint, S solution")
        return
    editor.replace_text(blanked(bound, exercise))
    screen.runs.then = f"your turn: write {where} · e edit · h hint"
    editor.request_run()
    go_to_step(screen, exercise.step)
    say(screen, screen.runs.then)


def go_to_step(screen: LessonScreen, step_id: str) -> None:
    """The first event of ``step_id`` in the run shown (the screen redraws)."""
    navigator = screen.navigator
    if navigator is None or screen.run is None:
        return
    t = navigator.timeline
    first = next((e for e in screen.run.anchored if t.step(e) == step_id), None)
    if first is not None and t.step(max(navigator.event, 0)) != step_id:
        navigator.goto_event(first)
        screen.redraw()


def solution(screen: LessonScreen) -> None:
    """The complete code of the exercise's step (this step's, else the first not solved),
    after a yes."""
    from ...core.exercises import shipped_lines

    app, lesson, exercise = screen.app, screen.lesson, _exercise(screen)
    if lesson is None or exercise is None:
        say(screen, "this lesson has no code exercise")
        return

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        step = lesson.step(exercise.step)
        lines = ", ".join(str(n) for n in sorted(step.lines)) if step else "?"
        title = f"Solution · {step.title if step else exercise.step} (lesson.py line {lines})"
        from .text import TextScreen

        app.push_screen(TextScreen(title, "\n".join(shipped_lines(lesson, exercise)), "python"))

    question = "Show the solution? Trying first teaches more: h gives a hint."
    app.push_screen(ConfirmScreen(question, yes="Show it"), answered)


def _exercise(screen: LessonScreen) -> Exercise | None:
    """The code exercise of this step, else the first one not solved yet."""
    from ...core.exercises import exercise_here

    lesson, navigator = screen.lesson, screen.navigator
    if lesson is None:
        return None
    step_id = None
    if navigator is not None and navigator.event >= 0:
        step_id = navigator.timeline.step(navigator.event)
    solved = screen.app.progress.solved(lesson.id)  # type: ignore[attr-defined]
    return exercise_here(lesson, step_id, solved)
