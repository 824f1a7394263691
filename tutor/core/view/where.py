"""The status line's position (step · event K/N · iteration I/M), and an event's iteration.

Light on purpose: the lesson screen's first frame shows the position before any run, and
must not wait for the view's other modules (the math, the drawing) to load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..run.timeline import Timeline

NOWHERE = "step: — · event 0/0 · iteration 0/0"


def where_in(t: Timeline | None, event: int) -> str:
    """The position of ``event`` in timeline ``t`` (``NOWHERE`` before a run or any event)."""
    if t is None or not len(t) or event < 0:
        return NOWHERE
    return (
        f"step: {t.step(event) or '—'} · event {event + 1}/{len(t)} · "
        f"iteration {t.number(iteration_of(t, event))}/{t.run_iterations}"
    )


def iteration_of(t: Timeline, event: int) -> int:
    """The iteration shown for an event: 0 before the loop, the last one after it."""
    k = t.iteration(event)
    if k is not None:
        return k
    starts = t.iteration_starts
    return 0 if not starts or event < starts[0] else t.iterations
