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
from tutor.core.lesson.load import load_lesson  # noqa: E402
from tutor.core.workspace import Workspace  # noqa: E402

# Shown as a learner sees lesson 01 after doing its exercise (the gradient line).
_lesson = load_lesson(HERE.parent / "lessons" / "01-one-neuron")
Workspace().save(_lesson.id, _lesson.solved_source(), _lesson.source)


async def wait_for_timeline(pilot) -> LessonScreen:
    for _ in range(500):
        screen = pilot.app.screen
        if isinstance(screen, LessonScreen) and screen.navigator is not None:
            break
        await pilot.pause(0.02)
    await pilot.pause(0.5)  # the lesson text fills in
    return pilot.app.screen


async def shoot(name: str, size: tuple[int, int], keys: list[str], lesson: str | None = "01") -> None:
    app = make_app(lesson)
    async with app.run_test(size=size) as pilot:
        if lesson:
            await wait_for_timeline(pilot)
        else:
            await pilot.pause(0.3)
        for key in keys:
            await pilot.press(key)
        await pilot.pause(0.3)
        app.save_screenshot(str(HERE / f"{name}.svg"))
        print(f"wrote docs/{name}.svg")


async def main() -> None:
    await shoot("picker", (100, 20), [], lesson=None)
    # The gradient step of the first iteration, its derivation fully revealed.
    await shoot("lesson-120x36", (120, 36), ["right"] * 11)
    await shoot("lesson-80x24", (80, 24), ["right"] * 11)
    await shoot("lesson-05-boundary", (120, 36), ["end"], lesson="05")


asyncio.run(main())
