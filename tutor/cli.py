"""The ``nn-tutor`` command: the tutor, and the headless ``list``, ``check``, ``trace``,
``preview`` and ``new``."""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .serve import DEFAULT_HOST, DEFAULT_PORT

if TYPE_CHECKING:
    from .core.lesson.model import Lesson

DESCRIPTION = """\
nn-tutor teaches how a neural network works, starting from one neuron with one
weight. Each lesson ties every equation to the line of Python that computes it.
"""

EPILOG = """\
LESSON is a lesson id (01-one-neuron), a unique prefix of one (01), or the path
of a lesson folder. Run 'nn-tutor COMMAND --help' for each command's options.
"""


def _time_limit(command: argparse.ArgumentParser) -> None:
    """--time-limit, as check, trace and preview take it."""
    command.add_argument(
        "--time-limit",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="stop the lesson's code after this long (default: 10)",
    )


def build_parser() -> argparse.ArgumentParser:
    # --lessons-dir is accepted both before and after the command.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lessons-dir",
        metavar="DIR",
        type=Path,
        default=argparse.SUPPRESS,
        help="use the lesson folders in DIR instead of the bundled lessons",
    )
    parser = argparse.ArgumentParser(
        prog="nn-tutor",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"nn-tutor {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    opening = commands.add_parser(
        "open",
        parents=[common],
        help="open the tutor (the default command: 'nn-tutor 01' is 'nn-tutor open 01')",
        description="Open the interactive tutor: the lesson picker, or LESSON directly. "
        "Without LESSON it resumes the last lesson where you left it.",
    )
    opening.add_argument(
        "lesson", nargs="?", metavar="LESSON", help="lesson id, unique id prefix, or folder path"
    )
    opening.add_argument(
        "--no-predict",
        action="store_true",
        help="step without being asked to predict values first (P still asks on a step)",
    )

    listing = commands.add_parser(
        "list",
        parents=[common],
        help="list the lessons",
        description="List every lesson: "
        "its id, title and number of steps; broken lessons appear with their first problem.",
    )
    listing.add_argument(
        "--json", action="store_true", help="print one JSON array instead of a table"
    )

    check = commands.add_parser(
        "check",
        parents=[common],
        help="validate and run lessons",
        description="Validate and run each lesson (default: all of them). Prints PATH:LINE: "
        "message for every problem and a one-line summary. Exit status: 0 when every lesson "
        "passes, 2 when a lesson has a problem (or no lesson is found).",
    )
    check.add_argument(
        "lessons", nargs="*", metavar="LESSON_OR_PATH", help="lessons to check (default: all)"
    )
    _time_limit(check)
    check.add_argument(
        "--stats",
        action="store_true",
        help="add a table: events, equations, evaluations, derivatives proven, expectations "
        "and time of each lesson",
    )

    trace = commands.add_parser(
        "trace",
        parents=[common],
        help="run a lesson and print its timeline",
        description="Run a lesson's code and print its timeline: for each executed line the "
        "event number, iteration, step, line number, code and the values it changed. On a "
        "fault the events before it are printed, then the error on stderr as PATH:LINE: "
        "message, and the exit status is 1.",
    )
    trace.add_argument(
        "lesson", metavar="LESSON", help="lesson id, unique id prefix, or folder path"
    )
    trace.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per line per event (index, iteration, step, line, "
        "code, values, changed, output); values: every variable on the first event "
        "printed, then only the ones each event changed",
    )
    trace.add_argument(
        "--iteration",
        type=_iterations,
        metavar="N[-M]",
        help="only the events of training iteration N (or N to M)",
    )
    trace.add_argument(
        "--names",
        type=lambda text: [n.strip() for n in text.split(",") if n.strip()],
        metavar="A,B",
        help="only these variables in the values shown",
    )
    trace.add_argument(
        "--blank",
        metavar="EXERCISE",
        help="run the code with this code exercise blanked, as the learner's 't' makes it",
    )
    trace.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="print at most N events (the lesson still runs to its end)",
    )
    _time_limit(trace)
    preview = commands.add_parser(
        "preview",
        parents=[common],
        help="print what the tutor shows at an event, without the app",
        description="Run a lesson and print, as plain text, what the tutor shows at one event: "
        "a header (step · event K/N · iteration I/M), the lesson pane's section and the "
        "equation pane's rows. For authors: see a change to lesson.md at once, in a script "
        "or a diff.",
    )
    preview.add_argument(
        "lesson", metavar="LESSON", help="lesson id, unique id prefix, or folder path"
    )
    preview.add_argument(
        "--event",
        type=_positive,
        metavar="N",
        help="the event to show, from 1, as the status line counts (default: the first "
        "event of the first step)",
    )
    preview.add_argument(
        "--width",
        type=_positive,
        default=80,
        metavar="W",
        help="wrap the text and lay out the equations for W columns (default: 80)",
    )
    _time_limit(preview)

    serving = commands.add_parser(
        "serve",
        parents=[common],
        help="serve the tutor to web browsers (a classroom)",
        description="Serve the tutor over HTTP (textual-serve): each browser tab runs its own "
        "tutor, and each browser keeps its own code and progress (a cookie names its data "
        "folder, under the data folder's learners/). Without LESSON a tab opens the picker "
        "(or resumes that browser's last lesson). Binds to 127.0.0.1 unless --host says "
        "otherwise: on another address, lesson code that visitors write runs on this computer "
        "with the server's permissions.",
    )
    serving.add_argument(
        "lesson", nargs="?", metavar="LESSON", help="open this lesson in every tab"
    )
    serving.add_argument(
        "--host",
        default=DEFAULT_HOST,
        metavar="HOST",
        help=f"the address to listen on (default: {DEFAULT_HOST}, this computer only; "
        "0.0.0.0 for every address)",
    )
    serving.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        metavar="PORT",
        help=f"the port to listen on (default: {DEFAULT_PORT})",
    )
    serving.add_argument(
        "--no-predict",
        action="store_true",
        help="the tutors step without asking to predict values first",
    )

    new = commands.add_parser(
        "new",
        parents=[common],
        help="start a new lesson folder from a template that passes check",
        description="Write NAME/lesson.md and NAME/lesson.py in --lessons-dir (default: the "
        "current folder): a one-neuron lesson that passes 'nn-tutor check' as it is, with "
        "comments saying what to change. An existing folder is never overwritten.",
    )
    new.add_argument("name", metavar="NAME", help="the folder name, e.g. 11-my-lesson")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 1 to 65535: {text!r}")
    return value


