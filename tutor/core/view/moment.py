"""Everything one moment of a lesson shows, as data: the screen is a function of the position.

``prepare`` turns a finished run into a ``Run`` (what all its moments share:
the series, where each section starts; built off the UI thread). ``moment``
then computes, for one position, every pane's part into a frozen ``Moment``:
the status, the code marks, the value rows, the equation rows with their
verdicts, the lesson section, the network drawing, the plots' iteration, the
output and the exercise state. The screen hands each pane its part; any path of
keys to the same position gives the same ``Moment``.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..exercises import exercise_here, hidden_row, solved_by
from ..lesson.load import bind_source
from ..lesson.model import Lesson
from ..lesson.network import Network, parse_ref
from ..navigator import Position, reveal_points
from ..run.result import RunError, RunResult
from ..run.runner import error_problem
from ..run.timeline import Timeline
from .diagram import Drawing, draw
from .equation_rows import Row, rows_at
from .notes import Recording
from .sections import END, section_of
from .values import NEW, ValueRow, change, in_focus, value_rows
from .where import iteration_of, where_in

__all__ = ["END", "NEW", "ValueRow", "change", "section_of", "value_rows"]  # (re-exported)

MAX_POINTS = 2000  # a series keeps at most this many iterations (evenly thinned)
OUTPUT_LINES = 200  # the output box under the code holds the last lines printed (it scrolls)


@dataclass(frozen=True)
class Run:
    """One run of the learner's code and what all of its moments share."""

    lesson: Lesson  # bound to the code that ran: its anchors are that code's lines
    source: str
    timeline: Timeline
    error: RunError | None = None
    messages: tuple[str, ...] = ()  # shown under the code: the error, anchor problems…
    series: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    series_iterations: tuple[int, ...] = ()  # the iteration of each series point
    reveal_at: Mapping[int, int] = field(default_factory=dict)  # event -> lines shown first
    anchored: array = field(default_factory=lambda: array("I"))  # events on anchored lines
    solved: frozenset[str] = frozenset()  # exercises this run solves
    loops: Mapping[int, int] = field(default_factory=dict)  # ``for`` header line -> body's end
    recording: Recording | None = None  # the run goes on: these are its events so far

    @property
    def finished(self) -> bool:
        return self.recording is None


def prepare(
    shipped: Lesson,
    source: str,
    result: RunResult,
    recording: Recording | None = None,
    before: Run | None = None,
) -> Run:
    """A run of ``source`` (the learner's code for the ``shipped`` lesson), ready to show.
    Slow for long timelines: call it off the UI thread.

    ``recording``: the run goes on, and ``result`` holds its events so far; ``before``, an
    earlier ``Run`` of the same run (its timeline a prefix of this one), saves redoing what
    it already found. Under the code it shows the run's error and the code's anchor
    problems, else the lesson's own problems."""
    lesson, code_problems = bind_source(shipped, source)
    if before is not None and (before.source != source or not before.timeline.lines):
        before = None
    timeline = result.timeline
    messages = [str(error_problem(lesson.py_path, result.error))] if result.error else []
    messages += [str(p) for p in code_problems[:2]]
    if not messages:
        messages = [str(p) for p in shipped.problems[:3]]
    anchors = timeline.anchors
    done = len(before.timeline) if before is not None else 0
    anchored = array("I", before.anchored) if before is not None else array("I")
    lines = timeline.lines
    anchored.extend(i for i in range(done, len(lines)) if lines[i] in anchors)
    iterations, series = _series(lesson, timeline)
    return Run(
        lesson,
        source,
        timeline,
        result.error,
        tuple(messages),
        series,
        iterations,
        reveal_points(lesson, timeline),
        anchored,
        solved_by(lesson, result) if recording is None else frozenset(),
        before.loops if before is not None else _loops(source),
        recording,
    )


def _loops(source: str) -> dict[int, int]:
    from ..lesson.source import analyze

    try:
        return {line: loop.end for line, loop in analyze(source).for_loops.items()}
    except SyntaxError:
        return {}


