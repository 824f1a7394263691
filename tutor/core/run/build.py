"""From the recorder's raw events to a Timeline: which events are changes, and where
each training iteration starts and ends (vectorised with numpy, in the run child)."""

from __future__ import annotations

from array import array
from typing import Any

from ..lesson.source import Loop
from .snapshot import MAX_INT_BITS, big_int
from .timeline import Column


def exhausted_headers(np, lines, loop: Loop, is_summary):
    """Events where the loop's header ran and found its iterator empty: it bound nothing.

    A header run is a real iteration when the next line of the loop's own scope to
    run is in the loop's body; otherwise the loop ended there.
    """
    mask = np.zeros(len(lines), dtype=bool)
    if loop.end == loop.line:  # a one-line loop: body and header share the line
        return mask
    headers = np.nonzero((lines == loop.line) & ~is_summary)[0]
    if not len(headers):
        return mask
    size = int(lines.max()) + 1
    in_scope = np.zeros(size, dtype=bool)
    in_body = np.zeros(size, dtype=bool)
    in_scope[[n for n in (*loop.outside, *loop.body, loop.line) if n < size]] = True
    in_body[[n for n in loop.body if n < size]] = True
    scope_events = np.nonzero(in_scope[lines])[0]
    pos = np.searchsorted(scope_events, headers, side="right")
    has_next = pos < len(scope_events)
    following = scope_events[np.minimum(pos, len(scope_events) - 1)]
    # A summary event stands for (the rest of) an iteration: body, as far as this goes.
    continues = in_body[lines[following]] | is_summary[following]
    mask[headers[~has_next | ~continues]] = True
    return mask


def iteration_spans(
    np, lines, loop: Loop, column: Column, exhausted, is_summary
) -> tuple[array, array]:
    """Event spans of the training iterations: from each header that binds, to the loop's end."""
    bound = np.zeros(len(lines), dtype=bool)
    bound[np.frombuffer(column.events, dtype=np.uint32)] = True
    # A header run that bound the variable starts an iteration; so does a summary of one.
    first = np.nonzero(bound & (lines == loop.line) & ~exhausted)[0]
    size = int(lines.max()) + 1
    table = np.zeros(size, dtype=bool)
    table[[n for n in loop.outside if n < size]] = True
    outside = (table[lines] | exhausted) & ~is_summary
    outside_events = np.nonzero(outside)[0]
    nxt = np.append(first[1:], len(lines))
    pos = np.searchsorted(outside_events, first, side="right")
    stop = np.where(
        pos < len(outside_events),
        outside_events[np.minimum(pos, len(outside_events) - 1)],
        len(lines),
    )
    starts, ends = array("I"), array("I")
    starts.frombytes(first.astype(np.uint32).tobytes())
    ends.frombytes(np.minimum(nxt, stop).astype(np.uint32).tobytes())
    return starts, ends


_SCALARS = frozenset({float, int, bool, str, type(None)})  # recorded again: always a change


def changes(np, events: array, values: list[Any], exhausted, kinds=None) -> list[bool] | None:
    """Which recorded values to keep as changes (None: all of them).

    A value recorded where a loop header found its iterator exhausted is not a
    change (the header bound nothing). Arrays, lists and tuples recorded again with
    equal contents are not changes either: ``w.sum()`` makes ``w`` a candidate
    without changing it. Any other assignment is a change, even of an equal value.
    """
    keep = None
    if len(exhausted) and exhausted.any():
        at = np.frombuffer(events, dtype=np.uint32)
        dropped = exhausted[at]
        if dropped.any():
            keep = (~dropped).tolist()
    if (kinds if kinds is not None else set(map(type, values))) <= _SCALARS:
        return keep  # (nothing to compare by contents: a million floats take no loop)
    previous = None
    for k, value in enumerate(values):
        if keep is not None and not keep[k]:
            continue
        kind = type(value)
        if (
            previous is not None
            and kind is type(previous)
            and kind not in (float, int, bool, str, type(None))
            and (value is previous or _equal(previous, value))
        ):
            if keep is None:
                keep = [True] * len(values)
            keep[k] = False
        previous = value
    return keep


def _equal(a: Any, b: Any) -> bool:
    """Two recorded values (the same type) are the same value; never raises."""
    try:
        if type(a).__module__ == "numpy":  # (an ArraySummary has a shape too, but is no array)
            import numpy as np

            return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        return bool(a == b)
    except Exception:  # noqa: BLE001
        return False


def big(value: Any) -> bool:
    """An integer too big to keep as a number (a float could not hold it)."""
    return type(value) is int and value.bit_length() > MAX_INT_BITS


def pack(values: list[Any], kinds: set[type] | None = None) -> Any:
    """Store a column as a typed array when every value allows it (8 bytes a value).

    Integers too big for a float (the recorder's hot path keeps ints as they are) become
    summaries here: nothing downstream has to print a 5,000-digit number. ``kinds``: the
    values' types, when known. A column of a million numbers takes no Python loop."""
    kinds = kinds if kinds is not None else set(map(type, values))
    low, high = (min(values), max(values)) if kinds == {int} else (0, 0)
    limit = 2**MAX_INT_BITS
    if (kinds == {int} and not -limit < low <= high < limit) or (
        kinds != {int} and int in kinds and any(map(big, values))
    ):
        values = [big_int(v) if big(v) else v for v in values]
        kinds = set(map(type, values))
    if kinds == {float}:
        return array("d", values)
    if kinds == {int} and low >= -(2**63) and high < 2**63:
        return array("q", values)
    return values
