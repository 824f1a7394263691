"""A small prompt: which iteration to go to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

if TYPE_CHECKING:
    from .lesson import LessonScreen


def ask_iteration(screen: LessonScreen) -> None:
    """g: ask for an iteration, then go to its first event on the lesson screen."""
    navigator = screen.navigator
    if not navigator or not navigator.timeline.iterations:
        screen.notify("This lesson's code has no training iterations to go to.")
        return

    def go(number: int | None) -> None:  # (the run's number: past capacity, not a position)
        if number is not None:
            iteration = navigator.timeline.iteration_numbered(number)
            if navigator.goto_iteration(iteration):
                screen.redraw()

    screen.app.push_screen(GotoScreen(navigator.timeline.run_iterations), go)


class GotoScreen(ModalScreen[int | None]):
    """Asks for an iteration number between 1 and ``last``; escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, last: int) -> None:
        super().__init__()
        self.last = last

    def compose(self) -> ComposeResult:
        with Vertical(id="goto"):
            yield Label(f"Go to iteration (1–{self.last}):")
            yield Input(placeholder=f"1–{self.last}", type="integer", id="goto-input")
            yield Label("", id="goto-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            value = int(event.value)
        except ValueError:
            value = 0
        if 1 <= value <= self.last:
            self.dismiss(value)
        else:
            self.query_one("#goto-error", Label).update(f"Type a number from 1 to {self.last}.")

    def action_cancel(self) -> None:
        self.dismiss(None)
