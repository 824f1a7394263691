"""The learner types an answer (a predicted value, a hidden derivation line) and the tutor
judges it. A wrong answer keeps the box open with what was wrong; Esc leaves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class AnswerScreen(ModalScreen[Any]):
    """Dismisses with what ``judge`` returned for an accepted answer, else None (Esc).

    ``judge(text)`` returns ``(done, message, result)``: ``done`` closes the box with
    ``result``; else ``message`` shows under the box (a wrong answer, or why it cannot be
    read) and the learner tries again. Text is shown literally, never as markup."""

    BINDINGS = [Binding("escape", "leave", "Skip")]

    def __init__(
        self,
        title: str,
        question: str,
        judge: Callable[[str], tuple[bool, str, Any]],
        skip: str,
        hints: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.title_text, self.question, self.judge, self.skip = title, question, judge, skip
        self.hints, self.shown = hints, 0  # "?" shows the next hint

    def compose(self) -> ComposeResult:
        with Vertical(id="answer"):
            yield Label(self.title_text, id="answer-title", markup=False)
            yield Label(self.question, id="answer-question", markup=False)
            yield Input(id="answer-input", placeholder="type here, then Enter")
            yield Label("", id="answer-message", markup=False)
            hint = " · ? then Enter: a hint" if self.hints else ""
            yield Label(f"Enter checks{hint} · Esc {self.skip}", id="answer-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            return
        if event.value.strip() == "?":
            event.input.value = ""
            if not self.hints:
                message = "no hints for this one"
            else:
                self.shown = min(self.shown + 1, len(self.hints))
                message = f"Hint {self.shown}/{len(self.hints)}: {self.hints[self.shown - 1]}"
            self.query_one("#answer-message", Label).update(message)
            return
        done, message, result = self.judge(event.value)
        if done:
            self.dismiss(result)
        else:
            self.query_one("#answer-message", Label).update(message)

    def action_leave(self) -> None:
        self.dismiss(None)
