"""The values pane draws every row: names whole, values right-aligned, long values cut with …"""

from __future__ import annotations

from textual.app import App, ComposeResult

from tutor.app.widgets.values import ValuesView
from tutor.core.view.moment import ValueRow


class Host(App):
    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self.box = (width, height)

    def compose(self) -> ComposeResult:
        view = ValuesView()
        view.styles.width, view.styles.height = self.box
        yield view


def lines(view: ValuesView) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


async def drawn(rows, width=40, height=6, message="") -> list[str]:
    app = Host(width, height)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ValuesView)
        view.show(tuple(rows), message)
        await pilot.pause()
        out = lines(view)
        assert all(len(view.render_line(y).text) == width for y in range(height))
        return out


async def test_every_row_is_drawn_with_its_change_and_the_assigned_mark():
    rows = [ValueRow("x", "1.0", "", False), ValueRow("loss", "2.25", "new", True)]
    out = await drawn(rows)
    assert out[0] == "  x     1.0"
    assert out[1] == "● loss 2.25 new"
    assert out[2:] == ["", "", "", ""]


async def test_rows_that_do_not_fit_the_height_go_side_by_side():
    rows = [ValueRow(f"v{k}", str(k), "", False) for k in range(6)]
    out = await drawn(rows, width=60, height=3)
    for k in range(6):
        assert f"v{k} {k}" in out[k % 3]
    assert out[0].index("v3") > out[0].index("v0")


async def test_a_long_value_is_cut_but_the_name_never_is():
    rows = [ValueRow("weights_of_layer", "[" + ", ".join(["0.123"] * 20) + "]", "", False)]
    out = await drawn(rows, width=40, height=2)
    assert out[0].startswith("  weights_of_layer [0.123")
    assert out[0].endswith("…")


async def test_with_no_rows_the_message_wraps_inside_the_pane():
    out = await drawn([], width=20, height=4, message="no line ran before the error below")
    assert out[:3] == ["no line ran before", "the error below", ""]
