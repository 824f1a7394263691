"""The learner steps through a run while it still records (the timeline streams in).

The lesson below trains for 50 iterations, then waits for a file the test writes: until
then the run is still going (and records nothing more: the wait is untraced), so whatever
the screen shows is the events so far.
"""

from __future__ import annotations

from tutor.app import make_app
from tutor.app.screens.lesson import LessonScreen
from tutor.app.widgets.status import StatusLine
from tutor.core.lesson.load import load_lesson

from .conftest import GOOD_MD, settle_workers


def waiting_py(flag) -> str:
    return f"""\
import os
import time
x = 1.0
w = 0.5
for iteration in range(1, 51):
    y_hat = w * x  # step: predict
    w = w + 0.5  # step: update
def wait():  # untraced
    while not os.path.exists({str(flag)!r}):
        time.sleep(0.01)
wait()
done = w
"""


async def until(pilot, condition, tries=1500):
    for _ in range(tries):
        if condition():
            return True
        await pilot.pause(0.02)
    return condition()


async def test_stepping_starts_before_the_run_ends_and_keeps_its_place(
    make_lesson, tmp_path, tutor_home
):
    flag = tmp_path / "go"
    folder = make_lesson("01-waits", md=GOOD_MD, py=waiting_py(flag))
    app = make_app(None, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_lesson(load_lesson(folder))  # as the picker opens it
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        # The loop's 150 events arrive while the lesson waits: steppable, still recording.
        assert await until(
            pilot, lambda: screen.navigator is not None and len(screen.navigator) >= 150
        )
        assert screen.run is not None and screen.run.recording is not None
        status = screen.query_one(StatusLine)
        assert status.progress is not None and status.note.startswith("recording")
        assert "▕" in screen.query_one(StatusLine).render().plain  # the progress bar
        assert status.progress[0] == 1.0  # all 50 of range(1, 51) done
        await pilot.press("right", "right", "right")
        await pilot.pause()
        assert screen.navigator.event == 3
        assert "event 4/" in status.where
        await pilot.press("end")
        await pilot.pause()
        last_so_far = screen.navigator.event
        assert last_so_far >= 150 and "more are on the way" in status.note
        await pilot.press("home", "right", "right")
        flag.touch()  # the run ends: the finished run replaces the events so far
        assert await until(pilot, lambda: screen.run is not None and screen.run.finished)
        await settle_workers(pilot)
        assert screen.navigator.event == 2  # where the learner was, not moved
        assert status.progress is None and not status.note.startswith("recording")
        t = screen.run.timeline
        assert t.value("done", len(t) - 1) == 25.5
        assert "iteration 0/50" in status.where


async def test_a_lesson_that_runs_fast_is_shown_once_finished(make_lesson, tmp_path, tutor_home):
    """No flicker of half-runs: a run that ends before its first chunk is due is shown whole."""
    folder = make_lesson("01-fast")
    app = make_app(None, tmp_path)
    shown: list[bool] = []
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_lesson(load_lesson(folder))
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        screen = app.screen
        original = screen._finished

        def spy(run):
            shown.append(run.finished)
            original(run)

        screen._finished = spy  # type: ignore[method-assign]
        assert await until(pilot, lambda: screen.run is not None and screen.run.finished)
    assert shown and all(shown)


async def test_leaving_while_the_run_streams_cancels_it_and_nothing_reaches_the_gone_screen(
    make_lesson, tmp_path, tutor_home
):
    """Back to the picker while events stream in: the run is cancelled at once, and a chunk
    prepared just before (handed over after the screen started to go) is dropped, not drawn
    on widgets being removed."""
    flag = tmp_path / "never"
    folder = make_lesson("01-waits", md=GOOD_MD, py=waiting_py(flag))
    app = make_app(None, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_lesson(load_lesson(folder))
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        screen = app.screen
        assert await until(pilot, lambda: screen.run is not None and len(screen.run.timeline))
        recording = screen.run
        runner = app.runner
        await pilot.press("escape")
        assert await until(pilot, lambda: not screen.runs.queue.busy)
        assert not runner._running
        assert screen.runs.live(recording) is False  # a late hand-over: nothing drawn
        await pilot.pause()
        assert app.screen is not screen and not screen.is_attached
