"""The screen is a function of the position: random key walks, the same screen at the same place.

Whenever a walk comes back to a position it has been at, every pane must show
exactly what it showed there before, whatever keys led there. (Only the status
line's note may differ: "last event: ← steps back" answers the key, not the place.)
"""

from __future__ import annotations

import random

import pytest

from tutor.app import make_app
from tutor.app.widgets.status import StatusLine

from .conftest import wait_for_lesson as ready

KEYS = ["right"] * 6 + ["left"] * 4 + ["right_square_bracket", "left_square_bracket"] * 2
KEYS += ["home", "end", "g"]
SETTLE = 0.2  # the lesson pane follows the step 0.12 s after the last key


def screen_text(app) -> list[str]:
    """Every row of the screen as drawn, but the status line (its note answers the key)."""
    update = app.screen._compositor.render_full_update()
    rows = ["".join(segment.text for segment in strip) for strip in update.strips]
    return rows[1:]


async def walk(pilot, rng: random.Random, steps: int, iterations: int) -> int:
    app = pilot.app
    screen = await ready(pilot)
    app.clear_notifications()
    seen: dict = {}
    repeats = 0
    for _ in range(steps):
        key = rng.choice(KEYS)
        if key == "g":
            await pilot.press("g")
            await pilot.pause()
            await pilot.press(*str(rng.randint(1, iterations)), "enter")
        else:
            await pilot.press(key)
        await pilot.pause(SETTLE)
        await app.workers.wait_for_complete()
        await pilot.pause()
        position = screen.navigator.position
        shown = (screen.query_one(StatusLine).where, screen_text(app))
        if position in seen:
            repeats += 1
            before = seen[position]
            assert shown[0] == before[0], position
            for row, (now, then) in enumerate(zip(shown[1], before[1], strict=True)):
                assert now == then, f"{position}: row {row + 1} differs\n{then}\n{now}"
        seen[position] = shown
    return repeats


@pytest.mark.parametrize(("lesson", "seed"), [("01", 1), ("05", 2)])
async def test_random_key_walks_show_the_same_screen_at_the_same_position(tutor_home, lesson, seed):
    app = make_app(lesson)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(pilot)
        iterations = screen.navigator.timeline.iterations
        repeats = await walk(pilot, random.Random(seed), 45, iterations)
    assert repeats >= 5  # the walk came back often enough to prove something
