"""The equation pane: the step's equations in 2D, the numbers of this moment, and ✓ or ✗.

Rows come from ``tutor.core.view.equation_rows`` (via the Moment); this widget only
styles them, draws the ✓ of a row whose verdict holds, and scrolls.
It draws line by line (a ScrollView), so a new event repaints the pane without
laying the screen out again.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from rich.segment import Segment
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .looks import Looks
from .scrolling import set_virtual_size

if TYPE_CHECKING:  # the math modules load after the first frame, with the lesson
    from ...core.view.equation_rows import Row

KINDS = ("title", "math", "numbers", "ok", "bad", "why", "more", "turn", "hint")
WRAPPED = ("why", "bad", "turn", "hint")  # prose: wraps under itself
MARK = ("  ✓", "  OK")  # after a row whose equation holds (Unicode, ASCII)


class EquationView(ScrollView):
    """Rows of (text, kind); each kind has a component class, so the .tcss decides the look."""

    COMPONENT_CLASSES = {f"equation-view--{kind}" for kind in KINDS}

    DEFAULT_CSS = """
    EquationView { height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[Row] = []
        self.message = "No equation for this line."
        self._lines: list[tuple[str, str, bool]] = []  # wrapped rows: (text, kind, holds)
        self.ascii = False
        self._wrapped_for = -1
        self._look = Looks(self)
        self._at_end = False

    def show(self, rows: list[Row] | tuple[Row, ...], at_end: bool = False) -> None:
        """Show ``rows``; ``at_end`` scrolls to the last one (a derivation being revealed)."""
        rows = list(rows)
        if rows != self.rows:
            self.rows = rows
            self._wrap(force=True)
            self.refresh()
        self._at_end = at_end
        self._scroll_home()

    def _scroll_home(self) -> None:
        """The top, or with ``at_end`` the last rows in view (again after a resize), but
        not past the first row of the newest equation when what would then be cut below
        is only notes ("→ 5 more lines"): a fraction's top row stays on screen. The
        exercise's rows (your turn, hints) and a ✗ always stay in view."""
        height = self.scrollable_content_region.height
        target = 0
        if self._at_end:
            kinds = [kind for _, kind, _ in self._lines]
            starts = [
                k for k, kind in enumerate(kinds) if kind == "math" and kinds[k - 1 : k] != ["math"]
            ]
            target = max(0, len(self._lines) - height)
            if starts and starts[-1] < target:
                cut = kinds[starts[-1] + height :]
                if not any(kind in ("turn", "hint", "bad") for kind in cut):
                    target = starts[-1]
        if self.scroll_offset.y != target:
            self.scroll_to(y=target, animate=False, immediate=True)
            if self.scroll_offset.y != target:  # the pane just grew: scroll once it has
                self.call_after_refresh(self.scroll_to, y=target, animate=False)

    def _wrap(self, force: bool = False) -> None:
        width = self.scrollable_content_region.width
        if not force and width == self._wrapped_for:
            return
        if self.rows:  # (no math module is needed for the first frame's empty pane)
            from ...core.equation.boxes import width as cell_width
        self._wrapped_for = width
        lines: list[tuple[str, str, bool]] = []
        if not self.rows:
            lines = [(self.message, "why", False)]
        for row in self.rows:
            if row.kind in WRAPPED and width > 20 and cell_width(row.text) > width:
                # Long prose wraps under itself, not under the equation.
                lead = len(row.text) - len(row.text.lstrip())
                parts = textwrap.wrap(row.text.strip(), width - lead - 2)
                lines += [
                    (" " * (lead if k == 0 else lead + 2) + part, row.kind, False)
                    for k, part in enumerate(parts)
                ]
            else:
                kind = row.kind if row.kind in KINDS else "why"
                lines.append((row.text, kind, row.verdict is True))
        self._lines = lines
        # Exactly this step's rows (the screen is a function of the position), set without
        # laying the screen out again unless the scrollbar comes or goes.
        region = self.scrollable_content_region
        set_virtual_size(self, Size(region.width, len(lines)))  # no sideways scrolling

    def on_resize(self) -> None:
        self._wrap()
        self._scroll_home()

    def render_line(self, y: int) -> Strip:
        self._wrap()
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        base = self._look()
        if row >= len(self._lines):
            return Strip.blank(width, base)
        text, kind, holds = self._lines[row]
        segments = [Segment(text, self._look(f"equation-view--{kind}"))]
        if holds:
            segments.append(Segment(MARK[self.ascii], self._look("equation-view--ok")))
        return Strip(segments).crop(0, width).extend_cell_length(width, base)

    def notify_style_update(self) -> None:
        self._look.clear()
        super().notify_style_update()
