"""The values pane: names whole, numbers never cut, arrays as grids, the assigned rows in view,
a row cursor, and enter asking for the inspector."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tutor.app.widgets.values import ValuesView, plan, scroll_for
from tutor.core.view.moment import ValueRow


class Host(App):
    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self.box = (width, height)
        self.asked: list[str] = []

    def compose(self) -> ComposeResult:
        view = ValuesView()
        view.styles.width, view.styles.height = self.box
        yield view

    def on_values_view_inspect(self, message: ValuesView.Inspect) -> None:
        self.asked.append(message.name)


def screen_lines(view: ValuesView) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


async def drawn(rows, width=40, height=6, message="") -> list[str]:
    app = Host(width, height)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ValuesView)
        view.show(tuple(rows), message)
        await pilot.pause()
        out = screen_lines(view)
        assert all(len(view.render_line(y).text) == width - 1 for y in range(height))  # + gutter
        return out


async def test_every_row_is_drawn_with_its_change_and_the_assigned_mark():
    rows = [ValueRow("x", "1.0", "", False), ValueRow("loss", "2.25", "new", True)]
    out = await drawn(rows)
    assert out[0] == "  x     1.0"
    assert out[1] == "● loss 2.25 new"
    assert out[2:] == ["", "", "", ""]


def test_a_value_too_wide_for_its_column_goes_under_its_name_wrapped_between_items():
    long = "[" + ", ".join(["−0.123456"] * 12) + "]"
    rows = (ValueRow("weights_of_layer", long, "changed", True), ValueRow("b", "−8.51e−08", "", 0))
    lines, spans = plan(rows, 40)
    text = ["".join(t for t, _ in parts).rstrip() for parts, _ in lines]
    assert text[0] == "● weights_of_layer           changed"
    assert all(len(line) <= 40 and line.startswith("    ") for line in text[1 : spans[0][1]])
    assert " ".join(line.strip() for line in text[1 : spans[0][1]]) == long  # all of it
    assert text[spans[1][0]] == "  b                −8.51e−08"
    assert "…" not in "".join(text)


def test_an_array_is_its_shape_then_its_grid_under_the_name():
    rows = (ValueRow("W_h", "(2×2)", "new", True, "2×2", ("⎡0.1  0.2⎤", "⎣0.3  0.4⎦")),)
    lines, spans = plan(rows, 30)
    text = ["".join(t for t, _ in parts).rstrip() for parts, _ in lines]
    assert text == ["● W_h (2×2) new", "    ⎡0.1  0.2⎤", "    ⎣0.3  0.4⎦"]
    assert spans == [(0, 3)]


def test_a_step_scrolls_by_pages_and_a_cursor_move_as_little_as_it_can():
    assert scroll_for(5, [(10, 11)]) == 10  # the page of lines 10-14
    assert scroll_for(5, [(14, 16)]) == 11  # across pages: just enough to show it
    assert scroll_for(5, [(10, 11), (7, 8)]) == 6  # the cursor fits beside it
    assert scroll_for(5, [(10, 11), (0, 1)]) == 10  # it does not: the assigned row wins
    assert scroll_for(3, [(10, 20)]) == 10  # taller than the view: its start
    assert scroll_for(5, []) == 0
    assert scroll_for(5, [(10, 11)], top=0) == 6  # the cursor moved down: just into view
    assert scroll_for(5, [(10, 11)], top=20) == 10
    assert scroll_for(5, [(10, 11)], top=8) == 8  # already in view: stay


def many(assigned: int) -> tuple[ValueRow, ...]:
    return tuple(ValueRow(f"v{k}", f"{k}.0", "", k == assigned) for k in range(30))


async def test_the_assigned_row_is_scrolled_into_view_and_the_cursor_follows_it():
    app = Host(30, 6)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ValuesView)
        view.show(many(20))
        await pilot.pause()
        assert "● v20" in "\n".join(screen_lines(view))
        assert view.cursor == "v20" and not view.pinned
        view.show(many(3))
        await pilot.pause()
        assert "● v3" in "\n".join(screen_lines(view))


async def test_the_cursor_moves_pages_and_asks_for_the_inspector():
    app = Host(30, 6)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ValuesView)
        view.show(many(0))
        view.focus()
        await pilot.pause()
        await pilot.press("down", "down")
        assert view.cursor == "v2" and view.pinned
        await pilot.press("pagedown")
        assert view.cursor == "v7"
        assert any(line.startswith("  v7") for line in screen_lines(view))
        view.show(many(3))  # a step: the learner's cursor stays on v7, both in view
        await pilot.pause()
        assert view.cursor == "v7"
        shown = "\n".join(screen_lines(view))
        assert "● v3" in shown and "v7" in shown
        await pilot.press("pageup", "up")
        assert view.cursor == "v1"
        await pilot.press("enter")
        await pilot.pause()
        assert app.asked == ["v1"]


async def test_a_click_moves_the_cursor_and_a_double_click_inspects():
    app = Host(30, 6)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ValuesView)
        view.show(many(0))
        await pilot.pause()
        await pilot.click(ValuesView, offset=(3, 4))
        assert view.cursor == "v4" and view.pinned and app.asked == []
        await pilot.double_click(ValuesView, offset=(3, 2))
        await pilot.pause()
        assert view.cursor == "v2" and app.asked == ["v2"]


async def test_with_no_rows_the_message_wraps_inside_the_pane():
    out = await drawn([], width=21, height=4, message="no line ran before the error below")
    assert out[:3] == ["no line ran before", "the error below", ""]
