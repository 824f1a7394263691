"""Play: step forward on a timer at one of a few speeds, until the end or a pause."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SPEEDS = (1, 2, 4, 8, 16, 32)  # events per second


class Autoplay:
    """``tick`` is called at the current speed while playing; it returns False to stop."""

    def __init__(self, set_interval: Callable[..., Any], tick: Callable[[], bool]) -> None:
        self._set_interval = set_interval
        self._tick = tick
        self._timer: Any = None
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
            self._timer = self._set_interval(1 / self.rate, self._step)

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
        if not self._tick():
            self.stop()