def _iterations(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    try:
        span = (int(first), int(last or first))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give N or N-M, e.g. 3 or 3-5") from None
    if span[0] < 0 or span[1] < span[0]:
        raise argparse.ArgumentTypeError(f"{text!r}: give N or N-M with N <= M")
    return span


def _seconds(text: str) -> float:
    """A time limit: a finite number of seconds above zero."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not (0 < value < float("inf")):
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds and finite: {text!r}")
    return value


COMMANDS = ("open", "list", "check", "trace", "preview", "new", "serve")


def _default_command(argv: list[str]) -> list[str]:
    """``nn-tutor`` and ``nn-tutor LESSON`` mean ``nn-tutor open [LESSON]``."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--lessons-dir":
            i += 2
            continue
        if arg.startswith("-"):
            if arg in ("-h", "--help", "--version"):
                return argv
            i += 1
            continue
        return argv if arg in COMMANDS else ["open", *argv]
    return ["open", *argv]  # (the options before LESSON are open's, or common to all)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_default_command(list(sys.argv[1:] if argv is None else argv)))
    if args.command == "open":
        # Start-up allocates many long-lived objects; collecting them costs ~50 ms before
        # the first frame. The app turns the collector back on once it has drawn.
        gc.disable()
    from .core.lesson.collection import LessonNotFound, default_lessons_dir

    if args.command == "new":  # (the collection is where it goes: the current folder by default)
        return cmd_new(getattr(args, "lessons_dir", None) or Path.cwd(), args.name)
    root = getattr(args, "lessons_dir", None) or default_lessons_dir()
    if getattr(args, "lessons_dir", None) is not None and not root.is_dir():
        print(f"nn-tutor: --lessons-dir {root}: no such folder", file=sys.stderr)
        return 2
    try:
        if args.command == "list":
            return cmd_list(root, as_json=args.json)
        if args.command == "check":
            return cmd_check(root, args.lessons, time_limit=args.time_limit, stats=args.stats)
        if args.command == "trace":
            return cmd_trace(
                root,
                args.lesson,
                as_json=args.json,
                limit=args.limit,
                time_limit=args.time_limit,
                blank=args.blank,
                iterations=args.iteration,
                names=args.names,
            )
        if args.command == "preview":
            return cmd_preview(
                root, args.lesson, event=args.event, width=args.width, time_limit=args.time_limit
            )
        if args.command == "serve":
            return cmd_serve(
                root, args.lesson, host=args.host, port=args.port, predict=not args.no_predict
            )
        return cmd_open(root, args.lesson, predict=not args.no_predict)
    except LessonNotFound as exc:
        print(f"nn-tutor: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `nn-tutor trace 01 | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:  # ctrl+c: the worker sees the tutor go and ends the run too
        print("nn-tutor: interrupted", file=sys.stderr)
        return 130


# -- open ---------------------------------------------------------------------------------


def cmd_open(root: Path, spec: str | None, predict: bool = True) -> int:
    from .core.lesson.collection import resolve

    folder = resolve(spec, root) if spec else None  # a wrong name fails here, before the screen
    from .app import make_app

    make_app(str(folder) if folder else None, root, predict=predict).run()
    return 0


# -- serve --------------------------------------------------------------------------------


def cmd_serve(root: Path, spec: str | None, host: str, port: int, predict: bool = True) -> int:
    from .core.lesson.collection import resolve
    from .serve import serve, warn_about_host

    folder = resolve(spec, root) if spec else None  # a wrong name fails here, not in each tab
    warn_about_host(host)
    return serve(root, folder, host=host, port=port, predict=predict)


# -- list ---------------------------------------------------------------------------------


def cmd_list(root: Path, as_json: bool) -> int:
    from .core.lesson.collection import load_collection
    from .core.lesson.problems import display_path, printable
    from .core.progress import Progress, describe_progress

    lessons = load_collection(root)
    progress = Progress()
    for warning in progress.warnings:
        print(f"nn-tutor: {warning}", file=sys.stderr)
    if as_json:
        items = [_lesson_json(lesson, progress.summary(lesson.id)) for lesson in lessons]
        print(json.dumps(items, indent=2, ensure_ascii=False))
        return 0
    if not lessons:
        print(f"no lessons in {display_path(root)}")
        return 0
    width = max(len(printable(lesson.id)) for lesson in lessons)
    for lesson in lessons:
        name = printable(lesson.id)  # a folder's name may hold anything
        if lesson.ok:
            steps = f"{len(lesson.steps)} steps"
            status = describe_progress(lesson, progress.summary(lesson.id))
            print(
                f"{name:<{width}}  {lesson.title}  ({steps})" + (f"  [{status}]" if status else "")
            )
        else:
            count = len(lesson.problems)
            title = lesson.title or "(no title)"
            print(
                f"{name:<{width}}  {title}  [broken: {count} problem{'s' * (count != 1)}; "
                f"first: {lesson.problems[0]}]"
            )
    return 0


def _lesson_json(lesson: Lesson, progress: dict | None = None) -> dict[str, object]:
    from .core.lesson.model import KINDS
    from .core.lesson.problems import display_path

    return {
        "id": lesson.id,
        "title": lesson.title,
        "order": lesson.order,
        "summary": lesson.summary,
        "steps": len(lesson.steps),
        "path": display_path(lesson.path),
        "ok": lesson.ok,
        "problems": [str(p) for p in lesson.problems],
        "exercises": {kind: [e.id for e in lesson.exercises_of(kind)] for kind in KINDS},
        "progress": progress,
    }


# -- check --------------------------------------------------------------------------------


# Bad lessons exit with 2, like a bad lesson name: 1 stays what Python gives an uncaught
# exception, so a script (CI) tells bad lessons from a fault of the tutor itself.
BAD_LESSONS = 2


def cmd_check(root: Path, specs: list[str], time_limit: float, stats: bool = False) -> int:
    from .core.check import check_reports
    from .core.lesson.collection import load_collection, resolve
    from .core.lesson.load import load_lesson
    from .core.lesson.problems import display_path
    from .core.run.result import Limits

    started = time.perf_counter()
    if specs:
        lessons = [load_lesson(resolve(spec, root)) for spec in specs]
    else:
        lessons = load_collection(root)
    if not lessons:
        print(f"no lessons found in {display_path(root)}", file=sys.stderr)
        return BAD_LESSONS
    failed = 0
    problems_total = 0
    reports = []
    for report in check_reports(lessons, Limits(time=time_limit)):
        reports.append(report)
        print(_check_line(report), flush=True)
        for problem in report.problems:
            print(problem)
        if report.problems:
            failed += 1
            problems_total += len(report.problems)
    if stats:
        print()
        print(_stats_table(reports))
        print()
        unproven = [(r.lesson.id, d, why) for r in reports for d, why in r.unproven]
        if unproven:  # never a silent skip: each derivative not proven, and why
            print("derivatives not proven by a finite difference:")
            for lesson_id, derivative, why in unproven:
                print(f"  {lesson_id}: {derivative}: {why}")
            print()
    elapsed = time.perf_counter() - started
    n = len(lessons)
    noun = "lesson" if n == 1 else "lessons"
    if failed:
        print(
            f"checked {n} {noun} in {elapsed:.1f} s: {n - failed} passed, {failed} failed "
            f"({problems_total} problem{'s' * (problems_total != 1)})"
        )
        return BAD_LESSONS
    print(f"checked {n} {noun} in {elapsed:.1f} s: all passed")
    return 0


# -- preview ------------------------------------------------------------------------------


def cmd_preview(root: Path, spec: str, event: int | None, width: int, time_limit: float) -> int:
    """What the lesson screen shows at one event, as text: the header, the lesson pane's
    section and the equation pane's rows (the same core views as the app; no Textual)."""
    from .core.lesson.collection import resolve
    from .core.lesson.load import load_lesson
    from .core.navigator import Navigator
    from .core.run.result import Limits
    from .core.run.runner import Runner
    from .core.view.equation_rows import ascii_wanted
    from .core.view.moment import State, moment, prepare
    from .core.view.readable import as_text, section_markdown

    lesson = load_lesson(resolve(spec, root))
    for problem in lesson.problems:
        print(f"{problem} (lesson problem)", file=sys.stderr)
    if not lesson.source:
        return 1
    with Runner(Limits(time=time_limit)) as runner:
        result = runner.run(lesson.py_path, lesson.source, lesson.iteration)
    run = prepare(lesson, lesson.source, result)
    t = run.timeline
    if not len(t):
        print("nn-tutor: no line ran", file=sys.stderr)
        if run.messages:
            print("\n".join(run.messages), file=sys.stderr)
        return 1
    navigator = Navigator(run.lesson, t)
    if event is None:
        first = lesson.steps[0].id if lesson.steps else None
        event = next((i for i in range(len(t)) if t.step(i) == first), 0) + 1
    if event > len(t):
        print(f"nn-tutor: --event {event}: the run has {len(t)} events", file=sys.stderr)
        return 2
    navigator.goto_event(event - 1)
    ascii = ascii_wanted()
    m = moment(run, navigator.position, State(network=False, equation_width=width, ascii=ascii))
    rule = ("-" if ascii else "─") * width
    out = [m.status.where + (f" · {m.status.note}" if m.status.note else "")]
    from .core.exercises import hidden_row

    derive = next((e for e in lesson.exercises_of("derive") if e.step == m.section), None)
    hidden = hidden_row(lesson, derive) if derive is not None else None  # (as a new learner)
    out += [rule, as_text(section_markdown(run.lesson, m.section, hidden), width), rule]
    out += [row.shown(ascii) for row in m.equations] or ["(no equations at this event)"]
    if m.messages:
        out += [rule, m.messages]
    sys.stdout.write("\n".join(out) + "\n")
    return 1 if run.error is not None else 0


# -- new ----------------------------------------------------------------------------------


def cmd_new(root: Path, name: str) -> int:
    from .core.lesson.scaffold import ScaffoldError, scaffold

    try:
        folder = scaffold(root, name)
    except ScaffoldError as exc:
        print(f"nn-tutor: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {folder / 'lesson.md'} and {folder / 'lesson.py'}")
    where = f" --lessons-dir {root}" if root.resolve() != Path.cwd().resolve() else ""
    print(f"next: nn-tutor check {folder.name}{where}; nn-tutor preview {folder.name}{where}")
    return 0


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'s' * (count != 1)}"


def _check_line(report) -> str:
    """``01-one-neuron: passed (187 events, 9 equations, …, 0.4 s)``, or failed."""
    from .core.lesson.problems import printable

    name = printable(report.lesson.id)
    if report.problems:
        return f"{name}: failed ({_plural(len(report.problems), 'problem')})"
    parts = [
        _plural(report.events, "event"),
        _plural(report.equations, "equation"),
        _plural(report.evaluations, "evaluation"),
        f"{report.derivatives:,} derivative{'s' * (report.derivatives != 1)} proven",
        _plural(report.expectations, "expectation"),
        f"{report.seconds:.1f} s",
    ]
    return f"{name}: passed ({', '.join(parts)})"


STATS_COLUMNS = (
    "lesson",
    "events",
    "equations",
    "evaluations",
    "derivatives",
    "expectations",
    "time (s)",
)


def _stats_table(reports) -> str:
    """One row per lesson and a total row: what check proved, and how long it took."""
    from .core.lesson.problems import printable

    rows = []
    totals = [0, 0, 0, 0, 0, 0.0]
    for r in reports:
        numbers = [r.events, r.equations, r.evaluations, r.derivatives, r.expectations, r.seconds]
        totals = [t + v for t, v in zip(totals, numbers, strict=True)]
        rows.append([printable(r.lesson.id), *numbers])
    rows.append(["total", *totals])
    cells = [list(STATS_COLUMNS)] + [
        [row[0], *(f"{v:,}" for v in row[1:-1]), f"{row[-1]:.1f}"] for row in rows
    ]
    widths = [max(len(row[k]) for row in cells) for k in range(len(STATS_COLUMNS))]

    def line(row: list[str]) -> str:
        return "  ".join(
            cell.ljust(w) if k == 0 else cell.rjust(w)
            for k, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *map(line, cells[1:-1]), rule, line(cells[-1])])


