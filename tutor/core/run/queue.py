"""Which run starts when: one at a time, and at most one waiting (the latest code asked for).

Pure bookkeeping for the lesson screen: five ctrl+r presses on an endless loop
start one run, not five queued ones; an edit asked for while a run goes on
waits (the older code's run is worth cancelling: the screen decides).
"""

from __future__ import annotations

from enum import Enum


class Ask(Enum):
    START = "start"  # nothing is running: start this code now
    QUEUED = "queued"  # other code is running: this waits (replacing any code waiting)
    SAME = "same"  # this very code is running or waiting already: nothing to do


class RunQueue:
    def __init__(self) -> None:
        self.running: str | None = None  # the code being run
        self.waiting: str | None = None  # the code to run next
        self.last: str | None = None  # the code of the last run that finished (or stopped)

    def ask(self, source: str) -> Ask:
        """The learner asked to run ``source``."""
        if self.running is None:
            self.running = source
            return Ask.START
        if source == self.running:
            self.waiting = None  # the code asked for is the code running
            return Ask.SAME
        if source == self.waiting:
            return Ask.SAME
        self.waiting = source
        return Ask.QUEUED

    def done(self) -> str | None:
        """The run finished: the code to start next (now running), or None."""
        self.last, self.running = self.running, None
        following, self.waiting = self.waiting, None
        if following is not None:
            self.running = following
        return following

    @property
    def busy(self) -> bool:
        return self.running is not None
