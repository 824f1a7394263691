"""The code pane: lesson.py as the learner has it, stepped through or edited.

It owns the learner's code text: the read-only ``CodeView`` shows it with the
current line marked; ``e`` swaps in an editor (a ``TextArea``, made on first
use); every change is saved a moment after the last keystroke, atomically, in
the learner's data folder (never in the shipped lesson files). It posts
``CodeChanged`` as the text changes and ``RunRequested`` when the code should
run; the screen decides what running means.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from .code import CodeView
from .output import OutputView

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.widgets import TextArea

    from ...core.lesson.model import Lesson
    from ...core.run.result import RunError
    from ...core.workspace import Workspace

SAVE_DELAY = 0.4  # seconds after the last keystroke


class EditorPane(Vertical):
    """The learner's code: shown, edited, saved; messages up when it changes or should run."""

    @dataclass
    class CodeChanged(Message):
        """The learner's text changed (not saved yet: that follows ``SAVE_DELAY`` later)."""

        text: str

    @dataclass
    class RunRequested(Message):
        """Run this code (the learner pressed ctrl+r, or reset to the original)."""

        source: str

    @dataclass
    class SaveFailed(Message):
        """The learner's code could not be saved in ``folder`` (it stays in the editor)."""

        folder: Path
        error: OSError

    class Saved(Message):
        """The learner's code was saved."""

    def __init__(self, first_text: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("pane")
        self.border_title = "Code · lesson.py"
        self._first_text = first_text  # what the first frame shows, before the lesson loads
        self._text = first_text
        self._saved: str | None = (
            None  # the code as last loaded or saved: nothing to write if equal
        )
        self._shipped = ""
        self._lesson_id = ""
        self._workspace: Workspace | None = None
        self._save_timer: Timer | None = None
        self.editing = False

    @classmethod
    def first_frame(cls, lesson: Lesson | Path, **kwargs: Any) -> EditorPane:
        """The pane for the first frame: the lesson's text as it is on disk, before it loads."""
        if not isinstance(lesson, Path):
            return cls(lesson.source, **kwargs)
        from ...core.lesson.files import read_text

        # Just the text for the first frame (the loader reports its problems right after),
        # read as the loader reads it: a FIFO or /dev/zero never blocks the screen.
        return cls(read_text(lesson / "lesson.py", []) or "", **kwargs)

    def compose(self) -> ComposeResult:
        yield CodeView(self._first_text, id="code")
        yield Static("", id="error", markup=False)
        yield OutputView(id="output")

    # -- the text ---------------------------------------------------------------------------
    @property
    def code(self) -> CodeView:
        return self.query_one(CodeView)

    @property
    def text(self) -> str:
        """The learner's code right now (the editor's text while it exists)."""
        for editor in self.query("#editor"):
            return cast("TextArea", editor).text
        return self._text

    @property
    def shipped(self) -> str:
        return self._shipped

    @property
    def edited(self) -> bool:
        return self.text != self._shipped

    def load(self, lesson: Lesson, workspace: Workspace) -> str:
        """Start from the learner's saved code if there is any; returns the text to run."""
        lesson_id, shipped = lesson.id, lesson.source
        self._lesson_id, self._shipped, self._workspace = lesson_id, shipped, workspace
        if lesson.problems:
            self.show_messages("\n".join(str(p) for p in lesson.problems[:3]))
        self._text = shipped
        saved = workspace.load(lesson_id)
        self._tell(workspace)
        if saved is not None:
            code, base = saved
            self._text = code
            if base and base != shipped:
                self.notify(
                    "This lesson's code has changed since you edited it. Your code is kept: "
                    "d compares it with the new code, R resets to the new code.",
                    severity="warning",
                    timeout=20,
                )
        self._saved = self._text
        self.code.set_source(self._text, highlight=True)
        return self._text

    def save_now(self) -> None:
        """Write the learner's code now if it changed since it was loaded or saved."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        text, workspace = self.text, self._workspace
        self._text = text
        if workspace is None or text == self._saved:
            return
        if text == self._shipped and not workspace.has_saved(self._lesson_id):
            return  # back to the original and nothing saved: nothing to write
        try:
            workspace.save(self._lesson_id, text, self._shipped)
        except OSError as exc:  # (the app says it once, then in the status line)
            self.post_message(self.SaveFailed(workspace.root, exc))
        else:
            self._saved = text
            self.post_message(self.Saved())
        self._tell(workspace)

    @property
    def unsaved(self) -> bool:
        """The code here differs from the code last saved (or loaded): saving failed."""
        return self._workspace is not None and self.text != self._saved

    def _tell(self, workspace: Workspace) -> None:
        """What the workspace moved aside or kept, and where: the learner's text, literally."""
        for warning in workspace.warnings:
            self.notify(warning, severity="warning", timeout=20, markup=False)
        workspace.warnings.clear()

    def request_run(self) -> None:
        """Save, then ask the screen to run the learner's code."""
        self.save_now()
        self.post_message(self.RunRequested(self.text))

    # -- editing ------------------------------------------------------------------------------
    def _editor(self) -> TextArea:
        from textual.widgets import TextArea

        found = self.query("#editor")
        if found:
            return found.first(TextArea)
        editor = _editor_class().code_editor(self._text, language="python", id="editor")
        self.mount(editor, after=self.code)
        return editor

    def start_editing(self) -> None:
        editor = self._editor()
        if editor.text != self._text:
            editor.load_text(self._text)
        self.editing = True
        self.add_class("-editing")
        self.refresh_bindings()  # the stepping keys now belong to the editor
        line = self.code.current_line
        if line:
            editor.move_cursor((line - 1, 0))
        editor.scroll_to(x=0, animate=False, immediate=True)  # the start of the lines in view
        editor.focus()

    def stop_editing(self) -> None:
        self._text = self.text
        self.editing = False
        self.remove_class("-editing")
        self.refresh_bindings()
        self.save_now()
        self.code.set_source(self._text, highlight=True)
        self.code.reset_sideways()
        self.code.focus()

    def on_text_area_changed(self, event: Message) -> None:
        event.stop()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.save_now)
        self.post_message(self.CodeChanged(self.text))

    def show_syntax_error(self, path: Path, error: RunError) -> None:
        """A rerun did not parse: say so (the steps stay the last good run's), mark the line."""
        from ...core.run.runner import error_problem

        problem = error_problem(path, error)
        self.show_messages(f"{problem} (the steps shown are from the last run that worked)")
        self.mark_syntax_error(error.line)

    def mark_syntax_error(self, line: int) -> None:
        """Point at the line that does not parse: selected in the editor, marked in the view."""
        if self.editing:
            from textual.widgets.text_area import Selection

            editor = self._editor()
            row = max(0, line - 1)
            text = editor.document.get_line(row) if row < editor.document.line_count else ""
            editor.selection = Selection((row, 0), (row, len(text)))
        else:
            self.code.error_line = line

    def replace_text(self, text: str) -> None:
        """The learner's code becomes ``text`` (a repair: lost step tags put back); saved.
        In the editor it is one edit (ctrl+z undoes it) and the cursor stays."""
        if self.query("#editor"):
            editor = self._editor()
            cursor = editor.cursor_location
            editor.replace(text, (0, 0), editor.document.end)
            editor.move_cursor(cursor)
        self._text = text
        self.code.set_source(text, highlight=True)
        self.save_now()

    def reset(self) -> str | None:
        """Back to the shipped code (the learner's version kept as a backup file); runs it."""
        backup, workspace = None, self._workspace
        if workspace is not None:
            try:
                backup = workspace.reset(self._lesson_id)
            except OSError as exc:  # (the saved code stays where it is)
                self.post_message(self.SaveFailed(workspace.root, exc))
        self._text = self._saved = self._shipped
        if self.query("#editor"):
            self._editor().load_text(self._text)
        self.code.set_source(self._text, highlight=True)
        self.post_message(self.RunRequested(self._text))
        return str(backup) if backup else None

    def diff(self) -> str:
        """The learner's changes as a unified diff against the shipped code."""
        return "".join(
            difflib.unified_diff(
                self._shipped.splitlines(keepends=True),
                self.text.splitlines(keepends=True),
                "lesson.py (original)",
                "lesson.py (yours)",
            )
        )

    # -- what the moment shows ----------------------------------------------------------------
    def show(self, current_line: int, error_line: int, messages: str, output: str) -> None:
        code = self.code
        code.current_line = current_line
        code.error_line = error_line
        self.show_messages(messages)
        self.query_one(OutputView).show(output)

    def show_messages(self, text: str) -> None:
        error = self.query_one("#error", Static)
        if str(error.content) != text:
            error.update(text)
            error.set_class(bool(text), "-shown")


@cache
def _editor_class() -> type[TextArea]:
    """The editor's class, made on first use (TextArea is slow to import)."""
    from textual.widgets import TextArea

    class CodeEditor(TextArea):
        """A code editor whose cursor stays in view when the pane around it changes size
        (an error strip appears under it, the terminal is resized)."""

        def on_resize(self) -> None:
            self.scroll_cursor_visible()

    return CodeEditor
