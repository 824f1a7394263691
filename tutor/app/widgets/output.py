"""The output box under the code: everything the code printed up to the current event.

Its newest line is at the bottom and in view; the box is as tall as the lines it has, up to
a share of the code pane (app.tcss), and scrolls (wheel, or ↑ ↓ once focused) past that.
While lines are hidden above, the code pane's border says how many ("↑ 5 more printed").
The text is the learner's: shown literally, never parsed as markup.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Log


class OutputView(Log):
    """Printed lines, newest at the bottom; ``-shown`` while there are any."""

    def __init__(self, **kwargs) -> None:
        super().__init__(auto_scroll=True, **kwargs)
        self._text = ""

    @property
    def text(self) -> str:
        return self._text

    def show(self, text: str) -> None:
        if text == self._text:
            return
        self._text = text
        self.clear()
        if text:
            self.write(text)
        self.set_class(bool(text), "-shown")
        self._to_end()

    def on_resize(self) -> None:
        self._to_end()  # the box grew or shrank with its lines: the newest line stays in view

    def _to_end(self) -> None:
        self.scroll_end(animate=False, immediate=True, x_axis=False)
        self._say_hidden()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._say_hidden()

    @property
    def hidden_above(self) -> int:
        """Printed lines above the box's top (scrolled out of view)."""
        return round(self.scroll_offset.y) if self.display and self._text else 0

    def _say_hidden(self) -> None:
        pane = self.parent
        if isinstance(pane, Widget):
            above = self.hidden_above
            subtitle = f"↑ {above} more printed" if above else ""
            if pane.border_subtitle != subtitle:
                pane.border_subtitle = subtitle
