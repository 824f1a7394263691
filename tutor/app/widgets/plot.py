"""The plot pane's chart: each declared series per iteration, the current iteration marked.

Built on textual-plotext. The chart is rebuilt only when the iteration or the
scale changes, not at every step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual_plotext import PlotextPlot


class SeriesPlot(PlotextPlot):
    """``show(series, iterations, current, log)``: series maps a name to its values."""

    DEFAULT_CSS = """
    SeriesPlot { height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._key: tuple | None = None

    def show(
        self,
        series: Mapping[str, Sequence[float]],
        iterations: Sequence[int],
        current: int,
        log: bool,
    ) -> None:
        """Plot each series against its iteration numbers; mark ``current``."""
        key = (id(series), current, log, self.app.current_theme.name)
        if key == self._key:
            return
        self._key = key
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.theme("textual-design-dark" if self.app.current_theme.dark else "textual-design-light")
        for name, values in series.items():
            points = [
                (k, v)
                for k, v in zip(iterations, values, strict=False)
                if v == v and (not log or v > 0)
            ]
            if points:
                xs, ys = zip(*points, strict=True)
                plt.plot(xs, ys, label=name, marker="braille")
        if log:
            plt.yscale("log")
        if current:
            plt.vline(current)
        plt.title(f"per iteration{' (log scale)' if log else ''} · iteration {current}")
        self.refresh()
