"""Where the learner is in a timeline, and how each stepping key moves it.

A position is an event plus how many lines of its step's equations are shown.
The first event of a derivation step (one line of code, many equations) reveals the
derivation one line per ``next()``; a step of many lines shows each equation from the
line that computes it; every other event shows its equations whole, and so does every
event of a ``.together`` step (independent equations: no reveal stops). Moves form one fixed
order, so stepping back always returns exactly to where the learner was.
Pure Python, no UI: the screen asks it where to go and then draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .lesson.model import Lesson
from .run.timeline import Timeline


@dataclass(frozen=True)
class Position:
    event: int  # 0-based; -1 when the timeline is empty
    revealed: int  # equation lines of the event's step shown


@dataclass(frozen=True)
class Place:
    """Where the learner is, in terms that survive a rerun of changed code."""

    step: str | None
    iteration: int | None
    event: int


def reveal_points(lesson: Lesson, timeline: Timeline) -> dict[int, int]:
    """Where a derivation is revealed one line per ``next()``: the first event of each line
    of code that computes more than one equation, and how many of its step's equations
    show on arriving there (those of the step's earlier lines, and the first of its own)."""
    reveal_at: dict[int, int] = {}
    lines = timeline.lines
    by_line = shown_by_line(lesson)
    for step in lesson.steps:
        if not step.is_derivation:
            continue
        before = 0
        for line in sorted(step.lines):
            upto = by_line.get(line, len(step.equations))
            first = _index(lines, line) if upto - before > 1 else None
            if first is not None:
                reveal_at[first] = before + 1
            before = upto
    return reveal_at


def shown_by_line(lesson: Lesson) -> dict[int, int]:
    """How many of its step's equations show when each line runs: those up to the last
    one that line computes (a step of one line: all of them), so each equation appears
    with the line that computes it."""
    from .equation.verify import equations_for_line

    shown: dict[int, int] = {}
    for step in lesson.steps:
        if len(step.lines) < 2 or not step.equations or step.together:
            continue  # (a ``.together`` step shows all of its equations at every line)
        upto = 0
        for line in sorted(step.lines):
            at = [step.equations.index(c.source) for c in equations_for_line(lesson, line)]
            upto = max([upto, *(k + 1 for k in at)])
            shown[line] = upto or len(step.equations)
    return shown


class Navigator:
    """Stepping through one timeline of one lesson."""

    def __init__(self, lesson: Lesson, timeline: Timeline) -> None:
        self.lesson = lesson
        self.timeline = timeline
        self.equations = {step.id: len(step.equations) for step in lesson.steps}
        self.reveal_at = reveal_points(lesson, timeline)
        self.shown_at = shown_by_line(lesson)
        self.position = self._arrive(0) if len(timeline) else Position(-1, 0)

    # -- what is where ------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.timeline)

    @property
    def event(self) -> int:
        return self.position.event

    def full(self, event: int) -> int:
        step = self.timeline.step(event)
        if not step:
            return 0
        return self.shown_at.get(self.timeline.line(event), self.equations.get(step, 0))

    def _arrive(self, event: int) -> Position:
        """The position on first reaching ``event`` moving forwards."""
        return Position(event, self.reveal_at.get(event) or self.full(event))

    def iteration_of(self, event: int) -> int:
        """The iteration shown for an event: 0 before the loop, the last one after it."""
        k = self.timeline.iteration(event)
        if k is not None:
            return k
        starts = self.timeline.iteration_starts
        if not starts or event < starts[0]:
            return 0
        return self.timeline.iterations

    def place(self) -> Place | None:
        """The position as step, iteration and event (None on an empty timeline)."""
        if not len(self.timeline):
            return None
        event = self.event
        return Place(self.timeline.step(event), self.timeline.iteration(event), event)

    def land(self, place: Place | None, resume: int | None = None) -> bool:
        """After a rerun: the same step in the same iteration if it still exists, else the
        same event number; with no place, the saved event ``resume`` (else the start)."""
        if place is None:
            return self.goto_event(resume) if resume is not None else False
        t = self.timeline
        k = place.iteration
        if place.step is not None and k is not None and k <= t.iterations:
            for i in t.iteration_span(k):
                if t.step(i) == place.step:
                    return self.goto_event(i)
        return self.goto_event(place.event)

    def follow(
        self,
        old: Navigator | None,
        going_on: bool,
        landed: Position | None,
        resume: int | None,
        recording: bool,
    ) -> Position | None:
        """Where the learner is once a run (or more of a run still recording) arrives, after
        ``old`` showed the run before (or the events so far: ``going_on``). A learner who
        moved stays where they are; otherwise this lands where they left off: the same step
        of the same iteration after a rerun, else the saved event ``resume`` (reached once
        the run has recorded that far). Returns where it landed while the run records (the
        next call tells from it whether the learner has moved since), else None."""
        if old is not None and going_on and old.position != landed:
            self.position = old.position  # the learner moved: stay there
            return landed if recording else None
        self.land(old.place() if old is not None and not going_on else None, resume)
        return self.position if recording else None

    # -- moves: each returns True when the position changed ----------------------------
    def _go(self, position: Position) -> bool:
        changed = position != self.position
        self.position = position
        return changed

    def next(self) -> bool:
        event, revealed = self.position.event, self.position.revealed
        if event < 0:
            return False
        if revealed < self.full(event):
            return self._go(Position(event, revealed + 1))
        if event + 1 < len(self.timeline):
            return self._go(self._arrive(event + 1))
        return False

    def previous(self) -> bool:
        event, revealed = self.position.event, self.position.revealed
        if event < 0:
            return False
        if revealed > self.reveal_at.get(event, revealed):
            return self._go(Position(event, revealed - 1))
        if event > 0:
            return self._go(Position(event - 1, self.full(event - 1)))
        return False

    def first(self) -> bool:
        return len(self.timeline) > 0 and self._go(self._arrive(0))

    def last(self) -> bool:
        n = len(self.timeline)
        return n > 0 and self._go(Position(n - 1, self.full(n - 1)))

    def goto_event(self, event: int) -> bool:
        if not len(self.timeline):
            return False
        event = max(0, min(event, len(self.timeline) - 1))
        return self._go(Position(event, self.full(event)))

    def goto_iteration(self, iteration: int) -> bool:
        """The same line (else the same step, else the start) in iteration ``iteration``."""
        t = self.timeline
        if not t.iterations or not 1 <= iteration <= t.iterations:
            return False
        span = t.iteration_span(iteration)
        event = self.position.event
        target = None
        if event >= 0:
            target = _index(t.lines, t.line(event), span.start, span.stop)
            step = self.lesson.step(t.step(event) or "")
            if target is None and step is not None:
                hits = [_index(t.lines, line, span.start, span.stop) for line in step.lines]
                target = min((i for i in hits if i is not None), default=None)
        return self.goto_event(span.start if target is None else target)

    def next_iteration(self) -> bool:
        if self.position.event < 0:
            return False
        k = self.timeline.iteration(self.position.event)
        if k is None:
            starts = self.timeline.iteration_starts
            if starts and self.position.event < starts[0]:
                return self.goto_iteration(1)
            return False
        return self.goto_iteration(k + 1)

    def previous_iteration(self) -> bool:
        if self.position.event < 0:
            return False
        k = self.timeline.iteration(self.position.event)
        if k is None:
            if self.timeline.iterations and self.iteration_of(self.position.event):
                return self.goto_iteration(self.timeline.iterations)
            return False
        return self.goto_iteration(k - 1)


def _index(lines: Sequence[int], line: int, start: int = 0, stop: int | None = None) -> int | None:
    """The first event at ``line`` in ``[start, stop)`` (a C-speed scan of the line array)."""
    try:
        return lines.index(line, start, len(lines) if stop is None else stop)
    except ValueError:
        return None
