"""The values pane's rows and the inspector's history as data: one format, one minus, grids."""

from __future__ import annotations

from array import array

import numpy as np
import pytest

from tutor.core.numbers import MINUS, format_value
from tutor.core.run.timeline import ArraySummary, Column, Timeline
from tutor.core.view.values import (
    NEW,
    HistoryEntry,
    change,
    grid_lines,
    history,
    history_at,
    in_focus,
    iteration_key,
    iteration_label,
    shape_of,
    value_row,
    whole_value,
)


def number(text: str) -> float:
    return float(text.replace(MINUS, "-"))


def test_a_value_and_its_change_have_the_same_minus_sign():
    row = value_row("dJ_dw", -0.75, 0.0, True)
    assert row.text == f"{MINUS}0.75" and row.change == f"{MINUS}0.75"
    plain = value_row("dJ_dw", -0.75, 0.0, True, ascii=True)
    assert plain.text == "-0.75" and plain.change == "-0.75"
    tiny = value_row("b", -8.513521e-08, 0.0, False)
    assert number(tiny.text) == pytest.approx(-8.513521e-08, rel=1e-5)
    assert "-" not in tiny.text + tiny.change  # the exponent's sign too


def test_changes_are_signed_differences_or_words():
    assert change(NEW, 1.0) == "new"
    assert change(1.0, 1.5) == "+0.5"
    assert change(1.5, 1.0) == f"{MINUS}0.5"
    assert change(1.5, 1.0, ascii=True) == "-0.5"
    assert change(2.0, 2.0) == ""
    assert change(np.zeros(2), np.ones(2)) == "changed"
    assert change(True, False) == "changed"


def test_shapes_of_arrays_and_rectangular_lists():
    assert shape_of(np.zeros((2, 3))) == (2, 3)
    assert shape_of(np.zeros(4)) == (4,)
    assert shape_of([(0, 0, 1), (1, 0, 1)]) == (2, 3)
    assert shape_of([(0, 1), (1,)]) is None  # ragged: a list, not a grid
    assert shape_of([1.0, 2.0]) is None and shape_of(3.0) is None
    assert shape_of(ArraySummary((300, 200), "float64", -1.0, 1.0, 0.0)) == (300, 200)


def test_an_array_row_is_its_shape_and_its_grid():
    row = value_row("W_h", np.array([[0.1, -0.2, 0.3], [0.4, 0.5, 0.6]]), NEW, True)
    assert row.text == "(2×3)" and row.shape == "2×3" and row.change == "new"
    assert row.grid == ("⎡0.1  −0.2  0.3⎤", "⎣0.4   0.5  0.6⎦")


def cells(grid: tuple[str, ...]) -> list[list[str]]:
    return [line.strip("⎡⎢⎣⎤⎥⎦[] ").split() for line in grid]


def test_a_big_grid_leaves_out_whole_rows_and_columns_never_part_of_a_number():
    values = np.linspace(-1, 1, 30 * 20).reshape(30, 20)
    grid = grid_lines(values)
    table = cells(grid)
    assert len(grid) == 9 and table[7] == ["⋮"] * 8  # 7 rows, a gap, the last row
    for r, row in zip([*range(7), 29], [t for k, t in enumerate(table) if k != 7], strict=True):
        assert row[7] == "…"  # the columns left out
        shown = [number(c) for c in row[:7] + row[8:]]
        wanted = [values[r, c] for c in [*range(7), 19]]
        assert shown == pytest.approx(wanted, rel=1e-3, abs=1e-12)


def test_a_grid_drops_columns_to_fit_its_width():
    values = np.arange(40.0).reshape(2, 20) - 20
    narrow = grid_lines(values, fit=30)
    assert max(len(line) for line in narrow) <= 30
    assert cells(narrow)[0][-2:] == ["…", f"{MINUS}1.0"]


def test_the_whole_value_has_every_entry_and_every_digit():
    values = np.arange(600.0).reshape(30, 20)
    lines = whole_value(values)
    assert lines[0] == "30×20 float64" and len(lines) == 31
    assert "…" not in "".join(lines)
    assert whole_value(-0.1 / 3) == [f"{MINUS}0.03333333333333333"]
    summary = whole_value(ArraySummary((300, 200), "float64", -1.5, 2.0, 0.25))
    assert summary[1] == f"min {MINUS}1.5  max 2.0  mean 0.25"


def test_an_array_too_big_to_record_says_its_numbers_with_the_same_minus():
    text = format_value(ArraySummary((300, 200), "float64", -1.5, 2.0, 0.25))
    assert text == f"<array 300×200 float64 min {MINUS}1.5 max 2.0>"


def looped() -> Timeline:
    """Events 0-1 before the loop, iterations 1 (2-4) and 2 (5-7), 8-9 after it."""
    t = Timeline(lines=array("I", [1, 2, 3, 4, 5, 3, 4, 5, 6, 7]))
    t.iteration_starts, t.iteration_ends = array("I", [2, 5]), array("I", [5, 8])
    t.columns["w"] = Column(array("I", [0, 3, 6]), [0.0, 1.0, 2.0])
    t.columns["lr"] = Column(array("I", [1]), [0.5])
    t.columns["late"] = Column(array("I", [9]), [7.0])
    return t


def test_history_is_the_value_at_the_end_of_each_iteration():
    t = looped()
    assert history(t, "w") == (
        HistoryEntry(0, 0, 1, 0.0),
        HistoryEntry(1, 1, 4, 1.0),
        HistoryEntry(2, 3, 9, 2.0),  # not assigned after the loop: the same entry
    )
    assert history(t, "lr") == (HistoryEntry(0, 3, 9, 0.5),)
    assert history(t, "late") == (HistoryEntry(3, 3, 9, 7.0),)
    t.columns["y"] = Column(array("I", [2, 3, 6]), [1, 1, 2])  # 1 again: one entry
    assert history(t, "y") == (HistoryEntry(1, 1, 4, 1), HistoryEntry(2, 3, 9, 2))
    assert history(t, "nobody") == ()


def test_the_current_iteration_is_found_in_the_history():
    t = looped()
    assert [iteration_key(t, e) for e in range(10)] == [0, 0, 1, 1, 1, 2, 2, 2, 3, 3]
    entries = history(t, "w")
    assert history_at(entries, iteration_key(t, 6)) == 2
    assert history_at(entries, iteration_key(t, 9)) == 2
    assert history_at(history(t, "late"), 1) is None
    assert iteration_label(0, 3, 2) == "before the loop – after the loop"
    assert iteration_label(4, 9, 20) == "4 – 9"


def test_the_pane_keeps_in_view_what_the_latest_assigning_event_assigned():
    t = looped()
    assert in_focus(t, 3) == ("w",)
    assert in_focus(t, 4) == ("w",)  # event 4 assigned nothing: event 3's
    assert in_focus(t, 1) == ("lr",)
    assert in_focus(t, 9) == ("late",)


def test_text_is_quoted_on_one_line_and_ascii_grids_use_ascii():
    assert value_row("s", "two\nlines", NEW, False).text == "'two\\nlines'"
    row = value_row("W", np.array([[-1.0, 2.0], [3.0, 4.0]]), NEW, False, ascii=True)
    assert row.shape == "2x2" and row.grid == ("[-1.0  2.0]", "[ 3.0  4.0]")
