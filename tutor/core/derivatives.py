"""Derivatives proven by finite differences: math and code may agree on a wrong slope.

``check`` proves each equation equals what its line computed. That cannot catch a
derivative that math and code both get wrong (``∂L/∂w = 3(ŷ − y) x`` beside
``dL_dw = 3 * (y_hat - y) * x``). Here each derivative equation, ``∂A/∂B = …``, is
proven another way: at a few events of its step, B is nudged up and down by a small
step, A is computed again **through the lesson's own forward equations** (those of
its steps that are not derivatives, in step order), and the slope
``(A(B + h) − A(B − h)) / 2h`` must equal the recorded derivative.

A derivative that cannot be proven this way (A is not computed from B by the
forward equations, a value is not recorded, an array too large) is listed in
``unproven`` with the reason. See docs/lesson-format.md, 6.1 and 3.1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .lesson.model import Lesson, Symbol
from .lesson.problems import Problem
from .numbers import format_value
from .run.timeline import MISSING, ArraySummary, Opaque, Timeline

RELATIVE_STEP = 1e-6  # h = RELATIVE_STEP · max(1, |B|)
ABSOLUTE_FLOOR = 1e-7  # slopes this close (times max(1, |A|)) always agree: rounding noise
ITERATIONS = 3  # the first event of each of the first 3 iterations, and of the last one
ALL_ELEMENTS = 50  # an array B of up to this many elements is nudged element by element
SAMPLE = 20  # a larger one: this many elements, spread over it
MAX_ELEMENTS = 1_000_000  # beyond this, B is too large to copy for every nudge


@dataclass
class DerivativeReport:
    """What ``prove_derivatives`` found: one entry per derivative equation of the lesson."""

    proven: list[str] = field(default_factory=list)
    unproven: list[tuple[str, str]] = field(default_factory=list)  # (derivative, why)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Meaning:
    """A symbol that is a derivative ∂A/∂B: the Python names of the three."""

    latex: str  # the derivative symbol, as the table writes it
    of: str  # A's LaTeX
    by: str  # B's LaTeX
    of_name: str | None  # A's Python name (None: A is not in the symbol table)
    by_name: str | None


class _Unprovable(Exception):
    """Why one derivative cannot be proven by a finite difference."""


def derivative_meanings(lesson: Lesson) -> dict[str, Meaning]:
    """Python name -> what it is the derivative of: every symbol ``\\frac{\\partial A}{\\partial
    B}`` of the table, and every symbol the front matter's ``derivatives`` declares."""
    from .equation import latex as L
    from .equation.names import written

    table: dict[str, Symbol] = {}
    for symbol in lesson.symbols:
        try:
            table.setdefault(L.canonical(L.parse_expression(symbol.latex)), symbol)
        except (L.LatexError, RecursionError):
            continue

    def name(node: L.Node) -> str | None:
        symbol = table.get(L.canonical(node))
        return symbol.name if symbol is not None else None

    def shown(node: L.Node) -> str:  # as the table writes it: W_o, not W_{o}
        symbol = table.get(L.canonical(node))
        return symbol.latex if symbol is not None else written(node)

    meanings: dict[str, Meaning] = {}
    for symbol in lesson.symbols:
        try:
            node = L.parse_expression(symbol.latex)
        except (L.LatexError, RecursionError):
            continue
        if (
            isinstance(node, L.Frac)
            and isinstance(node.num, L.Partial)
            and isinstance(node.den, L.Partial)
        ):
            of, by = node.num.body, node.den.body
            meanings.setdefault(
                symbol.name,
                Meaning(symbol.latex, shown(of), shown(by), name(of), name(by)),
            )
    by_latex = {s.latex: s for s in lesson.symbols}
    for latex, (a, b) in lesson.derivatives.items():
        declared = by_latex.get(latex)
        if declared is not None:
            meanings.setdefault(
                declared.name, Meaning(latex, a, b, by_latex[a].name, by_latex[b].name)
            )
    return meanings