# -- trace --------------------------------------------------------------------------------


def cmd_trace(
    root: Path,
    spec: str,
    as_json: bool,
    limit: int | None,
    time_limit: float,
    blank: str | None = None,
    iterations: tuple[int, int] | None = None,
    names: list[str] | None = None,
) -> int:
    from .core.lesson.collection import resolve
    from .core.lesson.load import load_lesson
    from .core.lesson.source import code_lines
    from .core.numbers import format_value, to_json
    from .core.run.result import Limits
    from .core.run.runner import Runner, error_problem

    lesson = load_lesson(resolve(spec, root))
    for problem in lesson.problems:  # still trace what runs: the problems may be in lesson.md
        print(f"{problem} (lesson problem)", file=sys.stderr)
    if not lesson.source:
        return 1
    source = lesson.source
    if blank is not None:
        from .core.exercises import blanked

        exercise = lesson.exercises.get(blank)
        if exercise is None or exercise.kind != "code":
            codes = ", ".join(e.id for e in lesson.exercises_of("code")) or "none"
            print(
                f"nn-tutor: no code exercise '{blank}' in {lesson.id} (it has: {codes})",
                file=sys.stderr,
            )
            return 2
        source = blanked(lesson, exercise)
    with Runner(Limits(time=time_limit)) as runner:
        result = runner.run(lesson.py_path, source, lesson.iteration)
    timeline = result.timeline
    code = code_lines(source)
    total = len(timeline)
    events: Sequence[int] = range(total)
    if iterations is not None:
        first, last = iterations
        events = [i for i in events if first <= _number(timeline, i) <= last]
    chosen = len(events)
    events = events[: (chosen if limit is None else max(0, limit))]
    wanted = set(names) if names else None
    out = sys.stdout
    for k, i in enumerate(events):
        line = timeline.line(i)
        changed = [n for n in timeline.changed(i) if wanted is None or n in wanted]
        if as_json:
            # The first event printed carries the whole state; each later one what it changed.
            if k == 0:
                state = {
                    n: v for n, v in timeline.values(i).items() if wanted is None or n in wanted
                }
            else:
                state = {n: timeline.value(n, i) for n in changed}
            record = {
                "index": i + 1,
                "iteration": _number(timeline, i) or None,
                "step": timeline.step(i),
                "line": line,
                "code": code.get(line, "").strip(),
                "values": {n: to_json(v) for n, v in state.items()},
                "changed": changed,
            }
            printed = timeline.printed(i)
            if printed:
                record["output"] = printed
            if timeline.is_summary(i):
                record["summary"] = True
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            iteration = _number(timeline, i)
            where = f"iter {iteration:>3}" if iteration else "        "
            step = timeline.step(i) or ""
            text = code.get(line, "").strip()
            if timeline.is_summary(i):
                numbers = timeline.numbers_of(timeline.iteration(i) or 0)
                text = (
                    f"(summary of iterations {numbers[0]}–{numbers[-1]})"
                    if len(numbers) > 1
                    else f"(summary of iteration {iteration})"
                )
            values = "  ".join(f"{k} = {format_value(timeline.value(k, i))}" for k in changed)
            out.write(
                f"{i + 1:>7}  {where}  {step:<14} {line:>4} │ {text:<36}  {values}\n".rstrip()
                + "\n"
            )
            printed = timeline.printed(i)
            if printed:
                for row in printed.rstrip("\n").split("\n"):
                    out.write(f"{'':>7}  {'':8}  {'':<14} {'':>4} │ » {row}\n")
    out.flush()
    if len(events) < chosen:
        print(f"({chosen - len(events)} more events not shown; --limit {limit})", file=sys.stderr)
    if timeline.truncated:
        kept = "then one summary event per iteration (later, per several), then the last iteration in full"
        if not timeline.iterations:
            kept = "then summary events, then the last events in full"
        print(
            f"note: the run executed {timeline.events_seen:,} lines; the timeline keeps "
            f"{total:,} of them: the first events in full, {kept}",
            file=sys.stderr,
        )
    if timeline.output_dropped:
        print(
            f"note: {timeline.output_dropped:,} characters of output were not kept", file=sys.stderr
        )
    if result.error is not None:
        print(error_problem(lesson.py_path, result.error), file=sys.stderr)
        return 1
    return 0


def _number(timeline, event: int) -> int:
    """The run's number of the iteration an event belongs to (0: none)."""
    k = timeline.iteration(event)
    return timeline.number(k) if k is not None else 0
