"""The status line: lesson, step, ``event K/N``, ``iteration I/M``, and what is happening."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class StatusLine(Widget):
    """One row at the top of the lesson screen."""

    DEFAULT_CSS = """
    StatusLine { height: 1; }
    """

    def __init__(self, title: str, short: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.title_text = title
        self.short_title = short or title
        self.where = ""
        self.note = ""

    def show(self, where: str, note: str = "", force: bool = False) -> None:
        """Update the line; ``force`` repaints even an unchanged line (a key was heard)."""
        if force or (where, note) != (self.where, self.note):
            self.where, self.note = where, note
            self.refresh()

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        right = f"{self.where} "
        title = self.title_text
        if len(title) + len(self.note) + len(right) + 5 > self.size.width:
            title = self.short_title  # small screens: the numbers matter more than the title
        text.append(f" {title}", style="bold")
        if self.note:
            text.append(f"  {self.note}", style="italic")
        room = self.size.width - len(text.plain) - len(right)
        text.append(" " * max(2, room))
        text.append(right)
        return text
