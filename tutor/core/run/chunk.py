"""A piece of a timeline, sent while the lesson still runs, and how it joins the rest.

The run child records and the learner steps at the same time: every fraction of a second
the child sends a ``Chunk``, the events recorded since the last one, in their final form
(the same changes, iterations and output a whole-run build gives). Chunks only ever append:
an event, once sent, keeps its number, its line and its values. Only the last training
iteration's end may move (it is still running), so each chunk restates the iterations from
the first one that was still open.

Pure standard library: the UI process joins chunks without numpy. A chunk comes from the
run child, where lesson code runs, so ``extend`` checks its shape before taking it: a
malformed chunk raises ``ValueError`` and nothing of it is added.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from operator import le
from typing import Any

from .timeline import Column, Timeline


@dataclass
class Chunk:
    """Events ``start`` to ``start + len(lines)`` of a run, and what the run did so far."""

    start: int
    lines: array[int] = field(default_factory=lambda: array("I"))
    columns: dict[str, Column] = field(default_factory=dict)  # entries of these events only
    iteration_from: int = 0  # the iterations below stay as they are; from it on, these:
    iteration_starts: array[int] = field(default_factory=lambda: array("I"))
    iteration_ends: array[int] = field(default_factory=lambda: array("I"))
    iteration_numbers: array[int] = field(default_factory=lambda: array("Q"))  # (see Timeline)
    summaries: array[int] = field(default_factory=lambda: array("I"))
    output: list[tuple[int, str]] = field(default_factory=list)
    anchors: dict[int, str] = field(default_factory=dict)
    names: tuple[str, ...] = ()  # every variable recorded, in the order columns are kept
    events_seen: int = 0  # lines executed so far, including those not kept
    output_dropped: int = 0
    iterations_expected: int = 0  # the training loop's length when known (0: not known)
    elapsed: float = 0.0  # seconds since the run started
    last: bool = False  # the run's last chunk: its result comes next


def _uints(value: Any, what: str) -> array[int]:
    if type(value) is not array or value.typecode != "I":
        raise ValueError(f"a chunk's {what} is not an array of event numbers")
    return value


def extend(timeline: Timeline, chunk: Chunk, adopt: bool = False) -> None:
    """Append ``chunk`` to ``timeline`` in place; ``ValueError`` (nothing added) if malformed.

    ``adopt``: the chunk is not used again, so its arrays become the timeline's (no copy)."""
    if type(chunk) is not Chunk or chunk.start != len(timeline.lines):
        raise ValueError("a chunk that does not follow the events received")
    lines = _uints(chunk.lines, "lines")
    end = chunk.start + len(lines)
    staged: list[tuple[str, array[int], Any]] = []
    for name, column in chunk.columns.items():
        events = _uints(column.events, "events")
        values = column.values
        if type(name) is not str or type(values) not in (array, list) or len(values) != len(events):
            raise ValueError("a chunk column whose events and values do not match")
        if events and not (chunk.start <= events[0] and events[-1] < end):
            raise ValueError("a chunk column with events outside the chunk")
        staged.append((name, events, values))
    starts = _uints(chunk.iteration_starts, "iteration starts")
    ends = _uints(chunk.iteration_ends, "iteration ends")
    if (
        len(starts) != len(ends)
        or not 0 <= chunk.iteration_from <= len(timeline.iteration_starts)
        or not all(map(le, starts, ends))
        or (ends and max(ends) > end)
    ):
        raise ValueError("a chunk with iterations that do not fit its events")
    numbers = chunk.iteration_numbers
    if (
        type(numbers) is not array
        or numbers.typecode != "Q"
        or len(numbers) != (len(starts) if numbers or timeline.iteration_numbers else 0)
    ):
        raise ValueError("a chunk whose iteration numbers do not match its iterations")
    summaries = _uints(chunk.summaries, "summaries")
    if summaries and not (chunk.start <= summaries[0] and summaries[-1] < end):
        raise ValueError("a chunk with summaries outside its events")
    output = chunk.output
    if type(output) is not list or not all(
        type(o) is tuple and len(o) == 2 and type(o[0]) is int and type(o[1]) is str for o in output
    ):
        raise ValueError("a chunk whose output is not text")

    if adopt and not timeline.lines:
        timeline.lines = lines
    else:
        timeline.lines.extend(lines)
    new = False
    for name, events, values in staged:
        if name not in timeline.columns:
            timeline.columns[name] = (
                Column(events, values) if adopt else Column(array("I", events), _own(values))
            )
            new = True
            continue
        column = timeline.columns[name]
        column.events.extend(events)
        old = column.values
        if type(old) is array and type(values) is array and old.typecode == values.typecode:
            old.extend(values)
        else:  # kinds differ (floats, then an array): a plain list holds both
            column.values = [*old, *values]
    if new and type(chunk.names) is tuple:  # the order of a whole run's build, always
        order = {name: k for k, name in enumerate(chunk.names)}
        timeline.columns = dict(
            sorted(timeline.columns.items(), key=lambda item: order.get(item[0], len(order)))
        )
    del timeline.iteration_starts[chunk.iteration_from :]
    del timeline.iteration_ends[chunk.iteration_from :]
    timeline.iteration_starts.extend(starts)
    timeline.iteration_ends.extend(ends)
    known = timeline.iteration_numbers
    if numbers or known:  # (else every iteration's number is its position)
        if not known:
            known.extend(range(1, chunk.iteration_from + 1))
        del known[chunk.iteration_from :]
        known.extend(numbers)
    timeline.summaries.extend(summaries)
    timeline.output.extend(output)
    if chunk.start == 0 and type(chunk.anchors) is dict:
        timeline.anchors = {k: v for k, v in chunk.anchors.items() if type(v) is str}
    # How many lines ran: known when the run has ended (its last chunk); until then, only
    # that the events received ran (the chunk's count, for the progress bar, runs ahead).
    timeline.events_seen = max(int(chunk.events_seen) if chunk.last else 0, len(timeline.lines))
    timeline.output_dropped = int(chunk.output_dropped)


def _own(values: Any) -> Any:
    return array(values.typecode, values) if type(values) is array else list(values)


def copy(timeline: Timeline) -> Timeline:
    """A copy the recording can go on extending without changing it (for the screen)."""
    return Timeline(
        lines=array("I", timeline.lines),
        columns={
            name: Column(array("I", c.events), _own(c.values))
            for name, c in timeline.columns.items()
        },
        anchors=timeline.anchors,
        iteration_starts=array("I", timeline.iteration_starts),
        iteration_ends=array("I", timeline.iteration_ends),
        iteration_numbers=array("Q", timeline.iteration_numbers),
        summaries=array("I", timeline.summaries),
        output=list(timeline.output),
        output_dropped=timeline.output_dropped,
        events_seen=timeline.events_seen,
    )
