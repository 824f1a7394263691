"""The network drawing as text: every node and every edge label, for several shapes."""

from __future__ import annotations

import pytest

from tutor.core.lesson.network import read_network
from tutor.core.view.diagram import columns, draw, order

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
def test_drawing_fits_a_pane_of_100_columns(name):
    rows = draw(network(name), VALUES).rows
    assert max(len(r) for r in rows) <= 60 and len(rows) <= 16


def test_single_neuron_golden():
    assert draw(network("single neuron"), VALUES).text() == "(x 1.0)────w=0.8──▶(ŷ 0.8)"


def test_columns_follow_the_longest_path_and_bias_sits_before_its_target():
    net = network("XOR with skip connections")
    column = columns(net)
    assert column["x1"] == column["x2"] == 0
    assert column["h"] == 1 and column["o"] == 2  # o is after h although x1 feeds it directly
    assert column["one"] == 0  # one column before h, the first node it feeds


def test_order_reduces_crossings():
    net, _ = read_network({"nodes": ["a", "b", "p", "q"], "edges": [["a", "q"], ["b", "p"]]})
    layers = order(net, columns(net))
    assert layers[1] == ["q", "p"]  # q beside a, p beside b: no crossing


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
