"""The key bar: the screen's main keys in one line (one widget, cheap to draw at start-up).

Made from the same bindings as the help screen and the command palette: each
binding with ``show=True`` whose action the screen currently allows.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ..screens.help import key_label


class KeyBar(Widget):
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    DEFAULT_CSS = """
    KeyBar { height: 1; dock: bottom; }
    """

    def render(self) -> Text:
        screen = self.screen
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        text = Text(no_wrap=True, overflow="ellipsis")
        for binding in getattr(screen, "BINDINGS", []):
            if not binding.show:
                continue
            if hasattr(screen, "check_action") and not screen.check_action(binding.action, ()):
                continue
            text.append(f" {key_label(binding.key)} ", key_style)
            text.append(f"{binding.description} ", text_style)
        text.append(" ctrl+p ", key_style)
        text.append("palette", text_style)
        return text