def _series(lesson: Lesson, t: Timeline) -> tuple[tuple[int, ...], dict[str, tuple[float, ...]]]:
    """Each plotted series' value at the end of every iteration (thinned to MAX_POINTS, and
    the last one kept)."""
    plots = lesson.plots
    if plots is None or not plots.series or not t.iterations:
        return (), {}
    step = max(1, -(-t.iterations // MAX_POINTS))
    iterations = tuple(range(1, t.iterations + 1, step))
    if iterations[-1] != t.iterations:  # the last iteration is always drawn
        iterations += (t.iterations,)
    ends = [t.iteration_span(k).stop - 1 for k in iterations]
    data = {}
    for name in plots.series:
        ref = parse_ref(name)  # a name, or an element of an array: loss[0]
        if ref is not None and ref.name in t.columns:
            data[name] = tuple(_as_float(ref.pick(t.value(ref.name, e))) for e in ends)
    return tuple(t.number(k) for k in iterations), data


def _as_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


# -- one moment --------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """What the screen adds to a position: the learner's toggles, and the room to draw in."""

    playing: int | None = None  # events per second while playing
    solved: frozenset[str] = frozenset()  # exercises solved so far (progress and this run)
    tried: frozenset[str] = frozenset()  # code exercises the learner blanked to write
    network: bool = True  # the network pane is shown (else its drawing is not made)
    equation_width: int = 1000
    values_width: int = 1000
    ascii: bool = False
    slopes: bool = False  # the slope a nudge measures, under each derivative line (M)


@dataclass(frozen=True)
class Status:
    where: str  # step · event K/N · iteration I/M
    note: str = ""


@dataclass(frozen=True)
class ExerciseState:
    step: str
    title: str
    solved: bool
    here: bool  # the current step is the exercise's
    tried: bool = True  # the learner blanked its line(s) to write them (t)
    derive: str = ""  # an unsolved derive exercise of the current step (its id)


@dataclass(frozen=True)
class Moment:
    status: Status
    current_line: int  # 1-based lesson.py line of the event (0: none)
    error_line: int  # where the run stopped with an error (0: it did not)
    values: tuple[ValueRow, ...]
    values_message: str  # shown instead of rows when there are none
    equations: tuple[Row, ...]
    equations_at_end: bool  # a derivation is being revealed: keep its last line in view
    section: str  # the lesson section to show: "intro" or a step id
    network: Drawing | None
    iteration: int  # the plots' current iteration
    iteration_end: int  # the event whose values the decision boundary shows
    output: str  # the last lines printed up to this event
    messages: str  # the run's problems, under the code
    exercise: ExerciseState | None
    values_focus: tuple[str, ...] = ()  # the variables the values pane keeps in view


def where(run: Run | None, event: int) -> str:
    """The status line's position: step · event K/N · iteration I/M."""
    return where_in(run.timeline if run is not None else None, event)


def moment(run: Run, position: Position, state: State = State()) -> Moment:
    """Everything the lesson screen shows at ``position`` of ``run``."""
    lesson, t, event = run.lesson, run.timeline, position.event
    error_line = run.error.line if run.error is not None else 0
    messages = "\n".join(run.messages)
    if event < 0 or not len(t):
        return _empty(run, error_line, messages)
    step_id = t.step(event)
    iteration = iteration_of(t, event)
    solved = state.solved | (run.solved & state.tried)  # (the shipped code proves them all)
    derive = next(
        (e for e in lesson.exercises_of("derive") if e.step == step_id and e.id not in solved),
        None,
    )
    hidden = hidden_row(lesson, derive) if derive is not None else None
    code = next((e for e in lesson.exercises_of("code") if e.step == step_id), None)
    writing = code is not None and code.id in state.tried and code.id not in solved
    rows = rows_at(
        lesson, t, event, position.revealed, state.ascii, state.equation_width, hidden, writing
    )
    if state.slopes and rows:
        from ..derivatives import measured_slopes

        rows += [
            Row(f"  ({text})", "why") for text in measured_slopes(lesson, t, event, lesson.digits)
        ]
    revealing = event in run.reveal_at and len(rows) > 0
    now = t.values(event)
    values = value_rows(t, event, now, state.ascii, state.values_width)
    exercise = exercise_here(lesson, step_id, solved)
    return Moment(
        status=Status(where(run, event), _note(run, event, state)),
        current_line=t.line(event),
        error_line=error_line,
        values=values,
        values_message="" if values else "no variables yet",
        values_focus=in_focus(t, event),
        equations=tuple(rows),
        equations_at_end=_at_end(lesson.step(step_id or "") or _NO_STEP, revealing),
        section=section_of(run, event),
        network=_network(lesson, t, event, now, state) if state.network else None,
        iteration=iteration,
        iteration_end=_iteration_end(t, iteration),
        output=output_tail(t, event),
        messages=messages,
        exercise=_exercise_state(lesson, exercise, derive, step_id, solved, state.tried),
    )


def _exercise_state(lesson, exercise, derive, step_id, solved, tried) -> ExerciseState | None:
    """The code exercise here (else the first not solved), and a derive of this step."""
    derive_id = derive.id if derive is not None else ""
    if exercise is not None and (exercise.step == step_id or derive is None):
        step = lesson.step(exercise.step)
        title = step.title if step else exercise.step
        here = exercise.step == step_id
        return ExerciseState(
            exercise.step, title, exercise.id in solved, here, exercise.id in tried, derive_id
        )
    if derive is not None:
        return ExerciseState(derive.step, "", False, True, False, derive_id)  # no code to write
    return None


def _at_end(step: Any, revealing: bool) -> bool:
    """The equation pane keeps its last rows in view: while a derivation is revealed, and in
    a step of many lines, whose last equation shown is the one this line computes."""
    return step.is_derivation and (revealing or len(step.lines) > 1)


class _NoStep:
    is_derivation = False
    lines: list[int] = []


_NO_STEP: Any = _NoStep()


def _empty(run: Run, error_line: int, messages: str) -> Moment:
    """No line ran: the code stopped before its first line, or the lesson has no code."""
    note = "the code stopped before its first line"
    return Moment(
        Status(where(run, -1), note),
        0,
        error_line,
        (),
        "no line ran: see the error below the code",
        (),
        False,
        "intro",
        None,
        0,
        -1,
        "",
        messages,
        None,
    )


def _note(run: Run, event: int, state: State) -> str:
    if state.playing is not None:
        return f"▶ playing, {state.playing} events/s"
    t = run.timeline
    if t.is_summary(event):
        k = t.iteration(event)
        numbers = t.numbers_of(k) if k is not None else range(0)
        if len(numbers) > 1:
            return f"(one event standing for iterations {numbers[0]:,}–{numbers[-1]:,})"
        return "(one event standing for a whole iteration)"
    if run.recording is not None and event == len(run.timeline) - 1:
        return "the newest event recorded: more are on the way"
    if run.error is not None and event == len(run.timeline) - 1:
        return "the code stopped after this line"
    return ""


def output_tail(t: Timeline, event: int, lines: int = OUTPUT_LINES) -> str:
    """What the code printed up to and including ``event``: its last ``lines`` lines."""
    chunks = t.output
    k = bisect_right(chunks, event, key=lambda chunk: chunk[0]) if chunks else 0
    text = "".join(chunk[1] for chunk in chunks[max(0, k - lines) : k]).rstrip("\n")
    return "\n".join(text.split("\n")[-lines:]) if text else ""


def _network(
    lesson: Lesson, t: Timeline, event: int, now: Mapping[str, Any], state: State
) -> Drawing | None:
    network = lesson.network
    if network is None:
        return None
    if network.graph is not None:
        from .graph_network import graph_network

        built, values, note = graph_network(network.graph, t, event, now, lesson.source)
        changed = set(t.changed(event))
        active = {ref for ref, node in _refs(built) if node in changed}
        drawing = draw(built, values, active, ascii=state.ascii)
        if note or not built.nodes:
            drawing.rows = [*(drawing.rows if built.nodes else []), f"({note})"]
        return drawing
    names = network.names()
    values = {name: now[name] for name in names if name in now}
    active = set(t.changed(event)) & names
    return draw(network, values, active, ascii=state.ascii)


def _refs(network: Network) -> list[tuple[str, str]]:
    """(value ref, node label) of a built network's nodes."""
    return [(str(n.value), n.label) for n in network.nodes if n.value is not None]


def _iteration_end(t: Timeline, iteration: int) -> int:
    if 1 <= iteration <= t.iterations:
        return t.iteration_span(iteration).stop - 1
    return len(t) - 1
