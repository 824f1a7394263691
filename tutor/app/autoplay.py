"""Play: step forward on a timer at one of a few speeds, until the end or a pause.

The speed is kept by the clock, not by the timer: each tick steps as many events as are due
since play started, so a slow frame makes the next tick step two events (a frame is skipped,
never an event's time).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

SPEEDS = (1, 2, 4, 8, 16, 32)  # events per second


class Autoplay:
    """``tick(n)`` steps ``n`` events (those due now) while playing; it returns False to stop."""

    def __init__(
        self,
        set_interval: Callable[..., Any],
        tick: Callable[[int], bool],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._set_interval = set_interval
        self._tick = tick
        self._clock = clock
        self._timer: Any = None
        self._started = 0.0
        self._stepped = 0
        self.speed = 2  # index into SPEEDS

    @property
    def playing(self) -> bool:
        return self._timer is not None

    @property
    def rate(self) -> int:
        return SPEEDS[self.speed]

    def toggle(self) -> None:
        if self._timer is not None:
            self.stop()
        else:
            self._started, self._stepped = self._clock(), 0
            self._timer = self._set_interval(1 / min(self.rate, 30), self._step)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def change(self, delta: int) -> None:
        """Faster (+1) or slower (-1); a running timer follows at once."""
        self.speed = max(0, min(len(SPEEDS) - 1, self.speed + delta))
        if self._timer is not None:
            self.stop()
            self.toggle()

    def _step(self) -> None:
        due = int((self._clock() - self._started) * self.rate) - self._stepped
        if due <= 0:
            return
        self._stepped += due
        if not self._tick(due):
            self.stop()
