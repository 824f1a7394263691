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
    """``short`` maps a description to the word used when the full bar does not fit;
    ``spare`` lists the descriptions left out, in order, when even the short bar does not
    (their keys stay in the help screen and the palette)."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    def __init__(
        self, short: dict[str, str] | None = None, spare: tuple[str, ...] = (), **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.short = short or {}
        self.spare = spare

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
        shown: dict[str, tuple[str, str]] = {}  # action -> (key, description)
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and enabled and binding.action not in shown:
                shown[binding.action] = (key_label(binding.key), binding.description)
        # Too wide: the palette goes first (ctrl+p still opens it), then the words shorten.
        full = [*shown.values(), ("ctrl+p", "palette")]
        for fewer in (full, full[:-1]):
            full = fewer
            if sum(len(k) + len(d) + 3 for k, d in full) <= self.size.width:
                break
        else:
            width = self.size.width
            for left_out in ((), *(self.spare[: k + 1] for k in range(len(self.spare)))):
                kept = [(k, d) for k, d in full if d not in left_out]
                short = [(k.replace("ctrl+", "^"), self.short.get(d, d)) for k, d in kept]
                if sum(len(k) + len(d) + 3 for k, d in short) <= width:
                    break
            full = short
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        text = Text(no_wrap=True, overflow="ellipsis")
        for key, description in full:
            text.append(f" {key} ", key_style)
            text.append(f"{description} ", text_style)
        return text
