"""The network drawing as text: every node and every edge label, for several shapes."""

from __future__ import annotations

import pytest

from tutor.core.lesson.load import load_lesson
from tutor.core.lesson.network import read_network
from tutor.core.view.diagram import columns, draw

from .conftest import LESSONS

SHAPES = {
    "single neuron": {
        "nodes": [
            {"id": "x", "kind": "input", "value": "x"},
            {"id": "y_hat", "kind": "output", "label": "ŷ", "value": "y_hat"},
        ],
        "edges": [["x", "y_hat", "w"]],
    },
    "chain": {"nodes": ["x", "h", "o"], "edges": [["x", "h", "w1"], ["h", "o", "w2"]]},
    "2-2-1 layered": {
        "nodes": [
            {"id": "x1", "kind": "input"},
            {"id": "x2", "kind": "input"},
            "h1",
            "h2",
            {"id": "o", "kind": "output"},
        ],
        "edges": [
            ["x1", "h1", "w1"],
            ["x2", "h1", "w2"],
            ["x1", "h2", "w3"],
            ["x2", "h2", "w4"],
            ["h1", "o", "v1"],
            ["h2", "o", "v2"],
        ],
    },
    "XOR with skip connections": {
        "nodes": [
            {"id": "x1", "kind": "input"},
            {"id": "x2", "kind": "input"},
            "h",
            {"id": "o", "kind": "output"},
            {"id": "one", "kind": "bias", "label": "1"},
        ],
        "edges": [
            ["x1", "h", "w1"],
            ["x2", "h", "w2"],
            ["h", "o", "v"],
            ["x1", "o", "u1"],
            ["x2", "o", "u2"],
            ["one", "o", "b"],
            ["one", "h", "c"],
        ],
    },
    "2-2-2 with biases": {
        "nodes": [
            {"id": "i1", "kind": "input", "label": "i₁"},
            {"id": "i2", "kind": "input", "label": "i₂"},
            {"id": "h1", "label": "h₁"},
            {"id": "h2", "label": "h₂"},
            {"id": "o1", "kind": "output", "label": "o₁"},
            {"id": "o2", "kind": "output", "label": "o₂"},
            {"id": "one", "kind": "bias", "label": "1"},
        ],
        "edges": [
            ["i1", "h1", "w1"],
            ["i2", "h1", "w2"],
            ["i1", "h2", "w3"],
            ["i2", "h2", "w4"],
            ["h1", "o1", "w5"],
            ["h2", "o1", "w6"],
            ["h1", "o2", "w7"],
            ["h2", "o2", "w8"],
            ["one", "h1", "b1"],
            ["one", "h2", "b2"],
            ["one", "o1", "b3"],
            ["one", "o2", "b4"],
        ],
    },
    "2-2-2": {
        "nodes": ["x1", "x2", "h1", "h2", "o1", "o2"],
        "edges": [
            ["x1", "h1", "w1"],
            ["x2", "h1", "w2"],
            ["x1", "h2", "w3"],
            ["x2", "h2", "w4"],
            ["h1", "o1", "w5"],
            ["h2", "o1", "w6"],
            ["h1", "o2", "w7"],
            ["h2", "o2", "w8"],
        ],
    },
}
VALUES = {
    "x": 1.0,
    "y_hat": 0.8,
    "w": 0.8,
    "w1": -1.5,
    "w2": 0.7,
    "v1": 2.25,
    "v2": -0.3,
    "w3": 0.1,
    "w4": 1.1,
    "u1": 0.4,
    "u2": -2.0,
    "b": 0.1,
    "c": -0.5,
    "v": 1.3,
    "w5": 0.3,
    "w6": -0.2,
    "w7": 0.9,
    "w8": 0.05,
    "b1": 0.35,
    "b2": 0.35,
    "b3": -0.6,
    "b4": 0.6,
}


def network(name):
    net, problems = read_network(SHAPES[name])
    assert problems == []
    return net


@pytest.mark.parametrize("name", SHAPES)
def test_every_node_and_edge_label_is_drawn(name):
    net = network(name)
    text = draw(net, VALUES).text()
    for node in net.nodes:
        assert f"({node.label}" in text, node.id
    for edge in net.edges:
        weight = VALUES[edge.weight.name]
        shown = f"{edge.weight}={weight:.3g}".replace("-", "−")
        assert shown in text, (edge, text)


