"""The help screen: every key, from the same bindings the footer and command palette use."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import key_label

MORE = [
    ("tab", "Move between panes"),
    ("ctrl+p", "Command palette: every action by name"),
    ("ctrl+q", "Quit from anywhere"),
]


class HelpScreen(ModalScreen[None]):
    """Lists the bindings it is given; any of escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close"),
    ]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 3))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for binding in self.bindings:
            table.add_row(Text(key_label(binding.key)), Text(binding.description))
        for key, what in MORE:
            table.add_row(Text(key), Text(what))
        with VerticalScroll(id="help"):
            yield Static("[b]Keys[/b]\n", id="help-title")
            yield Static(table, id="help-keys")
            yield Static(
                "\nThe first time you reach a step with a derivation, → reveals it one line "
                "at a time; ← hides the last line again.\n\nPress esc to close.",
                id="help-notes",
            )

    def action_close(self) -> None:
        self.dismiss(None)