def prove_derivatives(lesson: Lesson, timeline: Timeline) -> DerivativeReport:
    """Prove every derivative equation of ``lesson`` by a central finite difference on the
    recorded values of ``timeline`` (the run of ``lesson``'s code)."""
    report = DerivativeReport()
    meanings = derivative_meanings(lesson)
    if not meanings or not len(timeline):
        return report
    forward = _forward_equations(lesson, meanings)
    for step in lesson.steps:
        seen: set[str] = set()
        for compiled in lesson.equations.get(step.id, []):
            target = compiled.target
            if target not in meanings or target in seen:
                continue  # not a derivative, or a later line of its derivation
            seen.add(target)
            meaning = meanings[target]
            what = f"{meaning.latex} ({target}, lesson.md:{compiled.source.line})"
            try:
                outcome = _prove(lesson, timeline, step.id, compiled, meaning, forward)
            except _Unprovable as exc:
                report.unproven.append((what, str(exc)))
                continue
            except Exception as exc:  # noqa: BLE001 - the last resort: never fail the check
                report.unproven.append((what, f"the tutor failed proving it ({exc!r})"))
                continue
            if isinstance(outcome, Problem):
                report.problems.append(outcome)
            else:
                report.proven.append(what + outcome)
    return report


def _forward_equations(lesson: Lesson, meanings: dict[str, Meaning]) -> list[Any]:
    """The equations that compute the network forward, in step order: the first line of each
    target in each step, except derivatives and updates (a line that reads its own target,
    ``w ← w − η ∂L/∂w`` or ``J ← J + L / n``)."""
    forward = []
    for step in lesson.steps:
        seen: set[str] = set()
        for compiled in lesson.equations.get(step.id, []):
            target = compiled.target
            if target in seen or target in meanings:
                continue
            seen.add(target)
            if target not in compiled.names and compiled.sides:
                forward.append(compiled)
    return forward


def _accumulations(lesson: Lesson, name: str) -> list[Any]:
    """The lines that build ``name`` up from its own earlier value (``J ← J + L / n``)."""
    return [
        c
        for step in lesson.steps
        for c in lesson.equations.get(step.id, [])
        if c.target == name and name in c.names
    ]


def _chain(forward: list[Any], of: str, by: str) -> list[Any]:
    """The forward equations that carry a change of ``by`` to ``of``, in order (empty when
    ``of`` is not reached)."""
    changed = {by}
    fired = []
    for compiled in forward:
        if compiled.target != by and compiled.names & changed:
            fired.append(compiled)
            changed.add(compiled.target)
    if of not in changed:
        return []
    needed = {of}
    chain = []
    for compiled in reversed(fired):
        if compiled.target in needed:
            chain.append(compiled)
            needed.discard(compiled.target)
            needed |= compiled.names
    return chain[::-1]


def _prove(lesson, timeline, step_id, compiled, meaning: Meaning, forward) -> str | Problem:
    """'' (or a note) when proven, a Problem when the slope disagrees; raises _Unprovable."""
    import numpy as np

    target = compiled.target
    of, by = meaning.of_name, meaning.by_name
    if of is None or by is None:
        missing = meaning.of if of is None else meaning.by
        raise _Unprovable(f"'{missing}' is not in the symbol table")
    if target in compiled.names:
        raise _Unprovable(
            f"{target} is built up by a loop (its line reads its own earlier value), so at one "
            "event it holds a partial sum"
        )
    chain = _chain(forward, of, by)
    if not chain:
        raise _Unprovable(_unreached(lesson, forward, meaning))
    events = _events(lesson, timeline, step_id, target)
    if not events:
        raise _Unprovable("its line never ran (or ran only inside summary events)")
    rtol = lesson.derivative_tolerance
    names = {target, of, by}.union(*(c.names for c in chain))
    checks = 0
    failures: list[tuple[int, str, float, float]] = []
    sampled = ""
    for event in events:
        env = {name: _recorded(timeline, name, event) for name in sorted(names)}
        base, code = env[by], env[target]
        flat_base = _numbers(np, base, by)
        flat_code = _numbers(np, code, target)
        if flat_base.size != flat_code.size:
            raise _Unprovable(
                f"{target} has {flat_code.size} numbers and {by} has {flat_base.size}: "
                "each number of the derivative must be the slope in one number of B"
            )
        if flat_base.size > MAX_ELEMENTS:
            raise _Unprovable(
                f"{by} has {flat_base.size:,} numbers: too many to nudge "
                f"(the tutor proves derivatives in arrays of up to {MAX_ELEMENTS:,})"
            )
        if flat_base.size <= ALL_ELEMENTS:
            indices = list(range(flat_base.size))
        else:
            indices = sorted(set(np.linspace(0, flat_base.size - 1, SAMPLE).astype(int).tolist()))
            sampled = f" ({len(indices)} of its {flat_base.size} numbers)"
        for index in indices:
            b = float(flat_base[index])
            h = RELATIVE_STEP * max(1.0, abs(b))
            up = _evaluate(np, chain, env, by, base, index, b + h, of)
            down = _evaluate(np, chain, env, by, base, index, b - h, of)
            slope = (up - down) / (2 * h)
            want = float(flat_code[index])
            if not (np.isfinite(slope) and np.isfinite(want)):
                if np.isfinite(slope) != np.isfinite(want):
                    raise _Unprovable(
                        f"the finite difference gives {_number(slope)} and the code "
                        f"{_number(want)}{_iteration(timeline, event)}"
                    )
                continue
            checks += 1
            scale = max(1.0, abs(up), abs(down))
            if abs(slope - want) > rtol * max(abs(slope), abs(want)) + ABSOLUTE_FLOOR * scale:
                where = f"[{', '.join(map(str, np.unravel_index(index, np.shape(base))))}]"
                failures.append((event, where if np.ndim(base) else "", slope, want))
    if not checks:
        raise _Unprovable("no finite number to compare at the events tried")
    if failures:
        return _problem(lesson, timeline, compiled, meaning, failures, rtol)
    return sampled


