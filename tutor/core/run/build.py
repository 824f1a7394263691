"""From the recorder's raw events to a Timeline: which events are changes, and where
each training iteration starts and ends (vectorised with numpy, in the run child)."""

from __future__ import annotations

from array import array
from itertools import compress
from typing import Any

from ..lesson.source import Loop
from .snapshot import MAX_INT_BITS, big_int


def exhausted_headers(np, lines, loop: Loop, is_summary, final: bool = True):
    """Events where the loop's header ran and found its iterator empty: it bound nothing.

    A header run is a real iteration when the next line of the loop's own scope to
    run is in the loop's body; otherwise the loop ended there. Returns the mask and, when
    ``lines`` is not the whole run (``final`` False), the first header run whose next line
    is not among ``lines`` yet (-1: none): whether it is a new round is not known yet.
    """
    mask = np.zeros(len(lines), dtype=bool)
    if loop.end == loop.line or not len(lines):  # a one-line loop: body and header share the line
        return mask, -1
    headers = np.nonzero((lines == loop.line) & ~is_summary)[0]
    if not len(headers):
        return mask, -1
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
    undecided = -1
    if not final and not has_next.all():
        undecided = int(headers[~has_next][0])
        mask[headers[has_next & ~continues]] = True
    else:
        mask[headers[~has_next | ~continues]] = True
    return mask, undecided


def iteration_spans(
    np, lines, loop: Loop, bound, exhausted, is_summary, offset=0, open_start=-1, final=True
) -> tuple[array, array, bool]:
    """Event spans of the training iterations: from each header that binds, to the loop's end.

    ``lines`` are the events from ``offset`` on, ``bound`` the events (numbered from 0) where
    the loop variable changed among them, and ``open_start`` the start of an iteration that
    began before them and has not ended yet (-1: none). Returns the starts and ends (ends
    exclusive, numbered from 0) of that open iteration and of those that start here, and
    whether the last one may still go on (``final`` False, and no end seen for it yet)."""
    n = len(lines)
    is_bound = np.zeros(n, dtype=bool)
    is_bound[np.frombuffer(bound, dtype=np.uint32).astype(np.int64) - offset] = True
    # A header run that bound the variable starts an iteration; so does a summary of one.
    first = np.nonzero(is_bound & (lines == loop.line) & ~exhausted)[0]
    size = int(lines.max()) + 1 if n else 1
    table = np.zeros(size, dtype=bool)
    table[[k for k in loop.outside if k < size]] = True
    outside = (table[lines] | exhausted) & ~is_summary
    outside_events = np.nonzero(outside)[0]
    nxt = np.append(first[1:], n)
    pos = np.searchsorted(outside_events, first, side="right")
    stop = (
        np.where(
            pos < len(outside_events),
            outside_events[np.minimum(pos, len(outside_events) - 1)],
            n,
        )
        if len(outside_events)
        else np.full(len(first), n)
    )
    begins = (first + offset).astype(np.uint32)
    finishes = (np.minimum(nxt, stop) + offset).astype(np.uint32)
    if open_start >= 0:
        candidates = [n] + ([int(first[0])] if len(first) else [])
        candidates += [int(outside_events[0])] if len(outside_events) else []
        begins = np.insert(begins, 0, open_start)
        finishes = np.insert(finishes, 0, min(candidates) + offset)
    starts, ends = array("I"), array("I")
    starts.frombytes(begins.astype(np.uint32).tobytes())
    ends.frombytes(finishes.astype(np.uint32).tobytes())
    still_open = not final and len(ends) > 0 and ends[-1] == offset + n
    return starts, ends, still_open


SCALARS = frozenset((float, int, bool, str, type(None)))  # recorded again: always a change


def changes(
    np,
    events: array,
    values: list[Any],
    exhausted,
    offset: int = 0,
    previous: Any = None,
    kinds: set[type] | None = None,
) -> tuple[Any, Any]:
    """Which recorded values to keep as changes (a numpy mask; None: all of them), and the
    last value seen.

    A value recorded where a loop header found its iterator exhausted is not a
    change (the header bound nothing). Arrays, lists and tuples recorded again with
    equal contents are not changes either: ``w.sum()`` makes ``w`` a candidate
    without changing it. Any other assignment is a change, even of an equal value.
    ``exhausted`` covers the events from ``offset`` on; ``previous`` is the last value seen
    before ``values`` (a run's chunks are built one after another).
    """
    keep = None
    if len(exhausted) and exhausted.any():
        at = np.frombuffer(events, dtype=np.uint32).astype(np.int64) - offset
        dropped = exhausted[at]
        if dropped.any():
            keep = ~dropped
    if (kinds if kinds is not None else set(map(type, values))) <= SCALARS:
        # Plain numbers: every assignment is a change (a million floats take no loop).
        for k in range(len(values) - 1, -1, -1):
            if keep is None or keep[k]:
                return keep, values[k]
        return keep, previous
    for k, value in enumerate(values):
        if keep is not None and not keep[k]:
            continue
        kind = type(value)
        if (
            previous is not None
            and kind is type(previous)
            and kind not in SCALARS
            and (value is previous or _equal(previous, value))
        ):
            if keep is None:
                keep = np.ones(len(values), dtype=bool)
            keep[k] = False
        previous = value
    return keep, previous


def _equal(a: Any, b: Any) -> bool:
    """Two recorded values (the same type) are the same value; never raises."""
    try:
        if type(a).__module__ == "numpy":  # (an ArraySummary has a shape too, but is no array)
            import numpy as np

            return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        return bool(a == b)
    except Exception:  # noqa: BLE001
        return False


def kept(np, items: Any, keep: Any) -> Any:
    """``items`` (a list or an array) where ``keep`` (a numpy mask) is True: slices between
    the few items dropped (a loop's exhausted header, values recorded again unchanged), so a
    million kept values take no Python loop."""
    dropped = np.flatnonzero(~keep).tolist()
    if len(dropped) * 32 > len(items):  # many: one pass
        chosen = compress(items, keep.tolist())
        return list(chosen) if type(items) is list else array(items.typecode, chosen)
    out = items[:0]
    start = 0
    for k in dropped:
        out += items[start:k]
        start = k + 1
    out += items[start:]
    return out


def big(value: Any) -> bool:
    """An integer too big to keep as a number (a float could not hold it)."""
    return type(value) is int and value.bit_length() > MAX_INT_BITS


def pack(values: list[Any] | array, kinds: set[type] | None = None) -> Any:
    """Store a column as a typed array when every value allows it (8 bytes a value; the
    recorder's floats come as one already).

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
        return values if type(values) is array else array("d", values)
    if kinds == {int} and low >= -(2**63) and high < 2**63:
        return array("q", values)
    return values
