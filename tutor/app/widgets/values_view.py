"""The values pane: every recorded variable, its value, and its change since the previous event."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from ...core.timeline import Timeline
from ...core.values import format_value


class ValuesView(Widget):
    """A table of name · value · change; the names the current event changed stand out."""

    COMPONENT_CLASSES = {"values-view--changed", "values-view--delta", "values-view--name"}

    DEFAULT_CSS = """
    ValuesView { height: auto; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[tuple[str, str, str, bool]] = []
        self.message = "waiting for the code to run…"

    def show_event(self, timeline: Timeline, event: int) -> None:
        now = timeline.values(event)
        before = timeline.values(event - 1) if event > 0 else {}
        changed = set(timeline.changed(event))
        rows = [
            (name, format_value(value), _delta(before.get(name, _NEW), value), name in changed)
            for name, value in now.items()
        ]
        resize = len(rows) != len(self.rows)
        self.rows, self.message = rows, "" if rows else "no variables yet"
        self.refresh(layout=resize)

    def show_message(self, message: str) -> None:
        self.rows, self.message = [], message
        self.refresh(layout=True)

    def render(self) -> Table | Text:
        if not self.rows:
            return Text(self.message, style="italic")
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True, overflow="ellipsis")
        table.add_column(no_wrap=True)
        name_style = self.get_component_rich_style("values-view--name")
        changed_style = self.get_component_rich_style("values-view--changed")
        delta_style = self.get_component_rich_style("values-view--delta")
        for name, value, delta, changed in self.rows:
            style = changed_style if changed else name_style
            mark = "●" if changed else " "
            table.add_row(
                Text(f"{mark} {name}", style=style),
                Text(value, style=style if changed else ""),
                Text(delta, style=delta_style),
            )
        return table


class _New:
    pass


_NEW: Any = _New()


def _delta(before: Any, after: Any) -> str:
    """How a value changed: a signed difference for numbers, "new" when it first appears."""
    if before is _NEW:
        return "new"
    if isinstance(before, bool) or isinstance(after, bool):
        return "" if before == after else "changed"
    if isinstance(before, int | float) and isinstance(after, int | float):
        diff = after - before
        if diff == 0 or diff != diff:
            return ""
        return ("+" if diff > 0 else "−") + format_value(
            abs(diff) if isinstance(diff, float) else abs(diff), 4
        )
    if before is after:
        return ""
    try:
        same = (
            bool(before == after) if not hasattr(after, "shape") else bool((before == after).all())
        )
    except Exception:
        same = False
    return "" if same else "changed"