def _unreached(lesson: Lesson, forward: list[Any], meaning: Meaning) -> str:
    of, by = meaning.of_name, meaning.by_name
    why = f"the lesson's forward equations do not compute {meaning.of} from {meaning.by}"
    built = _accumulations(lesson, of or "")
    if built:
        return (
            f"{why}: {of} is built up by a loop ('{_short(built[0].source.latex)}'), so a "
            "nudge at one event changes one term of it"
        )
    own = [c for c in forward if c.target == of]
    if own:
        return f"{why}: its equation '{_short(own[0].source.latex)}' does not depend on {by}"
    return f"{why}: no equation of the lesson computes {of}"


def _events(lesson: Lesson, timeline: Timeline, step_id: str, target: str) -> list[int]:
    """The events to prove at: the first event of the step's line that sets ``target`` in each
    of the first iterations and in the last one (without iterations: the first few and the
    last). Summary events (past capacity) ran no line: never these."""
    import numpy as np

    step = lesson.step(step_id)
    lines = [line for line in (step.lines if step else []) if target in lesson.stores.get(line, ())]
    all_lines = np.frombuffer(timeline.lines, dtype=np.uint32)
    mask = np.isin(all_lines, np.array(lines, dtype=np.uint32))
    mask[np.frombuffer(timeline.summaries, dtype=np.uint32)] = False
    events = np.nonzero(mask)[0]
    if not len(events):
        return []
    starts = np.frombuffer(timeline.iteration_starts, dtype=np.uint32)
    ends = np.frombuffer(timeline.iteration_ends, dtype=np.uint32)
    k = np.searchsorted(starts, events, side="right") - 1
    inside = (k >= 0) & (events < ends[np.maximum(k, 0)]) if len(starts) else k >= 0
    if inside.any():
        _, first = np.unique(k[inside], return_index=True)
        firsts = events[inside][first].tolist()
        chosen = firsts[:ITERATIONS] + firsts[-1:]
    else:
        plain = events.tolist()
        chosen = plain[:ITERATIONS] + plain[-1:]
    return sorted(set(chosen))


def _recorded(timeline: Timeline, name: str, event: int) -> Any:
    if name not in timeline.columns:
        raise _Unprovable(f"{name} is never recorded")
    value = timeline.value(name, event)
    if value is MISSING:
        raise _Unprovable(f"{name} has no value yet{_iteration(timeline, event)}")
    if isinstance(value, Opaque | ArraySummary):
        raise _Unprovable(f"{name} is not recorded in full ({value})")
    return value


def _numbers(np, value: Any, name: str):
    """``value`` as a flat float array, or _Unprovable."""
    if isinstance(value, bool | str):
        raise _Unprovable(f"{name} is not a number ({format_value(value, digits=6)})")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise _Unprovable(f"{name} is not a number or an array of numbers") from None
    return array.reshape(-1)


def _evaluate(np, chain, env, by, base, index, value, of) -> float:
    """A, computed by ``chain`` with element ``index`` of B set to ``value``."""
    scope = dict(env)
    if np.ndim(base):
        nudged = np.array(base, dtype=float)
        nudged.reshape(-1)[index] = value
        scope[by] = nudged
    else:
        scope[by] = value
    for compiled in chain:
        try:
            with np.errstate(all="ignore"):
                scope[compiled.target] = compiled.sides[0](scope)
        except Exception as exc:  # noqa: BLE001 - the math fails: a reason, not a crash
            raise _Unprovable(
                f"its forward equation '{_short(compiled.source.latex)}' fails: "
                f"{type(exc).__name__}: {exc}"
            ) from None
    result = scope[of]
    try:
        return float(np.sum(np.asarray(result, dtype=float)))  # a vector L: the sum of its parts
    except (TypeError, ValueError):
        raise _Unprovable(f"{of} is not a number or an array of numbers") from None


