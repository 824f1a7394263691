"""Which lesson section an event shows: a function of the event alone, never of the path
to it (the lesson pane shows it; the random key walks check it)."""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .moment import Run

END = "end"  # the section of a finished run's last event: the lesson's closing words


def section_of(run: Run, event: int) -> str:
    """The lesson section of an event (a function of the event alone, never of the path to it):

    - the last event of a run that finished: ``END``, the lesson's closing words;
    - an anchored line: its step;
    - a ``for`` header going round again, or a line of an iteration before its first
      anchored line: the step that round goes on to (the next anchored event in it);
    - else the step of the last anchored event before it, else the intro.
    """
    t = run.timeline
    if run.finished and run.error is None and not t.truncated and event == len(t) - 1:
        return END
    step = t.step(event)
    if step:
        return step
    k = bisect_right(run.anchored, event)  # the first anchored event after this one
    if k < len(run.anchored) and _goes_on_to(run, event, run.anchored[k], k):
        return t.step(run.anchored[k]) or "intro"
    if k == 0:
        return "intro"
    return t.step(run.anchored[k - 1]) or "intro"


def _goes_on_to(run: Run, event: int, after: int, k: int) -> bool:
    """Whether unanchored ``event`` starts the round of code that anchored ``after`` is in."""
    t, line = run.timeline, run.timeline.line(event)
    end = run.loops.get(line)
    if end is not None:  # a loop header: does the loop go round again, up to ``after``?
        inside = range(line + 1, end + 1)
        if event + 1 >= len(t) or t.line(event + 1) not in inside or t.line(after) not in inside:
            return False
        try:  # the header again before ``after``: that round ran no anchored line
            t.lines.index(line, event + 1, after)
            return False
        except ValueError:
            return True
    iteration = t.iteration(event)
    if iteration is None:
        return False
    span = t.iteration_span(iteration)
    return after < span.stop and (k == 0 or run.anchored[k - 1] < span.start)
