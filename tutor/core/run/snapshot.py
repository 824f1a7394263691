"""Copies of recorded values that later mutation cannot change, or small descriptions of them."""

from __future__ import annotations

import itertools
import math
import weakref
from typing import Any

from .timeline import ArraySummary, Graph, Opaque

MAX_ARRAY = 10_000  # numpy arrays / lists with more elements are summarised
MAX_STRING = 200
MAX_GRAPH = 2_000  # nodes of a computation graph recorded with each node
MAX_DEPTH = 32  # lists nested deeper (or containing themselves) are summarised
MAX_INT_BITS = 1024  # integers beyond ±2**1024 (~308 digits: a float could not hold them)

SKIP = object()  # values not worth recording (functions, modules, classes)


def snapshot(value: Any) -> Any:
    """A copy of a value that later mutation cannot change, or a small description of it.

    Never raises: whatever the lesson's code holds (a list that contains itself, an object
    whose ``__eq__`` or ``__repr__`` raises, an integer of 5,000 digits) is summarised."""
    try:
        return _snapshot(value)
    except Exception:  # noqa: BLE001 - a value may do anything when looked at
        return Opaque(_type_name(value))


def _type_name(value: Any) -> str:
    try:
        return str(type(value).__name__)
    except Exception:  # noqa: BLE001
        return "object"


def big_int(value: int) -> Opaque:
    """An integer too big to record as a number: how many digits it has."""
    digits = int(math.log10(abs(value))) + 1  # (str() refuses past 4,300 digits)
    return Opaque("int", f"{'−' if value < 0 else ''}{digits} digits")


def _snapshot(value: Any) -> Any:
    kind = type(value)
    if kind is int and value.bit_length() > MAX_INT_BITS:
        return big_int(value)
    if kind is float or kind is int or kind is bool or value is None or value is SKIP:
        return value
    if kind is str:
        return value if len(value) <= MAX_STRING else Opaque("str", f"{len(value)} characters")
    if isinstance(value, bool | int | float | complex):
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and value.bit_length() > MAX_INT_BITS
        ):
            return big_int(int(value))
        return kind.__mro__[-2](value) if kind.__module__ != "builtins" else value
    if kind.__module__ == "numpy":
        return _snapshot_numpy(value)
    if kind is list or kind is tuple:
        copy = _copy_numbers(value, [MAX_ARRAY], MAX_DEPTH)
        count = len(value)
        return (
            copy if copy is not None else Opaque(kind.__name__, f"{count} item{'s' * (count != 1)}")
        )
    if callable(value) or kind.__name__ in ("module", "type"):
        return SKIP
    if _parents(value) is not None:
        return _graph(value)
    return Opaque(kind.__name__)


def _parents(value: Any) -> list[Any] | None:
    """The objects ``value`` was made from, when it keeps them as a computation graph's
    node does (an instance attribute ``parents``, a list or tuple); else None. Read from
    the instance's own ``__dict__``: no property of the lesson's class runs."""
    own = getattr(value, "__dict__", None)
    if type(own) is not dict:
        return None
    parents: Any = own.get("parents")
    return list(parents) if type(parents) in (list, tuple) else None


def _plain(value: Any) -> float | None:
    kind = type(value)
    if kind is float or (kind is int and value.bit_length() <= MAX_INT_BITS):
        return float(value)
    return None


_SERIALS: dict[int, int] = {}  # id of a living node -> its number in this run
_NEXT = itertools.count(1)
_KEPT: list[Any] = []  # nodes that cannot be weakly referenced: kept, so no id is reused


def new_run() -> None:
    """Number the nodes of the next run from 1 again."""
    global _NEXT
    _SERIALS.clear()
    _KEPT.clear()
    _NEXT = itertools.count(1)


def _serial(node: Any) -> int:
    """A node's number: 1, 2, 3… in the order the run first recorded it, the same in every
    run of the same code (an ``id()`` is not), and never given to two living nodes."""
    key = id(node)
    serial = _SERIALS.get(key)
    if serial is None:
        serial = _SERIALS[key] = next(_NEXT)
        try:
            weakref.finalize(node, _forget, key, serial)
        except TypeError:
            _KEPT.append(node)
    return serial


def _forget(key: int, serial: int) -> None:
    """A node is gone: its id may be another's now (not if a new run numbered it anew)."""
    if _SERIALS.get(key) == serial:
        del _SERIALS[key]


def _graph(root: Any) -> Graph | Opaque:
    """``root``'s ancestry, breadth first, up to MAX_GRAPH nodes."""
    index = {id(root): 0}
    order = [root]
    parents: list[tuple[int, ...]] = []
    for node in order:  # (grows while it is walked)
        mine = []
        for parent in _parents(node) or ():
            if _parents(parent) is None:
                continue  # a plain number among the parents is not a node
            if id(parent) not in index:
                if len(order) >= MAX_GRAPH:
                    count = f"a graph of more than {MAX_GRAPH:,} nodes"
                    return Opaque(_type_name(root), count)
                index[id(parent)] = len(order)
                order.append(parent)
            mine.append(index[id(parent)])
        parents.append(tuple(mine))
    own = [node.__dict__ for node in order]
    return Graph(
        _type_name(root),
        tuple(_serial(node) for node in order),
        tuple(_plain(d.get("value")) for d in own),
        tuple(_plain(d.get("grad")) for d in own),
        tuple(parents),
    )


def _snapshot_numpy(value: Any) -> Any:
    if not hasattr(value, "shape"):
        return Opaque(type(value).__name__)
    if value.shape == ():
        return value.item()
    if value.dtype.kind not in "biufc":
        return Opaque("ndarray", f"{value.dtype}")
    if value.size <= MAX_ARRAY:
        return value.copy()
    if value.dtype.kind == "c" or not value.size:
        return ArraySummary(tuple(value.shape), str(value.dtype))
    # Statistics without copying: a 600 MB array must not cost another 600 MB (the copy
    # would count against the lesson's memory limit). fmin/fmax skip NaN without a mask.
    import numpy as np

    low = float(np.fmin.reduce(value, axis=None))
    high = float(np.fmax.reduce(value, axis=None))
    mean = float(value.mean())
    return ArraySummary(
        tuple(value.shape),
        str(value.dtype),
        None if low != low else low,
        None if high != high else high,
        mean if mean == mean else None,
    )


def _copy_numbers(value: Any, budget: list[int], depth: int) -> Any:
    """Copy a (nested) list or tuple of numbers, or None if it holds anything else, is nested
    deeper than ``depth`` (a list that contains itself is infinitely deep) or has more
    numbers than the budget."""
    budget[0] -= len(value)
    if budget[0] < 0 or depth <= 0:
        return None
    items = []
    for item in value:
        kind = type(item)
        if kind is float or kind is bool or (kind is int and item.bit_length() <= MAX_INT_BITS):
            items.append(item)
        elif kind is list or kind is tuple:
            copy = _copy_numbers(item, budget, depth - 1)
            if copy is None:
                return None
            items.append(copy)
        elif isinstance(item, float):
            items.append(float(item))
        elif isinstance(item, int) and int(item).bit_length() <= MAX_INT_BITS:
            items.append(int(item))
        else:
            return None
    return items if type(value) is list else tuple(items)
