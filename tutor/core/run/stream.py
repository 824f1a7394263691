"""The recorder's events as chunks, built while the lesson runs (in the run child, numpy).

``Streamer.chunk(upto)`` turns the recorder's main store, from the last chunk up to event
``upto``, into a ``Chunk`` in its final form: values that are no change dropped, the
training iterations found, the output of those events. It keeps what it needs from one
chunk to the next (the last value kept per variable, the iteration still open), so the
chunks of a run joined together equal a build of the whole run at once.

It runs on a thread of its own while the lesson's code appends to the store. That is safe
because the store only ever appends during a run, and an event's line is appended before
its values: every value of an event below ``len(lines) - 1`` is in place (``safe_end``).
A loop header whose next event is not recorded yet cannot be told apart (a new round, or
the loop's end): the chunk stops before it, and the next chunk starts there.
"""

from __future__ import annotations

import ast
import time
from array import array
from bisect import bisect_left
from typing import Any

from .build import changes, exhausted_headers, iteration_spans, kept, pack
from .chunk import Chunk
from .timeline import Column


class Streamer:
    def __init__(self, recorder: Any, source: str = "", scope: dict | None = None) -> None:
        self.recorder = recorder
        self.sent = 0  # events sent
        names = recorder.names
        self.taken = [(0, 0)] * len(names)  # per variable: store entries sent (list, floats)
        self.previous: list[Any] = [None] * len(names)  # per variable: the last value kept
        self.closed = 0  # iterations whose end is known (and sent)
        self.open_start = -1  # the start of the iteration still running (-1: none)
        self.first_number = 1  # the run's number of iteration ``closed`` (past capacity a
        self.open_rounds = 1  # summary stands for ``rounds`` iterations: the numbers skip)
        self.numbered = False  # numbers have been sent (they are no longer positions)
        self.output_sent = 0
        self.summaries_sent = 0
        self.started = time.perf_counter()
        self._scope = scope or {}
        self._source = source  # (parsed for the loop's range once the loop has started)
        self._expected = 0  # known once the loop has started (its bounds are set by then)

    def safe_end(self) -> int:
        """The events whose values are all in place while the lesson appends more."""
        return max(0, len(self.recorder.main.lines) - 1)

    def chunk(self, upto: int, final: bool = False) -> Chunk | None:
        """The events from the last chunk up to ``upto`` (None: nothing new to send yet)."""
        import numpy as np

        r = self.recorder
        a = self.sent
        lines = np.frombuffer(r.main.lines[a:upto], dtype=np.uint32)  # (a copy: the store grows)
        m = a + len(lines)
        if m <= a and not final:
            return None
        summaries = r.summaries[self.summaries_sent :]
        summaries = array("I", summaries[: bisect_left(summaries, m)])
        is_summary = np.zeros(len(lines), dtype=bool)
        is_summary[np.frombuffer(summaries, dtype=np.uint32) - a] = True
        exhausted, hold = {}, m
        for header, loop in r.cmap.for_loops.items():
            mask, undecided = exhausted_headers(np, lines, loop, is_summary, final)
            exhausted[header] = mask
            if undecided >= 0:
                hold = min(hold, a + undecided)
        if hold <= a and not final:
            return None
        any_exhausted = np.zeros(len(lines), dtype=bool)
        for mask in exhausted.values():
            any_exhausted |= mask
        columns: dict[str, Column] = {}
        store = r.main
        taken, previous = list(self.taken), list(self.previous)  # (kept only once all is built)
        for i, name in enumerate(r.names):
            took = _take(np, store, i, taken[i], hold)
            if took is None:
                continue
            events, values, kinds, taken[i] = took
            keep, previous[i] = changes(np, events, values, any_exhausted, a, previous[i], kinds)
            if keep is not None:
                events, values = kept(np, events, keep), kept(np, values, keep)
                if len(kinds) > 1 or not values:  # (one kind before: the same one after)
                    kinds = set(map(type, values))
            if events:
                columns[name] = Column(events, pack(values, kinds))
        n = hold - a
        iteration_from, starts, ends, closed, open_start = self._iterations(
            np, lines[:n], columns, exhausted, is_summary[:n], final
        )
        sent_summaries = array("I", summaries[: bisect_left(summaries, hold)])
        rounds = r.summary_rounds[self.summaries_sent : self.summaries_sent + len(sent_summaries)]
        numbers, number_state = self._numbers(
            np, starts, closed, open_start, sent_summaries, rounds
        )
        output = r.output.chunks[self.output_sent :] if r.output is not None else []
        k = bisect_left(output, hold, key=lambda chunk: chunk[0])
        if not self._expected and (closed or open_start >= 0):  # the loop has started
            self._expected = _range_length(_loop_call(self._source, r.loop), self._scope)
            self._source = ""  # (asked once)
        chunk = Chunk(
            start=a,
            lines=array("I", lines[:n].tobytes()) if n else array("I"),
            columns=columns,
            iteration_from=iteration_from,
            iteration_starts=starts,
            iteration_ends=ends,
            iteration_numbers=numbers,
            summaries=sent_summaries,
            output=list(output[:k]),
            anchors=dict(r.cmap.anchors) if a == 0 else {},
            names=tuple(r.names),
            events_seen=r.events_seen(),
            output_dropped=r.output.dropped if r.output is not None else 0,
            iterations_expected=self._expected,
            elapsed=time.perf_counter() - self.started,
            last=final,
        )
        # Everything is built: the next chunk starts where this one ends.
        self.taken, self.previous, self.closed, self.open_start = (
            taken,
            previous,
            closed,
            open_start,
        )
        self.first_number, self.open_rounds, self.numbered = number_state
        self.output_sent += k
        self.summaries_sent += len(sent_summaries)
        self.sent = hold
        return chunk

    def _numbers(self, np, starts, closed, open_start, summaries, rounds):
        """The run's number of each iteration sent (empty while every one is its position:
        past capacity, a summary can stand for several iterations), and the state after.

        Each iteration's number is the one before plus the rounds the one before stands
        for: 1, a summary's rounds, or (the iteration still open) the rounds known for it."""
        count = len(starts)
        begins = np.frombuffer(starts, dtype=np.uint32).astype(np.int64)
        steps = np.ones(count, dtype=np.int64)
        if len(summaries) and count:
            at = np.frombuffer(summaries, dtype=np.uint32).astype(np.int64)
            pos = np.minimum(np.searchsorted(begins, at), count - 1)
            hit = begins[pos] == at
            steps[pos[hit]] = np.maximum(1, np.asarray(rounds, dtype=np.int64)[hit])
        if self.open_start >= 0:
            steps[begins == self.open_start] = self.open_rounds
        numbers = self.first_number + np.concatenate(([0], np.cumsum(steps)[:-1]))[:count]
        if open_start >= 0:  # the last one goes on: the next chunk numbers it again
            rounds_open = self.open_rounds if open_start == self.open_start else 1
            rounds_at = dict(zip(summaries, rounds, strict=True))
            first, last_rounds = int(numbers[-1]), max(1, rounds_at.get(open_start, rounds_open))
        else:
            first, last_rounds = self.first_number + int(steps.sum()), 1
        positions = self.closed + 1 + np.arange(count, dtype=np.int64)
        numbered = self.numbered or bool((numbers != positions).any())
        kept = array("Q", numbers.astype(np.uint64).tobytes()) if numbered else array("Q")
        return kept, (first, last_rounds, numbered)

    def _iterations(self, np, lines, columns, exhausted, is_summary, final):
        """The iterations from the first one still open: (its index, starts, ends)."""
        loop, a = self.recorder.loop, self.sent
        start_from = self.closed
        if loop is None or loop.var not in self.recorder.names:
            return start_from, array("I"), array("I"), self.closed, self.open_start
        column = columns.get(loop.var)
        bound = column.events if column is not None else array("I")
        mask = exhausted[loop.line][: len(lines)]
        starts, ends, still_open = iteration_spans(
            np, lines, loop, bound, mask, is_summary, a, self.open_start, final
        )
        closed = self.closed + len(starts) - (1 if still_open else 0)
        return start_from, starts, ends, closed, starts[-1] if still_open else -1


