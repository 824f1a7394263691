"""The status line: lesson, step, ``event K/N``, ``iteration I/M``, and what is happening."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class StatusLine(Widget):
    """One row at the top of the lesson screen."""

    DEFAULT_CSS = """
    StatusLine { height: 1; }
    """

    def __init__(self, title: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.title_text = title
        self.where = ""
        self.note = ""

    def show(self, where: str, note: str = "") -> None:
        if (where, note) != (self.where, self.note):
            self.where, self.note = where, note
            self.refresh()

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {self.title_text}", style="bold")
        if self.note:
            text.append(f"  {self.note}", style="italic")
        right = f"{self.where} "
        room = self.size.width - len(text.plain) - len(right)
        text.append(" " * max(2, room))
        text.append(right)
        return text
