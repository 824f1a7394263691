"""The picker beside bad lessons (Pilot): it lists every lesson, the bad ones disabled with
their problem, and the good one opens and runs."""

from __future__ import annotations

import pytest

from tutor.app import make_app
from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.picker import PickerScreen

from .bad_lessons import BAD, DANGEROUS, collection, unblocked_fifos
from .conftest import settle_workers, wait_for_lesson

WIDE = (120, 36)
IN_PROCESS = [name for name in BAD if name not in DANGEROUS or name == "fifo"]

pytestmark = pytest.mark.usefixtures("tutor_home")


async def test_the_picker_lists_the_good_lesson_beside_bad_ones_and_opens_it(tmp_path):
    root = collection(tmp_path / "lessons", IN_PROCESS)
    with unblocked_fifos(root):
        app = make_app(lessons_dir=root)
        async with app.run_test(size=WIDE) as pilot:
            await pilot.pause()
            picker = app.screen
            assert isinstance(picker, PickerScreen)
            options = {o.id: o for o in picker.query_one("#lessons").options}
            assert set(options) == {"01-good"} | {
                f"{k:02d}-{name}" for k, name in enumerate(IN_PROCESS, start=2)
            }
            assert not options["01-good"].disabled
            for k, name in enumerate(IN_PROCESS, start=2):
                option = options[f"{k:02d}-{name}"]
                _, file, line, _ = BAD[name]
                assert option.disabled, name
                assert f"{file}:{line}" in str(option.prompt).replace("\n", ""), name
            await pilot.press("enter")  # the good lesson comes first
            screen = await wait_for_lesson(pilot)
            assert screen.lesson.id == "01-good" and screen.lesson.ok
            assert len(screen.navigator) > 0


@pytest.mark.parametrize("name", ["frac-200", "chain-1500", "deep-python"])
async def test_a_bad_lesson_opened_directly_shows_instead_of_crashing(tmp_path, name):
    root = collection(tmp_path / "lessons", [name])
    app = make_app("02", root)
    async with app.run_test(size=WIDE) as pilot:
        for _ in range(200):
            await pilot.pause(0.02)
            screen = app.screen
            if isinstance(screen, LessonScreen) and screen.lesson is not None:
                break
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        assert screen.lesson.id == f"02-{name}"
        assert BAD[name][3] in screen.lesson.problems[0].message
        for _ in range(100):  # its code runs (or fails to) and the panes draw: no crash
            if screen.run is not None and screen.run.finished:
                break
            await pilot.pause(0.05)
        await settle_workers(pilot)
        assert app.screen is screen
