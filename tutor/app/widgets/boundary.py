"""The decision boundary: a two-input classifier's output over the plane, with the training points.

Two grid cells per character (upper and lower half blocks), shaded from the
class-0 colour to the class-1 colour; the points drawn on top (● for class 1,
○ for class 0), and a ``·`` line where the output crosses 0.5.
"""

from __future__ import annotations

from rich.color import Color as RichColor
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.widget import Widget


class Shades:
    """Class 0 to class 1 in the theme's own colours (primary to warning), NaN in its panel."""

    def __init__(self, variables: dict[str, str]) -> None:
        self.low = Color.parse(variables.get("primary", "blue"))
        self.high = Color.parse(variables.get("warning", "orange"))
        self.none = Color.parse(variables.get("panel", "grey"))
        self.ink = Color.parse(variables.get("foreground", "white")).rich_color

    def __call__(self, value: float) -> RichColor:
        if value != value:  # NaN
            return self.none.rich_color
        return self.low.blend(self.high, min(1.0, max(0.0, value))).rich_color


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
        if grid is self.grid and points == self.points and ranges == self.ranges:
            return  # the same iteration's map: nothing to repaint (it costs ~9 ms a step)
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
        shade = Shades(self.app.theme_variables)
        text = Text(no_wrap=True)
        for line in range(0, rows, 2):
            for c in range(columns):
                top = self.grid[line][c]
                bottom = self.grid[line + 1][c] if line + 1 < rows else top
                mark = marks.get((line // 2, c))
                if mark:
                    text.append(
                        mark, Style(color=shade.ink, bgcolor=shade((top + bottom) / 2), bold=True)
                    )
                elif (top - 0.5) * (bottom - 0.5) < 0:
                    text.append("·", Style(color=shade.ink, bgcolor=shade(0.5)))
                else:
                    text.append("▀", Style(color=shade(top), bgcolor=shade(bottom)))
            text.append("\n")
        text.append(f"x₁ {a0:g}…{a1:g} →, x₂ {b0:g}…{b1:g} ↑   ● y=1  ○ y=0", style="dim")
        return text