@pytest.mark.parametrize("name", SHAPES)
def test_drawing_is_compact(name):
    rows = draw(network(name), VALUES).rows
    assert max(len(r) for r in rows) <= 64 and len(rows) <= 12


def test_single_neuron_golden():
    assert draw(network("single neuron"), VALUES).text() == "(x 1.0)──w=0.8─▶(ŷ 0.8)"


def test_one_neuron_with_a_bias_is_drawn_straight():
    net, _ = read_network(
        {
            "nodes": ["x1", "x2", {"id": "one", "kind": "bias", "label": "1"}, "a"],
            "edges": [["x1", "a", "w1"], ["x2", "a", "w2"], ["one", "a", "b"]],
        }
    )
    assert draw(net, {"w1": 0.5, "w2": 0.25, "b": 0.1}).rows == [
        "(x1)──w1=0.5──▶┐",
        "(x2)──w2=0.25─▶┤(a)",
        "(1)───b=0.1───▶┘",
    ]


# -- following each wire: the label on it leads back to its source and on to its target ------
LEFT_ON = set("─━╌┼╂┿╋┬┴┰┸")  # a horizontal wire, a crossing, another branch of the same source
VERTICAL_ON = set("│┃╎┼╂┿╋")
TURN_UP, TURN_DOWN = set("└┗"), set("┌┏")  # going left, the wire came from above / below
TURN_LEFT_UP, TURN_LEFT_DOWN = set("┐┓┬┰"), set("┘┛┴┸")  # going up / down, it leaves leftwards


def node_at(rows, y, x_end):
    """The label of the node whose text ``(label value)`` ends at column ``x_end`` of row ``y``."""
    start = rows[y].rindex("(", 0, x_end)
    return rows[y][start + 1 : x_end].split(" ")[0]


def source_of(rows, y, x):
    """Follow the wire leftwards from (x, y) to the node it comes out of."""
    dx, dy = -1, 0
    for _ in range(10_000):
        char = rows[y][x] if 0 <= x < len(rows[y]) else " "
        if dy == 0 and char == ")":
            return node_at(rows, y, x)
        if dy == 0 and char in LEFT_ON:
            pass
        elif dy == 0 and char in TURN_UP | TURN_DOWN:
            dx, dy = 0, -1 if char in TURN_UP else 1
        elif dy != 0 and char in VERTICAL_ON:
            pass
        elif dy < 0 and char in TURN_LEFT_UP or dy > 0 and char in TURN_LEFT_DOWN:
            dx, dy = -1, 0
        else:
            raise AssertionError(f"the wire breaks at row {y}, column {x}: {char!r}")
        x, y = x + dx, y + dy
    raise AssertionError("no end")


def target_of(rows, y, x):
    """Follow the wire rightwards from (x, y) to its arrow, then to the node the arrow enters."""
    while rows[y][x] in "─━╌":
        x += 1
    assert rows[y][x] == "▶", (y, x, rows[y])
    x += 1
    if rows[y][x] == "(":
        return node_at(rows, y, rows[y].index(")", x))
    for dy in (1, -1):  # along the bracket to the row holding the node's text
        row = y
        while 0 <= row < len(rows) and x < len(rows[row]) and rows[row][x] in "┐┤│┘":
            if rows[row][x + 1 : x + 2] == "(":
                return node_at(rows, row, rows[row].index(")", x))
            row += dy
    raise AssertionError(f"the arrow at row {y} enters no node")


def labels_at(rows, name):
    """Where weight ``name`` is written as a whole: wire before it, ``=`` or wire after it."""
    found = []
    for y, row in enumerate(rows):
        start = row.find(name)
        while start >= 0:
            before, after = row[start - 1 : start], row[start + len(name) : start + len(name) + 1]
            if before and before in "─━╌" and after and after in "=─━╌▶":
                found.append((y, start))
            start = row.find(name, start + 1)
    return found


def assert_every_label_on_its_own_wire(net, drawing):
    rows = drawing.rows
    label = {n.id: n.label for n in net.nodes}
    for node in net.nodes:
        assert any(f"({node.label}" in row for row in rows), node.id  # nothing cut
    for edge in net.edges:
        text = str(edge.weight)
        places = labels_at(rows, text)
        assert len(places) == 1, (edge, "\n".join(rows))
        y, x = places[0]
        end = x + len(text)
        while end < len(rows[y]) and rows[y][end] not in "─━╌▶":
            end += 1
        assert source_of(rows, y, x - 1) == label[edge.source], (edge, "\n".join(rows))
        assert target_of(rows, y, end) == label[edge.target], (edge, "\n".join(rows))


