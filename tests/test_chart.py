"""The chart layout (core, no UI): axes from the data, divergence, log scale, any size."""

from __future__ import annotations

import math

import pytest

from tutor.core.view.chart import at, diverged_at, layout

ITS = tuple(range(1, 21))
FALLING = {"loss": tuple(2.25 * 0.64**k for k in range(20)), "w": tuple(2 - 1.5 * 0.8**k for k in range(20))}  # fmt: skip


def kinds_in_row(chart, row):
    return {k for r, _, _, k in chart.spans if r == row}


def test_divergence_is_a_blow_up_or_a_value_that_is_not_finite():
    assert diverged_at([2.25 * 0.64**k for k in range(50)], range(1, 51)) is None
    assert diverged_at([0.0, 5.0, 900.0], [1, 2, 3]) is None  # within 1000 × max(1, smallest)
    assert diverged_at([16.9, 9.4e6, 7e12], [1, 2, 3]) == 2
    assert diverged_at([1.0, 2.0, math.nan], [1, 5, 9]) == 9
    assert diverged_at([math.inf], [1]) == 1


def test_labels_are_the_data_range_and_rows_fill_the_size():
    chart = layout(FALLING, ITS, 40, 12)
    assert len(chart.rows) == 12 and all(len(row) == 40 for row in chart.rows)
    values = [v for s in FALLING.values() for v in s]
    assert chart.y_range == (min(values), max(values))
    assert chart.y_ticks[0] == max(values) and chart.y_ticks[-1] == min(values)
    assert all(min(values) <= v <= max(values) for v in chart.y_ticks)
    assert len(chart.y_ticks) >= 3
    assert chart.x_ticks[0] == 1 and chart.x_ticks[-1] == 20
    assert chart.rows[-1].rstrip().endswith("20")
    assert chart.rows[0].startswith("━ loss  ━ w")


def test_the_current_iteration_is_a_column_and_named_in_the_legend():
    chart = layout(FALLING, ITS, 40, 8)
    rows, spans = at(chart, 1)
    first = {c for _, c, _, k in spans if k == "marker"}
    assert first == {chart.left}
    rows, spans = at(chart, 20)
    assert {c for _, c, _, k in spans if k == "marker"} == {39}
    assert rows[0].endswith("iteration 20")
    assert at(chart, 0) == (chart.rows, chart.spans)  # before the loop: nothing marked


def test_after_divergence_values_are_clipped_to_the_edge_and_marked():
    cost = (16.9, 9.4e6, math.inf, math.nan)
    chart = layout({"cost": cost}, (1, 2, 3, 4), 40, 8)
    assert chart.diverged == 2 and "diverged at iteration 2" in chart.rows[0]
    assert chart.y_range == (16.9, 16.9)  # the range before it
    top = chart.plot_rows[0]
    assert "clipped" in kinds_in_row(chart, top)  # 9.4e6, ∞ and NaN sit on the top edge
    assert "diverged" in kinds_in_row(chart, 0)


def test_log_scale_clips_values_that_are_not_positive():
    chart = layout({"w": (-1.0, 0.0, 0.1, 10.0)}, (1, 2, 3, 4), 30, 8, log=True)
    assert chart.log and chart.y_range == (0.1, 10.0)
    assert "clipped" in kinds_in_row(chart, chart.plot_rows[-1])
    assert "log" in chart.rows[0]
    none = layout({"w": (-1.0, 0.0)}, (1, 2), 30, 8, log=True)
    assert not none.log  # nothing to draw on a log scale: linear


def test_a_flat_series_is_labelled_with_its_value():
    chart = layout({"w": (0.5,) * 5}, range(1, 6), 30, 8)
    assert chart.y_ticks == (0.5,)


@pytest.mark.parametrize("width", [1, 3, 6, 12, 30])
@pytest.mark.parametrize("height", [1, 2, 3, 4, 9])
def test_any_size_draws_without_error(width, height):
    chart = layout({"a": (1.0, math.nan, 3.0), "b": (0.0, -2.0, 1e300)}, (1, 5, 9), width, height)
    rows, _ = at(chart, 5)
    assert len(rows) <= height and all(len(row) <= max(width, 1) for row in rows)
    huge = layout({"a": (-1e308, 1e308, 1.7e308, -1.7e308)}, (1, 2, 3, 4), width, height)
    assert len(huge.rows) <= height
    empty = layout({}, (), width, height)
    assert at(empty, 3)


def test_labels_have_the_digits_to_differ():
    chart = layout({"w": (0.50001, 0.50002, 0.50004)}, (1, 2, 3), 40, 8)
    labels = [row.split("┤")[0].strip() for row in chart.rows if "┤" in row]
    assert len(labels) == len(set(labels)) >= 2 and labels[0] == "0.50004"
