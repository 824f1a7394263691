"""The lesson pane: the narrative, one section per step, the current one marked and in view."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

from textual.containers import VerticalScroll
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.timer import Timer

    from ...core.lesson.model import Lesson

FOLLOW_DELAY = 0.12  # seconds after the last step before the text follows

_EQUATION = re.compile(r"^[ \t]*\$\$(.*?)\$\$[ \t]*$", re.S | re.M)


class LessonView(VerticalScroll):
    """The intro and each step's section as its own Markdown block; state flips a CSS class."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.current: str | None = None
        self.loaded = False
        self.sections: dict[str, Widget] = {}
        self._marked: str | None = None  # the section drawn as current
        self._pending: Timer | None = None  # the timer that will follow the current step

    def load(self, lesson: Lesson) -> None:
        """Build the sections (after the first frame: Markdown is the slowest pane to build)."""
        from textual.widgets import Markdown

        sections = [Markdown(_readable(lesson.intro), id="section-intro", classes="section")]
        for step in lesson.steps:
            body = f"## {step.title}\n\n{_readable(step.markdown)}"
            sections.append(Markdown(body, id=f"section-{step.id}", classes="section"))
        self.mount_all(sections)
        self.sections = {
            cast(str, section.id).removeprefix("section-"): section for section in sections
        }
        self.loaded = True
        if self.current:
            self.call_after_refresh(self.show_step, self.current, True)

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def on_unmount(self) -> None:
        self.app.theme_changed_signal.unsubscribe(self)

    def _theme_changed(self, _theme: object) -> None:
        if self._marked in self.sections:
            self._mark(self.sections[self._marked], True)  # the new theme's accent

    def show_step(self, step_id: str | None, force: bool = False) -> None:
        """Mark and scroll to section ``step_id`` ("intro" or a step), a moment after the keys stop.

        Scrolling this pane repaints every Markdown block in view (~10 ms); deferred,
        stepping stays quick, and a learner holding → sees the text catch up at once.
        """
        if step_id == self.current and not force:
            return
        self.current = step_id
        if not self.loaded:
            return
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(FOLLOW_DELAY, self._follow)

    def _follow(self) -> None:
        self._pending = None
        step_id, previous = self.current, self._marked
        self._marked = step_id
        for name in {previous, step_id} - {None}:
            if name in self.sections:
                self._mark(self.sections[name], name == step_id)
        section = self.sections.get(step_id or "")
        if section is not None:
            # Always the section's top at the pane's top (as far as the text allows): where the
            # pane scrolls depends on the step alone, never on the steps visited before it.
            self.scroll_to_widget(section, top=True, animate=False, immediate=True)

    def _mark(self, section: Widget, current: bool) -> None:
        """Mark the current section with inline styles, not a class.

        A class change restyles the section's whole subtree of Markdown blocks
        (~18 ms a step, measured) and a background repaints every block; swapping
        the left edge between two kinds of the same width only repaints the section.
        """
        accent = self.app.theme_variables["accent"]
        section.styles.border_left = ("thick" if current else "blank", accent)


def _readable(markdown: str) -> str:
    """Equations drawn as the equation pane draws them (2-D), each in a block of its own."""
    from ...core.equation.boxes import render_latex

    def block(match: re.Match[str]) -> str:
        rows = []
        for row in match[1].split("\n"):
            math = re.split(r"(?<!\\)%", row)[0].strip()
            if math:
                rows.append(math)
        return "```text\n" + render_latex(" ".join(rows)) + "\n```"  # a language: no guessing

    return _EQUATION.sub(block, markdown)