@pytest.mark.parametrize("name", SHAPES)
def test_each_label_is_on_its_own_wire(name):
    net = network(name)
    assert_every_label_on_its_own_wire(net, draw(net, VALUES))
    assert_every_label_on_its_own_wire(net, draw(net))  # names only: other widths


@pytest.mark.parametrize("folder", sorted(p.name for p in LESSONS.iterdir() if p.is_dir()))
def test_each_lessons_network_reads_wire_by_wire(folder):
    net = load_lesson(LESSONS / folder).network
    if net is None:
        pytest.skip("no network")
    assert_every_label_on_its_own_wire(net, draw(net))


def test_lesson_12_draws_its_output_neurons():
    drawing = draw(load_lesson(LESSONS / "12-layers").network)
    text = drawing.text()
    assert "(ŷ₁)" in text and "(ŷ₂)" in text and text.count("(1)") == 2  # a bias per layer


def test_2_2_2_with_biases_keeps_labels_off_crossings_and_crossings_distinct():
    drawing = draw(network("2-2-2 with biases"), VALUES)
    crossings = {"┼", "╂", "┿", "╋"}
    assert crossings & set(drawing.text())  # wires cross here, and say so
    for y, row in enumerate(drawing.rows):
        for _, start, end, kind in (s for s in drawing.spans if s[0] == y):
            if kind == "label":
                assert not crossings & set(row[start - 1 : end + 1]), row


def test_columns_follow_the_longest_path_and_bias_sits_before_its_target():
    net = network("XOR with skip connections")
    column = columns(net)
    assert column["x1"] == column["x2"] == 0
    assert column["h"] == 1 and column["o"] == 2  # o is after h although x1 feeds it directly
    assert column["one"] == 0  # one column before h, the first node it feeds


def test_order_avoids_needless_crossings():
    net, _ = read_network({"nodes": ["a", "b", "p", "q"], "edges": [["a", "q"], ["b", "p"]]})
    rows = draw(net).rows
    assert rows == ["(a)───▶(q)", "(b)───▶(p)"]  # q beside a, p beside b: no crossing


def test_values_and_signs_follow_the_numbers():
    net = network("chain")
    before = draw(net, {"w1": 0.5, "w2": 0.5})
    after = draw(net, {"w1": -0.5, "w2": 2.0})
    assert "w1=0.5" in before.text() and "w1=−0.5" in after.text()
    kinds = {kind for *_, kind in after.spans}
    assert "edge-neg" in kinds and "edge-pos" in kinds
    assert "╌" in after.text()  # negative: dashed, legible without colour
    assert "━" in after.text()  # |w| ≥ 1: heavy


def test_touched_parts_are_marked_active():
    net = network("single neuron")
    drawing = draw(net, VALUES, active={"w", "y_hat"})
    kinds = {kind for *_, kind in drawing.spans}
    assert {"edge-active", "node-active"} <= kinds


def test_ascii_drawing_is_ascii():
    text = draw(network("2-2-1 layered"), VALUES, ascii=True).text()
    assert text.isascii()
    assert "w1=-1.5" in text


def test_indexed_weights():
    net, problems = read_network(
        {"nodes": ["x", "h"], "edges": [{"from": "x", "to": "h", "weight": "W[0, 1]"}]}
    )
    assert not problems
    import numpy as np

    assert "W[0,1]=2.0" in draw(net, {"W": np.array([[1.0, 2.0], [3.0, 4.0]])}).text()


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"nodes": ["a", "a"], "edges": []}, "used twice"),
        ({"nodes": ["a"], "edges": [["a", "b"]]}, "no node 'b'"),
        ({"nodes": ["a", "b"], "edges": [["a", "b"], ["b", "a"]]}, "cycle"),
        ({"nodes": [{"id": "a", "kind": "blob"}], "edges": []}, "kind must be"),
        ({"edges": []}, "needs 'nodes'"),
    ],
)
def test_bad_networks(raw, message):
    _, problems = read_network(raw)
    assert any(message in text for _, text in problems)
