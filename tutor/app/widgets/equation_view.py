"""The equation pane: the current step's equations, a derivation revealed line by line."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.widget import Widget

from ...core.mathtext import to_unicode
from ...core.model import Step


class EquationView(Widget):
    """Shows ``revealed`` equation lines of a step, each with its justification."""

    COMPONENT_CLASSES = {"equation-view--why", "equation-view--title", "equation-view--hidden"}

    DEFAULT_CSS = """
    EquationView { height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.step: Step | None = None
        self.revealed = 0
        self._lines: list[tuple[str, str]] = []

    def show_step(self, step: Step | None, revealed: int) -> None:
        if step is self.step and revealed == self.revealed:
            return
        if step is not self.step:
            self._lines = (
                [(to_unicode(e.latex), e.justification) for e in step.equations] if step else []
            )
        self.step, self.revealed = step, revealed
        self.refresh()

    def render(self) -> Group | Text:
        if self.step is None:
            return Text("No equation for this line.", style="italic")
        why = self.get_component_rich_style("equation-view--why")
        hidden = self.get_component_rich_style("equation-view--hidden")
        shown = self._lines[: self.revealed]
        left = len(self._lines) - self.revealed
        rows = 1 + sum(2 + bool(why) for _, why in shown) + (2 if left > 0 else 0)
        gap = 1 if rows <= self.size.height else 0  # compact on small screens: no blank lines
        parts: list[Padding | Text] = [
            Text(self.step.title, style=self.get_component_rich_style("equation-view--title"))
        ]
        for math, justification in shown:
            parts.append(Padding(Text(math), (gap, 0, 0, 2)))
            if justification:
                parts.append(Padding(Text(f"({justification})", style=why), (0, 0, 0, 4)))
        if left > 0:
            more = f"→ {left} more line{'s' * (left > 1)} of the derivation"
            parts.append(Padding(Text(more, style=hidden), (gap, 0, 0, 2)))
        return Group(*parts)
