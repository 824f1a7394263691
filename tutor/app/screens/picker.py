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
        self.left: str | None = None  # the lesson the learner last came back from

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

    def on_mount(self) -> None:
        self.select(self.left)

    def select(self, lesson_id: str | None) -> None:
        """Put the cursor on ``lesson_id`` (the lesson just left), if it is listed."""
        if lesson_id is None:
            return
        self.left = lesson_id
        for options in self.query("#lessons"):
            listed = cast(OptionList, options)
            for index, option in enumerate(listed.options):
                if option.id == lesson_id:
                    listed.highlighted = index

    def _prompt(self, lesson: Lesson) -> Text:
        text = Text()
        text.append(f"{lesson.id:<20} ", style="bold")
        text.append(lesson.title or "(no title)")
        if lesson.ok:
            status = self._status(lesson)
            if status:
                text.append(f"  {status}", style="green" if status.startswith("✓") else "cyan")
            if lesson.summary:
                text.append("\n")
                text.append_text(_indented(lesson.summary, "dim", self._width()))
        else:
            text.append("\n")
            text.append_text(_indented(f"broken: {lesson.problems[0]}", "red", self._width()))
        return text

    def _width(self) -> int:
        return max(40, self.app.size.width - 3)  # the scrollbar and a margin

    def focus_list(self) -> None:
        self.select(self.left)
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


INDENT = 21  # under the title, past the lesson id


def _indented(text: str, style: str, width: int) -> Text:
    """``text`` wrapped to ``width`` with every line under the title, not just the first."""
    import textwrap

    lines = textwrap.wrap(text, max(20, width - INDENT)) or [""]
    return Text("\n".join(" " * INDENT + line for line in lines), style=style)
