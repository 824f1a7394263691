"""The values pane's rows and the inspector's contents, as data.

Every number goes through ``numbers.format_number``: one format and one minus sign
(− on screen, - with ``ascii``) for the values and their changes alike. Arrays and
rectangular nested lists become grids with their shape, drawn by the equation pane's
``grid_box``; a big one is summarised (its first rows and columns, then the last one,
with … standing only for the rows and columns left out, never for part of a number).
Pure: the UI process holds arrays only as the objects the timeline unpickled, so
nothing here imports numpy.
"""

from __future__ import annotations

import numbers
from bisect import bisect_right
from collections.abc import Mapping
from typing import Any, NamedTuple

from ..equation.boxes import grid_box
from ..numbers import MINUS, format_number, format_value
from ..run.timeline import ArraySummary, Graph, Opaque, Timeline

GRID_ROWS = 8  # a grid in the pane shows at most this many rows (the inspector: all)
GRID_COLUMNS = 8
GRID_DIGITS = 4  # significant digits of a grid cell (a scalar row shows VALUE_DIGITS)
VALUE_DIGITS = 6
CHANGE_DIGITS = 4


class ValueRow(NamedTuple):
    name: str
    text: str  # one line: the number, the list, or for an array its shape in brackets
    change: str  # "+0.48", "−0.1", "new", "changed" or ""
    assigned: bool  # the current line assigned it
    shape: str = ""  # "2×3" for an array or a rectangular nested list; "" otherwise
    grid: tuple[str, ...] = ()  # the value drawn as a grid (summarised when big)


def value_rows(
    t: Timeline,
    event: int,
    now: Mapping[str, Any] | None = None,
    ascii: bool = False,
    width: int = 1000,
) -> tuple[ValueRow, ...]:
    """Every variable assigned so far, its value, and its change since the previous event.
    A grid is kept within ``width`` cells where leaving columns out can do it."""
    now = t.values(event) if now is None else now
    before = t.values(event - 1) if event > 0 else {}
    assigned = set(t.changed(event))
    return tuple(
        value_row(name, value, before.get(name, NEW), name in assigned, ascii, width)
        for name, value in now.items()
    )


def value_row(
    name: str, value: Any, before: Any, assigned: bool, ascii: bool = False, width: int = 1000
) -> ValueRow:
    delta = change(before, value, ascii)
    if type(value) in _SCALARS:
        return ValueRow(name, format_value(value, VALUE_DIGITS, ascii), delta, assigned)
    key = (id(value), ascii, width)
    cached = _SHOWN.get(key)
    if cached is None or cached[0] is not value:  # the timeline's values are never mutated
        if len(_SHOWN) > 512:
            _SHOWN.clear()
        cached = _SHOWN[key] = (value, *_shown(value, ascii, width))
    _, text, label, grid = cached
    return ValueRow(name, text, delta, assigned, label, grid)


def _shown(value: Any, ascii: bool, width: int) -> tuple[str, str, tuple[str, ...]]:
    if isinstance(value, str):  # quoted, its line breaks as \n: a row stays a row
        return repr(value), "", ()
    shape = shape_of(value)
    if shape is None:
        return format_value(value, VALUE_DIGITS, ascii), "", ()
    label = "×".join(map(str, shape)) if not ascii else "x".join(map(str, shape))
    return f"({label})", label, grid_lines(value, ascii, fit=width)


_SCALARS = {float, int, bool, type(None)}
# What a value shows as, by the identity of the recorded value (kept, so the identity stays its
# own): a step redraws every row, and the grids of a few arrays took ~10 ms a key.
_SHOWN: dict[tuple[int, bool, int], tuple[Any, str, str, tuple[str, ...]]] = {}


class _New:
    def __repr__(self) -> str:
        return "NEW"


NEW: Any = _New()  # a value that did not exist before


def change(before: Any, after: Any, ascii: bool = False) -> str:
    """How a value changed: a signed difference for numbers, "new" when it first appears."""
    if before is NEW:
        return "new"
    if isinstance(before, bool) or isinstance(after, bool):
        return "" if before == after else "changed"
    if isinstance(before, int | float) and isinstance(after, int | float):
        diff = after - before
        if diff == 0 or diff != diff:
            return ""
        sign = "+" if diff > 0 else ("-" if ascii else MINUS)
        return sign + format_number(abs(diff), CHANGE_DIGITS, ascii)
    if before is after:
        return ""
    try:
        same = (
            bool(before == after) if not hasattr(after, "shape") else bool((before == after).all())
        )
    except Exception:  # noqa: BLE001 - values of any kind; unequal when they cannot compare
        same = False
    return "" if same else "changed"


