"""Shared fixtures: the bundled lessons, and a factory for throwaway lesson folders."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LESSONS = REPO / "lessons"
LESSON_01 = LESSONS / "01-one-neuron"

GOOD_MD = """\
---
title: Doubling
order: 1
iteration: iteration
symbols:
  '\\hat{y}': y_hat
  w: w
  x: x
---

# Intro

Learn to double.

## Predict {#predict}

$$ \\hat{y} = w x $$

## Update {#update}

$$ w \\leftarrow w + 0.5 % a fixed nudge $$
"""

GOOD_PY = """\
x = 1.0
w = 0.5
for iteration in range(1, 4):
    y_hat = w * x  # step: predict
    w = w + 0.5  # step: update
"""


@pytest.fixture
def tutor_home(tmp_path, monkeypatch) -> Path:
    """A fresh data folder for the learner's code and progress (NN_TUTOR_HOME)."""
    home = tmp_path / "home"
    monkeypatch.setenv("NN_TUTOR_HOME", str(home))
    return home


@pytest.fixture
def no_predicts(monkeypatch) -> None:
    """Stepping never stops to ask a predict exercise (as ``nn-tutor --no-predict``): for tests
    about other things that step across a predict's event."""
    from tutor.app.app import TutorApp

    monkeypatch.setattr(TutorApp, "ask_predicts", False)


@pytest.fixture
def make_lesson(tmp_path: Path):
    """Write a lesson folder: ``make_lesson("02-x", md=..., py=...)``; None skips a file."""

    def make(name: str = "01-doubling", md: str | None = GOOD_MD, py: str | None = GOOD_PY) -> Path:
        folder = tmp_path / name
        folder.mkdir(parents=True)
        if md is not None:
            (folder / "lesson.md").write_text(textwrap.dedent(md), encoding="utf-8")
        if py is not None:
            (folder / "lesson.py").write_text(textwrap.dedent(py), encoding="utf-8")
        return folder

    return make


async def settle_workers(pilot):
    """Every worker done. A boundary grid started for a pane size that changed since (the
    network pane takes its drawing's height) is cancelled by the next one: that is fine."""
    from textual.worker import WorkerCancelled

    for _ in range(50):
        try:
            await pilot.app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            await pilot.pause()
    await pilot.pause()


async def wait_for_lesson(pilot):
    """Wait until the lesson screen's code has run and its timeline is on screen."""
    from tutor.app.screens.lesson import LessonScreen

    for _ in range(1500):  # the run starts after the first frame, in a worker thread
        screen = pilot.app.screen
        if (
            isinstance(screen, LessonScreen)
            and screen.navigator is not None
            and screen.run is not None
            and screen.run.finished  # (not the events so far of a run still recording)
        ):
            break
        await pilot.pause(0.02)
    await settle_workers(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LessonScreen)
    assert screen.navigator is not None
    return screen
