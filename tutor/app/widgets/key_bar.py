"""The key bar: the screen's main keys in one line (one widget, cheap to draw at start-up).

Made from the screen's active bindings, the same list the help screen and the
command palette use: each binding with ``show=True`` that the screen allows
right now. It repaints when Textual signals that the bindings changed (focus
moved, the editor opened), never by hand.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget

from ..keys import key_label


class KeyBar(Widget):
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    DEFAULT_CSS = """
    KeyBar { height: 1; dock: bottom; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        text = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            text.append(f" {key_label(binding.key)} ", key_style)
            text.append(f"{binding.description} ", text_style)
        text.append(" ctrl+p ", key_style)
        text.append("palette", text_style)
        return text
