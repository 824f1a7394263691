"""The per-iteration chart as text: each series drawn in braille against its iteration numbers.

``layout(series, iterations, width, height, log)`` makes everything that does not depend on
the position (cache it per size and scale); ``at(chart, current)`` adds the current
iteration (a marked column and the legend's "iteration N") and is cheap enough for every key.

Rows: a one-line legend on top (outside the curves), the plot rows with the y labels on the
left, and the iteration numbers underneath (from ``AXIS_FROM`` rows high). The y labels are values of the data range at the
rows they label (the top row is the largest value drawn, the bottom row the smallest).

A series *diverges* at the first iteration whose value is not finite, or more than
``GROWTH`` times the smallest magnitude it had so far (at least 1). The y range is taken from
the iterations before that; later values are clipped to the edge and drawn as ``clipped``,
NaN and +∞ at the top edge, −∞ at the bottom. On a log scale, values ≤ 0 are clipped to the
bottom edge the same way. Pure: the app colours the span kinds (``s0``…, ``clipped``,
``axis``, ``label``, ``diverged``, ``marker``, ``current``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..numbers import format_number

GROWTH = 1000.0
SERIES_KINDS = 6  # s0…s5; more series reuse the colours
_DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [dot row][dot column]
LEGEND_MARK = "━"
AXIS_FROM = 5  # the iteration numbers get a row from this height (the legend names the current)

Span = tuple[int, int, int, str]  # row, start, end (columns), kind


@dataclass(frozen=True)
class Chart:
    """The drawing without the current iteration; ``at`` adds it."""

    rows: tuple[str, ...]
    spans: tuple[Span, ...]
    width: int
    height: int
    left: int  # the first plot column (after the y labels)
    plot_rows: range  # the rows holding curves
    x_range: tuple[int, int]  # first and last iteration on the axis
    y_range: tuple[float, float]  # bottom and top of the plot (data values)
    y_ticks: tuple[float, ...]  # the values the y labels show
    x_ticks: tuple[int, ...]  # the iterations the x labels show
    xs: tuple[int, ...]  # the iteration of each point drawn
    diverged: int | None  # the first iteration a series diverged at
    log: bool  # drawn on a log scale (asked for, and some value is positive)

    def column(self, iteration: int) -> int | None:
        """The screen column of ``iteration``, or None when it is off the axis."""
        lo, hi = self.x_range
        if not self.plot_rows or iteration < lo or iteration > hi:
            return None
        dots = 2 * (self.width - self.left)
        d = 0 if hi == lo else round((iteration - lo) / (hi - lo) * (dots - 1))
        return self.left + d // 2


def diverged_at(values: Sequence[float], iterations: Sequence[int]) -> int | None:
    """The first iteration the series blows up at (see the module doc), or None."""
    smallest = math.inf
    for k, v in zip(iterations, values, strict=False):
        if not math.isfinite(v):
            return k
        if smallest < math.inf and abs(v) > GROWTH * max(1.0, smallest):
            return k
        smallest = min(smallest, abs(v))
    return None


def layout(
    series: Mapping[str, Sequence[float]],
    iterations: Sequence[int],
    width: int,
    height: int,
    log: bool = False,
    ascii: bool = False,
) -> Chart:
    """The chart of ``series`` (name -> one value per entry of ``iterations``), width × height."""
    width, height = max(1, width), max(1, height)
    names = list(series)
    xs = tuple(iterations)
    stops = [d for d in (diverged_at(series[n], xs) for n in names) if d is not None]
    diverged = min(stops) if stops else None
    trusted = [
        v
        for n in names
        for k, v in zip(xs, series[n], strict=False)
        if (diverged is None or k < diverged) and math.isfinite(v)
    ]
    if not trusted:  # diverged at once: use what is finite
        trusted = [v for n in names for v in series[n] if math.isfinite(v)]
    log = log and any(v > 0 for v in trusted)
    if log:
        trusted = [v for v in trusted if v > 0]
    lo, hi = (min(trusted), max(trusted)) if trusted else (0.0, 1.0)
    flat = lo == hi

    legend, legend_spans = _legend(names, diverged, log, width)
    rows = [legend]
    spans = list(legend_spans)
    x_axis = height >= AXIS_FROM  # low charts give the row to the curves
    plot_h = height - 1 - x_axis
    if plot_h <= 0 or not xs or not names:
        return Chart(
            tuple(rows), tuple(spans), width, height, width, range(0), (1, 1), (lo, hi),
            (), (), xs, diverged, log,
        )  # fmt: skip

    def to_unit(v: float) -> float:  # 0 at the bottom, 1 at the top
        if flat:  # the value in the middle, anything else beyond an edge
            return 0.5 if v == lo else 1.5 if v > lo else -0.5
        if log:
            return (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        return (v - lo) / (hi - lo)

    def from_unit(u: float) -> float:
        if log:
            return 10 ** (math.log10(lo) + u * (math.log10(hi) - math.log10(lo)))
        return lo + u * (hi - lo)

    dot_rows = 4 * plot_h
    # y labels: the top and bottom rows, and about every third row between
    if flat:
        label_rows = {round(0.5 * (dot_rows - 1)) // 4: lo}
    else:
        label_rows = {0: hi, plot_h - 1: lo} if plot_h > 1 else {0: hi}
        if plot_h >= 4:
            count = max(1, (plot_h + 1) // 3)
            for i in range(1, count):
                r = round(i * (plot_h - 1) / count)
                u = 1 - (4 * r + 1.5) / (dot_rows - 1)
                label_rows[r] = from_unit(u)
    for digits in range(3, 9):  # enough digits to tell the labels apart
        labels = {r: format_number(v, digits, ascii) for r, v in label_rows.items()}
        if len(set(labels.values())) == len(labels):
            break
    left = max(len(t) for t in labels.values()) + 1
    if width - left < 4:  # no room for labels: curves only
        labels, left = {}, 0
    plot_w = width - left
    dot_cols = 2 * plot_w
    x0, x1 = xs[0], xs[-1]

    def col(k: int) -> int:
        return 0 if x1 == x0 else round((k - x0) / (x1 - x0) * (dot_cols - 1))

    def row(v: float) -> tuple[int, bool]:  # the dot row, and whether it was clipped
        if v != v or v == math.inf:
            return 0, True
        if v == -math.inf or (log and v <= 0):
            return dot_rows - 1, True
        u = to_unit(v)
        if u != u:  # inf − inf on an enormous range
            return 0, True
        d = round((1 - min(2.0, max(-1.0, u))) * (dot_rows - 1))
        return min(dot_rows - 1, max(0, d)), not 0 <= d < dot_rows

    cells = [[0] * plot_w for _ in range(plot_h)]
    kinds: list[list[str]] = [[""] * plot_w for _ in range(plot_h)]

    def dot(c: int, d: int, kind: str) -> None:
        r, cc = d // 4, c // 2
        cells[r][cc] |= _DOTS[d % 4][c % 2]
        if kinds[r][cc] != "clipped":
            kinds[r][cc] = kind

    for i, name in enumerate(names):
        kind = f"s{i % SERIES_KINDS}"
        last: tuple[int, int] | None = None
        last_clipped = False
        for k, v in zip(xs, series[name], strict=False):
            c = col(k)
            d, clipped = row(v)
            clipped = clipped or (diverged is not None and k >= diverged and not lo <= v <= hi)
            if last is not None and not (clipped and last_clipped and last[1] != d):  # no zigzag
                for lc, ld in _line(last, (c, d)):
                    dot(lc, ld, kind)
            dot(c, d, "clipped" if clipped else kind)
            last, last_clipped = (c, d), clipped

    for r in range(plot_h):
        label = labels.get(r, "")
        head = (label.rjust(left - 1) + ("┤" if label else "│")) if left else ""
        line = "".join(chr(0x2800 + bits) if bits else " " for bits in cells[r])
        y = len(rows)
        if left:
            spans.append((y, 0, left - 1, "label"))
            spans.append((y, left - 1, left, "axis"))
        start = 0
        for c in range(1, plot_w + 1):
            if c == plot_w or kinds[r][c] != kinds[r][start]:
                if kinds[r][start]:
                    spans.append((y, left + start, left + c, kinds[r][start]))
                start = c
        rows.append(head + line)
    ticks: tuple[int, ...] = ()
    if x_axis:
        axis, ticks = _x_axis(x0, x1, left, plot_w, col)
        spans.append((len(rows), 0, width, "label"))
        rows.append(axis)
    return Chart(
        tuple(rows),
        tuple(spans),
        width,
        height,
        left,
        range(1, 1 + plot_h),
        (x0, x1),
        (lo, hi),
        tuple(label_rows[r] for r in sorted(labels)),
        ticks,
        xs,
        diverged,
        log,
    )


def at(chart: Chart, current: int) -> tuple[tuple[str, ...], tuple[Span, ...]]:
    """The chart's rows and spans with ``current`` marked (its column, and named in the legend)."""
    rows = list(chart.rows)
    spans = list(chart.spans)
    if current:
        note = f"iteration {current}"
        legend = rows[0]
        if len(legend.rstrip()) + 2 + len(note) <= chart.width:
            rows[0] = legend[: chart.width - len(note)] + note
            spans.append((0, chart.width - len(note), chart.width, "current"))
        c = chart.column(current)
        if c is not None:
            spans.extend((r, c, c + 1, "marker") for r in chart.plot_rows)
    return tuple(rows), tuple(spans)