def _take(np, store: Any, i: int, taken: tuple[int, int], hold: int):
    """Variable ``i``'s entries from ``taken`` to event ``hold``: (events, values, their
    kinds, taken after), its floats and its other values merged in event order (None:
    none). Event numbers are read before values: every value of an event below ``hold``
    is in place by then (``safe_end``)."""
    start, fstart = taken
    events = store.events[i][start:]
    events = events[: bisect_left(events, hold)]
    fevents = store.float_events[i][fstart:]
    fevents = fevents[: bisect_left(fevents, hold)]
    count, fcount = len(events), len(fevents)
    after = (start + count, fstart + fcount)
    if not fcount:
        if not count:
            return None
        values: Any = store.values[i][start : start + count]
        return events, values, set(map(type, values)), after
    floats = store.floats[i][fstart : fstart + fcount]
    if not count:  # floats only (the common case): nothing to look at one by one
        return fevents, floats, {float}, after
    others = store.values[i][start : start + count]
    both = np.concatenate(
        [np.frombuffer(fevents, dtype=np.uint32), np.frombuffer(events, dtype=np.uint32)]
    )
    order = np.argsort(both, kind="stable")
    merged = array("I", both[order].tobytes())
    combined = floats.tolist() + others
    values = [combined[k] for k in order.tolist()]
    return merged, values, set(map(type, values)), after


def _loop_call(source: str, loop: Any) -> ast.Call | None:
    """The training loop's ``range(…)``, if it loops over one."""
    if loop is None or not source:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.For) and node.lineno == loop.line:
            call = node.iter
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == "range"
                and not call.keywords
                and 1 <= len(call.args) <= 3
            ):
                return call
    return None


def _range_length(call: ast.Call | None, scope: dict) -> int:
    """How many rounds the training loop has, when it is ``for … in range(…)`` over numbers
    the lesson's module has set (0 when that is not known: the status shows events only)."""
    if call is None:
        return 0
    try:
        return len(range(*(_number(arg, scope) for arg in call.args)))
    except (ValueError, TypeError, RecursionError, OverflowError, MemoryError):
        return 0


def _number(node: ast.AST, scope: dict) -> int:
    """A small integer expression of constants and the module's int names; else ValueError."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    value = scope.get(node.id) if isinstance(node, ast.Name) else None
    if type(value) is int:
        return int(value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_number(node.operand, scope)
    if isinstance(node, ast.BinOp):
        left, right = _number(node.left, scope), _number(node.right, scope)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult) and abs(left * right) < 1 << 62:
            return left * right
        if isinstance(node.op, ast.FloorDiv) and right:
            return left // right
    raise ValueError("not a number the tutor can read before the loop runs")
