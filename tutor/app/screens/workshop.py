"""The learner's workshop on the lesson screen: edit, rerun, reset, compare, hints, solutions.

A mixin for ``LessonScreen``, kept apart so the screen file stays about stepping.
The code the learner edits is saved as they type (debounced, atomically, in the
data directory); the shipped lesson files are never written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.widgets import TextArea

    from ...core.run.result import RunResult

# Keys that step or open things: while editing they belong to the editor instead.
EDITOR_KEEPS = {
    "next",
    "previous",
    "next_iteration",
    "previous_iteration",
    "first",
    "last",
    "play",
    "faster",
    "slower",
    "goto",
    "toggle_lesson",
    "edit",
    "hint",
    "diff",
    "solution",
    "reset",
    "help",
    "quit",
}
SAVE_DELAY = 0.4  # seconds after the last keystroke


class Workshop:
    """Mixed into LessonScreen: expects ``shipped``, ``lesson``, ``navigator``, ``status``…"""

    WORKSHOP_BINDINGS = [
        Binding("e", "edit", "Edit code", id="edit"),
        Binding("ctrl+r", "rerun", "Rerun", priority=True, id="rerun"),
        Binding("h", "hint", "Hint", show=False),
        Binding("S", "solution", "Show the solution", show=False),
        Binding("d", "diff", "Show my changes", show=False),
        Binding("R", "reset", "Reset to the original code", show=False),
    ]

    editing = False
    code_text = ""
    _save_timer: Any = None
    _saved_text: str | None = None  # the code as last loaded or saved: nothing to write if equal

    # -- the learner's code ---------------------------------------------------------------
    def load_code(self) -> None:
        """Start from the learner's saved code if there is any (after the lesson loaded)."""
        shipped = self.shipped
        self.code_text = shipped.source
        workspace = self.app.workspace
        saved = workspace.load(shipped.id)
        for warning in workspace.warnings:
            self.notify(warning, severity="warning", timeout=15)
        workspace.warnings.clear()
        if saved is not None:
            code, base = saved
            self.code_text = code
            if base and base != shipped.source:
                self.notify(
                    "This lesson's code has changed since you edited it. Your code is kept: "
                    "d compares it with the new code, R resets to the new code.",
                    severity="warning",
                    timeout=20,
                )
        self._saved_text = self.code_text
        self.bind_code(self.code_text)

    def bind_code(self, source: str) -> list:
        """Make ``source`` the lesson's code: anchors and lines follow it."""
        from ...core.lesson.load import with_source

        if source == self.shipped.source:
            self.lesson = self.shipped
            return []
        self.lesson, problems = with_source(self.shipped, source)
        return problems

    @property
    def edited(self) -> bool:
        return self.code_text != self.shipped.source

    def _save_now(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.code_text == self._saved_text:
            return  # unchanged since it was loaded or saved: the files stay as they are
        workspace = self.app.workspace
        if not self.edited and workspace.load(self.shipped.id) is None:
            return
        try:
            workspace.save(self.shipped.id, self.code_text, self.shipped.source)
            self._saved_text = self.code_text
        except OSError as exc:
            self.notify(f"could not save your code: {exc}", severity="error", timeout=15)

    # -- editing --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While editing, stepping keys return False here, so they reach the editor instead.
        return not (self.editing and action in EDITOR_KEEPS)

    def _editor(self) -> TextArea:
        from textual.widgets import TextArea

        found = self.query("#editor")
        if found:
            return found.first(TextArea)
        editor = TextArea.code_editor(self.code_text, language="python", id="editor")
        self.query_one("#code-pane").mount(editor, after=self.code)
        return editor

    def action_edit(self) -> None:
        if self.shipped is None:
            return
        self._stop_playing()
        editor = self._editor()
        if editor.text != self.code_text:
            editor.load_text(self.code_text)
        self.editing = True
        self.add_class("-editing")
        self._keys_changed()
        line = self.code.current_line
        if line:
            editor.move_cursor((line - 1, 0))
        editor.focus()
        self.status.show(self._where(), "editing: ctrl+r runs your code, esc goes back to stepping")

    def stop_editing(self) -> None:
        self._take_editor_text()
        self.editing = False
        self.remove_class("-editing")
        self._keys_changed()
        self._save_now()
        self.code.set_source(self.code_text, highlight=True)
        self.code.focus()
        note = "your edit has not run yet: ctrl+r" if self._unrun() else ""
        self.status.show(self._where(), note)

    def _unrun(self) -> bool:
        return self.result is None or getattr(self, "_ran_source", None) != self.code_text

    def on_text_area_changed(self, event) -> None:
        if event.text_area.id != "editor":
            return
        self.code_text = event.text_area.text
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_now)

    # -- running ----------------------------------------------------------------------------
    def _keys_changed(self) -> None:
        for bar in self.query("KeyBar"):
            bar.refresh()

    def _take_editor_text(self) -> None:
        """The editor's text right now (its Changed message may still be on its way)."""
        for editor in self.query("#editor"):
            self.code_text = editor.text

    def action_rerun(self) -> None:
        if self.shipped is None or not self.shipped.source:
            return
        self._take_editor_text()
        self._save_now()
        self._stop_playing()
        self.status.show(self._where(), "running your code…", force=True)
        self.run_code(self.code_text)

    def mark_syntax_error(self, line: int, column: int | None) -> None:
        if self.editing:
            from textual.widgets.text_area import Selection

            editor = self._editor()
            row = max(0, line - 1)
            text = editor.document.get_line(row) if row < editor.document.line_count else ""
            editor.selection = Selection((row, 0), (row, len(text)))
        else:
            self.code.error_line = line

    def check_exercises(self, result: RunResult) -> None:
        """Record exercises the learner's code now solves (the equation check passes)."""
        from ...core.equation.verify import check_equations

        if not self.lesson.exercises or result.error is not None:
            return
        progress = self.app.progress
        timeline = result.timeline
        for step_id in self.lesson.exercises:
            step = self.lesson.step(step_id)
            if step is None or not step.lines:
                continue
            ran = any(timeline.lines.count(line) for line in step.lines)
            solved = ran and not check_equations(self.lesson, timeline, steps={step_id})
            if solved and progress.mark_solved(self.lesson.id, step_id):
                self.notify(f"✓ Exercise solved: {step.title}. Well done!", timeout=8)
                self.app.save_progress()

    # -- reset, compare ---------------------------------------------------------------------
    def action_reset(self) -> None:
        from .confirm import ConfirmScreen

        if not self.edited:
            self.notify("Your code is the original code already.")
            return
        question = "Reset lesson.py to the original code? Your version is kept in a backup file."
        self.app.push_screen(ConfirmScreen(question, yes="Reset"), self._reset)

    def _reset(self, yes: bool | None) -> None:
        if not yes:
            return
        backup = self.app.workspace.reset(self.shipped.id)
        self.code_text = self._saved_text = self.shipped.source
        if self.query("#editor"):
            self._editor().load_text(self.code_text)
        self.code.set_source(self.code_text, highlight=True)
        where = f" (your version: {backup})" if backup else ""
        self.notify(f"lesson.py is back to the original{where}.", timeout=10)
        self.run_code(self.code_text)

    def action_diff(self) -> None:
        import difflib

        from .text import TextScreen

        if not self.edited:
            self.notify("You have not changed the code.")
            return
        diff = "".join(
            difflib.unified_diff(
                self.shipped.source.splitlines(keepends=True),
                self.code_text.splitlines(keepends=True),
                "lesson.py (original)",
                "lesson.py (yours)",
            )
        )
        self.app.push_screen(TextScreen("Your changes", diff, "diff"))

    # -- exercises -------------------------------------------------------------------------
    def _exercise_here(self):
        """The exercise of the current step, else the first one not solved yet."""
        exercises = self.lesson.exercises if self.lesson else {}
        if not exercises:
            return None
        step = self.navigator.timeline.step(self.navigator.event) if self.navigator else None
        if step in exercises:
            return exercises[step]
        solved = set(self.app.progress.solved(self.lesson.id))
        return next(
            (e for e in exercises.values() if e.step not in solved), next(iter(exercises.values()))
        )

    def action_hint(self) -> None:
        exercise = self._exercise_here()
        if exercise is None:
            self.notify("This lesson has no exercise.")
            return
        if not exercise.hints:
            self.notify("This exercise has no hints: S shows the solution.")
            return
        hints_shown = self.__dict__.setdefault("_hints_shown", {})
        shown = min(hints_shown.get(exercise.step, 0) + 1, len(exercise.hints))
        hints_shown[exercise.step] = shown
        step = self.lesson.step(exercise.step)
        more = "" if shown < len(exercise.hints) else " (the last hint; S shows the solution)"
        self.notify(
            f"{exercise.hints[shown - 1]}{more}",
            title=f"Hint {shown}/{len(exercise.hints)} · {step.title if step else exercise.step}",
            timeout=30,
        )

    def action_solution(self) -> None:
        from .confirm import ConfirmScreen

        exercise = self._exercise_here()
        if exercise is None:
            self.notify("This lesson has no exercise.")
            return
        self.app.push_screen(
            ConfirmScreen(
                "Show the solution? Trying first teaches more: h gives a hint.", yes="Show it"
            ),
            lambda yes: self._show_solution(exercise) if yes else None,
        )

    def _show_solution(self, exercise) -> None:
        from .text import TextScreen

        step = self.lesson.step(exercise.step)
        lines = ", ".join(str(n) for n in sorted(step.lines)) if step else "?"
        text = "\n".join(exercise.solution)
        title = f"Solution · {step.title if step else exercise.step} (lesson.py line {lines})"
        self.app.push_screen(TextScreen(title, text, "python"))