def _legend(
    names: list[str], diverged: int | None, log: bool, width: int
) -> tuple[str, list[Span]]:
    """``━ loss  ━ w  (log)  diverged at iteration N``, shortened to fit, the note kept."""
    notes = ["  (log)" if log else "", " log" if log else ""]
    if diverged is not None:
        notes[0] += f"  diverged at iteration {diverged}"
        notes[1] += f"  diverged at {diverged}"
    keys = []
    for i, name in enumerate(names):
        keys.append((f"{LEGEND_MARK} {name}", f"s{i % SERIES_KINDS}"))
    names_len = sum(len(k) + 2 for k, _ in keys) - 2
    note = notes[0] if names_len + len(notes[0]) <= width else notes[1].lstrip()
    first = names_len + len(notes[0]) > width  # the note first: it is never cut off
    text, spans = "", []
    if first and note:
        spans.append((0, 0, len(note), "diverged" if diverged is not None else "label"))
        text = note + "  "
    for key, kind in keys:
        if text and not text.endswith("  "):
            text += "  "
        spans.append((0, len(text), len(text) + 1, kind))
        text += key
    if not first and note:
        spans.append((0, len(text), len(text) + len(note), "label"))
        if diverged is not None:
            at = note.index("diverged")
            spans.append((0, len(text) + at, len(text) + len(note), "diverged"))
        text += note
    text = text[:width].ljust(width)
    return text, [(r, s, min(e, width), k) for r, s, e, k in spans if s < width]


