"""The status line: lesson, step, ``event K/N``, ``iteration I/M``, and what is happening.

An alert (saving fails) stays after the title whatever the note says, until it is cleared.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class StatusLine(Widget):
    """One row at the top of the lesson screen."""

    COMPONENT_CLASSES = {"status-line--alert"}
    DEFAULT_CSS = """
    StatusLine { height: 1; }
    """

    def __init__(self, title: str, short: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.title_text = title
        self.short_title = short or title
        self.where = ""
        self.note = ""
        self.alert = ""  # kept in view until cleared (saving fails)
        self.progress: tuple[float, str] | None = None  # a run recording: how far, in words

    def show_progress(self, progress: tuple[float, str] | None) -> None:
        """A progress bar and its words after the note (None: no run is recording)."""
        if progress != self.progress:
            self.progress = progress
            self.refresh()

    def show_alert(self, alert: str) -> None:
        """A warning that stays before the note ("": none)."""
        if alert != self.alert:
            self.alert = alert
            self.refresh()

    def show(self, where: str, note: str = "", force: bool = False) -> None:
        """Update the line; ``force`` repaints even an unchanged line (a key was heard)."""
        if force or (where, note) != (self.where, self.note):
            self.where, self.note = where, note
            self.refresh()

    def render(self) -> Text:
        """The title, the note, then the position at the right; a long note shortens the
        title (never below its start) and then itself, and the position stays whole."""
        width = self.size.width
        right = f"{self.where} "
        room = max(0, width - len(right) - 3)  # " title  note  where"
        title = self.title_text
        note = "  ".join(part for part in (self.alert, self.note) if part)
        if self.progress is not None:  # the bar (and its words, with room) before the position
            right = f"{_progress(*self.progress, room - len(note) - 16)}  {right}"
            room = max(0, width - len(right) - 3)
        if note:
            least = max(len(self.short_title) + 12, room // 4)  # "01-one-neuron…" at least
            keep = min(len(title), max(least, room - len(note) - 2))
            title = _cut(title, keep)
            note = _cut(note, max(0, room - len(title) - 2))
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {_cut(title, room)}", style="bold")
        if note:
            alert = min(len(self.alert), len(note))
            text.append("  ")
            text.append(note[:alert], style=self.get_component_rich_style("status-line--alert"))
            text.append(note[alert:], style="italic")
        text.append(" " * max(2, width - len(text.plain) - len(right)))
        text.append(right)
        return text


def _cut(text: str, room: int) -> str:
    """``text`` in ``room`` cells at most, ending in … when cut."""
    if len(text) <= room:
        return text
    return text[: max(0, room - 1)].rstrip(" …") + "…" if room > 0 else ""


def _progress(fraction: float, words: str, room: int) -> str:
    """``▕████▍     ▏ iteration 120 of 300`` in about ``room`` cells: the words go first,
    then the bar shrinks to 4 cells."""
    from ...core.view.notes import bar

    if room >= 12 + len(words) + 1:
        return f"{bar(fraction, min(20, room - len(words) - 3))} {words}"
    return bar(fraction, max(4, min(12, room - 2)))
