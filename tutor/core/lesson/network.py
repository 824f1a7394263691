"""The network a lesson declares: nodes and weighted edges of any shape, read from front matter.

Pure data and validation; ``network_view.py`` lays it out and draws it. A value
or weight is a Python name, optionally indexed into an array (``W1[0, 1]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from typing import Any

NODE_KINDS = ("input", "neuron", "output", "bias")
MAX_NODES = 100  # a diagram in a terminal pane; lesson 14, the largest, has 8
MAX_EDGES = 200  # (the layout of a crafted 200-edge network takes about 2 s, once)
_REF = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[\s*(\d+)\s*(?:,\s*(\d+)\s*)?\])?$")


@dataclass(frozen=True)
class Ref:
    """A recorded variable, or one element of it: ``w``, ``b[1]``, ``W1[0, 1]``."""

    name: str
    index: tuple[int, ...] = ()

    def __str__(self) -> str:
        return self.name + (f"[{','.join(map(str, self.index))}]" if self.index else "")

    def pick(self, value: Any) -> Any:
        for i in self.index:
            try:
                value = value[i]
            except (IndexError, KeyError, TypeError):
                return None
        return value


def parse_ref(text: Any) -> Ref | None:
    match = _REF.match(str(text).strip()) if isinstance(text, str) else None
    if not match:
        return None
    index = tuple(int(g) for g in match.groups()[1:] if g is not None)
    return Ref(match.group(1), index)


@dataclass(frozen=True)
class Node:
    id: str
    kind: str = "neuron"
    label: str = ""
    value: Ref | None = None  # what the node outputs
    pre: Ref | None = None  # its weighted sum before the activation


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    weight: Ref | None = None


@dataclass
class Network:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    # ``network: {graph: L}``: draw the computation graph the code built, whose last node
    # the variable L holds (docs 3.4), instead of declared nodes and edges
    graph: str | None = None

    def node(self, node_id: str) -> Node | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def names(self) -> set[str]:
        refs = (
            [n.value for n in self.nodes]
            + [n.pre for n in self.nodes]
            + [e.weight for e in self.edges]
        )
        return {r.name for r in refs if r is not None} | ({self.graph} if self.graph else set())


@dataclass(frozen=True)
class Boundary:
    """A 2-input classifier's output over the input plane: ``function(x1, x2)`` of lesson.py."""

    function: str
    x1: tuple[float, float] = (-0.5, 1.5)
    x2: tuple[float, float] = (-0.5, 1.5)
    points: str | None = None  # a variable holding [(x1, x2, y), ...]
    # check's proof (docs 3.4): the code's inputs and answer for a point, Python expressions
    # read at each event that assigns the answer (None: the network's input and output nodes)
    inputs: tuple[str, str] | None = None
    output: str | None = None


@dataclass
class Plots:
    series: list[str] = field(default_factory=list)  # plotted per iteration
    log: bool = False  # start the chart in log scale
    boundary: Boundary | None = None


