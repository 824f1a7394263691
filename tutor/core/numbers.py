"""Turning recorded values into text and JSON."""

from __future__ import annotations

import math
from typing import Any

from .run.timeline import ArraySummary, Opaque


def format_value(value: Any, digits: int = 6) -> str:
    """A short, readable form: numbers to ``digits`` significant digits, arrays compactly."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        return _number(value, digits)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        inner = ", ".join(format_value(v, digits) for v in value[:8])
        more = ", …" if len(value) > 8 else ""
        return f"[{inner}{more}]" if isinstance(value, list) else f"({inner}{more})"
    if hasattr(value, "tolist") and hasattr(value, "shape"):
        if value.size <= 12:
            return format_value(value.tolist(), digits)
        return f"<array {'×'.join(map(str, value.shape))} {value.dtype}>"
    return str(value)


def _number(value: float, digits: int) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = f"{value:.{digits}g}"
    if "e" not in text and "." not in text and abs(value) < 10**digits:
        text += ".0"
    return text


def to_json(value: Any) -> Any:
    """A JSON-ready form: arrays as nested lists; NaN and infinities as the strings nan/inf/-inf."""
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return _number(value, 6)
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
