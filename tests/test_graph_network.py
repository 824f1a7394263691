"""A network the code builds (``network: {graph: L}``): the recorder keeps a node's
ancestry, the wire carries it as data only, and the network pane draws the named nodes
and what each was made from, including a wire the learner adds."""

from __future__ import annotations

import pytest

from tutor.app import make_app
from tutor.app.widgets.network import NetworkView
from tutor.core.check import check_lessons
from tutor.core.lesson.load import load_lesson
from tutor.core.run.runner import Runner
from tutor.core.run.snapshot import MAX_GRAPH, new_run, snapshot
from tutor.core.run.timeline import Graph, Opaque
from tutor.core.run.wire import dumps, loads
from tutor.core.view.graph_network import class_lines, graph_network

from .conftest import wait_for_lesson as ready

MD = r"""---
title: Nodes
iteration: iteration
symbols:
  h: h
  L: loss
network:
  graph: L
---

# Nodes

A neuron made of nodes.

## Forward {#forward}

$$ L = (h - 1)^2 $$
"""

PY = """\
class Node:
    def __init__(self, value, parents=()):
        self.value = value
        self.grad = 0.0
        self.parents = parents

    def __add__(self, other):
        out = Node(self.value + other.value, (self, other))
        return out

    def __mul__(self, other):
        out = Node(self.value * other.value, (self, other))
        return out

    def squared(self):
        out = Node((self.value - 1) ** 2, (self,))
        return out


for iteration in range(1, 3):
    X = Node(2.0)
    W = Node(0.5 * iteration)
    B = Node(0.25)
    H = W * X + B
    L = H.squared()
    h = H.value
    loss = L.value  # step: forward
"""


class N:
    def __init__(self, value, parents=()):
        self.value = value
        self.grad = 0.0
        self.parents = parents


def test_a_node_is_recorded_with_its_ancestry_and_crosses_the_wire_as_data():
    a, b = N(2.0), N(3.0)
    product = N(6.0, (a, b))
    top = N(12.0, (product, a, 7.0))  # a plain number among the parents is no node
    graph = snapshot(top)
    assert isinstance(graph, Graph) and graph.type == "N"
    nodes = graph.nodes()
    assert [(v, parents) for _, v, _, parents in nodes] == [
        (12.0, (1, 2)),
        (6.0, (2, 3)),
        (2.0, ()),
        (3.0, ()),
    ]
    keys = [key for key, *_ in nodes]
    assert len(set(keys)) == 4  # each object one node, with its own number
    assert snapshot(a).keys == (keys[2],)  # the same object, the same number
    assert loads(dumps(graph)) == graph
    assert str(graph) == "<N value 12>"


def test_nodes_are_numbered_per_run_and_a_gone_nodes_number_is_not_reused():
    new_run()
    first = N(1.0)
    assert snapshot(first).keys == (1,)
    assert snapshot(N(2.0)).keys == (2,)  # a temporary node: gone after this line
    assert snapshot(N(3.0)).keys == (3,)  # even if it has the same id
    assert snapshot(first).keys == (1,)
    new_run()
    assert snapshot(first).keys == (1,) and snapshot(N(4.0)).keys == (2,)


def test_a_cycle_is_recorded_and_a_huge_graph_is_summarised():
    loop = N(1.0)
    loop.parents = (loop,)
    assert snapshot(loop).nodes()[0][3] == (0,)
    chain = N(0.0)
    for k in range(MAX_GRAPH + 5):
        chain = N(float(k), (chain,))
    big = snapshot(chain)
    assert isinstance(big, Opaque) and big.hint == f"a graph of more than {MAX_GRAPH:,} nodes"


def test_a_properties_parents_is_never_run():
    class Sneaky:
        value = 1.0

        @property
        def parents(self):
            raise AssertionError("a property of the lesson's class ran")

    assert isinstance(snapshot(Sneaky()), Opaque)


