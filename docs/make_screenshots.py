"""Regenerate the SVG screenshots the README shows: python docs/make_screenshots.py"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ["NN_TUTOR_HOME"] = tempfile.mkdtemp()  # never touch the real progress

from tutor.app import make_app  # noqa: E402
from tutor.app.screens.lesson import LessonScreen  # noqa: E402
from tutor.core.datafiles import data_dir  # noqa: E402
from tutor.core.progress import Progress  # noqa: E402


async def wait_for_timeline(pilot) -> LessonScreen:
    for _ in range(500):
        screen = pilot.app.screen
        if isinstance(screen, LessonScreen) and screen.navigator is not None:
            break
        await pilot.pause(0.02)
    await pilot.pause(0.5)  # the lesson text fills in
    return pilot.app.screen


async def shoot(
    name: str, size: tuple[int, int], keys: list[str], lesson: str | None = "01"
) -> None:
    (data_dir() / Progress.FILE).unlink(missing_ok=True)  # each shot opens the lesson afresh
    app = make_app(lesson)
    async with app.run_test(size=size) as pilot:
        if lesson:
            await wait_for_timeline(pilot)
        else:
            await pilot.pause(0.3)
        for key in keys:
            if key == "ran":  # wait for the rerun a key started (t)
                screen = app.screen
                for _ in range(500):
                    await pilot.pause(0.02)
                    if not screen.runs.queue.busy:
                        break
                await pilot.pause(0.3)
                continue
            if key.startswith("#"):  # focus a pane by its id
                app.screen.query_one(key).focus()
                await pilot.pause(0.1)
                continue
            await pilot.press(key)
        await pilot.pause(0.3)
        app.save_screenshot(str(HERE / f"{name}.svg"))
        print(f"wrote docs/{name}.svg")


async def main() -> None:
    # What a new learner sees: the picker, then lesson 01 as it comes.
    await shoot("picker", (100, 20), [], lesson=None)
    # How the loss reacts to the guess: a derivative, its numbers plugged in and checked.
    await shoot("lesson-120x36", (120, 36), ["right"] * 10)
    # Try it yourself: t blanks the gradient line, the step says so, h gives a hint.
    await shoot("lesson-120x36-exercise", (120, 36), ["t", "ran", "h"])
    # Predict: stepping onto the first update asks for w before it is shown.
    await shoot("lesson-120x36-predict", (120, 36), ["right"] * 15)
    await shoot("lesson-80x24", (80, 24), [])  # a small screen opens on the lesson text
    await shoot("lesson-80x24-code", (80, 24), ["right"] * 9 + ["l"])
    await shoot("lesson-200x60", (200, 60), ["right"] * 30)
    await shoot("lesson-05-boundary", (120, 36), ["end"], lesson="05")
    # Lesson 09 draws the graph of nodes its code built: the network pane, filling the screen.
    await shoot("lesson-09-graph", (120, 36), ["end", "#network", "m"], lesson="09")


asyncio.run(main())