def _x_axis(x0: int, x1: int, left: int, plot_w: int, col) -> tuple[str, tuple[int, ...]]:
    """The iteration numbers under the plot: the first, the last, and round ones between."""
    line = [" "] * (left + plot_w)
    taken: list[tuple[int, int]] = []
    shown: list[int] = []

    def place(k: int, anchor: str) -> None:
        text = str(k)
        c = left + col(k) // 2
        start = (
            c
            if anchor == "left"
            else c - len(text) + 1
            if anchor == "right"
            else c - len(text) // 2
        )
        start = max(left, min(start, left + plot_w - len(text)))
        end = start + len(text)
        if any(start < e + 1 and s < end + 1 for s, e in taken):
            return
        taken.append((start, end))
        shown.append(k)
        line[start:end] = text

    place(x0, "left")
    if x1 != x0:
        place(x1, "right")
        step = _nice_step((x1 - x0) / max(1, plot_w // 8))
        k = (x0 // step + 1) * step
        while k < x1:
            place(k, "centre")
            k += step
    return "".join(line), tuple(sorted(shown))


def _nice_step(raw: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50… that is at least ``raw``."""
    step = 1
    while step < raw:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step


def _line(a: tuple[int, int], b: tuple[int, int]) -> list[tuple[int, int]]:
    """The dots from ``a`` to ``b``, both ends excluded (Bresenham)."""
    (c0, d0), (c1, d1) = a, b
    dc, dd = abs(c1 - c0), -abs(d1 - d0)
    sc, sd = (1 if c1 > c0 else -1), (1 if d1 > d0 else -1)
    err, out = dc + dd, []
    c, d = c0, d0
    while (c, d) != (c1, d1):
        e2 = 2 * err
        if e2 >= dd:
            err += dd
            c += sc
        if e2 <= dc:
            err += dc
            d += sd
        if (c, d) != (c1, d1):
            out.append((c, d))
    return out
