"""The core never pulls in Textual or Rich, and the modules the UI loads never pull in numpy."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import tutor.core

CORE_MODULES = sorted(
    m.name for m in pkgutil.walk_packages(tutor.core.__path__, "tutor.core.") if not m.ispkg
)


def imported_after(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


def test_core_modules_exist():
    assert {"tutor.core.lesson.load", "tutor.core.run.recorder", "tutor.core.run.runner"} <= set(
        CORE_MODULES
    )


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_no_ui_library(module):
    loaded = imported_after(module)
    assert "textual" not in loaded
    assert "rich" not in loaded


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_leaves_numpy_to_the_worker(module):
    # numpy costs ~90 ms to import; the UI process only needs it for lessons with arrays.
    assert "numpy" not in imported_after(module)


UI_PROCESS = """
import asyncio, sys
from tutor.app import make_app

async def main():
    app = make_app("01")
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(500):
            screen = app.screen
            if getattr(screen, "navigator", None) is not None:
                break
            await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        await pilot.press("right", "right", "right")
        await pilot.pause()
        assert screen.navigator.event == 3, screen.navigator.event
    print("numpy" in sys.modules)

asyncio.run(main())
"""


def test_opening_a_lesson_keeps_numpy_out_of_the_ui_process(tmp_path):
    # The run, its recording and the exercise check happen in the worker process;
    # the UI process steps lesson 01 (scalars only) without ever importing numpy.
    env = {**__import__("os").environ, "NN_TUTOR_HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", UI_PROCESS], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr[-2000:]
