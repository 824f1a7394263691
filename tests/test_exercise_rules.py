"""The pure rules behind the exercise and run messages: the run queue, what a failed run
says, lost step tags and putting them back, the exercise's rows."""

from __future__ import annotations

from tutor.core.exercises import blanked
from tutor.core.lesson.load import bind_source, load_lesson, lost_tags_of
from tutor.core.lesson.tags import restore_tags
from tutor.core.run.queue import Ask, RunQueue
from tutor.core.run.result import RunError
from tutor.core.view.equation_rows import Row, exercise_rows, with_check_explained
from tutor.core.view.notes import run_outcome

from .conftest import LESSON_01

SHIPPED = load_lesson(LESSON_01)
GRADIENT = "    dL_dw = dL_dy_hat * dy_hat_dw  # step: gradient"
assert SHIPPED.source.split("\n")[15] == GRADIENT


def test_the_queue_runs_one_at_a_time_and_keeps_only_the_latest_waiting():
    q = RunQueue()
    assert q.ask("a") is Ask.START and q.busy
    assert [q.ask("a") for _ in range(4)] == [Ask.SAME] * 4  # the same code: nothing waits
    assert q.ask("b") is Ask.QUEUED
    assert q.ask("c") is Ask.QUEUED and q.waiting == "c"  # replaces b
    assert q.ask("c") is Ask.SAME
    assert q.done() == "c" and q.running == "c" and q.last == "a"
    assert q.done() is None and not q.busy and q.last == "c"


def test_asking_for_the_running_code_drops_the_waiting_code():
    q = RunQueue()
    q.ask("a")
    q.ask("b")
    assert q.ask("a") is Ask.SAME and q.waiting is None


def test_a_failed_run_says_what_failed_and_where():
    raised = RunError("exception", "ZeroDivisionError: division by zero", 7)
    assert run_outcome(raised) == "your code raised ZeroDivisionError on line 7"
    timeout = RunError("timeout", "stopped after 10 s: the time limit", 9)
    assert run_outcome(timeout) == "stopped at the time limit on line 9: an endless loop?"
    syntax = RunError("syntax", "invalid syntax", 6)
    assert run_outcome(syntax, kept=True).startswith("syntax error on line 6: fix it and ctrl+r")
    assert "last run" in run_outcome(RunError("cancelled", "", 1), kept=True)
    assert run_outcome(None) == ""


def test_a_removed_tag_is_found_on_its_line_and_put_back():
    edited = SHIPPED.source.replace(GRADIENT, "    dL_dw = dL_dy_hat * dy_hat_dw")
    _, problems = bind_source(SHIPPED, edited)
    assert problems[0].line == 16
    assert problems[0].message.startswith("this line lost its `# step: gradient` tag; its eq")
    lost = lost_tags_of(SHIPPED, edited)
    fixed = restore_tags(edited, lost)
    assert fixed.split("\n")[15] == GRADIENT
    assert bind_source(SHIPPED, fixed)[1] == []


def test_a_misspelt_tag_is_lost_and_replaced_not_doubled():
    edited = SHIPPED.source.replace("# step: gradient", "# step: gradiant")
    lost = lost_tags_of(SHIPPED, edited)
    assert [(t.step, t.line) for t in lost] == [("gradient", 16)]
    assert restore_tags(edited, lost).split("\n")[15] == GRADIENT


def test_lines_added_above_move_the_lost_tag_with_its_line():
    edited = SHIPPED.source.replace(GRADIENT, "    dL_dw = 0.0").replace(
        "x = 1.0", "# my note\n# another\nx = 1.0"
    )
    assert [t.line for t in lost_tags_of(SHIPPED, edited)] == [18]


def test_a_deleted_tagged_line_is_reported_without_a_line_to_fix():
    edited = SHIPPED.source.replace(GRADIENT + "\n", "")
    (tag,) = lost_tags_of(SHIPPED, edited)
    assert tag.line is None and tag.original == 16
    assert "R resets" in tag.problem(SHIPPED.py_path).message
    assert restore_tags(edited, [tag]) == edited


def test_the_untouched_code_and_its_blanked_exercise_lose_no_tag():
    assert lost_tags_of(SHIPPED, SHIPPED.source) == []
    assert lost_tags_of(SHIPPED, blanked(SHIPPED, SHIPPED.exercises["gradient"])) == []


def test_exercise_rows_say_your_turn_then_each_hint_asked_for():
    hints = ["one", "two"]
    assert [r.text for r in exercise_rows([13], hints, 0, False)] == [
        "Your turn (line 13) — press h for a hint, e to edit"
    ]
    rows = exercise_rows([13, 14], hints, 2, False)
    assert [r.kind for r in rows] == ["turn", "hint", "hint", "hint"]
    assert rows[0].text.startswith("Your turn (lines 13, 14)")
    assert rows[1].text == "Hint 1/2: one" and rows[3].text.startswith("(that was the last hint")
    assert exercise_rows([13], hints, 0, True)[0].text.startswith("Exercise solved (line 13)")


def test_the_explanation_goes_under_the_whole_first_checked_value():
    rows = [Row("a", "math"), Row(" 1", "numbers"), Row("=2", "numbers", True), Row("-", "numbers")]
    rows += [Row("b", "math"), Row("=3", "numbers", True)]
    explained = with_check_explained(rows)
    assert explained is not None
    assert [r.text for r in explained].index(
        "  (✓ = the code computed what the equation says)"
    ) == 4
    assert with_check_explained([Row("a", "math")]) is None
