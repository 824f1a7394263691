"""The decision boundary: a two-input classifier's output over the plane, with the training points.

Two grid cells per character (upper and lower half blocks), shaded from the
class-0 colour to the class-1 colour; the points drawn on top (● for class 1,
○ for class 0), and a ``·`` line where the output crosses 0.5.
"""

from __future__ import annotations

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

LOW, HIGH = Color.from_rgb(40, 70, 160), Color.from_rgb(200, 90, 40)


def shade(value: float) -> Color:
    if value != value:  # NaN
        return Color.from_rgb(60, 60, 60)
    t = min(1.0, max(0.0, value))
    return Color.from_rgb(
        *(round(a + (b - a) * t) for a, b in zip(LOW.triplet, HIGH.triplet, strict=True))
    )


class BoundaryView(Widget):
    """Holds a grid (rows × columns, row 0 on top) and points; renders the heat map."""

    DEFAULT_CSS = """
    BoundaryView { height: 1fr; width: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.grid: list[list[float]] = []
        self.points: list[tuple[float, float, float]] = []
        self.ranges = ((-0.5, 1.5), (-0.5, 1.5))
        self.message = "computing the decision boundary…"

    def show(self, grid, points, ranges) -> None:
        self.grid, self.points, self.ranges, self.message = grid, points, ranges, ""
        self.refresh()

    def show_message(self, message: str) -> None:
        self.grid, self.message = [], message
        self.refresh()

    def render(self) -> Text:
        if not self.grid:
            return Text(self.message, style="italic")
        rows, columns = len(self.grid), len(self.grid[0])
        marks: dict[tuple[int, int], str] = {}
        (a0, a1), (b0, b1) = self.ranges
        for x1, x2, y in self.points:
            c = int((x1 - a0) / (a1 - a0) * columns)
            r = int((b1 - x2) / (b1 - b0) * rows)
            if 0 <= c < columns and 0 <= r < rows:
                marks[(r // 2, c)] = "●" if y >= 0.5 else "○"
        text = Text(no_wrap=True)
        for line in range(0, rows, 2):
            for c in range(columns):
                top = self.grid[line][c]
                bottom = self.grid[line + 1][c] if line + 1 < rows else top
                mark = marks.get((line // 2, c))
                if mark:
                    text.append(
                        mark, Style(color="white", bgcolor=shade((top + bottom) / 2), bold=True)
                    )
                elif (top - 0.5) * (bottom - 0.5) < 0:
                    text.append("·", Style(color="white", bgcolor=shade(0.5)))
                else:
                    text.append("▀", Style(color=shade(top), bgcolor=shade(bottom)))
            text.append("\n")
        text.append(f"x₁ {a0:g}…{a1:g} →, x₂ {b0:g}…{b1:g} ↑   ● y=1  ○ y=0", style="dim")
        return text
