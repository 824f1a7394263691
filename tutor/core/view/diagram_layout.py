"""Where a network's parts go on the text grid: columns, rows (ports) and turning columns.

Pure. Columns by the longest path from the inputs; a bias is an item once before
each layer it feeds; a long edge gets a pass-through item in each column it
crosses. Order in a column by the barycentre of the neighbours (a few sweeps);
rows so that a wire runs straight into its port where it can, and a port row
never carries another source's wire; one turning column per wire that changes
row, in the order (of a few tried) with the fewest crossings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..lesson.network import Edge, Network, Node


def columns(network: Network) -> dict[str, int]:
    """Each node's column: the longest path to it from a node with no incoming edge.

    In topological order (Kahn), without recursion: a chain of any length is laid out.
    Nodes on a cycle (a lesson problem, reported by the loader) go after their other inputs
    (so not ``graphlib``, which gives no order at all for a graph with a cycle).
    """
    ids = [n.id for n in network.nodes]
    known = set(ids)
    incoming: dict[str, list[str]] = {i: [] for i in ids}
    outgoing: dict[str, list[str]] = {i: [] for i in ids}
    for edge in network.edges:
        if edge.source in known and edge.target in known:
            incoming[edge.target].append(edge.source)
            outgoing[edge.source].append(edge.target)
    waiting = {i: len(incoming[i]) for i in ids}
    column: dict[str, int] = {}
    ready = [i for i in ids if not waiting[i]]
    while ready:
        done = ready.pop()
        column[done] = max((column[s] + 1 for s in incoming[done] if s in column), default=0)
        for nxt in outgoing[done]:
            waiting[nxt] -= 1
            if not waiting[nxt]:
                ready.append(nxt)
    for left in ids:  # on a cycle: never ready
        if left not in column:
            column[left] = max((column[s] + 1 for s in incoming[left] if s in column), default=0)
    # A bias sits one column before the first node it feeds, not with the inputs.
    for node in network.nodes:
        if node.kind == "bias":
            targets = [
                column[e.target]
                for e in network.edges
                if e.source == node.id and e.target in column
            ]
            if targets:
                column[node.id] = max(0, min(targets) - 1)
    return column


@dataclass
class Item:
    """One box of the layout: a node (a bias is drawn once per layer it feeds) or a pass-through."""

    id: str
    column: int
    node: Node | None = None  # None: a long edge passing through this column
    ins: list[Wire] = field(default_factory=list)  # incoming wires, one port each
    top: int = 0

    @property
    def ports(self) -> int:
        return max(1, len(self.ins)) if self.node is not None else 1

    @property
    def row(self) -> int:  # where its text (and its outgoing wires) are
        return self.top + (self.ports - 1) // 2


@dataclass
class Wire:
    """One edge between neighbouring columns; a long edge is a chain of them."""

    source: Item
    target: Item
    edge: Edge
    last: bool  # ends at the edge's own target: carries the label and the arrow
    port: int = 0
    bend: int = -1  # its bend column, or -1 when it runs straight


@lru_cache(maxsize=16)
def _layout(nodes: tuple[Node, ...], edges: tuple[Edge, ...]) -> tuple[list[list[Item]], list[int]]:
    network = Network(list(nodes), list(edges))
    layers, wires = layout_items(network)
    place_rows(layers)
    gaps: list[list[Wire]] = [[] for _ in layers]
    for w in wires:
        gaps[w.target.column].append(w)
    return layers, [assign_bends(g) for g in gaps]


def layout(network: Network) -> tuple[list[list[Item]], list[int]]:
    """Columns of placed items (each with its incoming wires) and the turning columns per gap.

    It depends on the network's shape only, not on the values: computed once per shape
    (the items are shared: read them, never change them)."""
    return _layout(tuple(network.nodes), tuple(network.edges))


def layout_items(network: Network) -> tuple[list[list[Item]], list[Wire]]:
    """Columns of items and the wires between them, ordered to reduce crossings."""
    column = columns(network)  # a bias with edges is drawn once before each layer it feeds
    items: dict[str, Item] = {
        n.id: Item(n.id, column[n.id], n)
        for n in network.nodes
        if not (n.kind == "bias" and any(e.source == n.id for e in network.edges))
    }
    wires: list[Wire] = []
    for edge in network.edges:
        origin, target = network.node(edge.source), items.get(edge.target)
        if origin is None or target is None:
            continue  # (a problem the lesson check reports)
        if origin.kind == "bias":
            copy = f"{edge.source}@{target.column}"
            source = items.setdefault(copy, Item(copy, max(0, target.column - 1), origin))
        else:
            source = items[edge.source]
        for c in range(source.column + 1, target.column):  # pass-throughs for a long edge
            dummy = Item(f"{edge.source}>{edge.target}@{c}", c)
            items[dummy.id] = dummy
            wires.append(Wire(source, dummy, edge, False))
            dummy.ins.append(wires[-1])
            source = dummy
        wires.append(Wire(source, target, edge, True))
        target.ins.append(wires[-1])
    count = max(i.column for i in items.values()) + 1
    layers = [[i for i in items.values() if i.column == c] for c in range(count)]
    near: dict[str, list[Item]] = {i: [] for i in items}
    for w in wires:
        near[w.source.id].append(w.target)
        near[w.target.id].append(w.source)
    for sweep in range(6):
        span = range(1, count) if sweep % 2 == 0 else range(count - 2, -1, -1)
        for c in span:
            position = {i.id: k for layer in layers for k, i in enumerate(layer)}

            side = c - 1 if sweep % 2 == 0 else c + 1  # the column just placed

            def key(item: Item, side: int = side, position: dict[str, int] = position) -> float:
                near_side = [position[m.id] for m in near[item.id] if m.column == side]
                return sum(near_side) / len(near_side) if near_side else position[item.id]

            layers[c].sort(key=key)
    return layers, wires


def place_rows(layers: list[list[Item]]) -> None:
    """Rows: each node's ports stacked, a blank row around a bracket; a port row may hold a
    source's outgoing wire only if that wire is the port's own (it then runs straight).
    Nodes first, top to bottom; then each long edge's pass-through on the free row nearest
    its source (above or below the nodes if need be)."""
    sources: dict[int, str] = {}
    for layer in layers:
        nodes = [i for i in layer if i.node is not None]
        nodes.sort(key=lambda i: i.node is not None and i.node.kind == "bias")  # biases last
        bottom, previous = -1, None
        for item in nodes:
            item.ins.sort(key=lambda w: w.source.row)
            gap = 1 if previous is not None and (previous.ports > 1 or item.ports > 1) else 0
            low = bottom + 1 + gap
            rows = [w.source.row for w in item.ins]
            best: tuple[float, int] | None = None
            for top in range(low, low + 4 * item.ports + 2 * len(layer) + 8):
                if not all(
                    sources.get(top + p) in (None, w.source.id) for p, w in enumerate(item.ins)
                ):
                    continue
                straight = sum(top + p == r for p, r in enumerate(rows))
                centre = sum(rows) / len(rows) - (len(rows) - 1) / 2 if rows else low
                cost = -3 * straight + abs(top - centre) * 0.5 + (top - low) * 0.3
                if best is None or cost < best[0]:
                    best = (cost, top)
            item.top = best[1] if best else low
            bottom, previous = item.top + item.ports - 1, item
        used = {
            r for i in nodes for r in range(i.top - (i.ports > 1), i.top + i.ports + (i.ports > 1))
        }
        for item in (i for i in layer if i.node is None):
            wire = item.ins[0]
            want = wire.source.row
            for d in range(0, 4 * len(layer) + 2 * len(sources) + 8):
                row = want + (d + 1) // 2 * (1 if d % 2 else -1)
                if row not in used and sources.get(row) in (None, wire.source.id):
                    break
            item.top = row
            used.add(row)
        for item in layer:
            for p, w in enumerate(item.ins):
                w.port = item.top + p
        layer.sort(key=lambda i: i.top)
        sources = {i.row: i.id for i in layer}
    low = min((i.top for layer in layers for i in layer), default=0)
    for layer in layers:  # pass-throughs may sit above the first node: start at row 0
        for item in layer:
            item.top -= low
            for p, w in enumerate(item.ins):
                w.port = item.top + p


def assign_bends(wires: list[Wire]) -> int:
    """Give each wire that turns its own column in the gap, in the order with fewest crossings."""
    turning = [w for w in wires if w.source.row != w.port]
    if not turning:
        return 0
    orders = [
        sorted(turning, key=k)
        for k in (
            lambda w: (w.source.row, w.port),
            lambda w: (w.source.row, -w.port),
            lambda w: (-w.source.row, w.port),
            lambda w: (w.port, w.source.row),
            lambda w: (-w.port, w.source.row),
            lambda w: (abs(w.port - w.source.row), w.source.row),
            lambda w: (-abs(w.port - w.source.row), w.source.row),
        )
    ]
    straight = {w.source.row for w in wires if w.source.row == w.port}
    best = min(orders, key=lambda order: _crossings(order, straight))
    for k, w in enumerate(best):
        w.bend = k
    return len(best)


def _crossings(order: list[Wire], straight: set[int]) -> int:
    """How many times the turns cross other wires (``straight``: rows running right through)."""
    bend = {id(w): k for k, w in enumerate(order)}
    reach: dict[int, float] = {row: float("inf") for row in straight}  # a source's row: its extent
    for w in order:
        reach[w.source.row] = max(reach.get(w.source.row, -1), bend[id(w)])
    n = 0
    for w in order:
        b, lo, hi = bend[id(w)], min(w.source.row, w.port), max(w.source.row, w.port)
        n += sum(1 for v in order if v is not w and lo < v.port < hi and bend[id(v)] < b)
        n += sum(1 for row, end in reach.items() if lo < row < hi and end > b)
    return n
