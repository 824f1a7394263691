"""The lesson pane: the narrative, one section per step, the current one marked and in view."""

from __future__ import annotations

import re

from textual.containers import VerticalScroll
from textual.widgets import Markdown

from ...core.mathtext import to_unicode
from ...core.model import Lesson

_EQUATION = re.compile(r"^\s*\$\$(.*?)\$\$\s*$", re.S | re.M)


class LessonView(VerticalScroll):
    """The intro and each step's section as its own Markdown block; state flips a CSS class."""

    def __init__(self, lesson: Lesson, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lesson = lesson
        self.current: str | None = None
        self.loaded = False

    def load(self) -> None:
        """Build the sections (after the first frame: Markdown is the slowest pane to build)."""
        sections = [Markdown(_readable(self.lesson.intro), id="section-intro", classes="section")]
        for step in self.lesson.steps:
            body = f"## {step.title}\n\n{_readable(step.markdown)}"
            sections.append(Markdown(body, id=f"section-{step.id}", classes="section"))
        self.mount_all(sections)
        self.loaded = True
        if self.current:
            self.call_after_refresh(self.show_step, self.current, True)

    def show_step(self, step_id: str | None, force: bool = False) -> None:
        if step_id == self.current and not force:
            return
        previous, self.current = self.current, step_id
        if not self.loaded:
            return
        for name in {previous, step_id} - {None}:
            for section in self.query(f"#section-{name}"):
                section.set_class(name == step_id, "-current")
        if step_id:
            for section in self.query(f"#section-{step_id}"):
                self.scroll_to_widget(section, top=True, animate=False)


def _readable(markdown: str) -> str:
    """Equations as the Unicode the equation pane shows, in a block of their own."""

    def block(match: re.Match[str]) -> str:
        rows = []
        for row in match[1].split("\n"):
            math = re.split(r"(?<!\\)%", row)[0].strip()
            if math:
                rows.append(math)
        return "```\n" + to_unicode(" ".join(rows)) + "\n```"

    return _EQUATION.sub(block, markdown)
