"""The one way numbers and recorded values become text (and JSON) everywhere in nn-tutor.

The equation pane, the values pane, the network drawing, check messages and
``nn-tutor trace`` all format through here: significant digits for the eye,
integers kept whole, and, on screen, the real minus sign (−). ``ascii=True``
gives plain ASCII for terminals without Unicode and for machine-read output.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from .run.timeline import ArraySummary, Opaque

MINUS = "\u2212"


def format_number(value: Any, digits: int = 4, ascii: bool = False) -> str:
    """A number to ``digits`` significant digits; floats keep a ``.0``; −, not -, in Unicode."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, ArraySummary | Opaque):  # a value too large to keep: its summary
        return format_value(value, digits, ascii)
    if isinstance(value, numbers.Integral):
        text = str(int(value))
    else:
        value = float(value)
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            text = "inf" if ascii else "∞"
            return text if value > 0 else ("-" if ascii else MINUS) + text
        text = f"{value:.{digits}g}"
        if "e" not in text and "." not in text:
            text += ".0"
    return text if ascii else text.replace("-", MINUS)


def format_value(value: Any, digits: int = 6, ascii: bool = False) -> str:
    """Any recorded value, short: numbers through ``format_number``, arrays and lists compactly."""
    if value is None:
        return "None"
    if isinstance(value, numbers.Real):
        return format_number(value, digits, ascii)
    if isinstance(value, list | tuple):
        inner = ", ".join(format_value(v, digits, ascii) for v in value[:8])
        more = ", …" if len(value) > 8 else ""
        return f"[{inner}{more}]" if isinstance(value, list) else f"({inner}{more})"
    if isinstance(value, ArraySummary):
        shape = "x".join(map(str, value.shape)) if ascii else "×".join(map(str, value.shape))
        stats = (("min", value.min), ("max", value.max))
        said = "".join(f" {k} {format_number(v, 4, ascii)}" for k, v in stats if v is not None)
        return f"<array {shape} {value.dtype}{said}>"
    if hasattr(value, "tolist") and hasattr(value, "shape"):
        if value.size <= 12:
            return format_value(value.tolist(), digits, ascii)
        return f"<array {'×'.join(map(str, value.shape))} {value.dtype}>"
    return str(value)


def to_json(value: Any) -> Any:
    """A JSON-ready form: arrays as nested lists; NaN and infinities as the strings nan/inf/-inf."""
    if isinstance(value, float):
        return value if math.isfinite(value) else format_number(value, ascii=True)
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if hasattr(value, "tolist"):
        return to_json(value.tolist())
    if isinstance(value, complex):
        return [to_json(value.real), to_json(value.imag)]
    if isinstance(value, Opaque | ArraySummary):
        return str(value)
    return str(value)