# -- arrays as grids ------------------------------------------------------------------------


def shape_of(value: Any) -> tuple[int, ...] | None:
    """The shape of an array (or its summary), or of a rectangular list of lists of numbers;
    None for anything else (a scalar, a flat list, text, an object)."""
    if isinstance(value, ArraySummary):
        return tuple(value.shape)
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple) and shape and hasattr(value, "tolist"):
        return shape
    if isinstance(value, list | tuple) and value and isinstance(value[0], list | tuple):
        columns = len(value[0])
        if columns and all(
            isinstance(row, list | tuple)
            and len(row) == columns
            and all(_is_number(v) for v in row)
            for row in value
        ):
            return (len(value), columns)
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real)


def grid_lines(
    value: Any,
    ascii: bool = False,
    rows: int | None = GRID_ROWS,
    columns: int | None = GRID_COLUMNS,
    fit: int = 1000,
    digits: int = GRID_DIGITS,
) -> tuple[str, ...]:
    """A 1-D or 2-D value as the lines of a bracketed grid (a 1-D array is one row).

    With ``rows``/``columns`` a bigger grid shows its first ones and its last one, with an
    ellipsis between; columns are left out until the grid fits ``fit`` cells (if it can).
    An array of more dimensions, or a summary of one too big to record, has no grid."""
    if isinstance(value, ArraySummary):
        return ()
    data = value.tolist() if hasattr(value, "tolist") else value
    shape = shape_of(value)
    if shape is None or len(shape) > 2 or 0 in shape:
        return ()
    table = [data] if len(shape) == 1 else data
    keep_rows = _kept(len(table), rows)
    keep_columns = _kept(len(table[0]), columns)
    while True:
        box = grid_box(_cells(table, keep_rows, keep_columns, ascii, digits), ascii)
        if box.width <= fit or len([k for k in keep_columns if k is not None]) <= 2:
            return tuple(box.rows)
        keep_columns = _kept(len(table[0]), len([k for k in keep_columns if k is not None]) - 1)


def _kept(n: int, most: int | None) -> list[int | None]:
    """The indices shown of ``n``: all of them, or the first ``most - 1``, a gap (None), the last."""
    if most is None or n <= most:
        return list(range(n))
    return [*range(max(1, most - 1)), None, n - 1]


def _cells(
    table: list[Any], rows: list[int | None], columns: list[int | None], ascii: bool, digits: int
) -> list[list[str]]:
    across, down = ("...", ":") if ascii else ("…", "⋮")
    cells = []
    for r in rows:
        if r is None:
            cells.append([down if c is not None else "" for c in columns])
            continue
        row = table[r]
        cells.append(
            [across if c is None else format_number(row[c], digits, ascii) for c in columns]
        )
    return cells


# -- the inspector ------------------------------------------------------------------------


def whole_value(value: Any, ascii: bool = False) -> list[str]:
    """Every part of a recorded value, as lines: a grid for arrays, all the digits of a number."""
    if isinstance(value, bool) or value is None:
        return [str(value)]
    if isinstance(value, numbers.Integral):
        return [format_number(value, ascii=ascii)]
    if isinstance(value, numbers.Real):
        exact = repr(float(value))
        return [exact if ascii else exact.replace("-", MINUS)]
    if isinstance(value, ArraySummary):
        lines = [f"{_shape_text(value.shape, ascii)} {value.dtype}"]
        stats = [(k, v) for k, v in (("min", value.min), ("max", value.max), ("mean", value.mean))]
        if any(v is not None for _, v in stats):
            lines.append(
                "  ".join(f"{k} {format_number(v, 6, ascii)}" for k, v in stats if v is not None)
            )
        return [*lines, "(too big to record: only this summary was kept)"]
    if isinstance(value, Opaque):
        return [str(value), "(the tutor does not copy this kind of value)"]
    if isinstance(value, Graph):
        made = len(value.keys) - 1
        return [str(value), f"(a node made from {made} other node{'s' * (made != 1)})"]
    shape = shape_of(value)
    if shape is not None:
        grid = grid_lines(value, ascii, None, None, digits=VALUE_DIGITS)
        header = f"{_shape_text(shape, ascii)} {getattr(value, 'dtype', type(value).__name__)}"
        data = value.tolist() if hasattr(value, "tolist") else value
        return [header, *grid] if grid else [header, format_value(data, VALUE_DIGITS, ascii)]
    if isinstance(value, list | tuple):
        items = [" ".join(whole_value(v, ascii)) for v in value]
        return [f"{type(value).__name__} of {len(value)}", *items]
    return [str(value)]


