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
from .diagram_layout import Item, Wire, columns, layout

__all__ = ["Drawing", "columns", "draw"]

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

    layers, bends = layout(network)
    texts = {n.id: node_text(n) for n in network.nodes}

    def text_of(item: Item) -> str:
        return texts[item.node.id] if item.node is not None else ""

    labels = {e: _edge_label(e, value_of(e.weight), digits, ascii) for e in network.edges}
    gaps: list[list[Wire]] = [[w for item in layer for w in item.ins] for layer in layers]

    # Columns: the nodes (bracket + text), then a gap: a stub, the bends, the labels, the arrow.
    col_w = [
        max((int(i.ports > 1) + width(text_of(i)) for i in layer if i.node), default=0)
        for layer in layers
    ]
    xs, gap_start, x = [], [0] * len(layers), 0
    for c in range(len(layers)):
        if c:
            gap_start[c] = x
            longest = max((width(labels[w.edge]) for w in gaps[c] if w.last), default=0)
            x += 1 + bends[c] + 1 + longest + 1 + 1  # stub, turns, gap, label, wire, arrow
        xs.append(x)
        x += col_w[c]
    height = max((i.top + i.ports for layer in layers for i in layer), default=1)
    canvas = _Canvas(x + 1, height)

    def kind_of(edge: Edge) -> str:
        if edge.weight is not None and edge.weight.name in active:
            return "edge-active"
        return "edge-neg" if _negative(value_of(edge.weight)) else "edge-pos"

    def out_x(item: Item) -> int:  # where its outgoing wires start
        if item.node is None:
            return xs[item.column] + col_w[item.column]
        return xs[item.column] + int(item.ports > 1) + width(text_of(item))

    light = _line_chars(None, ascii)
    straight_of: dict[str, Wire] = {}
    # Pass 1, horizontals: each source's wire up to its last turn, each wire's last stretch.
    for c, gap in enumerate(gaps):
        by_source: dict[str, list[Wire]] = {}
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
            for i, char in enumerate(labels[w.edge]):
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
            for i, char in enumerate(text_of(item)):
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
