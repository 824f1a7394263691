"""The functions an instrumented lesson calls to record (see ``instrument.py``).

A probe records one line: ``probe(a, b)`` appends the line and the values of its names to the
recorder's current store, the line first (a reader streaming the store sees an event's line
before its values). Values are copied (``snapshot``) before anything is appended, so a time
limit raised inside ``snapshot`` leaves no half-written event; the time limit never raises in
this file (``limits.start_alarm``). Each probe is a closure made from a template for its
number of names: its line and the appenders it writes to are closure cells, changed in place
when the recorder's capacity is reached (``aim``). The helpers for what is rare (names that
may be unbound, ``with`` exits, ``except`` clauses, yields) read the lesson's frame, as the
tracer did.
"""

from __future__ import annotations

import gc
import sys
import warnings
from collections.abc import Callable
from types import CodeType, FunctionType
from typing import TYPE_CHECKING, Any

from .instrument import Plan, Probe, bind, instrument
from .snapshot import SKIP, snapshot
from .syntax import helper

if TYPE_CHECKING:
    from ..lesson.source import CodeMap
    from .recorder import _Recorder

_factories: dict[tuple[int, bool], Callable[..., tuple[FunctionType, CodeType]]] = {}


def _factory(arity: int, returns: bool) -> Callable[..., tuple[FunctionType, CodeType]]:
    """``make(line, lines, cap, full, e0, v0, f0, d0, ...) -> (probe, its silent code)`` for ``arity``
    names; the silent code (``# untraced``) has the same cells and does nothing."""
    key = (arity, returns)
    if key not in _factories:
        scope: dict[str, Any] = {"snapshot": snapshot, "skip": SKIP}
        exec(compile(_template(arity, returns), __file__, "exec", dont_inherit=True), scope)
        _factories[key] = scope["make"]
    return _factories[key]


def _template(arity: int, returns: bool) -> str:
    """The source of a probe factory. Numbers (the common case) take the first branch."""
    args = [f"a{i}" for i in range(arity)]
    params = ", ".join((["value"] if returns else []) + args)
    cells = "".join(f", e{i}, v{i}, f{i}, d{i}" for i in range(arity))
    result = "value" if returns else "None"
    numbers = " and ".join(f"(t{i} is float or t{i} is int)" for i in range(arity)) or "True"
    src = [f"def make(line, lines, cap, full{cells}):", "    add_line = lines.append"]
    src += [f"    def probe({params}):"]
    src += [f"        t{i} = type({a})" for i, a in enumerate(args)]
    src += [f"        if {numbers}:", "            n = len(lines)", "            if n < cap:"]
    src += ["                add_line(line)"]
    for i, a in enumerate(args):  # a float to its typed array, an int to the list
        src += [f"                if t{i} is float:", f"                    f{i}(n)"]
        src += [f"                    d{i}({a})", "                else:"]
        src += [f"                    e{i}(n)", f"                    v{i}({a})"]
    src += [f"                return {result}"]
    if arity:  # something else: a copy (or SKIP), and nothing appended for SKIP
        src += ["        else:"]
        for i, a in enumerate(args):
            src += [f"            if t{i} is not float and t{i} is not int:"]
            src += [f"                {a} = snapshot({a})"]
        src += [
            "            n = len(lines)",
            "            if n < cap:",
            "                add_line(line)",
        ]
        for i, a in enumerate(args):
            src += [f"                if t{i} is float:", f"                    f{i}(n)"]
            src += [f"                    d{i}({a})", f"                elif {a} is not skip:"]
            src += [f"                    e{i}(n)", f"                    v{i}({a})"]
        src += [f"                return {result}"]
    src += [f"        full(line, ({''.join(a + ', ' for a in args)}))", f"        return {result}"]
    src += [f"    def silent({params}):"]
    src += [f"        if 0: (line, lines, cap, full, add_line{cells})", f"        return {result}"]
    src += ["    return probe, silent.__code__"]
    return "\n".join(src)