def _shape_text(shape: tuple[int, ...], ascii: bool) -> str:
    return ("x" if ascii else "×").join(map(str, shape))


class HistoryEntry(NamedTuple):
    first: int  # iteration: 0 before the loop, iterations + 1 after it
    last: int  # the same value held from ``first`` to ``last``
    event: int  # the event after which it had this value
    value: Any


def history(t: Timeline, name: str) -> tuple[HistoryEntry, ...]:
    """``name``'s value before the loop, at the end of every iteration, and after the loop;
    iterations in which it was not assigned share one entry with the one before."""
    column = t.columns.get(name)
    if column is None or not len(column.events):
        return ()
    ends: list[tuple[int, int]] = []  # (iteration, last event of it)
    if t.iterations:
        if t.iteration_starts[0] > 0:
            ends.append((0, t.iteration_starts[0] - 1))
        ends += [(k + 1, t.iteration_ends[k] - 1) for k in range(t.iterations)]
        if t.iteration_ends[-1] < len(t):
            ends.append((t.iterations + 1, len(t) - 1))
    else:
        ends.append((0, len(t) - 1))
    entries: list[HistoryEntry] = []
    held = -1  # the column index of the value in the last entry
    for iteration, end in ends:
        k = bisect_right(column.events, end) - 1
        if k < 0:
            continue
        if k == held or (entries and _same(entries[-1].value, column.values[k])):
            entries[-1] = entries[-1]._replace(last=iteration, event=end)
        else:
            entries.append(HistoryEntry(iteration, iteration, end, column.values[k]))
            held = k
    return tuple(entries)


def _same(a: Any, b: Any) -> bool:
    """Equal numbers (or the same recorded object): one history entry."""
    if type(a) in _SCALARS and type(b) is type(a):
        return bool(a == b)
    return a is b


def iteration_label(first: int, last: int, iterations: int, t: Timeline | None = None) -> str:
    """How a history entry names its iterations: before the loop, 3, 4–9, after the loop
    (by the run's numbers, with ``t``: past capacity one entry can stand for several)."""

    def one(k: int, end: bool = False) -> str:
        if k == 0:
            return "before the loop" if iterations else "the whole run"
        if k > iterations:
            return "after the loop"
        if t is None:
            return str(k)
        numbers = t.numbers_of(k)
        return str(numbers[-1] if end else numbers[0])

    if first == last and (
        t is None or first in (0, iterations + 1) or len(t.numbers_of(first)) == 1
    ):
        return one(first)
    return f"{one(first)} – {one(last, end=True)}"


def entry_text(value: Any, ascii: bool = False) -> str:
    """One line for a value in the history: numbers in full precision would not line up."""
    if shape_of(value) is not None and not isinstance(value, ArraySummary):
        data = value.tolist() if hasattr(value, "tolist") else value
        return format_value(data, VALUE_DIGITS, ascii)
    return format_value(value, VALUE_DIGITS, ascii)


def iteration_key(t: Timeline, event: int) -> int:
    """The history's iteration of an event: 0 before the loop, iterations + 1 after it."""
    k = t.iteration(event)
    if k is not None:
        return k
    starts = t.iteration_starts
    return 0 if not starts or event < starts[0] else t.iterations + 1


def history_at(entries: tuple[HistoryEntry, ...], key: int) -> int | None:
    """The index of the entry holding iteration ``key`` (from ``iteration_key``), if any."""
    for k, entry in enumerate(entries):
        if entry.first <= key <= entry.last:
            return k
    return None


def in_focus(t: Timeline, event: int, back: int = 200) -> tuple[str, ...]:
    """The variables the values pane keeps in view at ``event``: those it assigned, else
    those the latest event before it that assigned any (a loop header, a print: the pane
    stays where it was, whichever way the learner came)."""
    for e in range(event, max(-1, event - back), -1):
        names = t.changed(e)
        if names:
            return tuple(names)
    return ()
