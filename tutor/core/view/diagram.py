"""Draw a lesson's network, any shape, as text: nodes with their values, edges with their weights.

Pure: ``draw(network, values, active)`` returns rows of text and style spans;
the widget only colours them. Layout: columns by the longest path from the
inputs, order inside a column by the barycentre of each node's neighbours
(a few sweeps, to reduce crossings), one routing column per edge between
columns, and weight labels placed where they overwrite nothing (else listed
under the diagram, so no label is ever lost).
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


def order(network: Network, column: dict[str, int], sweeps: int = 4) -> list[list[str]]:
    """Nodes per column, ordered to reduce crossings (barycentre heuristic)."""
    count = max(column.values(), default=-1) + 1
    layers = [[n.id for n in network.nodes if column[n.id] == c] for c in range(count)]
    neighbours: dict[str, list[str]] = {n.id: [] for n in network.nodes}
    for edge in network.edges:
        neighbours[edge.source].append(edge.target)
        neighbours[edge.target].append(edge.source)
    for sweep in range(sweeps):
        span = range(1, count) if sweep % 2 == 0 else range(count - 2, -1, -1)
        for c in span:
            position = {node: i for layer in layers for i, node in enumerate(layer)}

            def key(node: str, c: int = c, position: dict[str, int] = position) -> float:
                near = [position[m] for m in neighbours[node] if column[m] != c and m in position]
                return sum(near) / len(near) if near else position[node]

            layers[c].sort(key=key)
    return layers


class _Canvas:
    def __init__(self, w: int, h: int) -> None:
        self.cells = [[" "] * w for _ in range(h)]
        self.kind = [[""] * w for _ in range(h)]
        self.w, self.h = w, h

    def put(self, x: int, y: int, char: str, kind: str, over: bool = True) -> None:
        if 0 <= x < self.w and 0 <= y < self.h and (over or self.cells[y][x] == " "):
            if self.kind[y][x] in ("node", "node-active", "label") and kind not in (
                "node",
                "node-active",
            ):
                return
            self.cells[y][x] = char
            self.kind[y][x] = kind

    def free(self, x: int, y: int, n: int) -> bool:
        if x < 0 or x + n > self.w or not 0 <= y < self.h:
            return False
        return all(self.kind[y][x + k] not in ("node", "node-active", "label") for k in range(n))


def draw(
    network: Network,
    values: dict[str, Any] | None = None,
    active: set[str] | None = None,
    digits: int = 3,
    ascii: bool = False,
) -> Drawing:
    """The diagram; ``values`` maps recorded names to values, ``active`` names changed just now.

    Each node has one row per incoming edge (its ports), so every edge ends on a
    row of its own, with its weight written on that last stretch:
    ``──w₁=0.5──▶┐(h 0.62)``.
    """
    values = values or {}
    active = active or set()
    column = columns(network)
    layers = order(network, column)
    if not layers:
        return Drawing(["(no network)"])

    def value_of(ref) -> Any:
        return None if ref is None or ref.name not in values else ref.pick(values[ref.name])

    def node_text(node: Node) -> str:
        shown = _shown(value_of(node.value), digits, ascii)
        label = node.label if not ascii or node.label.isascii() else node.id
        return f"({label} {shown})" if shown else f"({label})"

    texts = {n.id: node_text(n) for n in network.nodes}
    incoming: dict[str, list[Edge]] = {n.id: [] for n in network.nodes}
    for edge in network.edges:
        incoming[edge.target].append(edge)
    ports = {n: max(1, len(incoming[n])) for n in incoming}
    labels = {id(e): _edge_label(e, value_of(e.weight), digits, ascii) for e in network.edges}

    # Rows: one per port, a blank row between nodes, and a free channel row above and below.
    heights = [sum(ports[n] + 1 for n in layer) - 1 for layer in layers]
    total_h = max(heights) + 2
    top: dict[str, int] = {}
    for c, layer in enumerate(layers):
        y = 1 + (max(heights) - heights[c]) // 2
        for node in layer:
            top[node] = y
            y += ports[node] + 1
    text_row = {n: top[n] + (ports[n] - 1) // 2 for n in top}

    # Columns: node width, then a gap holding one bend column per edge plus the labels.
    count = [0] * len(layers)
    longest = [0] * len(layers)
    for edge in network.edges:
        c = column[edge.target]
        count[c] += 1
        longest[c] = max(longest[c], width(labels[id(edge)]))
    xs, x = [], 0
    node_w = [max((width(texts[n]) for n in layer), default=3) + 1 for layer in layers]
    gap_start = [0] * len(layers)
    for c in range(len(layers)):
        if c:
            gap_start[c] = x
            x += count[c] + longest[c] + 5
        xs.append(x)
        x += node_w[c]
    canvas = _Canvas(x + 1, total_h)

    def port_kind(edge: Edge) -> str:
        if edge.weight is not None and edge.weight.name in active:
            return "edge-active"
        return "edge-neg" if _negative(value_of(edge.weight)) else "edge-pos"

    # Nodes: the bracket gathering the ports, then the text.
    for n in network.nodes:
        kind = "node-active" if _touched(n, active) else "node"
        x0 = xs[column[n.id]]
        k = ports[n.id]
        if k > 1:
            for r in range(k):
                y = top[n.id] + r
                char = "┐" if r == 0 else "┘" if r == k - 1 else "┤" if y == text_row[n.id] else "│"
                if ascii:
                    char = "+" if r in (0, k - 1) else "|"
                canvas.put(x0, y, char, "edge-pos")
            x0 += 1
        for i, char in enumerate(texts[n.id]):
            canvas.put(x0 + i, text_row[n.id], char, kind)

    # Edges, one bend column each, in the gap before the target's column.
    legend: list[tuple[str, str]] = []
    bend_index = [0] * len(layers)
    for target in (n.id for n in network.nodes):
        for p, edge in enumerate(incoming[target]):
            c = column[target]
            j = bend_index[c]
            bend_index[c] += 1
            kind = port_kind(edge)
            chars = _line_chars(value_of(edge.weight), ascii)
            y1 = text_row[edge.source]
            y2 = top[target] + p
            x1 = (
                xs[column[edge.source]]
                + width(texts[edge.source])
                + (1 if ports[edge.source] > 1 else 0)
            )
            bend = gap_start[c] + 1 + j
            x2 = xs[c] - 1
            channel = _channel(canvas, x1, bend, y1, top, xs, column, edge, layers, total_h)
            _route(canvas, x1, y1, bend, x2, y2, chars, kind, channel)
            canvas.put(x2, y2, ">" if ascii else "▶", kind)
            text = labels[id(edge)]
            start = bend + 2
            if text and canvas.free(start, y2, width(text)) and start + width(text) < x2:
                for i, char in enumerate(text):
                    canvas.cells[y2][start + i] = char
                    canvas.kind[y2][start + i] = "label"
            elif text:
                legend.append((f"{edge.source}→{edge.target}: {text}", kind))

    rows = ["".join(r) for r in canvas.cells]
    spans: list[tuple[int, int, int, str]] = []
    for y in range(canvas.h):
        start = 0
        for x in range(1, canvas.w + 1):
            if x == canvas.w or canvas.kind[y][x] != canvas.kind[y][start]:
                if canvas.kind[y][start]:
                    spans.append((y, start, x, canvas.kind[y][start]))
                start = x
    while rows and not rows[0].strip():  # trim unused channel rows
        rows.pop(0)
        spans = [(y - 1, a, b, k) for y, a, b, k in spans if y > 0]
    while rows and not rows[-1].strip():
        rows.pop()
    for text, kind in legend:
        spans.append((len(rows), 0, len(text), kind))
        rows.append(text)
    return Drawing(rows, spans)


def _channel(canvas, x1, bend, y1, top, xs, column, edge, layers, total_h) -> int | None:
    """A row free of nodes for a skip connection to run along past the columns in between."""
    between = range(column[edge.source] + 1, column[edge.target])
    if not between:
        return None
    blocked = {r for c in between for n in layers[c] for r in range(top[n] - 1, top[n] + 2)}
    if y1 not in blocked:
        return None
    for row in sorted(range(total_h), key=lambda r: abs(r - y1)):
        if row not in blocked:
            return row
    return None


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


def _route(canvas: _Canvas, x1, y1, bend, x2, y2, chars, kind, channel=None) -> None:
    """Along the source's row (or a free channel row) to ``bend``, up or down, on to the target."""
    x, y = x1, y1
    if channel is not None and channel != y1:
        # Step out to the channel right after the source, so the line passes no node.
        canvas.put(x, y, chars["h"], kind)
        down = channel > y
        canvas.put(x + 1, y, chars["tr"] if down else chars["br"], kind)
        for row in range(min(y, channel) + 1, max(y, channel)):
            canvas.put(x + 1, row, chars["v"], kind)
        canvas.put(x + 1, channel, chars["bl"] if down else chars["tl"], kind)
        x, y = x + 2, channel
    for col in range(x, bend):
        canvas.put(col, y, chars["h"], kind)
    if y != y2:
        down = y2 > y
        canvas.put(bend, y, chars["tr"] if down else chars["br"], kind)
        for row in range(min(y, y2) + 1, max(y, y2)):
            canvas.put(bend, row, chars["v"], kind)
        canvas.put(bend, y2, chars["bl"] if down else chars["tl"], kind)
    else:
        canvas.put(bend, y, chars["h"], kind)
    for col in range(bend + 1, x2):
        canvas.put(col, y2, chars["h"], kind)


def _shown(value: Any, digits: int, ascii: bool) -> str:
    return "" if value is None else format_value(value, digits, ascii)
