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

    app, lesson, navigator, exercise = (
        screen.app,
        screen.lesson,
        screen.navigator,
        _exercise(screen),
    )
    if lesson is None or exercise is None:
        say(screen, "this lesson has no exercise")
        return
    if not exercise.hints:
        say(screen, "this exercise has no hints: S shows the solution")
        return
    number, text, last = next_hint(exercise, screen.hints.get(exercise.step, 0))
    screen.hints[exercise.step] = number
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
    exercise = lesson.exercises.get(state.step)
    step = lesson.step(state.step)
    hints = exercise.hints if exercise else []
    shown = screen.hints.get(state.step, 0)
    lines = step.lines if step else []
    return with_exercise(rows, exercise_rows(lines, hints, shown, state.solved)), True


def code_title(m: Moment) -> str:
    """The code pane's title: the file, and "your turn" on an unsolved exercise's step."""
    state = m.exercise
    if state is not None and state.here and not state.solved:
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


def solution(screen: LessonScreen) -> None:
    """The reference solution of the exercise (this step's, else the first not solved), after a yes."""
    app, lesson, exercise = screen.app, screen.lesson, _exercise(screen)
    if lesson is None or exercise is None:
        say(screen, "this lesson has no exercise")
        return

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        step = lesson.step(exercise.step)
        lines = ", ".join(str(n) for n in sorted(step.lines)) if step else "?"
        title = f"Solution · {step.title if step else exercise.step} (lesson.py line {lines})"
        from .text import TextScreen

        app.push_screen(TextScreen(title, "\n".join(exercise.solution), "python"))

    question = "Show the solution? Trying first teaches more: h gives a hint."
    app.push_screen(ConfirmScreen(question, yes="Show it"), answered)


def _exercise(screen: LessonScreen) -> Exercise | None:
    m = screen.moment()  # the exercise of this step, else the first one not solved yet
    lesson = screen.lesson
    return lesson.exercises.get(m.exercise.step) if lesson and m and m.exercise else None
