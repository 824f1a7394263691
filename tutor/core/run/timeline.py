"""The timeline: every executed line of a lesson, with the values after it ran.

Stored compactly so a million events fit in a few tens of megabytes: one line
number per event, and per variable only the events where it changed (with its
new value). Looking up any event is a binary search, so stepping costs the same
at event 10 and at event 1,000,000. Pure standard library: the UI process can
hold a timeline without importing numpy.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"  # unpickled as this module's one MISSING, so ``is MISSING`` holds


MISSING: Any = _Missing()  # a variable not assigned yet at that event


@dataclass(frozen=True)
class Opaque:
    """A value the recorder does not copy (an object, a long string): its type and a hint."""

    type: str
    hint: str = ""

    def __str__(self) -> str:
        return f"<{self.type}{' ' + self.hint if self.hint else ''}>"


@dataclass(frozen=True)
class Graph:
    """An object of the lesson's own class made from others, as a computation graph's node
    is: it keeps them in its ``parents``. Recorded as its ancestry, itself first: each
    node's identity while it lives (``keys``), its ``value`` and ``grad`` when they are
    numbers, and its parents (indexes into the same lists). What arrives from a run is
    only data: ``nodes()`` reads it defensively."""

    type: str
    keys: tuple[int, ...] = ()
    values: tuple[float | None, ...] = ()
    grads: tuple[float | None, ...] = ()
    parents: tuple[tuple[int, ...], ...] = ()

    def nodes(self) -> list[tuple[int, float | None, float | None, tuple[int, ...]]]:
        """(key, value, grad, parent indexes) per node; [] when the record is inconsistent."""
        n = len(self.keys)
        lists = (self.keys, self.values, self.grads, self.parents)
        if not all(isinstance(x, tuple) and len(x) == n for x in lists):
            return []
        out = []
        for key, value, grad, parents in zip(*lists, strict=True):
            if not isinstance(key, int) or not isinstance(parents, tuple):
                return []
            if not all(type(p) is int and 0 <= p < n for p in parents):
                return []
            out.append((key, _number(value), _number(grad), parents))
        return out

    def __str__(self) -> str:
        # (its value when the variable took it: a change made later inside the object,
        # such as a grad filled in by backward, is not a new assignment)
        value = _number(self.values[0]) if self.values else None
        return f"<{self.type}{'' if value is None else f' value {value:.4g}'}>"


def _number(value: Any) -> float | None:
    return float(value) if type(value) in (int, float) else None


@dataclass(frozen=True)
class ArraySummary:
    """A numpy array too large to record in full: its shape and a few statistics."""

    shape: tuple[int, ...]
    dtype: str
    min: float | None = None
    max: float | None = None
    mean: float | None = None

    def __str__(self) -> str:
        shape = "×".join(str(n) for n in self.shape)
        stats = (
            ""
            if self.min is None or self.max is None
            else f" min {self.min:.4g} max {self.max:.4g}"
        )
        return f"<array {shape} {self.dtype}{stats}>"


@dataclass
class Column:
    """One variable: the events where it changed, and the value it took there."""

    events: array[int]  # array('I'), increasing
    values: Sequence[Any]  # array('d'), array('q') or list, same length as events


@dataclass
class Timeline:
    """Recorded events of one run (0-based internally; shown to people as 1-based)."""

    lines: array[int] = field(default_factory=lambda: array("I"))
    columns: dict[str, Column] = field(default_factory=dict)
    anchors: dict[int, str] = field(default_factory=dict)  # line -> step id
    iteration_starts: array[int] = field(default_factory=lambda: array("I"))
    iteration_ends: array[int] = field(default_factory=lambda: array("I"))  # exclusive
    # The run's number of each iteration (empty: its position, 1, 2, 3…). Past capacity a
    # summary event can stand for several iterations; the numbers after it skip them.
    iteration_numbers: array[int] = field(default_factory=lambda: array("Q"))
    summaries: array[int] = field(default_factory=lambda: array("I"))  # events that stand for many
    output: list[tuple[int, str]] = field(default_factory=list)  # (event, text printed)
    output_dropped: int = 0  # characters of output not kept
    events_seen: int = 0  # lines executed, including those not kept

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def truncated(self) -> bool:
        return self.events_seen > len(self.lines)

    @property
    def iterations(self) -> int:
        return len(self.iteration_starts)

    @property
    def names(self) -> list[str]:
        return list(self.columns)

    def line(self, event: int) -> int:
        return self.lines[event]

    def step(self, event: int) -> str | None:
        return self.anchors.get(self.lines[event])

    def iteration(self, event: int) -> int | None:
        """The 1-based iteration an event belongs to, or None outside the training loop."""
        k = bisect_right(self.iteration_starts, event) - 1
        if k >= 0 and event < self.iteration_ends[k]:
            return k + 1
        return None

    def number(self, iteration: int) -> int:
        """The run's number of the 1-based ``iteration`` (its position, until a summary
        standing for several iterations); 0 stays 0 (before the loop)."""
        numbers = self.iteration_numbers
        return numbers[iteration - 1] if numbers and 1 <= iteration <= len(numbers) else iteration

    @property
    def run_iterations(self) -> int:
        """How many iterations the run went through (kept or summarised)."""
        return self.number(self.iterations)

    def numbers_of(self, iteration: int) -> range:
        """The run's iterations that the 1-based ``iteration`` stands for (one, but a
        summary past capacity can stand for several)."""
        first = self.number(iteration)
        following = self.number(iteration + 1) if iteration < self.iterations else first + 1
        return range(first, max(first + 1, following))

    def iteration_numbered(self, number: int) -> int:
        """The 1-based iteration that stands for the run's iteration ``number`` (the last one
        at or before it); 0 when it is before the first."""
        if not self.iteration_numbers:
            return max(0, min(number, self.iterations))
        return bisect_right(self.iteration_numbers, number)

    def iteration_span(self, iteration: int) -> range:
        """The events of a 1-based iteration."""
        k = iteration - 1
        return range(self.iteration_starts[k], self.iteration_ends[k])

    def is_summary(self, event: int) -> bool:
        k = bisect_right(self.summaries, event) - 1
        return k >= 0 and self.summaries[k] == event

    def value(self, name: str, event: int) -> Any:
        """The value of ``name`` after ``event`` ran (``MISSING`` if not assigned yet)."""
        column = self.columns[name]
        k = bisect_right(column.events, event) - 1
        return column.values[k] if k >= 0 else MISSING

    def values(self, event: int) -> dict[str, Any]:
        """Every variable assigned so far, after ``event`` ran; ``event=-1`` is the start."""
        result = {}
        for name, column in self.columns.items():
            k = bisect_right(column.events, event) - 1
            if k >= 0:
                result[name] = column.values[k]
        return result

    def changed(self, event: int) -> list[str]:
        """The variables that ``event`` assigned."""
        names = []
        for name, column in self.columns.items():
            k = bisect_right(column.events, event) - 1
            if k >= 0 and column.events[k] == event:
                names.append(name)
        return names

    def printed(self, event: int) -> str:
        """What the code printed while running ``event``."""
        return "".join(text for e, text in self.output if e == event)

    def output_text(self) -> str:
        return "".join(text for _, text in self.output)

    def nbytes(self) -> int:
        """Memory held by the event data (arrays, value lists and the values in them)."""
        import sys

        total = sys.getsizeof(self.lines)
        for column in self.columns.values():
            total += sys.getsizeof(column.events) + sys.getsizeof(column.values)
            if isinstance(column.values, list):
                total += sum(sys.getsizeof(v) for v in column.values)
        return total
