"""Regenerate docs/serve.png, the README's picture of ``nn-tutor serve``, taken by headless
Chromium (/usr/bin/chromium) through playwright: python docs/make_serve_screenshot.py

It starts ``nn-tutor serve 01 --no-predict`` with a throwaway data folder, opens the page at
1280×800, steps (→) to the first gradient and saves the page.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.browser_support import (  # noqa: E402
    CHROMIUM,
    NO_CHROMIUM,
    VIEWPORT,
    Served,
    event_number,
    focus_terminal,
    open_tutor,
    wait_for_screen,
)

EVENT = 13  # lesson 01's first gradient: the chain rule with this moment's numbers, checked


def main(out: Path = HERE / "serve.png") -> int:
    if not CHROMIUM.exists():
        print(NO_CHROMIUM, file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory() as home,
        Served(Path(home) / "server", "01", "--no-predict") as server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = open_tutor(browser.new_context(viewport=VIEWPORT), server.url)
            wait_for_screen(page, lambda text: (event_number(text) or 0) >= 1, "lesson 01")
            focus_terminal(page)
            text = ""
            for _ in range(100):  # → also reveals a derivation line by line the first time
                if (event_number(text) or 0) >= EVENT:
                    break
                page.keyboard.press("ArrowRight")
                text = wait_for_screen(page, lambda now, was=text: now != was, "a step")
            page.wait_for_timeout(500)  # the last frame painted on the canvas
            page.screenshot(path=str(out))
        finally:
            browser.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
