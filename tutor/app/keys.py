"""How keys are written for people: the key bar and the help screen share these names."""

from __future__ import annotations

KEY_NAMES = {
    "right": "→",
    "left": "←",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "space": "space",
    "plus": "+",
    "equals_sign": "=",
    "minus": "-",
    "question_mark": "?",
    "escape": "esc",
    "home": "home",
    "end": "end",
}


def key_label(keys: str) -> str:
    """``right_square_bracket,x`` as ``] x``."""
    return " ".join(KEY_NAMES.get(k, k) for k in keys.split(","))
