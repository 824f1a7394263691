"""The network a lesson's code built, read back from the run: ``network: {graph: L}``.

A lesson whose code wires nodes that remember their parents (a computation graph, as in
micrograd) need not declare its network: the recorder keeps each such node's ancestry
(``Graph``), and this module turns the ancestry of the node the variable ``L`` holds into
a ``Network`` the diagram draws. The nodes shown are those a variable of the lesson names
(``X1``, ``W1``, ``Z1``, ``H1``, ``L``…), each with the name and value it has in the code;
the unnamed nodes between them (a product ``W1 * X1``, a partial sum) are followed, not
drawn, so an edge means "made, through operations, from". A wire the learner adds in the
code is drawn at the next run: the pane shows what the code built, not what the lesson
said.

Pure: the names come from the timeline (each variable's assignments up to the event), the
values from the recorded graph.
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ..lesson.network import MAX_EDGES, MAX_NODES, Edge, Network, Node, Ref
from ..run.timeline import Graph, Timeline

RECENT = 2_000  # per variable, the assignments read for names: the most recent ones


def graph_network(
    root_name: str, t: Timeline, event: int, now: Mapping[str, Any], source: str = ""
) -> tuple[Network, dict[str, Any], str]:
    """The drawn network, its values (by node id) and a note ("" or why it is partial).

    Names given inside a class of ``source`` (the node class's own ``out``, ``self``,
    ``node``) are not the lesson's names for its nodes: they are skipped."""
    root = now.get(root_name)
    if not isinstance(root, Graph):
        return Network(), {}, f"drawn once the code makes {root_name}"
    nodes = root.nodes()
    if not nodes:
        return Network(), {}, f"{root_name}: its recorded graph is not readable"
    names = _names(t, event, {key for key, *_ in nodes}, root_name, class_lines(source))
    named: dict[int, str] = {}
    used: set[str] = set()
    for i, (key, value, _, _) in enumerate(nodes):
        name = root_name if i == 0 else names.get(key)
        if name is not None and (i == 0 or _same(names.value(key), value)) and name not in used:
            named[i] = name
            used.add(name)
    edges: list[tuple[int, int]] = []
    for i in named:
        for maker in _named_sources(nodes, named, i):
            edges.append((maker, i))
    shown = sorted(named)[:MAX_NODES]
    kept = set(shown)
    edges = [(s, d) for s, d in edges if s in kept and d in kept][:MAX_EDGES]
    has_parents = {d for _, d in edges}
    network = Network(
        [
            Node(
                named[i],
                "output" if i == 0 else ("neuron" if i in has_parents else "bias"),
                named[i],
                Ref(f"#{i}"),
            )
            for i in shown
        ],
        [Edge(named[s], named[d]) for s, d in edges],
    )
    values = {f"#{i}": nodes[i][1] for i in shown}
    note = ""
    if len(named) > MAX_NODES:
        note = f"{len(named):,} named nodes: the first {MAX_NODES} are drawn"
    return network, values, note


class _Names(dict[int, str]):
    """Node key -> the variable that last held it, with the value it had then."""

    def __init__(self) -> None:
        super().__init__()
        self.held: dict[int, float | None] = {}  # the node's value when the name took it

    def value(self, key: int) -> float | None:
        return self.held.get(key)


@lru_cache(maxsize=8)
def class_lines(source: str) -> frozenset[int]:
    """The lines of ``source`` inside a class definition (none if it does not parse)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return frozenset(lines)


def _names(t: Timeline, event: int, keys: set[int], root_name: str, skip: frozenset[int]) -> _Names:
    """Which variable held each node, by the latest assignment up to ``event``. An object's
    identity is reused only after it is gone, so the latest assignment names the living
    node; the value recorded with it must match too (see ``graph_network``)."""
    found: list[tuple[int, str, int, float | None]] = []
    for name, column in t.columns.items():
        if name == root_name:
            continue
        stop = bisect_right(column.events, event)
        for k in range(max(0, stop - RECENT), stop):
            value = column.values[k]
            at = column.events[k]
            if isinstance(value, Graph) and value.keys and value.keys[0] in keys:
                if skip and at < len(t.lines) and t.lines[at] in skip:
                    continue
                first = value.values[0] if value.values else None
                found.append((at, name, value.keys[0], first))
    names = _Names()
    for _, name, key, value in sorted(found, key=lambda f: (f[0], f[1])):
        names[key] = name
        names.held[key] = value if isinstance(value, float) else None
    return names


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == b or abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


def _named_sources(
    nodes: list[tuple[int, float | None, float | None, tuple[int, ...]]],
    named: dict[int, str],
    target: int,
) -> list[int]:
    """The named nodes ``target`` was made from, through unnamed ones (in parent order)."""
    found: list[int] = []
    seen = {target}
    stack = list(reversed(nodes[target][3]))
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        if p in named:
            found.append(p)
        else:
            stack.extend(reversed(nodes[p][3]))
    return found
