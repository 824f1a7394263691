"""Draw a lesson's network, any shape, as text: nodes with their values, edges with their weights.

Pure: ``draw(network, values, active)`` returns rows of text and style spans;
the widget only colours them. Layout: columns by the longest path from the
inputs (a bias is drawn once before each layer it feeds; a long edge passes
through the columns between), order inside a column by the barycentre of the
neighbours (a few sweeps, to reduce crossings), one row per incoming edge (a
port), one turning column per edge in the gap before its target (ordered for
fewest crossings), and every weight label on its own edge's last stretch, after
all the turns and before its arrow, where no other wire runs. Wires split with
``┬ ┴``, turn with ``┐ ┘ └ ┌`` and cross with ``┼ ╂ ┿ ╋`` (a crossing never
joins), so a reader can follow each wire from its source to its label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..equation.boxes import width
from ..lesson.network import Edge, Network, Node
from ..numbers import format_value

SOLID = {"h": "─", "v": "│", "tl": "┌", "tr": "┐", "bl": "└", "br": "┘"}
HEAVY = {"h": "━", "v": "┃", "tl": "┏", "tr": "┓", "bl": "┗", "br": "┛"}
DASHED = {"h": "╌", "v": "╎", "tl": "┌", "tr": "┐", "bl": "└", "br": "┘"}
HORIZONTAL = {SOLID["h"], HEAVY["h"], DASHED["h"]}
CROSSING = {(False, False): "┼", (True, False): "╂", (False, True): "┿", (True, True): "╋"}


@dataclass
class Drawing:
    rows: list[str]
    spans: list[tuple[int, int, int, str]] = field(default_factory=list)  # row, start, end, kind

    def text(self) -> str:
        return "\n".join(r.rstrip() for r in self.rows)


def columns(network: Network) -> dict[str, int]:
    """Each node's column: the longest path to it from a node with no incoming edge."""
    incoming: dict[str, list[str]] = {n.id: [] for n in network.nodes}
    for edge in network.edges:
        incoming.setdefault(edge.target, []).append(edge.source)
    column: dict[str, int] = {}

    def depth(node: str, seen: frozenset[str] = frozenset()) -> int:
        if node in column:
            return column[node]
        if node in seen:
            return 0
        sources = incoming.get(node, [])
        column[node] = 0 if not sources else 1 + max(depth(s, seen | {node}) for s in sources)
        return column[node]

    for node in network.nodes:
        depth(node.id)
    # A bias sits one column before the first node it feeds, not with the inputs.
    for node in network.nodes:
        if node.kind == "bias":
            targets = [column[e.target] for e in network.edges if e.source == node.id]
            if targets:
                column[node.id] = max(0, min(targets) - 1)
    return column


class _Canvas:
    def __init__(self, w: int, h: int) -> None:
        self.cells = [[" "] * w for _ in range(h)]
        self.kind = [[""] * w for _ in range(h)]
        self.w, self.h = w, h

    def put(self, x: int, y: int, char: str, kind: str) -> None:
        if 0 <= x < self.w and 0 <= y < self.h:
            self.cells[y][x] = char
            self.kind[y][x] = kind

    def cross(self, x: int, y: int, chars: dict[str, str], kind: str, ascii: bool) -> None:
        """A vertical stretch; over a horizontal wire, a crossing glyph (never a junction)."""
        if not (0 <= x < self.w and 0 <= y < self.h):
            return
        under = self.cells[y][x]
        if under in HORIZONTAL and not ascii:
            heavy_v, heavy_h = chars["v"] == HEAVY["v"], under == HEAVY["h"]
            self.put(x, y, CROSSING[heavy_v, heavy_h], kind)
        else:
            self.put(x, y, chars["v"], kind)

    def drawing(self) -> Drawing:
        rows = ["".join(r).rstrip() for r in self.cells]
        spans: list[tuple[int, int, int, str]] = []
        for y in range(self.h):
            start = 0
            for x in range(1, self.w + 1):
                if x == self.w or self.kind[y][x] != self.kind[y][start]:
                    if self.kind[y][start]:
                        spans.append((y, start, x, self.kind[y][start]))
                    start = x
        return Drawing(rows, spans)


@dataclass
class _Item:
    """One box of the layout: a node (a bias is drawn once per layer it feeds) or a pass-through."""

    id: str
    column: int
    text: str = ""
    node: Node | None = None  # None: a long edge passing through this column
    ins: list[_Wire] = field(default_factory=list)  # incoming wires, one port each
    top: int = 0

    @property
    def ports(self) -> int:
        return max(1, len(self.ins)) if self.node is not None else 1

    @property
    def row(self) -> int:  # where its text (and its outgoing wires) are
        return self.top + (self.ports - 1) // 2


@dataclass
class _Wire:
    """One edge between neighbouring columns; a long edge is a chain of them."""

    source: _Item
    target: _Item
    edge: Edge
    last: bool  # ends at the edge's own target: carries the label and the arrow
    port: int = 0
    bend: int = -1  # its bend column, or -1 when it runs straight


