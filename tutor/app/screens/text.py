"""A read-only page of text: the learner's changes as a diff, or an exercise's solution.

Its title holds lesson text (a step's title): shown literally, never as markup."""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class TextScreen(ModalScreen[None]):
    """A titled, scrollable page; ``lexer`` colours it (``diff``, ``python``)."""

    BINDINGS = [Binding("escape,q,enter", "close", "Close")]

    def __init__(self, title: str, text: str, lexer: str = "text") -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.lexer = lexer

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="page"):
            yield Static(Text(f"{self.title_text}\n", style="bold"), id="page-title")
            yield Static(
                Syntax(self.text, self.lexer, theme="monokai", word_wrap=True), id="page-text"
            )
            yield Static("\nPress esc to close.", id="page-hint")

    def action_close(self) -> None:
        self.dismiss(None)
