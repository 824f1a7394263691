"""The values pane: every recorded variable, its value, and its change since the previous event
(the rows come from the Moment; this widget lays them out in as many columns as fit).

Drawn line by line from a plan made once per (rows, size): a step repaints the pane without
building a table (a Rich table cost ~4 ms a key, most of a step's drawing).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from .looks import Looks

if TYPE_CHECKING:
    from ...core.view.moment import ValueRow

DELTA = 8  # width of the change column
GAP = " "  # between the fields of a cell
SPLIT = "   "  # between cells side by side


def _fit(text: str, width: int, right: bool = False) -> str:
    """``text`` in exactly ``width`` cells: padded, or cut with an ellipsis."""
    if len(text) > width:
        return text[: max(0, width - 1)] + "…" if width else ""
    return text.rjust(width) if right else text.ljust(width)


class ValuesView(Widget):
    """A table of name · value · change; the names the current event changed stand out."""

    COMPONENT_CLASSES = {"values-view--changed", "values-view--delta", "values-view--name"}

    DEFAULT_CSS = """
    ValuesView { height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: tuple[ValueRow, ...] = ()
        self.message = "waiting for the code to run…"
        self._plan: tuple[object, list[list[tuple[str, str, str, bool]]]] | None = None
        self._look = Looks(self)

    def show(self, rows: tuple[ValueRow, ...], message: str = "") -> None:
        """Rows of (name, text, change, assigned) from the Moment; ``message`` when there are none."""
        if rows != self.rows or message != self.message:
            self.rows, self.message = rows, message
            self.refresh()

    def show_message(self, message: str) -> None:
        self.rows, self.message = (), message
        self.refresh()

    def notify_style_update(self) -> None:
        self._look.clear()
        super().notify_style_update()

    def _lines(self) -> list[list[tuple[str, str, str, bool]]]:
        """Screen rows, each a list of cells (name, value, change, assigned), fitted to widths."""
        width, height = self.size
        key = (self.rows, width, height)
        if self._plan is not None and self._plan[0] == key:
            return self._plan[1]
        rows = self.rows
        name_width = max(len(n) for n, *_ in rows) + 2
        value_width = max(len(v) for _, v, *_ in rows)
        cell = name_width + value_width + DELTA + 2 * len(GAP)
        # As many side-by-side columns as it takes to show every row without scrolling.
        columns = max(
            1, min(-(-len(rows) // max(1, height)), (width + len(SPLIT)) // (cell + len(SPLIT)))
        )
        per_column = -(-len(rows) // columns)
        room = (width + len(SPLIT)) // columns - len(SPLIT) - name_width - DELTA - 2 * len(GAP)
        room = min(value_width, max(6, room))  # names never shrink; a long value is cut
        lines: list[list[tuple[str, str, str, bool]]] = []
        for r in range(per_column):
            line = []
            for c in range(columns):
                k = c * per_column + r
                if k < len(rows):
                    name, value, delta, assigned = rows[k]
                    mark = "●" if assigned else " "
                    line.append(
                        (
                            _fit(f"{mark} {name}", name_width),
                            _fit(value, room, right=True),
                            _fit(delta, DELTA),
                            assigned,
                        )
                    )
            lines.append(line)
        self._plan = (key, lines)
        return lines

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self._look("")
        if not self.rows:  # the message, wrapped to the pane
            said = textwrap.wrap(self.message, max(1, width)) if y < self.size.height else []
            if y >= len(said):
                return Strip.blank(width, base)
            italic = base + Style(italic=True)
            return Strip([Segment(said[y], italic)]).extend_cell_length(width, base)
        lines = self._lines()
        if y >= len(lines):
            return Strip.blank(width, base)
        segments: list[Segment] = []
        name_look, changed_look = (
            self._look("values-view--name"),
            self._look("values-view--changed"),
        )
        delta_look = self._look("values-view--delta")
        for k, (name, value, delta, assigned) in enumerate(lines[y]):
            if k:
                segments.append(Segment(SPLIT, base))
            segments += [
                Segment(name, changed_look if assigned else name_look),
                Segment(GAP, base),
                Segment(value, changed_look if assigned else base),
                Segment(GAP, base),
                Segment(delta, delta_look),
            ]
        return Strip(segments).crop(0, width).extend_cell_length(width, base)