def _items(network: Network, texts: dict[str, str]) -> tuple[list[list[_Item]], list[_Wire]]:
    """Columns of items and the wires between them, ordered to reduce crossings."""
    column = columns(network)  # a bias with edges is drawn once before each layer it feeds
    items: dict[str, _Item] = {
        n.id: _Item(n.id, column[n.id], texts[n.id], n)
        for n in network.nodes
        if not (n.kind == "bias" and any(e.source == n.id for e in network.edges))
    }
    wires: list[_Wire] = []
    for edge in network.edges:
        origin, target = network.node(edge.source), items.get(edge.target)
        if origin is None or target is None:
            continue  # (a problem the lesson check reports)
        if origin.kind == "bias":
            copy = f"{edge.source}@{target.column}"
            source = items.setdefault(
                copy, _Item(copy, max(0, target.column - 1), texts[edge.source], origin)
            )
        else:
            source = items[edge.source]
        for c in range(source.column + 1, target.column):  # pass-throughs for a long edge
            dummy = _Item(f"{edge.source}>{edge.target}@{c}", c)
            items[dummy.id] = dummy
            wires.append(_Wire(source, dummy, edge, False))
            dummy.ins.append(wires[-1])
            source = dummy
        wires.append(_Wire(source, target, edge, True))
        target.ins.append(wires[-1])
    count = max(i.column for i in items.values()) + 1
    layers = [[i for i in items.values() if i.column == c] for c in range(count)]
    near: dict[str, list[_Item]] = {i: [] for i in items}
    for w in wires:
        near[w.source.id].append(w.target)
        near[w.target.id].append(w.source)
    for sweep in range(6):
        span = range(1, count) if sweep % 2 == 0 else range(count - 2, -1, -1)
        for c in span:
            position = {i.id: k for layer in layers for k, i in enumerate(layer)}

            side = c - 1 if sweep % 2 == 0 else c + 1  # the column just placed

            def key(item: _Item, side: int = side, position: dict[str, int] = position) -> float:
                near_side = [position[m.id] for m in near[item.id] if m.column == side]
                return sum(near_side) / len(near_side) if near_side else position[item.id]

            layers[c].sort(key=key)
    return layers, wires


def _place(layers: list[list[_Item]]) -> None:
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


def _bends(wires: list[_Wire]) -> int:
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


def _crossings(order: list[_Wire], straight: set[int]) -> int:
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


