"""The code view: lesson.py with line numbers, the current line marked and kept in view.

Drawn line by line (Textual's line API), so moving the marker repaints two
lines, not the file. Syntax colours come from the theme (Textual's highlighter
styles tokens with theme variables) and are added after the first frame: the
highlighter's import is not paid for before the learner sees the screen. Drawn
lines are cached by what they show and the cache is dropped when the theme changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.markup import parse_style
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle

if TYPE_CHECKING:
    from textual.content import Content


class CodeView(ScrollView, can_focus=True):
    """Read-only source with a gutter; ``current_line`` and ``error_line`` are 1-based (0: none)."""

    COMPONENT_CLASSES = {
        "code-view--gutter",
        "code-view--current",
        "code-view--current-gutter",
        "code-view--error",
    }

    DEFAULT_CSS = """
    CodeView { height: 1fr; }
    """

    current_line: reactive[int] = reactive(0, always_update=True)
    """The line of the current event (marked, scrolled into view)."""
    error_line: reactive[int] = reactive(0)
    """The line where the run failed."""

    def __init__(self, source: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows: list[str] = []
        self._lines: list[Content] | None = None  # highlighted rows, once coloured
        self._strips: dict[tuple[int, int, int], Strip] = {}
        self._styles: dict[object, VisualStyle] = {}
        self.set_source(source)

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def on_unmount(self) -> None:
        self.app.theme_changed_signal.unsubscribe(self)

    def _style(self, style: object) -> VisualStyle:
        """A token style with the theme's variables filled in (cached: parsing is slow)."""
        parsed = self._styles.get(style)
        if parsed is None:
            parsed = self._styles[style] = parse_style(cast(str, style), self.app.theme_variables)
        return parsed

    def _theme_changed(self, _theme: object) -> None:
        self._styles.clear()
        self._strips.clear()  # every cached line has the old theme's colours
        self.refresh()

    @property
    def source(self) -> str:
        """The text shown (without trailing newlines)."""
        return "\n".join(self._rows)

    def set_source(self, source: str, highlight: bool = False) -> None:
        self._rows = source.rstrip("\n").split("\n") if source else []
        self._lines = None
        if highlight and self._rows:
            from textual.highlight import highlight as colour

            self._lines = colour("\n".join(self._rows), language="python").split("\n")
        self._strips.clear()
        self._gutter = len(str(max(1, len(self._rows)))) + 2  # marker, number, one space
        width = max((len(row) for row in self._rows), default=0) + self._gutter
        self.virtual_size = Size(width, len(self._rows))
        self.refresh()

    def watch_current_line(self, old: int, new: int) -> None:
        self._refresh_rows(old, new)
        self._keep_in_view()

    def watch_error_line(self, old: int, new: int) -> None:
        self._refresh_rows(old, new)
        self._keep_in_view()

    def on_resize(self) -> None:
        # The output box or the error strip came or went, or the terminal changed: the lines
        # in view were chosen for another height.
        self._keep_in_view()

    def _refresh_rows(self, *lines: int) -> None:
        for line in lines:
            if line:
                self.refresh_line(line - 1)  # (refresh_line takes a row of the text)

    def _keep_in_view(self) -> None:
        """Scroll so the current line is in view, and the error line too when both fit."""
        top = view_top(
            self.current_line - 1,
            self.error_line - 1,
            self.scrollable_content_region.height,
            len(self._rows),
        )
        if top is not None and top != self.scroll_offset.y:
            self.scroll_to(y=top, animate=False, immediate=True)

    def reset_sideways(self) -> None:
        """Back to the start of the lines (the gutter and the code's indentation in view)."""
        if self.scroll_offset.x:
            self.scroll_to(x=0, animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if row >= len(self._rows) or width <= 0:
            return Strip.blank(width, self.rich_style)
        state = 2 if row + 1 == self.error_line else 1 if row + 1 == self.current_line else 0
        key = (row, state, self.scroll_offset.x)
        strip = self._strips.get(key)
        if strip is None or strip.cell_length != width:
            strip = self._build(row, state, width)
            self._strips[key] = strip
        return strip

    def _build(self, row: int, state: int, width: int) -> Strip:
        base = self.rich_style
        gutter_style = self.get_component_rich_style("code-view--gutter")
        line_style = Style()
        marker = " "
        if state == 1:
            line_style = self.get_component_rich_style("code-view--current")
            gutter_style = self.get_component_rich_style("code-view--current-gutter")
            marker = "▶"
        elif state == 2:
            line_style = gutter_style = self.get_component_rich_style("code-view--error")
            marker = "✗"
        number = f"{marker}{row + 1:>{self._gutter - 2}} "  # "▶ 9 ", "▶13 "
        if self._lines is not None and row < len(self._lines):
            segments = [
                Segment(text, style.rich_style)
                for text, style in self._lines[row].render(end="", parse_style=self._style)
            ]
        else:
            segments = [Segment(self._rows[row])]
        body = Strip(segments).crop(
            self.scroll_offset.x, self.scroll_offset.x + width - len(number)
        )
        body = body.extend_cell_length(width - len(number)).apply_style(base + line_style)
        return Strip([Segment(number, base + gutter_style), *body])


def view_top(row: int, error_row: int, height: int, rows: int) -> int | None:
    """The first row to show for the current ``row`` and ``error_row`` (0-based, -1: none).

    The current row scrolls by pages of the view's height, so where the code sits depends
    on the line alone (never on the lines visited before): two rows of context above, one
    below. When the error row would be out of view but both fit, the view moves just enough
    to show both. None: no rows to show, or no room to show them.
    """
    if height <= 0 or rows <= 0 or (row < 0 and error_row < 0):
        return None
    last = max(0, rows - height)  # as far down as the text allows
    if row < 0:
        row, error_row = error_row, -1
    page = max(1, height - 3)
    top = min(last, max(0, (row // page) * page - 2) if row >= page else 0)
    if error_row >= 0 and not top <= error_row < top + height:
        low, high = min(row, error_row), max(row, error_row)
        if high - low < height:
            top = min(last, max(0, low - 2, high - height + 2), low)
    return top
