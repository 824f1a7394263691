"""A scroll view's virtual size, changed without laying the whole screen out again.

``Widget.virtual_size`` is a layout reactive: every change re-arranges every widget on the
screen (~5-10 ms with the lesson text's Markdown blocks), though a pane whose own size is set
by the CSS only needs its scrollbars updated. ``set_virtual_size`` sets the value quietly and
updates the scrollbars (Textual's ``_scroll_update``); when a scrollbar appears or goes, that
reactive still asks for the layout it needs.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget


def set_virtual_size(widget: Widget, size: Size) -> None:
    """For panes sized by the CSS (not ``height: auto``): their size never follows the content."""
    if size == widget.virtual_size:
        return
    if not widget.is_mounted or not widget.size:
        widget.virtual_size = size  # (before the first layout: the usual way)
        return
    widget.set_reactive(Widget.virtual_size, size)
    widget._scroll_update(size)
    widget.refresh()
