"""At quit, code the data folder would not take: the learner is offered another place for it.

Saving failed (a read-only or full data folder) and the code in the editor differs from what
is on disk. Quitting asks whether to write it to a new file in the current folder (or the
temporary folder); yes writes it there and quits, saying where; no goes back to the tutor
(q again quits without it). The places and the writing are the core's (``core.saving``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text

from ...core.saving import CODE, rescue, rescue_folders, rescue_target
from .confirm import ConfirmScreen


def unsaved_code(app: Any) -> list[tuple[str, str]]:
    """(lesson id, code) of every open lesson whose code could not be saved."""
    from .lesson import LessonScreen

    return [
        (screen.lesson.id, screen.editor.text)
        for screen in app.screen_stack
        if isinstance(screen, LessonScreen) and screen.lesson is not None and screen.editor.unsaved
    ]


def lost(unsaved: list[tuple[str, str]]) -> Text:
    """The line left in the terminal when the learner quit without their unsaved code."""
    lessons = ", ".join(lesson for lesson, _text in unsaved)
    return Text(f"nn-tutor: your last code for {lessons} was not saved")


def offer(app: Any, unsaved: list[tuple[str, str]], quit: Callable[[Text | None], None]) -> None:
    """Ask where the unsaved code should go; ``quit`` (with a line for the terminal) after."""
    lesson_id = unsaved[0][0]
    folders = rescue_folders()
    target = rescue_target(lesson_id, folders)
    why = app.saving.failing.get(CODE, "the data folder cannot be written")
    if target is None:
        question = (
            f"Your code for {lesson_id} could not be saved ({why}), and no folder here "
            "can be written. Quit anyway, without it? (n: back to the tutor)"
        )

        def lose(yes: bool | None) -> None:
            if yes:
                quit(lost(unsaved))

        app.push_screen(ConfirmScreen(question, yes="Quit"), lose)
        return
    question = (
        f"Your code for {lesson_id} could not be saved ({why}). "
        f"Write it to {target} and quit? (n: back to the tutor; q again quits without it)"
    )

    def write(yes: bool | None) -> None:
        if not yes:
            app.notify(
                "Your code is not written anywhere yet: q again quits without it.",
                severity="warning",
                markup=False,
            )
            return
        lines = []
        try:
            for lesson, text in unsaved:
                first = target if lesson == lesson_id else rescue_target(lesson, folders)
                path = rescue(text, first or target, lesson, folders)
                lines.append(f"nn-tutor: your code for {lesson} is in {path} (not saved)")
        except OSError as exc:
            app.notify(
                f"Could not write your code: {exc}. q again quits without it.",
                severity="error",
                markup=False,
            )
            return
        quit(Text("\n".join(lines)))

    app.push_screen(ConfirmScreen(question, yes="Write it"), write)
