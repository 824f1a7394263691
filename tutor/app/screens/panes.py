"""The lesson screen's panes as the keyboard reaches them: tab stops, the focused pane's hint,
maximize and restore.

Every pane is a container with the class ``pane`` (its border and title); the widget inside it
that takes focus is its one tab stop. The focused pane's border turns the accent colour (in the
.tcss) and its subtitle names the keys that act on it; ``m`` fills the screen with it and ``m`` or
escape gives the screen back (Textual's maximize).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widget import Widget

if TYPE_CHECKING:
    from .lesson import LessonScreen

NARROW = (100, 30)  # below this width or height, panes become toggles
HINT = "↑↓ PgUp PgDn scroll · m maximize"
HINT_MAXIMIZED = "↑↓ PgUp PgDn scroll · m or esc restores"


def pane_of(widget: Widget | None) -> Widget | None:
    """The pane (a container with class ``pane``) that holds ``widget``."""
    node = widget
    while isinstance(node, Widget):
        if node.has_class("pane"):
            return node
        node = node.parent  # type: ignore[assignment]
    return None


def mark_focused(screen: Screen, focused: Widget | None) -> None:
    """The focused widget's pane gets the hint in its subtitle; every other pane loses it."""
    current = pane_of(focused)
    for pane in screen.query(".pane"):
        wanted = (HINT_MAXIMIZED if screen.maximized is pane else HINT) if pane is current else ""
        if pane.border_subtitle != wanted:
            pane.border_subtitle = wanted


def layout_for(screen: LessonScreen, width: int, height: int) -> None:
    """The layout for a terminal of this size: small ones show panes in turn."""
    screen.set_class(width < NARROW[0] or height < NARROW[1], "-narrow")
    share_rows(screen, screen.editor.text.count("\n") + 1)
    fit_maximized(screen)


def maximize(screen: LessonScreen) -> None:
    """m: the focused pane fills the screen, or the screen comes back."""
    if not toggle_maximized(screen):
        screen.status.show(screen._where(), "tab to a pane first, then m fills the screen with it")


def toggle_lesson(screen: LessonScreen) -> None:
    """l: small screens show the lesson text in place of the code; large ones maximize it."""
    from ..widgets.lesson_text import LessonView

    if screen.has_class("-narrow"):
        screen.toggle_class("-show-lesson")
    else:
        if screen.maximized is None:
            screen.set_focus(screen.pane(LessonView))
        toggle_maximized(screen)


def toggle_viz(screen: LessonScreen) -> None:
    """n: the network and plots shown or hidden (small screens: in place of the values)."""
    screen.toggle_class("-hide-viz" if not screen.has_class("-narrow") else "-show-viz")
    screen.remove_class("-show-lesson")  # (small screens: the panes in place of the text)
    screen.redraw()


def toggle_slopes(screen: LessonScreen) -> None:
    """M: under each derivative line, the slope a nudge measures (or not)."""
    screen.slopes = not screen.slopes
    note = "measured slopes shown under derivative lines" if screen.slopes else "slopes hidden"
    screen.runs.note = note
    screen.redraw()


def toggle_log(screen: LessonScreen) -> None:
    """L: the chart's y axis logarithmic or linear."""
    _viz(screen, "toggle_log")


def toggle_boundary(screen: LessonScreen) -> None:
    """b: the decision boundary or the chart in the plots pane."""
    _viz(screen, "toggle_boundary")


def _viz(screen: LessonScreen, toggle: str) -> None:
    viz = screen._panes.get("viz")
    if message := getattr(viz, toggle)() if viz else "The plots are still loading.":
        screen.notify(message, markup=False)


def toggle_maximized(screen: Screen) -> bool:
    """Maximize the focused pane, or restore the screen; False when nothing can be maximized."""
    if screen.maximized is not None:
        screen.minimize()  # (maximized_changed gives the pane its size back)
    else:
        pane = pane_of(screen.focused)
        if pane is None:
            return False
        fit_maximized(screen, pane)  # first: the screen caches its arrangement per maximized pane
        screen.maximized = pane
    mark_focused(screen, screen.focused)
    return True


def maximized_changed(screen: Screen, before: Widget | None, after: Widget | None) -> None:
    """Whoever restored the screen (m, esc, the palette), the pane gets its own size back."""
    if before is not None and before is not after:
        for rule in ("width", "height", "max_height"):
            before.styles.clear_rule(rule)
    mark_focused(screen, screen.focused)


def fit_maximized(screen: Screen, pane: Widget | None = None) -> None:
    """The maximized pane takes the screen but the status line and the key bar.

    (A size in cells: a percentage would be of the pane's own container, which the
    maximized view does not lay out.)"""
    pane = pane or screen.maximized
    if pane is not None:
        pane.styles.width = screen.size.width
        pane.styles.height = pane.styles.max_height = max(3, screen.size.height - 2)


BOTTOM = 15  # the values, network and plots row: at least this many rows


def share_rows(screen: Screen, code_lines: int) -> None:
    """The right column: the code pane as tall as the code (with its borders), the values,
    network and plots row below it the rest; that row never has fewer than BOTTOM rows or
    45% of the column (long code scrolls: its current line is always in view)."""
    bottom = screen.query_one("#bottom")
    if screen.has_class("-narrow"):
        bottom.styles.clear_rule("height")
        return
    column = screen.size.height - 2  # the status line and the key bar
    # Short code: the rows it leaves; long code: the bottom keeps almost half the column.
    rows = min(column - 8, max(BOTTOM, int(column * 0.45), column - code_lines - 2))
    if bottom.styles.height is None or bottom.styles.height.value != rows:
        bottom.styles.height = rows
