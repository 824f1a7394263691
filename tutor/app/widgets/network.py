"""The network pane: the lesson's network of any shape, with this moment's values and weights.

A scroll view drawn line by line: the virtual size is the drawing's size, so a
diagram bigger than the pane scrolls both ways (never wraps or crops silently),
and its height can follow the drawing (``height: auto`` in the .tcss).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

if TYPE_CHECKING:  # the drawing code loads after the first frame, with the lesson
    from ...core.view.diagram import Drawing

KINDS = ("node", "node-active", "edge-pos", "edge-neg", "edge-active", "label")
EMPTY = "(no network declared)"


class NetworkView(ScrollView, can_focus=True):
    """Colours a ``tutor.core.view.diagram`` drawing; kinds map to component classes in the .tcss."""

    COMPONENT_CLASSES = {f"network-view--{kind}" for kind in KINDS}
    BINDINGS = [  # ← → step the lesson (screen keys); sideways scrolling has its own keys
        Binding("shift+left", "scroll_left", "Scroll left", show=False),
        Binding("shift+right", "scroll_right", "Scroll right", show=False),
    ]

    DEFAULT_CSS = """
    NetworkView { height: auto; width: 1fr; scrollbar-size: 1 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drawing: Drawing | None = None
        self._lines: list[list[tuple[str, str]]] = [[(EMPTY, "")]]  # per row: (text, kind) runs
        self.virtual_size = Size(len(EMPTY), 1)

    def show(self, drawing: Drawing | None) -> None:
        old = self.drawing
        if drawing is None:
            return  # the lesson declares no network, or the pane is hidden: keep the last one
        if old is not None and drawing.rows == old.rows and drawing.spans == old.spans:
            return
        self.drawing = drawing
        self._lines = _runs(drawing)
        size = Size(max((cell_len(r) for r in drawing.rows), default=1), max(1, len(drawing.rows)))
        if old is None or size != self.virtual_size:
            self.virtual_size = size  # the pane's height follows the drawing's (up to its max)
            self.refresh(layout=True)
        else:
            self.refresh()  # same size: repaint, never re-layout the screen
        self.call_after_refresh(self._show_active)

    def _show_active(self) -> None:
        """Scroll (as little as needed) to what changed just now: a node, else a wire's end."""
        spans = self.drawing.spans if self.drawing else []
        nodes = [s for s in spans if s[3] == "node-active"]
        wires = [s for s in spans if s[3] == "edge-active"]
        target = nodes[0] if nodes else max(wires, key=lambda s: s[2]) if wires else None
        if target is not None:
            row, start, end, _ = target
            self.scroll_to_region(Region(start, row, end - start, 1), animate=False, immediate=True)

    def lines(self) -> list[str]:
        """The whole drawing as plain text (what scrolling reaches)."""
        return ["".join(text for text, _ in row) for row in self._lines]

    def render_line(self, y: int) -> Strip:
        x0, y0 = self.scroll_offset
        row = y0 + y
        base = self.rich_style
        if row >= len(self._lines):
            return Strip.blank(self.size.width, base)
        styles: dict[str, Style] = {}
        segments = []
        for text, kind in self._lines[row]:
            if kind and kind not in styles:
                styles[kind] = base + self.get_component_rich_style(f"network-view--{kind}")
            segments.append(Segment(text, styles[kind] if kind else base))
        strip = Strip(segments).crop(x0, x0 + self.size.width)
        return strip.extend_cell_length(self.size.width, base)


def _runs(drawing: Drawing) -> list[list[tuple[str, str]]]:
    """Each row cut into runs of one kind (the spans), unstyled text between them."""
    spans: dict[int, list[tuple[int, int, str]]] = {}
    for row, start, end, kind in drawing.spans:
        spans.setdefault(row, []).append((start, end, kind))
    lines = []
    for y, text in enumerate(drawing.rows):
        runs, x = [], 0
        for start, end, kind in sorted(spans.get(y, [])):
            if start > x:
                runs.append((text[x:start], ""))
            if end > max(start, x):
                runs.append((text[max(start, x) : end], kind))
            x = max(x, end)
        if x < len(text):
            runs.append((text[x:], ""))
        lines.append(runs)
    return lines