def _problem(lesson, timeline, compiled, meaning: Meaning, failures, rtol) -> Problem:
    event, where, slope, want = failures[0]
    more = len(failures) - 1
    tail = f"; {more} more check{'s disagree' if more > 1 else ' disagrees'}" if more else ""
    return Problem(
        lesson.md_path,
        compiled.source.line,
        f"'{_short(compiled.source.latex)}' is not the slope of {meaning.of} in {meaning.by}"
        f"{_iteration(timeline, event)}: nudging {meaning.by_name}{where} gives "
        f"{_number(slope)} (a finite difference), the code gives {_number(want)} "
        f"for {compiled.target}{where} (relative tolerance {rtol:g}){tail}",
        kind="equation",
    )


def _iteration(timeline: Timeline, event: int) -> str:
    k = timeline.iteration(event)
    return f" at iteration {timeline.number(k)}" if k is not None else f" at event {event + 1}"


def _number(value: float) -> str:
    return format_value(value, digits=6, ascii=True)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def measured_slopes(lesson: Lesson, timeline: Timeline, event: int, digits: int = 4) -> list[str]:
    """For the equation pane, on request: the slope a nudge measures for each derivative the
    line of ``event`` computes, beside the code's value ("measured: nudging w by ±1e-06
    moves L at a slope of −3.0; the code: −3.0 ✓"), or why it cannot be measured."""
    from .equation.verify import equations_for_line

    if not len(timeline) or event < 0 or timeline.is_summary(event):
        return []
    meanings = derivative_meanings(lesson)
    here = [c for c in equations_for_line(lesson, timeline.line(event)) if c.target in meanings]
    if not here:
        return []
    forward = _forward_equations(lesson, meanings)
    lines: list[str] = []
    for target in dict.fromkeys(c.target for c in here if c.target is not None):
        meaning = meanings[target]
        try:
            lines.append(_measure(timeline, event, target, meaning, forward, digits))
        except _Unprovable as exc:
            lines.append(f"slope of {meaning.of} in {meaning.by} not measured: {exc}")
        except Exception as exc:  # noqa: BLE001 - a note on screen, never a crash
            lines.append(f"slope not measured: {type(exc).__name__}")
    return lines


def _measure(timeline, event, target, meaning: Meaning, forward, digits: int) -> str:
    import numpy as np

    of, by = meaning.of_name, meaning.by_name
    if of is None or by is None:
        raise _Unprovable(f"'{meaning.of if of is None else meaning.by}' is not in the table")
    chain = _chain(forward, of, by)
    if not chain:
        raise _Unprovable(f"no forward equation carries a change of {by} to {of}")
    names = {target, of, by}.union(*(c.names for c in chain))
    env = {name: _recorded(timeline, name, event) for name in sorted(names)}
    base, code = env[by], env[target]
    b = float(_numbers(np, base, by)[0])
    h = RELATIVE_STEP * max(1.0, abs(b))
    slope = (
        _evaluate(np, chain, env, by, base, 0, b + h, of)
        - _evaluate(np, chain, env, by, base, 0, b - h, of)
    ) / (2 * h)
    want = float(_numbers(np, code, target)[0])
    first = " (its first number)" if np.ndim(base) else ""
    b_shown, a_shown = _shown(meaning.by, by), _shown(meaning.of, of)
    agree = abs(slope - want) <= 1e-4 * max(abs(slope), abs(want)) + ABSOLUTE_FLOOR
    return (
        f"measured: nudging {b_shown}{first} by ±{h:.0e} moves {a_shown} at a slope of "
        f"{format_value(slope, digits)}; the code: {format_value(want, digits)} "
        f"{'✓' if agree else '✗'}"
    )


def _shown(latex: str, name: str) -> str:
    """A symbol as the panes write it (ŷ for \\hat{y}), else its Python name."""
    from .equation.boxes import inline_latex

    try:
        return inline_latex(latex, frozenset()) or name
    except Exception:  # noqa: BLE001 - a name on screen, never a crash
        return name
