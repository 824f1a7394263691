"""Rich styles of a widget's component classes, computed once until its styles change.

``Widget.rich_style`` walks every ancestor and ``get_component_rich_style`` merges CSS rules on
each call; a pane drawn line by line would pay that per line per frame. A widget owns one
``Looks`` and clears it from ``notify_style_update`` (a theme change, a pseudo-class, new CSS).
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


class Looks:
    """``looks("")`` is the widget's own style; ``looks("x--y")`` adds component class ``x--y``."""

    def __init__(self, widget: Widget) -> None:
        self._widget = widget
        self._cache: dict[str, Style] = {}

    def __call__(self, component: str = "") -> Style:
        look = self._cache.get(component)
        if look is None:
            base = self._widget.rich_style
            if component:
                base = base + self._widget.get_component_rich_style(component)
            look = self._cache[component] = base
        return look

    def clear(self) -> None:
        self._cache.clear()
