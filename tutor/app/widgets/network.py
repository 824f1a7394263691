"""The network pane: the lesson's network of any shape, with this moment's values and weights."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

if TYPE_CHECKING:  # the drawing code loads after the first frame, with the lesson
    from ...core.view.diagram import Drawing

KINDS = ("node", "node-active", "edge-pos", "edge-neg", "edge-active", "label")


class NetworkView(Widget):
    """Colours a ``tutor.core.diagram`` drawing; kinds map to component classes in the .tcss."""

    COMPONENT_CLASSES = {f"network-view--{kind}" for kind in KINDS}

    DEFAULT_CSS = """
    NetworkView { height: 1fr; width: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drawing: Drawing | None = None

    def show(self, drawing: Drawing | None) -> None:
        old = self.drawing
        if drawing is None:
            return  # the lesson declares no network, or the pane is hidden: keep the last one
        if old is None or drawing.rows != old.rows or drawing.spans != old.spans:
            self.drawing = drawing
            self.refresh()  # a fixed-size pane: repaint, never re-layout the screen

    def render(self) -> Text:
        if self.drawing is None:
            return Text("(no network declared)", style="italic")
        width = max(1, self.size.width)
        rows = [row[:width] for row in self.drawing.rows]  # crop, never wrap: a wrapped line lies
        text = Text("\n".join(rows), no_wrap=True, overflow="crop")
        offsets = [0]
        for line in rows:
            offsets.append(offsets[-1] + len(line) + 1)
        for row, start, end, kind in self.drawing.spans:
            if row < len(rows) and start < len(rows[row]):
                style = self.get_component_rich_style(f"network-view--{kind}")
                text.stylize(style, offsets[row] + start, offsets[row] + min(end, len(rows[row])))
        return text