def read_network(raw: Any) -> tuple[Network | None, list[tuple[tuple[Any, ...], str]]]:
    """The network and its problems as (front matter key path, message)."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    if raw is None:
        return None, problems
    if isinstance(raw, dict) and "graph" in raw:
        ref = parse_ref(raw["graph"])
        if ref is None or ref.index:
            return None, [(("network", "graph"), "'graph' names a variable, such as 'L'")]
        if set(raw) != {"graph"}:
            other = sorted(str(k) for k in raw if k != "graph")[0]
            return None, [(("network", other), f"'{other}': a graph network has 'graph' only")]
        return Network(graph=ref.name), problems
    if not isinstance(raw, dict) or not isinstance(raw.get("nodes"), list):
        return None, [(("network",), "'network' needs 'nodes' (a list) and 'edges' (a list)")]
    edges = raw.get("edges") or []
    if not isinstance(edges, list):
        return None, [(("network", "edges"), "'edges' must be a list of [from, to, weight]")]
    if len(raw["nodes"]) > MAX_NODES or len(edges) > MAX_EDGES:
        many, what, limit = (
            (len(raw["nodes"]), "nodes", MAX_NODES)
            if len(raw["nodes"]) > MAX_NODES
            else (len(edges), "edges", MAX_EDGES)
        )
        message = (
            f"the network has {many:,} {what}: the tutor draws networks of up to {limit} {what}"
        )
        return None, [(("network", what), message)]
    network = Network()
    seen: set[str] = set()
    for k, item in enumerate(raw["nodes"]):
        if isinstance(item, str):
            item = {"id": item}
        if not isinstance(item, dict) or not isinstance(item.get("id"), str | int):
            problems.append((("network", "nodes"), f"node {k + 1} needs an 'id'"))
            continue
        node_id = str(item["id"])
        if node_id in seen:
            problems.append((("network", "nodes"), f"node id '{node_id}' is used twice"))
            continue
        seen.add(node_id)
        kind = item.get("kind", "neuron")
        if kind not in NODE_KINDS:
            problems.append(
                (
                    ("network", "nodes"),
                    f"node '{node_id}': kind must be one of {', '.join(NODE_KINDS)}",
                )
            )
            kind = "neuron"
        refs = {}
        for key in ("value", "pre"):
            if item.get(key) is not None:
                ref = parse_ref(item[key])
                if ref is None:
                    problems.append(
                        (
                            ("network", "nodes"),
                            f"node '{node_id}': {key} must be a Python name like a1 or a[0]",
                        )
                    )
                refs[key] = ref
        unknown = set(item) - {"id", "kind", "label", "value", "pre"}
        if unknown:
            problems.append(
                (("network", "nodes"), f"node '{node_id}': unknown key '{sorted(unknown)[0]}'")
            )
        label = item.get("label", node_id)
        if not isinstance(label, str | int | float):
            problems.append((("network", "nodes"), f"node '{node_id}': 'label' must be text"))
            label = node_id
        network.nodes.append(Node(node_id, kind, str(label), refs.get("value"), refs.get("pre")))
    for k, item in enumerate(edges):
        if isinstance(item, list | tuple) and len(item) in (2, 3):
            item = dict(zip(("from", "to", "weight"), item, strict=False))
        if not isinstance(item, dict) or not all(
            isinstance(item.get(end), str | int) for end in ("from", "to")
        ):
            problems.append(
                (("network", "edges"), f"edge {k + 1} needs 'from' and 'to' (node ids)")
            )
            continue
        source, target = str(item["from"]), str(item["to"])
        for end in (source, target):
            if end not in seen:
                problems.append(
                    (("network", "edges"), f"edge {source} → {target}: no node '{end}'")
                )
        weight = parse_ref(item["weight"]) if item.get("weight") is not None else None
        if item.get("weight") is not None and weight is None:
            problems.append(
                (
                    ("network", "edges"),
                    f"edge {source} → {target}: weight must be a Python name like w or W[0, 1]",
                )
            )
        network.edges.append(Edge(source, target, weight))
    if not problems and _has_cycle(network):
        problems.append(
            (
                ("network", "edges"),
                "the edges form a cycle: a network here is drawn from inputs to outputs",
            )
        )
    return network, problems


def _has_cycle(network: Network) -> bool:
    """The standard library's topological sort finds a cycle without recursion: a long
    chain of nodes is as easy as a short one."""
    graph: dict[str, set[str]] = {n.id: set() for n in network.nodes}
    for edge in network.edges:
        graph.setdefault(edge.target, set()).add(edge.source)
    try:
        TopologicalSorter(graph).prepare()
    except CycleError:
        return True
    return False


def read_plots(raw: Any) -> tuple[Plots | None, list[tuple[tuple[Any, ...], str]]]:
    problems: list[tuple[tuple[Any, ...], str]] = []
    if raw is None:
        return None, problems
    if not isinstance(raw, dict):
        return None, [(("plots",), "'plots' must be a mapping: series, log, boundary")]
    plots = Plots()
    series = raw.get("series", [])
    if isinstance(series, str):
        series = [series]
    if not isinstance(series, list) or not all(isinstance(s, str) and parse_ref(s) for s in series):
        problems.append((("plots", "series"), "'series' must be a list of Python names"))
    else:
        plots.series = list(series)
    plots.log = bool(raw.get("log", False))
    boundary = raw.get("boundary")
    if boundary is not None:
        if not isinstance(boundary, dict) or not isinstance(boundary.get("function"), str):
            problems.append(
                (
                    ("plots", "boundary"),
                    "'boundary' needs 'function': a function of lesson.py taking (x1, x2)",
                )
            )
        else:
            ranges = {}
            for key in ("x1", "x2"):
                value = boundary.get(key, [-0.5, 1.5])
                if (
                    isinstance(value, list)
                    and len(value) == 2
                    and all(isinstance(v, int | float) for v in value)
                    and value[0] < value[1]
                ):
                    ranges[key] = (float(value[0]), float(value[1]))
                else:
                    problems.append((("plots", "boundary"), f"'{key}' must be [low, high]"))
                    ranges[key] = (-0.5, 1.5)
            points = boundary.get("points")
            inputs, output = boundary.get("inputs"), boundary.get("output")
            if inputs is not None and not (
                isinstance(inputs, list)
                and len(inputs) == 2
                and all(isinstance(i, str) and i.strip() for i in inputs)
            ):
                problems.append(
                    (
                        ("plots", "boundary"),
                        "'inputs' must be two Python expressions: the code's x1 and x2",
                    )
                )
                inputs = None
            if output is not None and not (isinstance(output, str) and output.strip()):
                problems.append(
                    (("plots", "boundary"), "'output' must be a Python expression: the answer")
                )
                output = None
            plots.boundary = Boundary(
                boundary["function"],
                ranges["x1"],
                ranges["x2"],
                points if isinstance(points, str) else None,
                tuple(inputs) if inputs else None,
                output,
            )
    unknown = set(raw) - {"series", "log", "boundary"}
    if unknown:
        problems.append(
            (("plots",), f"unknown plots key '{sorted(unknown)[0]}' (known: series, log, boundary)")
        )
    return plots, problems
