"""One variable, all of it: its whole value now (a grid for arrays) and its history across
the iterations, the current one marked. Opened with enter on a row of the values pane."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
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


def title(t: Timeline, name: str, event: int) -> Text:
    k = iteration_key(t, event)
    where = (
        "before the loop"
        if k == 0
        else ("after the loop" if k > t.iterations else f"iteration {t.number(k)}")
    )
    line = Text(no_wrap=True)
    line.append(name, "bold")
    line.append(
        f"  ·  now: after event {event + 1}, {where}"
        if t.iterations
        else f"  ·  after event {event + 1}"
    )
    return line


def inspection(t: Timeline, name: str, event: int, ascii: bool = False) -> Text:
    """The inspector's page for ``name`` at ``event``, as text (never markup): the whole value,
    then its history, the current iteration marked with an arrow."""
    page = Text(no_wrap=True)
    page.append("\n".join(whole_value(t.value(name, event), ascii)) + "\n\n")
    entries = history(t, name)
    here = history_at(entries, iteration_key(t, event))
    page.append("At the end of each iteration:\n" if t.iterations else "At the end:\n", "bold")
    centre = here if here is not None else len(entries) - 1
    start = max(0, min(centre - MOST // 2, len(entries) - MOST))
    shown = entries[start : start + MOST]
    labels = [iteration_label(e.first, e.last, t.iterations, t) for e in shown]
    wide = max((len(label) for label in labels if label.isdigit()), default=0)
    if start:
        page.append(f"  … {start} earlier entries\n", "italic")
    arrow = ">" if ascii else "▶"
    for k, (entry, label) in enumerate(zip(shown, labels, strict=True)):
        now = start + k == here
        line = f"{arrow if now else ' '} {label.rjust(wide)}  {entry_text(entry.value, ascii)}"
        page.append(line + "\n", "bold reverse" if now else "")
    if start + len(shown) < len(entries):
        page.append(f"  … {len(entries) - start - len(shown)} later entries\n", "italic")
    return page


class InspectorScreen(ModalScreen[None]):
    """A scrollable page about one variable; esc (or enter, or q) closes it."""

    BINDINGS = [Binding("escape,q,enter", "close", "Close")]

    def __init__(self, timeline: Timeline, name: str, event: int, ascii: bool | None = None):
        super().__init__()
        ascii = ascii_wanted() if ascii is None else ascii
        self.heading = title(timeline, name, event)
        self.page = inspection(timeline, name, event, ascii)

    def compose(self) -> ComposeResult:
        with Vertical(id="inspector") as box:
            box.border_subtitle = "esc closes"
            yield Static(self.heading, id="inspector-title")
            with ScrollableContainer(id="inspector-body"):
                yield Static(self.page, id="inspector-page")

    def on_mount(self) -> None:
        self.call_after_refresh(self._show_current)

    def _show_current(self) -> None:
        body = self.query_one("#inspector-body")
        lines = self.page.plain.split("\n")
        here = next((k for k, line in enumerate(lines) if line.startswith(("▶", ">"))), 0)
        height = body.scrollable_content_region.height
        if here >= height - 1:  # below the first screenful: bring it to the middle
            body.scroll_to(y=here - height // 2, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
