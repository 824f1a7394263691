"""The output box under the code: everything the code printed up to the current event.

Its newest line is at the bottom and in view; the box is as tall as the lines it has, up to
a share of the code pane (app.tcss), and scrolls (wheel, or ↑ ↓ once focused) past that.
The text is the learner's: shown literally, never parsed as markup.
"""

from __future__ import annotations

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
