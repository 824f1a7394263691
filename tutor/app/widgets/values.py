"""The values pane: every recorded variable, its value, and its change since the previous event
(the rows come from the Moment), one entry under another, scrolling.

Nothing is ever cut: a value too wide for its column gets lines of its own under the name
(wrapped between list items), an array is its shape and then its grid. When the step moves,
the entries the current line assigned (marked ●) are scrolled into view. The pane is a tab
stop with a row cursor: ↑/↓ and PageUp/PageDown move it, enter asks the screen to inspect
the variable under it. The cursor follows the variable the current line assigned until the
learner moves it; then it stays on the variable they chose (also kept in view when it fits
beside the assigned ones) until focus moves to another pane.

Drawn line by line from a plan made once per (rows, width): a step repaints the pane without
building a table.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .looks import Looks
from .scrolling import set_virtual_size

if TYPE_CHECKING:
    from ...core.view.moment import ValueRow

INDENT = "    "  # a value on lines of its own, under its name
Line = tuple[tuple[tuple[str, str], ...], int]  # ((text, look), ...), the entry it belongs to


def plan(
    rows: tuple[ValueRow, ...], width: int, ascii: bool = False
) -> tuple[list[Line], list[tuple[int, int]]]:
    """The pane's lines for ``rows`` at ``width``, and each entry's span of lines.

    name · value · change in aligned columns; a value that does not fit (and every grid)
    goes under its name, the change staying in its column."""
    names = max(len(r.name) for r in rows)
    changes = max(len(r.change) for r in rows)
    head = 2 + names + 1
    tail = 1 + changes if changes else 0
    room = width - head - tail
    inline = [len(r.text) for r in rows if len(r.text) <= room and not r.grid]
    column = max(inline, default=0)
    lines: list[Line] = []
    spans: list[tuple[int, int]] = []
    mark = "*" if ascii else "●"
    for k, row in enumerate(rows):
        start = len(lines)
        look = "changed" if row.assigned else "value"
        name = (
            f"{mark if row.assigned else ' '} {row.name.ljust(names)} ",
            look if row.assigned else "name",
        )
        delta = (f" {row.change}" if changes else "", "delta")
        below: list[str] = []
        if row.grid:  # the shape in the value column, the grid under it
            text = row.text.rjust(column) if len(row.text) <= column else row.text
            below = list(row.grid)
        elif len(row.text) <= column:
            text = row.text.rjust(column)
        else:
            text = " " * column
            below = textwrap.wrap(
                row.text,
                max(8, width - len(INDENT)),
                break_long_words=False,
                break_on_hyphens=False,
            ) or [row.text]
        lines.append(((name, (text, look), delta), k))
        lines += [(((INDENT, ""), (part, look)), k) for part in below]
        spans.append((start, len(lines)))
    return lines, spans


def scroll_for(height: int, want: list[tuple[int, int]], top: int | None = None) -> int:
    """The scroll offset that shows the spans of ``want`` (the first span first; later ones
    while they fit with it) in ``height`` lines.

    With ``top`` (a move of the learner's cursor): the nearest offset to it. Without (a step):
    the page of ``height`` lines holding them, shifted only as far as they need, so the pane
    scrolls the same at the same position whichever way the learner came."""
    if not want or height <= 0:
        return top or 0
    first, last = want[0]
    for start, stop in want[1:]:
        joined = (min(first, start), max(last, stop))
        if joined[1] - joined[0] <= height:
            first, last = joined
    if last - first >= height:
        return first
    if top is None:
        top = first // height * height
    if first < top:
        return first
    return max(top, last - height)


class ValuesView(ScrollView, can_focus=True):
    """A table of name · value · change; the names the current event changed stand out."""

    COMPONENT_CLASSES = {
        "values-view--changed",
        "values-view--delta",
        "values-view--name",
        "values-view--cursor",
    }
    BINDINGS = [
        Binding("up", "cursor(-1)", "Previous value", show=False),
        Binding("down", "cursor(1)", "Next value", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("enter", "inspect", "Inspect", show=False),
    ]
    DEFAULT_CSS = """
    ValuesView { height: 1fr; scrollbar-size: 1 1; scrollbar-gutter: stable; }
    """

    @dataclass
    class Inspect(Message):
        """The learner asked to see all of a variable: its whole value and its history."""

        name: str

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: tuple[ValueRow, ...] = ()
        self.message = "waiting for the code to run…"
        self.cursor: str | None = None  # the name of the variable under the cursor
        self.pinned = False  # the learner moved the cursor: it stays on their variable
        self._focus: tuple[str, ...] | None = None
        self._lines: list[Line] = []
        self._spans: list[tuple[int, int]] = []
        self._planned: tuple[object, ...] | None = None
        self._strips: dict[tuple[int, bool], Strip] = {}
        self._look = Looks(self)

    # -- data in ----------------------------------------------------------------------------
    def show(
        self, rows: tuple[ValueRow, ...], message: str = "", focus: tuple[str, ...] | None = None
    ) -> None:
        """Rows from the Moment; ``message`` when there are none. Brings the ``focus`` rows
        (by default the assigned ones; and, when they fit beside them, the learner's cursor)
        into view."""
        if rows == self.rows and message == self.message and focus == self._focus:
            return
        self.rows, self.message, self._focus = rows, message, focus
        names = [r.name for r in rows]
        if focus is None:
            focus = tuple(r.name for r in rows if r.assigned)
        kept = [names.index(name) for name in focus if name in names]
        self.pinned = self.pinned and self.cursor in names
        if not self.pinned:
            self.cursor = names[kept[0]] if kept else (names[0] if names else None)
        self._replan()
        want = [self._spans[k] for k in kept]
        if self.pinned and self.cursor in names:
            want.append(self._spans[names.index(self.cursor)])
        self._scroll(scroll_for(self._height(), want))

    def show_message(self, message: str) -> None:
        self.show((), message)

    @property
    def lines(self) -> list[str]:
        """The pane's whole text, one string a line (what the learner can scroll through)."""
        return ["".join(text for text, _ in parts).rstrip() for parts, _ in self._lines]

    def spans(self) -> dict[str, tuple[int, int]]:
        """Each variable's lines in ``lines``."""
        return {r.name: span for r, span in zip(self.rows, self._spans, strict=True)}

    @property
    def grid_width(self) -> int:
        """The cells a grid may take (the Moment leaves columns out to fit): 1000 unsized."""
        width = self.scrollable_content_region.width
        return width - len(INDENT) if width > len(INDENT) + 8 else 1000

    # -- layout -----------------------------------------------------------------------------
    def _width(self) -> int:
        return max(10, self.scrollable_content_region.width)

    def _height(self) -> int:
        return self.scrollable_content_region.height

    def _replan(self) -> None:
        width = self._width()
        key = (self.rows, self.message, width)
        if key == self._planned:
            return
        self._planned = key
        self._strips.clear()
        if self.rows:
            from ...core.view.equation_rows import ascii_wanted  # (math: after the first frame)

            self._lines, self._spans = plan(self.rows, width, ascii_wanted())
        else:
            said = textwrap.wrap(self.message, width)
            self._lines, self._spans = [(((s, "message"),), -1) for s in said], []
        widest = max((sum(len(t) for t, _ in parts) for parts, _ in self._lines), default=0)
        set_virtual_size(self, Size(max(widest, width), len(self._lines)))  # (no new layout)
        self.refresh()

    def on_resize(self) -> None:
        self._replan()

    def notify_style_update(self) -> None:
        self._look.clear()
        self._strips.clear()
        super().notify_style_update()

    def _scroll(self, y: int) -> None:
        if y != round(self.scroll_y):
            self.scroll_to(y=y, animate=False, immediate=True, force=True)
            if not self.show_vertical_scrollbar:  # it appears with the new size: show where
                self.call_after_refresh(self._place_scrollbar)

    def _place_scrollbar(self) -> None:
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.position = self.scroll_y

    # -- keys -------------------------------------------------------------------------------
    def _move(self, k: int) -> None:
        if not self.rows:
            return
        k = max(0, min(k, len(self.rows) - 1))
        self.cursor, self.pinned = self.rows[k].name, True
        self._strips.clear()
        self._scroll(scroll_for(self._height(), [self._spans[k]], round(self.scroll_y)))
        self.refresh()

    def _cursor_index(self) -> int:
        names = [r.name for r in self.rows]
        return names.index(self.cursor) if self.cursor in names else 0

    def action_cursor(self, by: int) -> None:
        self._move(self._cursor_index() + by)

    def action_page(self, by: int) -> None:
        """A page of lines up or down: the cursor moves to the entry that far away."""
        if not self.rows:
            return
        k = self._cursor_index()
        target = self._spans[k][0] + by * max(1, self._height() - 1)
        starts = [start for start, _ in self._spans]
        j = max((i for i, s in enumerate(starts) if s <= target), default=0)
        self._move(j if j != k else k + by)

    def action_inspect(self) -> None:
        if self.cursor is not None and self.rows:
            self.post_message(self.Inspect(self.cursor))

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the entry; a double click opens it."""
        offset = event.get_content_offset(self)
        n = offset.y + round(self.scroll_y) if offset is not None else -1
        if 0 <= n < len(self._lines) and self._lines[n][1] >= 0:
            self._move(self._lines[n][1])
            if event.chain == 2:
                self.action_inspect()

    def on_focus(self) -> None:
        self._strips.clear()
        self.refresh()

    def on_blur(self) -> None:
        if self.screen.is_current:  # focus went to another pane: the cursor follows again
            self.pinned = False
        self._strips.clear()
        self.refresh()

    # -- drawing ----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        self._replan()
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self._look("")
        n = scroll_y + y
        if n >= len(self._lines):
            return Strip.blank(width, base)
        parts, entry = self._lines[n]
        lit = (
            self.has_focus and 0 <= entry < len(self.rows) and self.rows[entry].name == self.cursor
        )
        strip = self._strips.get((n, lit))
        if strip is None:
            strip = self._strip(parts, lit)
            self._strips[(n, lit)] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, base + self._cursor_look(lit))

    def _cursor_look(self, lit: bool) -> Style:
        return Style(bgcolor=self._look("values-view--cursor").bgcolor) if lit else Style()

    def _strip(self, parts: tuple[tuple[str, str], ...], lit: bool) -> Strip:
        base = self._look("")
        looks = {
            "": base,
            "value": base,
            "name": self._look("values-view--name"),
            "changed": self._look("values-view--changed"),
            "delta": self._look("values-view--delta"),
            "message": base + Style(italic=True),
        }
        cursor = self._cursor_look(lit)
        return Strip([Segment(text, looks[look] + cursor) for text, look in parts])