def draw(
    network: Network,
    values: dict[str, Any] | None = None,
    active: set[str] | None = None,
    digits: int = 3,
    ascii: bool = False,
) -> Drawing:
    """The diagram; ``values`` maps recorded names to values, ``active`` names changed just now.

    Each node has one row (a port) per incoming edge, gathered by a bracket, and
    each edge's label is on its own last stretch, between its last turn and its
    arrow, where no other wire runs: ``──w₁=0.5──▶┐(h 0.62)``.
    """
    values = values or {}
    active = active or set()
    if not network.nodes:
        return Drawing(["(no network)"])

    def value_of(ref) -> Any:
        return None if ref is None or ref.name not in values else ref.pick(values[ref.name])

    def node_text(node: Node) -> str:
        shown = _shown(value_of(node.value), digits, ascii)
        label = node.label if not ascii or node.label.isascii() else node.id
        return f"({label} {shown})" if shown else f"({label})"

    layers, wires = _items(network, {n.id: node_text(n) for n in network.nodes})
    _place(layers)
    labels = {id(e): _edge_label(e, value_of(e.weight), digits, ascii) for e in network.edges}
    gaps: list[list[_Wire]] = [[] for _ in layers]
    for w in wires:
        gaps[w.target.column].append(w)
    bends = [_bends(g) for g in gaps]

    # Columns: the nodes (bracket + text), then a gap: a stub, the bends, the labels, the arrow.
    col_w = [
        max((int(i.ports > 1) + width(i.text) for i in layer if i.node), default=0)
        for layer in layers
    ]
    xs, gap_start, x = [], [0] * len(layers), 0
    for c in range(len(layers)):
        if c:
            gap_start[c] = x
            longest = max((width(labels[id(w.edge)]) for w in gaps[c] if w.last), default=0)
            x += 1 + bends[c] + 1 + longest + (2 if longest else 1) + 1
        xs.append(x)
        x += col_w[c]
    height = max((i.top + i.ports for layer in layers for i in layer), default=1)
    canvas = _Canvas(x + 1, height)

    def kind_of(edge: Edge) -> str:
        if edge.weight is not None and edge.weight.name in active:
            return "edge-active"
        return "edge-neg" if _negative(value_of(edge.weight)) else "edge-pos"

    def out_x(item: _Item) -> int:  # where its outgoing wires start
        if item.node is None:
            return xs[item.column] + col_w[item.column]
        return xs[item.column] + int(item.ports > 1) + width(item.text)

    light = _line_chars(None, ascii)
    straight_of: dict[str, _Wire] = {}
    # Pass 1, horizontals: each source's wire up to its last turn, each wire's last stretch.
    for c, gap in enumerate(gaps):
        by_source: dict[str, list[_Wire]] = {}
        for w in gap:
            by_source.setdefault(w.source.id, []).append(w)
        for group in by_source.values():
            source = group[0].source
            straight = next((w for w in group if w.bend < 0), None)
            turns = [gap_start[c] + 1 + w.bend for w in group if w.bend >= 0]
            end = xs[c] - 1 if straight else max(turns) + 1
            alone = len(group) == 1
            chars = _line_chars(value_of(group[0].edge.weight), ascii) if alone else light
            kind = kind_of(group[0].edge) if alone else "edge-pos"
            for col in range(out_x(source), end):
                canvas.put(col, source.row, chars["h"], kind)
            if straight:
                straight_of[source.id] = straight
                chars = _line_chars(value_of(straight.edge.weight), ascii)
                for col in range(max(turns, default=out_x(source) - 1) + 1, xs[c] - 1):
                    canvas.put(col, source.row, chars["h"], kind_of(straight.edge))
        for w in gap:
            chars = _line_chars(value_of(w.edge.weight), ascii)
            if w.bend >= 0:
                for col in range(gap_start[c] + 2 + w.bend, xs[c] - 1):
                    canvas.put(col, w.port, chars["h"], kind_of(w.edge))
            if w.target.node is None:  # a long edge runs on through the column
                for col in range(xs[c] - 1, xs[c] + col_w[c]):
                    canvas.put(col, w.port, chars["h"], kind_of(w.edge))
    # Pass 2, the turns: down or up in the wire's own column, crossing what it passes.
    for c, gap in enumerate(gaps):
        last_turn: dict[str, int] = {}
        for w in gap:
            if w.bend >= 0:
                last_turn[w.source.id] = max(last_turn.get(w.source.id, -1), w.bend)
        for w in gap:
            if w.bend < 0:
                continue
            chars = _line_chars(value_of(w.edge.weight), ascii)
            kind = kind_of(w.edge)
            bx, y1, y2 = gap_start[c] + 1 + w.bend, w.source.row, w.port
            down = y2 > y1
            for row in range(min(y1, y2) + 1, max(y1, y2)):
                canvas.cross(bx, row, chars, kind, ascii)
            ends = w.bend == last_turn[w.source.id] and w.source.id not in straight_of
            if ends:
                canvas.put(bx, y1, chars["tr"] if down else chars["br"], kind)
            else:
                canvas.put(bx, y1, _tee(chars, down, ascii), kind)
            canvas.put(bx, y2, chars["bl"] if down else chars["tl"], kind)
    # Pass 3: labels on each edge's last stretch, arrows, brackets and nodes.
    for c, gap in enumerate(gaps):
        label_x = gap_start[c] + 1 + bends[c] + 1
        for w in gap:
            if not w.last:
                continue
            kind = kind_of(w.edge)
            canvas.put(xs[c] - 1, w.port, ">" if ascii else "▶", kind)
            for i, char in enumerate(labels[id(w.edge)]):
                canvas.put(label_x + i, w.port, char, "label")
    for layer in layers:
        for item in layer:
            if item.node is None:
                continue
            x0, k = xs[item.column], item.ports
            if k > 1:
                for r in range(k):
                    y = item.top + r
                    char = "┐" if r == 0 else "┘" if r == k - 1 else "┤" if y == item.row else "│"
                    if ascii:
                        char = "+" if r in (0, k - 1) else "|"
                    canvas.put(x0, y, char, "edge-pos")
                x0 += 1
            kind = "node-active" if _touched(item.node, active) else "node"
            for i, char in enumerate(item.text):
                canvas.put(x0 + i, item.row, char, kind)
    return canvas.drawing()


def _touched(node: Node, active: set[str]) -> bool:
    return any(ref is not None and ref.name in active for ref in (node.value, node.pre))


def _negative(value: Any) -> bool:
    try:
        return float(value) < 0
    except (TypeError, ValueError):
        return False


def _line_chars(weight: Any, ascii: bool) -> dict[str, str]:
    """Dashed for a negative weight, heavy for a large one: legible without colour."""
    if ascii:
        dash = _negative(weight)
        return {
            "h": "-" if not dash else ".",
            "v": "|" if not dash else ":",
            "tl": "+",
            "tr": "+",
            "bl": "+",
            "br": "+",
        }
    if _negative(weight):
        return DASHED
    try:
        big = abs(float(weight)) >= 1.0
    except (TypeError, ValueError):
        big = False
    return HEAVY if big else SOLID


def _edge_label(edge: Edge, weight: Any, digits: int, ascii: bool) -> str:
    if edge.weight is None:
        return ""
    shown = _shown(weight, digits, ascii)
    return f"{edge.weight}={shown}" if shown else str(edge.weight)


def _shown(value: Any, digits: int, ascii: bool) -> str:
    return "" if value is None else format_value(value, digits, ascii)


def _tee(chars: dict[str, str], down: bool, ascii: bool) -> str:
    """Where a wire leaves a source's shared line: ``┬`` down, ``┴`` up (heavy: ``┰ ┸``)."""
    if ascii:
        return "+"
    if chars["v"] == HEAVY["v"]:
        return "┰" if down else "┸"
    return "┬" if down else "┴"
