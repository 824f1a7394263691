"""The values pane: every recorded variable, its value, and its change since the previous event
(the rows come from the Moment; this widget lays them out in as many columns as fit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

if TYPE_CHECKING:
    from rich.table import Table

    from ...core.view.moment import ValueRow


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

    def show(self, rows: tuple[ValueRow, ...], message: str = "") -> None:
        """Rows of (name, text, change, assigned) from the Moment; ``message`` when there are none."""
        if rows != self.rows or message != self.message:
            self.rows, self.message = rows, message
            self.refresh()

    def show_message(self, message: str) -> None:
        self.rows, self.message = (), message
        self.refresh()

    def render(self) -> Table | Text:
        if not self.rows:
            return Text(self.message, style="italic")
        from rich.table import Table  # not needed for the first frame

        name_style = self.get_component_rich_style("values-view--name")
        changed_style = self.get_component_rich_style("values-view--changed")
        delta_style = self.get_component_rich_style("values-view--delta")
        # As many side-by-side columns as it takes to show every row without scrolling.
        cell = max(len(n) for n, *_ in self.rows) + max(len(v) for _, v, *_ in self.rows) + 14
        height = max(1, self.size.height)
        columns = max(1, min(-(-len(self.rows) // height), self.size.width // cell))
        per_column = -(-len(self.rows) // columns)
        table = Table.grid(padding=(0, 1))
        name_width = max(len(n) for n, *_ in self.rows) + 2
        room = max(6, self.size.width // columns - name_width - 10)
        for _ in range(columns):
            # Names never shrink; a long value (a list, an array) is cut with an ellipsis.
            table.add_column(no_wrap=True, min_width=name_width)
            table.add_column(justify="right", no_wrap=True, overflow="ellipsis", max_width=room)
            table.add_column(no_wrap=True, min_width=7, max_width=8, overflow="ellipsis")
        for r in range(per_column):
            cells: list[Text] = []
            for c in range(columns):
                k = c * per_column + r
                if k >= len(self.rows):
                    cells += [Text(""), Text(""), Text("")]
                    continue
                name, value, delta, changed = self.rows[k]
                style = changed_style if changed else name_style
                cells += [
                    Text(f"{'●' if changed else ' '} {name}", style=style),
                    Text(value, style=style if changed else ""),
                    Text(delta, style=delta_style),
                ]
            table.add_row(*cells)
        return table
