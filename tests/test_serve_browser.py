"""``nn-tutor serve`` in a real headless Chromium: a tab steps a lesson, and two browsers
(separate cookies) never see each other's code.

Chromium is Debian's (/usr/bin/chromium, which .ci/run installs), driven by playwright; no
downloaded browser. The screen is read from xterm.js's buffer (tests/browser_support.py).
NN_TUTOR_SERVE_SCREENSHOT=PATH saves the stepped lesson's page as a PNG there (the README's
docs/serve.png comes from docs/make_serve_screenshot.py, which does the same).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser_support import (
    CHROMIUM,
    NO_CHROMIUM,
    VIEWPORT,
    Served,
    event_number,
    focus_terminal,
    open_tutor,
    wait_for_screen,
)

LESSON_ID = "01-one-neuron"
FIRST_CODE_LINE = "# Lesson 01: one neuron, one weight"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def served(tmp_path) -> Iterator[Served]:
    """``nn-tutor serve 01 --no-predict`` with its own data folder; stopped, with every tutor
    it started, at the end of the test whatever happens."""
    with Served(tmp_path / "server-home", "01", "--no-predict") as server:
        yield server


@pytest.fixture
def contexts(browser) -> Iterator[Any]:
    """A factory of browser contexts (each its own cookies), all closed at the end."""
    made: list[Any] = []

    def new_context() -> Any:
        context = browser.new_context(viewport=VIEWPORT)
        made.append(context)
        return context

    yield new_context
    for context in made:
        context.close()


def lesson_screen(page) -> str:
    """Wait for the lesson screen with its run: the status line at an event (``event 0/0``
    until the first events arrive) and the code pane."""
    return wait_for_screen(
        page,
        lambda text: (event_number(text) or 0) >= 1 and FIRST_CODE_LINE in text,
        "lesson 01's screen at its first event (the status line and the code)",
    )


def learner_token(context) -> str:
    cookies = {c["name"]: c for c in context.cookies()}
    cookie = cookies["nn_tutor_learner"]
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert re.fullmatch(r"[0-9a-f]{32}", cookie["value"])
    return str(cookie["value"])


def wait_for_file_containing(path: Path, text: str, page) -> None:
    """Poll until the file at ``path`` holds ``text`` (the tutor saves an edit on esc)."""
    wait_for_screen(
        page,
        lambda _screen: path.is_file() and text in path.read_text(errors="replace"),
        f"{path} to hold {text!r}",
    )


def edit(page, marker: str) -> None:
    """Open the code editor (e), type ``marker`` as a new line above the current one, go back
    to stepping (esc, which saves)."""
    focus_terminal(page)
    page.keyboard.press("e")
    wait_for_screen(page, lambda text: "editing:" in text, "the editor (e)")
    page.keyboard.type(marker)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_for_screen(
        page, lambda text: marker in text and "editing:" not in text, "the edit, saved (esc)"
    )


def test_a_browser_tab_opens_the_lesson_and_steps_with_the_right_arrow(served, contexts):
    page = open_tutor(contexts(), served.url)
    first = event_number(lesson_screen(page))
    assert first == 1

    focus_terminal(page)
    page.keyboard.press("ArrowRight")
    text = wait_for_screen(
        page, lambda text: event_number(text) not in (None, first), "the event number to change"
    )
    assert event_number(text) == first + 1

    shot = os.environ.get("NN_TUTOR_SERVE_SCREENSHOT")
    if shot:
        page.screenshot(path=shot)


def test_two_browsers_keep_their_own_code_and_folders(served, contexts):
    alice, bob = contexts(), contexts()
    alice_page = open_tutor(alice, served.url)
    lesson_screen(alice_page)
    alice_token = learner_token(alice)
    alice_edits = served.learners / alice_token / "edits" / f"{LESSON_ID}.py"

    edit(alice_page, "# ALICE-WAS-HERE")
    wait_for_file_containing(alice_edits, "# ALICE-WAS-HERE", alice_page)

    # Bob opens the same lesson after Alice's edit is on disk: he sees the lesson's own code.
    bob_page = open_tutor(bob, served.url)
    bob_screen = lesson_screen(bob_page)
    assert "ALICE-WAS-HERE" not in bob_screen
    bob_token = learner_token(bob)
    assert bob_token != alice_token

    edit(bob_page, "# BOB-WAS-HERE")
    bob_edits = served.learners / bob_token / "edits" / f"{LESSON_ID}.py"
    wait_for_file_containing(bob_edits, "# BOB-WAS-HERE", bob_page)

    # Two folders on disk, each with its own learner's code only.
    assert bob_edits.parent.parent != alice_edits.parent.parent
    assert "BOB-WAS-HERE" not in alice_edits.read_text()
    assert "ALICE-WAS-HERE" not in bob_edits.read_text()
    assert sorted(p.name for p in served.learners.iterdir()) == sorted([alice_token, bob_token])

    # Alice comes back (a new tab, a new tutor process): her code, not Bob's.
    alice_again = open_tutor(alice, served.url)
    alice_screen = wait_for_screen(
        alice_again,
        lambda text: (event_number(text) or 0) >= 1 and "ALICE-WAS-HERE" in text,
        "Alice's own code in a new tab",
    )
    assert "BOB-WAS-HERE" not in alice_screen
    assert learner_token(alice) == alice_token
