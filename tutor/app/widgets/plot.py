"""The plot pane's chart: each declared series per iteration, the current iteration marked.

Drawn by ``tutor.core.view.chart`` (braille curves, a legend line above them, y labels
from the data, the iteration numbers below); this widget only colours it. The layout is
cached per series, size and scale; a move only marks another column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from ...core.view.chart import SERIES_KINDS, Chart, at, layout
from .looks import Looks

KINDS = (
    *(f"s{i}" for i in range(SERIES_KINDS)),
    "clipped",
    "diverged",
    "axis",
    "label",
    "marker",
    "current",
)


class SeriesPlot(Widget):
    """``show(series, iterations, current, log)``: series maps a name to one value per iteration."""

    COMPONENT_CLASSES = {f"series-plot--{kind}" for kind in KINDS}

    DEFAULT_CSS = """
    SeriesPlot { height: 1fr; width: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.series: Mapping[str, Sequence[float]] = {}
        self.iterations: Sequence[int] = ()
        self.current = 0
        self.log_scale = False
        self._chart: Chart | None = None
        self._chart_key: tuple | None = None
        self._looks = Looks(self)

    def show(
        self,
        series: Mapping[str, Sequence[float]],
        iterations: Sequence[int],
        current: int,
        log: bool,
    ) -> None:
        """Plot each series against its iteration numbers; mark ``current``."""
        same = series is self.series and iterations is self.iterations
        if same and current == self.current and log == self.log_scale:
            return  # one run's data never change: identity is enough
        self.series, self.iterations, self.current, self.log_scale = (
            series,
            iterations,
            current,
            log,
        )
        self.refresh()

    @property
    def chart(self) -> Chart:
        """The chart at the widget's size (made again only when the data, size or scale change)."""
        width, height = self.size
        key = (id(self.series), id(self.iterations), width, height, self.log_scale)
        if self._chart is None or key != self._chart_key:
            self._chart = layout(self.series, self.iterations, width, height, self.log_scale)
            self._chart_key = key
        return self._chart

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._looks.clear()

    def render(self) -> Text:
        if not self.size.width or not self.size.height:
            return Text("")
        if not self.series:
            return Text("(nothing to plot yet)", style="italic")
        rows, spans = at(self.chart, self.current)
        text = Text("\n".join(rows), no_wrap=True, overflow="crop", end="")
        offsets = [0]
        for line in rows:
            offsets.append(offsets[-1] + len(line) + 1)
        looks = self._looks
        # the marker only shades its column: the curves keep their colours
        marker = Style(bgcolor=looks("series-plot--marker").bgcolor)
        for row, start, end, kind in spans:
            if row < len(rows):
                style = marker if kind == "marker" else looks(f"series-plot--{kind}")
                text.stylize(style, offsets[row] + start, offsets[row] + end)
        return text
