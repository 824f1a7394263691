"""The lesson picker: every lesson in order, broken ones with their first problem."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ...core.lesson.model import Lesson

if TYPE_CHECKING:
    from ..app import TutorApp


class PickerScreen(Screen):
    """Pick a lesson; enter opens it."""

    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    def __init__(self, lessons: list[Lesson], progress=None) -> None:
        super().__init__()
        self.lessons = lessons
        self.progress = progress

    def compose(self) -> ComposeResult:
        yield Static(
            " nn-tutor · how a neural network works, one neuron at a time", id="picker-title"
        )
        options = [
            Option(self._prompt(lesson), id=lesson.id, disabled=not lesson.ok)
            for lesson in self.lessons
        ]
        if not options:
            options = [Option("No lessons found.", disabled=True)]
        yield OptionList(*options, id="lessons")
        yield Footer()

    def _prompt(self, lesson: Lesson) -> Text:
        text = Text()
        text.append(f"{lesson.id:<20} ", style="bold")
        text.append(lesson.title or "(no title)")
        if lesson.ok:
            status = self._status(lesson)
            if status:
                text.append(f"  {status}", style="green" if status.startswith("✓") else "cyan")
            if lesson.summary:
                text.append(f"\n{'':<21}{lesson.summary}", style="dim")
        else:
            text.append(f"\n{'':<21}broken: {lesson.problems[0]}", style="red")
        return text

    def focus_list(self) -> None:
        for options in self.query("#lessons"):
            options.focus()

    def _status(self, lesson: Lesson) -> str:
        from ...core.progress import describe_progress

        summary = self.progress.summary(lesson.id) if self.progress is not None else None
        return describe_progress(lesson, summary)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        lesson = next(lesson for lesson in self.lessons if lesson.id == event.option.id)
        cast("TutorApp", self.app).open_lesson(lesson)

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(cast("list[Binding]", self.BINDINGS)))

    async def action_quit(self) -> None:
        self.app.exit()
