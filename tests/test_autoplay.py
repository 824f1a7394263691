"""Playback keeps its speed by the clock: a late tick steps every event that is due."""

from __future__ import annotations

from tutor.app.autoplay import SPEEDS, Autoplay


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Timer:
    def __init__(self, interval: float, callback) -> None:
        self.interval, self.callback, self.stopped = interval, callback, False

    def stop(self) -> None:
        self.stopped = True


def player(steps: list[int], end: int = 10_000):
    clock, timers = Clock(), []

    def set_interval(interval, callback):
        timers.append(Timer(interval, callback))
        return timers[-1]

    def tick(n: int) -> bool:
        steps.append(n)
        return sum(steps) < end

    return Autoplay(set_interval, tick, clock), clock, timers


def test_late_ticks_step_every_event_that_is_due():
    steps: list[int] = []
    play, clock, timers = player(steps)
    play.speed = SPEEDS.index(32)
    play.toggle()
    assert play.playing and timers[0].interval == 1 / 30  # frames capped at 30 per second
    clock.now += 0.25  # one slow frame: a quarter of a second went by
    timers[0].callback()
    assert steps == [8]
    clock.now += 0.01  # a tick before the next event is due steps nothing
    timers[0].callback()
    assert steps == [8]
    clock.now += 0.74
    timers[0].callback()
    assert sum(steps) == 32  # one second: 32 events, in however many frames


def test_slow_speeds_step_one_event_per_due_time_and_stop_at_the_end():
    steps: list[int] = []
    play, clock, timers = player(steps, end=3)
    play.toggle()  # 4 events per second
    for _ in range(12):
        clock.now += 0.25
        if play.playing:
            timers[-1].callback()
    assert steps == [1, 1, 1]
    assert not play.playing and timers[-1].stopped
