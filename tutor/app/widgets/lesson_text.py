"""The lesson pane: the narrative, one section per step, the current one marked and in view.

The last step's closing words (its last ``###`` subsection, "What you can do now") are a
section of their own, ``end``, shown at a finished run's last event with the next lesson
offered under them. It scrolls with ↑ ↓ PageUp PageDown once focused, and its border says
"↓ more" while the current section goes on below the pane.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.containers import VerticalScroll
from textual.widget import Widget

from ...core.view.readable import readable as _readable
from ...core.view.readable import split_closing, words_of

__all__ = ["MORE", "LessonView", "split_closing"]

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.widgets import Static

    from ...core.lesson.model import Lesson

END = "end"  # the closing words' section (tutor.core.view.moment.END)
MORE = "↓ more"

FOLLOW_DELAY = 0.12  # seconds after the last step before the text follows


class LessonView(VerticalScroll):
    """The intro and each step's section as its own Markdown block; state flips a CSS class."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.current: str | None = None
        self.loaded = False
        self.sections: dict[str, Widget] = {}
        self._marked: str | None = None  # the section drawn as current
        self._pending: Timer | None = None  # the timer that will follow the current step
        self._next: Callable[[], str] | None = None  # what the end offers next, asked once
        self._lesson: Lesson | None = None
        self._hidden: dict[str, int] = {}  # step -> its equation a derive hides (from 0)
        self._words: frozenset[str] = frozenset()  # the lesson's names of several letters

    def load(
        self,
        lesson: Lesson,
        offer_next: Callable[[], str] | None = None,
        hidden: dict[str, int] | None = None,
    ) -> None:
        """Build the sections (after the first frame: Markdown is the slowest pane to build).

        ``offer_next`` gives the line under the closing words (the next lesson and its key);
        it is asked the first time the end is shown. ``hidden``: per step, the equation a
        derive exercise hides until the learner has written it (``reveal``)."""
        self._lesson, self._hidden = lesson, dict(hidden or {})
        words = self._words = words_of(lesson)
        from textual.containers import Vertical
        from textual.widgets import Markdown, Static

        sections: list[Widget] = [
            Markdown(_readable(lesson.intro, words=words), id="section-intro", classes="section")
        ]
        closing = ""
        for i, step in enumerate(lesson.steps):
            text = step.markdown
            if i == len(lesson.steps) - 1:
                text, closing = split_closing(text)
            body = f"## {step.title}\n\n{_readable(text, self._hidden.get(step.id), words)}"
            sections.append(Markdown(body, id=f"section-{step.id}", classes="section"))
        closing_words = Markdown(_readable(closing, words=words), id="closing")
        offer = Static("", id="next-lesson", markup=False)
        sections.append(Vertical(closing_words, offer, id=f"section-{END}", classes="section"))
        self._next = offer_next
        self.mount_all(sections)
        self.sections = {
            cast(str, section.id).removeprefix("section-"): section for section in sections
        }
        self.loaded = True
        if self.current:
            self.call_after_refresh(self.show_step, self.current, True)

    async def clear(self) -> None:
        """Remove the sections (the lesson is loaded again: ``load`` builds the new ones)."""
        self.loaded = False
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        self.sections, self._marked = {}, None
        await self.remove_children()

    def reveal(self, step_id: str, hide: int | None = None) -> None:
        """The equation hidden in ``step_id``'s section is written: show it (``hide``: hide
        that equation, from 0, again: the learner writes it once more)."""
        from textual.widgets import Markdown

        before = self._hidden.pop(step_id, None)
        if hide is not None:
            self._hidden[step_id] = hide
        if before == hide or not self.loaded:
            return
        lesson = self._lesson
        step = lesson.step(step_id) if lesson is not None else None
        section = self.sections.get(step_id)
        if lesson is None or step is None or not isinstance(section, Markdown):
            return
        text = step.markdown
        if step is lesson.steps[-1]:
            text, _ = split_closing(text)
        section.update(f"## {step.title}\n\n{_readable(text, hide, self._words)}")

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
        if step_id == END and self._next is not None:
            offer, self._next = self._next(), None
            cast("Static", self.query_one("#next-lesson")).update(offer)
        self._to_current()

    def _to_current(self) -> None:
        # Always the section's top at the pane's top (as far as the text allows): where the
        # pane scrolls depends on the step alone, never on the steps visited before it.
        section = self.sections.get(self._marked or "")
        if section is not None:
            self.scroll_to_widget(section, top=True, animate=False, immediate=True)
        self._show_more()

    # -- "↓ more" ---------------------------------------------------------------------------
    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._show_more()

    def on_resize(self) -> None:
        # The pane changed, or the text did (Markdown lays its blocks out late): the current
        # section's top goes back to the pane's top.
        self._to_current()

    @property
    def more_below(self) -> bool:
        """Whether the current section goes on below the bottom of the pane."""
        section = self.sections.get(self._marked or "")
        if section is None or not self.loaded:
            return False
        bottom = self.scroll_offset.y + self.scrollable_content_region.height
        return section.virtual_region.bottom > bottom

    def _show_more(self) -> None:
        holder = self.parent
        if isinstance(holder, Widget):
            subtitle = MORE if self.more_below else ""
            if holder.border_subtitle != subtitle:
                holder.border_subtitle = subtitle

    def _mark(self, section: Widget, current: bool) -> None:
        """Mark the current section with inline styles, not a class.

        A class change restyles the section's whole subtree of Markdown blocks
        (~18 ms a step, measured) and a background repaints every block; swapping
        the left edge between two kinds of the same width only repaints the section.
        """
        accent = self.app.theme_variables["accent"]
        section.styles.border_left = ("thick" if current else "blank", accent)
