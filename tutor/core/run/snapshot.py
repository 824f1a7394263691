"""Copies of recorded values that later mutation cannot change, or small descriptions of them."""

from __future__ import annotations

from typing import Any

from .timeline import ArraySummary, Opaque

MAX_ARRAY = 10_000  # numpy arrays / lists with more elements are summarised
MAX_STRING = 200

SKIP = object()  # values not worth recording (functions, modules, classes)


def snapshot(value: Any) -> Any:
    """A copy of a value that later mutation cannot change, or a small description of it."""
    kind = type(value)
    if kind is float or kind is int or kind is bool or value is None or value is SKIP:
        return value
    if kind is str:
        return value if len(value) <= MAX_STRING else Opaque("str", f"{len(value)} characters")
    if isinstance(value, bool | int | float | complex):
        return kind.__mro__[-2](value) if kind.__module__ != "builtins" else value
    if kind.__module__ == "numpy":
        return _snapshot_numpy(value)
    if kind is list or kind is tuple:
        copy = _copy_numbers(value, [MAX_ARRAY])
        return copy if copy is not None else Opaque(kind.__name__, f"{len(value)} items")
    if callable(value) or kind.__name__ in ("module", "type"):
        return SKIP
    return Opaque(kind.__name__)


def _snapshot_numpy(value: Any) -> Any:
    if not hasattr(value, "shape"):
        return Opaque(type(value).__name__)
    if value.shape == ():
        return value.item()
    if value.dtype.kind not in "biufc":
        return Opaque("ndarray", f"{value.dtype}")
    if value.size <= MAX_ARRAY:
        return value.copy()
    finite = value[value == value] if value.dtype.kind in "fc" else value
    if finite.size and value.dtype.kind != "c":
        return ArraySummary(
            tuple(value.shape),
            str(value.dtype),
            float(finite.min()),
            float(finite.max()),
            float(finite.mean()),
        )
    return ArraySummary(tuple(value.shape), str(value.dtype))


def _copy_numbers(value: Any, budget: list[int]) -> Any:
    """Copy a (nested) list or tuple of numbers, or None if it holds anything else."""
    budget[0] -= len(value)
    if budget[0] < 0:
        return None
    items = []
    for item in value:
        kind = type(item)
        if kind is float or kind is int or kind is bool:
            items.append(item)
        elif kind is list or kind is tuple:
            copy = _copy_numbers(item, budget)
            if copy is None:
                return None
            items.append(copy)
        elif isinstance(item, int | float):
            items.append(float(item) if isinstance(item, float) else int(item))
        else:
            return None
    return items if type(value) is list else tuple(items)