def instrumented(source: str, filename: str, cmap: CodeMap, recorder: _Recorder) -> CodeType:
    """The lesson compiled with its probes, bound to ``recorder``.

    The garbage collector waits meanwhile: it would walk the whole syntax tree again and
    again while the rewrite makes nodes (seconds, for a file of 10,000 lines)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        plan = instrument(source, filename, cmap)
        with warnings.catch_warnings():  # (a probe is a constant called: "not callable?")
            warnings.simplefilter("ignore", SyntaxWarning)
            code = compile(plan.tree, filename, "exec", dont_inherit=True)
        return bind(code, Hub(recorder, plan).objects)
    finally:
        if collecting:
            gc.enable()


class Hub:
    """The objects the instrumented code calls, by placeholder, and the recorder they feed."""

    def __init__(self, recorder: _Recorder, plan: Plan) -> None:
        self.recorder = recorder
        self.quiet = 0  # how many ``# untraced`` functions are running
        self.probes: dict[str, tuple[FunctionType, CodeType, CodeType, Probe]] = {}
        for key, spec in plan.probes.items():
            make = _factory(len(spec.names), spec.returns)
            probe, silent = make(spec.line, [], 0, self._full, *[None] * (4 * len(spec.names)))
            assert silent.co_freevars == probe.__code__.co_freevars
            self.probes[key] = (probe, probe.__code__, silent, spec)
        self.silenced = [self.probes[key][:3] for key in plan.silenced]
        self.aim()
        recorder.on_overflow = self.aim
        self.objects: dict[str, Any] = {key: entry[0] for key, entry in self.probes.items()}
        self.objects.update(
            {
                helper("slow"): self.slow,
                helper("slowv"): self.slowv,
                helper("chain"): self.chain,
                helper("with"): self.with_,
                helper("enter"): self.enter,
                helper("leave"): self.leave,
                helper("NameError"): NameError,
                helper("BaseException"): BaseException,
            }
        )

    def aim(self) -> None:
        """Point every probe at the recorder's current store (the tail, past capacity)."""
        recorder = self.recorder
        for probe, _, _, spec in self.probes.values():
            cells = dict(zip(probe.__code__.co_freevars, probe.__closure__ or (), strict=True))
            lines = recorder.lines
            cells["lines"].cell_contents = lines
            cells["add_line"].cell_contents = lines.append
            # A loop header past capacity starts an iteration: always the slow path.
            cap = 0 if spec.line == recorder.boundary else recorder.capacity
            cells["cap"].cell_contents = cap
            stores = zip(recorder.plan[spec.line], recorder.float_plan[spec.line], strict=True)
            for i, ((_, add_event, add_value), (add_float_event, add_float)) in enumerate(stores):
                cells[f"e{i}"].cell_contents = add_event
                cells[f"v{i}"].cell_contents = add_value
                cells[f"f{i}"].cell_contents = add_float_event
                cells[f"d{i}"].cell_contents = add_float

    def _full(self, line: int, values: tuple[Any, ...]) -> None:
        self.recorder.complete(line, values)

    # -- helpers: what is rare reads the frame, as the tracer did ------------------------
    def _read(self, frame: Any, line: int) -> list[Any]:
        scope, module = frame.f_locals, frame.f_globals
        values = []
        for name, _, _ in self.recorder.plan[line]:
            try:
                value = scope[name]
            except KeyError:
                value = module.get(name, SKIP)
            if type(value) is not float and type(value) is not int:
                value = snapshot(value)
            values.append(value)
        return values

    def slow(self, line: int) -> None:
        """Record ``line`` whose names may be unbound (a guarded probe's NameError)."""
        if not self.quiet:
            self.recorder.complete(line, self._read(sys._getframe(1), line))

    def slowv(self, value: Any, line: int) -> Any:
        """Record ``line`` and pass ``value`` on: ``return`` and ``yield`` with such names."""
        if not self.quiet:
            self.recorder.complete(line, self._read(sys._getframe(1), line))
        return value

    def chain(self, lines: tuple[int, ...]) -> None:
        """Record lines that ran and handed on: except clauses (case lines) that did not match."""
        if not self.quiet:
            frame = sys._getframe(1)
            for line in lines:
                self.recorder.complete(line, self._read(frame, line))

    def with_(self, manager: Any, line: int, one_line: bool) -> _With:
        return _With(manager, line, one_line, self)

    def enter(self) -> None:
        """A ``# untraced`` function starts: every probe in a function does nothing."""
        if not self.quiet:
            for probe, _, silent in self.silenced:
                probe.__code__ = silent
        self.quiet += 1

    def leave(self) -> None:
        self.quiet -= 1
        if not self.quiet:
            for probe, code, _ in self.silenced:
                probe.__code__ = code


class _With:
    """A context manager in place of the lesson's: the same, and its exit records the line."""

    __slots__ = ("_enter", "_exit", "_line", "_one_line", "_hub")

    def __init__(self, manager: Any, line: int, one_line: bool, hub: Hub) -> None:
        kind = type(manager)
        self._enter, self._exit = _special(manager, "__enter__"), _special(manager, "__exit__")
        message = f"'{kind.__name__}' object does not support the context manager protocol"
        if self._enter is None:
            raise TypeError(message)
        if self._exit is None:
            raise TypeError(f"{message} (missed __exit__ method)")
        self._line, self._one_line, self._hub = line, one_line, hub

    def __enter__(self) -> Any:
        return self._enter()

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> Any:
        result = self._exit(kind, value, traceback)
        hub = self._hub
        # (On one line, an exception in the body leaves no line to come back from.)
        if not hub.quiet and (kind is None or not self._one_line):
            hub.recorder.complete(self._line, hub._read(sys._getframe(1), self._line))
        return result


def _special(obj: Any, name: str) -> Any:
    """``obj``'s special method, looked up on its type as ``with`` does (None: it has none)."""
    kind = type(obj)
    for base in kind.__mro__:
        if name in base.__dict__:
            attr = base.__dict__[name]
            get = getattr(type(attr), "__get__", None)
            return attr if get is None else get(attr, obj, kind)
    return None