@pytest.mark.parametrize(
    "broken",
    [
        Graph("N", (1, 2), (1.0, 2.0), (0.0, 0.0), ((1,),)),  # lists of different lengths
        Graph("N", (1,), (1.0,), (0.0,), ((5,),)),  # a parent out of range
        Graph("N", (1,), (1.0,), (0.0,), (("x",),)),  # a parent that is no index
        Graph("N", ("k",), (1.0,), (0.0,), ((),)),  # a key that is no number
    ],
)
def test_a_graph_that_does_not_hold_together_reads_as_nothing(broken):
    assert broken.nodes() == []
    assert loads(dumps(broken)).nodes() == []


@pytest.fixture
def runner():
    with Runner() as r:
        yield r


def run(runner, make_lesson, py=PY):
    lesson = load_lesson(make_lesson("01-nodes", md=MD, py=py))
    assert lesson.problems == []
    result = runner.run(lesson.py_path, lesson.source, lesson.iteration)
    assert result.error is None, result.error
    return lesson, result.timeline


def test_the_named_nodes_are_drawn_with_what_each_was_made_from(runner, make_lesson):
    lesson, t = run(runner, make_lesson)
    end = len(t) - 1
    network, values, note = graph_network("L", t, end, t.values(end), lesson.source)
    assert note == ""
    kinds = {n.id: n.kind for n in network.nodes}
    # out, self, other (names inside the class) never name a node
    assert kinds == {"L": "output", "H": "neuron", "W": "bias", "X": "bias", "B": "bias"}
    edges = {(e.source, e.target) for e in network.edges}
    assert edges == {("H", "L"), ("W", "H"), ("X", "H"), ("B", "H")}  # through W * X
    by_name = {n.id: values[str(n.value)] for n in network.nodes}
    assert by_name == {"L": 1.25**2, "H": 2.25, "W": 1.0, "X": 2.0, "B": 0.25}  # iteration 2


def test_before_the_code_makes_its_graph_the_pane_says_so(runner, make_lesson):
    lesson, t = run(runner, make_lesson)
    network, _, note = graph_network("L", t, 0, t.values(0), lesson.source)
    assert network.nodes == [] and note == "drawn once the code makes L"


def test_a_wire_the_learner_adds_is_drawn(runner, make_lesson):
    py = PY.replace("H = W * X + B", "V = Node(3.0)\n    H = W * X + B + V * X")
    lesson, t = run(runner, make_lesson, py)
    end = len(t) - 1
    network, _, _ = graph_network("L", t, end, t.values(end), lesson.source)
    edges = {(e.source, e.target) for e in network.edges}
    assert ("V", "H") in edges and ("X", "H") in edges


def test_the_lines_of_a_class_are_known_and_bad_source_gives_none():
    lines = class_lines(PY)
    assert 1 in lines and 17 in lines and 20 not in lines
    assert class_lines("def (:") == frozenset()


def test_a_graph_network_is_checked_like_any_other(make_lesson, runner):
    wrong = MD.replace("graph: L", "graph: M")
    lesson = load_lesson(make_lesson("01-nodes", md=wrong, py=PY))
    [(_, problems)] = list(check_lessons([lesson]))
    assert any("'M' (network) never appears in lesson.py" in p.message for p in problems)
    for bad, says in [
        ("graph: L[0]", "'graph' names a variable"),
        ("graph: L\n  nodes: []", "a graph network has 'graph' only"),
    ]:
        lesson = load_lesson(make_lesson(f"02-{len(bad)}", md=MD.replace("graph: L", bad), py=PY))
        assert any(says in p.message for p in lesson.problems), lesson.problems


async def test_the_network_pane_draws_the_graph_the_code_built(make_lesson):
    folder = make_lesson("01-nodes", md=MD, py=PY)
    app = make_app(str(folder), folder.parent)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(pilot)
        await pilot.press("end")
        await pilot.pause()
        seen = "\n".join(screen.query_one(NetworkView).lines())
        for node in ("(W 1.0)", "(X 2.0)", "(B 0.25)", "(H 2.25)", "(L 1.56)"):
            assert node in seen
        await pilot.press("home")
        await pilot.pause()
        seen = "\n".join(screen.query_one(NetworkView).lines())
        assert "(drawn once the code makes L)" in seen
