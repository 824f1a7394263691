"""One variable, all of it: its whole value now (a grid for arrays) and its history across
the iterations, the current one marked. Opened with enter on a row of the values pane."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.screen import ModalScreen
from textual.widgets import Static

from ...core.view.equation_rows import ascii_wanted
from ...core.view.values import (
    entry_text,
    history,
    history_at,
    iteration_key,
    iteration_label,
    whole_value,
)

if TYPE_CHECKING:
    from ...core.run.timeline import Timeline

MOST = 400  # history entries shown around the current one


def inspection(t: Timeline, name: str, event: int, ascii: bool = False) -> Text:
    """The inspector's page for ``name`` at ``event``, as text (never markup)."""
    page = Text(no_wrap=True)
    page.append(name, "bold")
    page.append(f"  ·  now, after event {event + 1}\n\n")
    page.append("\n".join(whole_value(t.value(name, event), ascii)) + "\n\n")
    entries = history(t, name)
    here = history_at(entries, iteration_key(t, event))
    page.append("Its value at the end of each iteration:\n", "bold")
    centre = here if here is not None else len(entries) - 1
    start = max(0, min(centre - MOST // 2, len(entries) - MOST))
    shown = entries[start : start + MOST]
    labels = [iteration_label(e.first, e.last, t.iterations) for e in shown]
    wide = max((len(label) for label in labels), default=0)
    if start:
        page.append(f"  … {start} earlier entries\n", "italic")
    arrow = ">" if ascii else "▶"
    for k, (entry, label) in enumerate(zip(shown, labels, strict=True)):
        now = start + k == here
        line = f"{arrow if now else ' '} {label.rjust(wide)}  {entry_text(entry.value, ascii)}"
        page.append(line + "\n", "bold reverse" if now else "")
    if start + len(shown) < len(entries):
        page.append(f"  … {len(entries) - start - len(shown)} later entries\n", "italic")
    page.append("\nesc closes", "italic")
    return page


class InspectorScreen(ModalScreen[None]):
    """A scrollable page about one variable; esc (or enter, or q) closes it."""

    BINDINGS = [Binding("escape,q,enter", "close", "Close")]

    def __init__(self, timeline: Timeline, name: str, event: int, ascii: bool | None = None):
        super().__init__()
        self.name_shown = name
        self.page = inspection(timeline, name, event, ascii_wanted() if ascii is None else ascii)

    def compose(self) -> ComposeResult:
        with ScrollableContainer(id="inspector"):
            yield Static(self.page, id="inspector-page")

    def on_mount(self) -> None:
        marked = self.page.plain.split("\n")
        here = next((k for k, line in enumerate(marked) if line.startswith(("▶", ">"))), 0)
        self.call_after_refresh(self.query_one("#inspector").scroll_to, y=max(0, here - 5))

    def action_close(self) -> None:
        self.dismiss(None)
