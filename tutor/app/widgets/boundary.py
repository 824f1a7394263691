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
from textual.events import Resize
from textual.message import Message
from textual.widget import Widget

from ...core.numbers import format_number


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
    """Holds a grid (rows × columns, row 0 on top) and points; renders the heat map.

    The map always fills the view: a grid made for another size (while the one for this
    size is computed) is stretched to it, never drawn in a corner."""

    class Resized(Message):
        """The view has a new size: a grid for it is wanted."""

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

    @property
    def cells(self) -> tuple[int, int]:
        """The grid this view shows at its size: (columns, rows); two rows per text line."""
        return self.size.width, 2 * (self.size.height - 1)

    def on_resize(self, event: Resize) -> None:
        if event.size.width and event.size.height:
            self.post_message(self.Resized())

    def render(self) -> Text:
        columns, rows = self.cells
        if not self.grid or columns <= 0 or rows <= 0:
            return Text(self.message or "computing the decision boundary…", style="italic")
        grid = _stretch(self.grid, columns, rows)
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
                top = grid[line][c]
                bottom = grid[line + 1][c] if line + 1 < rows else top
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
        a0_, a1_, b0_, b1_ = (format_number(v, 3) for v in (a0, a1, b0, b1))
        caption = f"x₁ {a0_}…{a1_} →, x₂ {b0_}…{b1_} ↑   ● y=1  ○ y=0"
        if len(caption) > columns:
            caption = f"x₁ {a0_}…{a1_}→ x₂ {b0_}…{b1_}↑ ●1 ○0"
        text.append(caption, style="dim")
        return text


def _stretch(grid: list[list[float]], columns: int, rows: int) -> list[list[float]]:
    """``grid`` resampled (nearest cell) to ``rows`` × ``columns``; itself when it fits."""
    if len(grid) == rows and len(grid[0]) == columns:
        return grid
    height, width = len(grid), len(grid[0])
    picks = [c * width // columns for c in range(columns)]
    return [[grid[r * height // rows][c] for c in picks] for r in range(rows)]
