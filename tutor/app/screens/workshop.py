"""The learner's workshop, reached from the lesson screen: reset, compare, hints, solutions.

Plain functions of what they use (the app, the code pane, the lesson and its
exercise): the screen's key actions call them; what to show comes from the core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .confirm import ConfirmScreen
from .text import TextScreen

if TYPE_CHECKING:
    from textual.app import App

    from ...core.lesson.model import Exercise, Lesson
    from ..widgets.editor import EditorPane


def reset(app: App, editor: EditorPane) -> None:
    """Back to the original code, after a yes (the learner's version kept as a backup)."""
    if not editor.edited:
        app.notify("Your code is the original code already.")
        return

    def answered(yes: bool | None) -> None:
        if yes:
            backup = editor.reset()
            where = f" (your version: {backup})" if backup else ""
            app.notify(f"lesson.py is back to the original{where}.", timeout=10)

    question = "Reset lesson.py to the original code? Your version is kept in a backup file."
    app.push_screen(ConfirmScreen(question, yes="Reset"), answered)


def diff(app: App, editor: EditorPane) -> None:
    if not editor.edited:
        app.notify("You have not changed the code.")
    else:
        app.push_screen(TextScreen("Your changes", editor.diff(), "diff"))


def hint(app: App, lesson: Lesson | None, exercise: Exercise | None, shown: dict[str, int]) -> None:
    """The next hint of ``exercise`` (``shown`` counts the hints seen, per exercise step)."""
    from ...core.exercises import next_hint

    if lesson is None or exercise is None:
        app.notify("This lesson has no exercise.")
        return
    if not exercise.hints:
        app.notify("This exercise has no hints: S shows the solution.")
        return
    number, text, last = next_hint(exercise, shown.get(exercise.step, 0))
    shown[exercise.step] = number
    step = lesson.step(exercise.step)
    more = " (the last hint; S shows the solution)" if last else ""
    app.notify(
        f"{text}{more}",
        title=f"Hint {number}/{len(exercise.hints)} · {step.title if step else exercise.step}",
        timeout=30,
        markup=False,
    )


def solution(app: App, lesson: Lesson | None, exercise: Exercise | None) -> None:
    """The reference solution of ``exercise``, after a yes."""
    if lesson is None or exercise is None:
        app.notify("This lesson has no exercise.")
        return

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        step = lesson.step(exercise.step)
        lines = ", ".join(str(n) for n in sorted(step.lines)) if step else "?"
        title = f"Solution · {step.title if step else exercise.step} (lesson.py line {lines})"
        app.push_screen(TextScreen(title, "\n".join(exercise.solution), "python"))

    question = "Show the solution? Trying first teaches more: h gives a hint."
    app.push_screen(ConfirmScreen(question, yes="Show it"), answered)
