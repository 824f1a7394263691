"""Recording without a tracer: the lesson's syntax tree with a recording call after each line.

``sys.settrace`` makes Python call the tracer at every line, and reading a function's
variables from its frame builds a dict of all of them each time. Here the lesson is compiled
with a call to a *probe* wherever a line's event completes, passing the values of the names
that line may change (``cmap.stores``). The probes (``probes.py``) append to the recorder's
stores; they reach the code as constants, so calling one costs no name lookup.

The events are the tracer's (docs/lesson-format.md, 5.1), which followed CPython 3.11's line
events: a line is recorded when the next line starts, when the frame returns, or at a jump
back. Where a name might be unbound at a record (``del``, a loop that never ran) the call is
guarded: its NameError falls back to reading the frame, as the tracer did. The deliberate
differences, each a quirk of tracing rather than of the code, are in
``tests/instrument_snippets.py`` (DIFFERENT).
"""

from __future__ import annotations

import ast
import builtins
import symtable
from dataclasses import dataclass, field
from types import CodeType
from typing import Any

from ..lesson.source import CodeMap
from . import syntax as sx
from .syntax import PREFIX, const, helper

# Names that could find a value in builtins where the tracer found none: read like the tracer.
_BUILTIN_VALUES = frozenset(n for n, v in vars(builtins).items() if not callable(v))
# Compound statements: their events are at their blocks' starts, not after them.
_NO_END: tuple[type[ast.stmt], ...] = tuple(
    getattr(ast, kind)
    for kind in ("If", "For", "AsyncFor", "While", "With", "AsyncWith", "Try", "TryStar", "Match")
    if hasattr(ast, kind)
)
_TERMINAL = (ast.Return, ast.Break, ast.Continue, ast.Raise)
_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Probe:
    """A recording function to make: its line, the names it is passed, and whether it also
    passes a value through (``return probe(value, *names)``)."""

    line: int
    names: tuple[str, ...]
    returns: bool


@dataclass
class Plan:
    tree: ast.Module
    probes: dict[str, Probe] = field(default_factory=dict)  # placeholder -> probe
    silenced: set[str] = field(default_factory=set)  # probes in functions: off in ``# untraced``


def bind(code: CodeType, objects: dict[str, Any]) -> CodeType:
    """``code`` (and the functions in it) with each placeholder constant replaced by its object."""
    consts = tuple(
        bind(c, objects) if isinstance(c, CodeType) else objects.get(c, c) if type(c) is str else c
        for c in code.co_consts
    )
    return code.replace(co_consts=consts)


def instrument(source: str, filename: str, cmap: CodeMap) -> Plan:
    """The lesson's tree with its probes (compile ``plan.tree``, then ``bind``)."""
    tree = ast.parse(source, filename)
    plan = Plan(tree)
    rewriter = _Rewriter(cmap, plan)
    scope = _Scope("module", symtable.symtable(source, filename, "exec"), False)
    tree.body = rewriter.module(tree.body, scope)
    if rewriter.in_functions:  # something in a function records: ``# untraced`` turns it off
        for node in rewriter.untraced:
            sx.silence(node)
    return plan


@dataclass
class _Scope:
    kind: str  # "module", "class" or "function"
    table: Any  # symtable.SymbolTable
    in_function: bool
    safe: frozenset[str] = _NONE  # bound wherever a record runs: parameters never deleted
    unsafe: frozenset[str] = _NONE  # deleted somewhere (del, except ... as)
    docstring: ast.stmt | None = None

    def foreign(self, name: str) -> bool:
        """A name to read from the frame as the tracer did: a load here would find another."""
        if name not in self.table.get_identifiers():
            return True  # not a name of this scope (a one-line def's parameters, say)
        if self.kind == "module":  # (no ``lookup``: it scans every child table, each time)
            return name in _BUILTIN_VALUES
        symbol = self.table.lookup(name)
        if self.kind == "function" and (symbol.is_local() or symbol.is_free()):
            return False
        return (self.kind == "class" and symbol.is_free()) or name in _BUILTIN_VALUES

    def coded(self, stmts: list[ast.stmt]) -> bool:
        """Whether any of ``stmts`` compiles to code (Python has no line event for the others)."""
        return any(sx.has_code(s, self.kind == "function", self.docstring) for s in stmts)

    def bound(self, stmts: list[ast.stmt]) -> frozenset[str]:
        """Names certainly bound once ``stmts`` ran: what the last one assigns (in a function,
        what any of them assigns to a local that nothing deletes)."""
        found = set(sx.assigned(stmts[-1])) if stmts else set()
        if self.kind == "function":
            for stmt in stmts[:-1]:
                found |= {n for n in sx.assigned(stmt) - self.unsafe if self._local(n)}
        return frozenset(found)

    def _local(self, name: str) -> bool:
        return bool(self.table.lookup(name).is_local())


class _Rewriter:
    def __init__(self, cmap: CodeMap, plan: Plan) -> None:
        self.cmap, self.plan = cmap, plan
        self.untraced: list[ast.FunctionDef] = []
        self.in_functions = False  # whether any record or helper runs inside a function
        self.tables: dict[int, Any] = {}  # symbol tables' children, by name and line

    # -- records -------------------------------------------------------------------------
    def record(self, line: int, scope: _Scope, bound: frozenset[str] = _NONE) -> list[ast.stmt]:
        """The statements that record ``line``: a probe call, guarded unless its names are bound."""
        stored = self.cmap.stores.get(line, ())
        slow = [sx.call(self.helper("slow", scope), [const(line)], line)]
        if any(map(scope.foreign, stored)):
            return slow
        probe = sx.call(self.probe(line, stored, False, scope), [sx.load(n) for n in stored], line)
        if all(n in bound or n in scope.safe for n in stored):
            return [probe]
        handler = ast.ExceptHandler(type=const(helper("NameError")), name=None, body=slow)
        return [sx.at(ast.Try(body=[probe], handlers=[handler], orelse=[], finalbody=[]), line)]

    def probe(self, line: int, stored: tuple[str, ...], returns: bool, scope: _Scope) -> ast.expr:
        key = f"{PREFIX}{line}{'r' if returns else 'p'}"
        self.plan.probes[key] = Probe(line, stored, returns)
        if scope.in_function:
            self.plan.silenced.add(key)
            self.in_functions = True
        return const(key)

    def helper(self, name: str, scope: _Scope) -> ast.expr:
        self.in_functions = self.in_functions or scope.in_function
        return const(helper(name))

    def chain(self, lines: list[int], scope: _Scope, line: int) -> list[ast.stmt]:
        """Record lines that ran and passed control on: except clauses that did not match."""
        return [sx.call(self.helper("chain", scope), [const(tuple(lines))], line)] if lines else []

    # -- blocks and lines ----------------------------------------------------------------
    def module(self, body: list[ast.stmt], scope: _Scope) -> list[ast.stmt]:
        """A docstring and ``from __future__`` imports must stay first: their records follow."""
        head = 0
        while head < len(body) and (
            sx.is_future(body[head]) or head == 0 and sx.is_docstring(body[0])
        ):
            head += 1
        rest = body[head:]
        lines = dict.fromkeys(
            s.lineno for s in body[:head] if not rest or s.lineno != rest[0].lineno
        )
        records = [r for line in lines for r in self.record(line, scope)]
        return body[:head] + records + self.block(rest, scope)

    def block(
        self,
        stmts: list[ast.stmt],
        scope: _Scope,
        entry: int | None = None,
        bound: frozenset[str] = _NONE,
        exit_line: int | None = None,
    ) -> list[ast.stmt]:
        """A block: ``entry`` is its header's line (recorded as the block starts, in the first
        line's event when that is on the header's line); ``exit_line`` a ``with`` line, whose
        exit records it (and so the block's last line, when on it)."""
        runs: list[list[ast.stmt]] = []
        for stmt in stmts:
            if runs and runs[-1][0].lineno == stmt.lineno:
                runs[-1].append(stmt)
            else:
                runs.append([stmt])
        out: list[ast.stmt] = []
        merged = bool(runs) and runs[0][0].lineno == entry and scope.coded(runs[0])
        if entry is not None and not merged:
            out += self.record(entry, scope, bound)
        for i, run in enumerate(runs):
            quiet = i == len(runs) - 1 and run[0].lineno == exit_line
            out += self.run(run, scope, quiet, bound if i == 0 and merged else _NONE)
        return out

    def run(self, stmts: list[ast.stmt], scope: _Scope, quiet: bool, bound: frozenset[str]):
        """Statements sharing a line: one event, after the last (before a jump or return)."""
        line = stmts[0].lineno
        yields = scope.kind == "function" and sx.wrap_yields(
            stmts, lambda: self.helper("slowv", scope), line
        )
        quiet = quiet or yields or not scope.coded(stmts)  # a yield records as it suspends
        out: list[ast.stmt] = []
        for k, stmt in enumerate(stmts):
            if isinstance(stmt, _TERMINAL):
                bound = bound | scope.bound(stmts[:k])
                return out + self.terminal(stmt, scope, quiet, bound) + stmts[k + 1 :]
            out += self.statement(stmt, scope)
        if not quiet and not isinstance(stmts[-1], _NO_END):
            out += self.record(line, scope, bound | scope.bound(stmts))
        return out

    def terminal(self, stmt: ast.stmt, scope: _Scope, quiet: bool, bound: frozenset[str]):
        """return/break/continue/raise: the line is recorded before control leaves it."""
        line = stmt.lineno
        if quiet or (isinstance(stmt, ast.Raise) and stmt.exc is not None):
            return [stmt]  # (a raise records nothing)
        if not isinstance(stmt, ast.Return) or stmt.value is None:
            return self.record(line, scope, bound) + [stmt]
        stored = self.cmap.stores.get(line, ())
        if all(n in bound or n in scope.safe for n in stored) and not any(
            map(scope.foreign, stored)
        ):
            args: list[ast.expr] = [sx.load(n) for n in stored]
            stmt.value = sx.wrap(self.probe(line, stored, True, scope), stmt.value, args, line)
        else:
            stmt.value = sx.wrap(self.helper("slowv", scope), stmt.value, [const(line)], line)
        return [stmt]

    # -- compound statements -------------------------------------------------------------
    def statement(self, stmt: ast.stmt, scope: _Scope) -> list[ast.stmt]:
        line = stmt.lineno
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            self.function(stmt, scope)
        elif isinstance(stmt, ast.ClassDef):
            inner = _Scope("class", sx.symbols(scope.table, stmt, self.tables), scope.in_function)
            body = self.block(stmt.body, inner)
            entry = self.record(line, inner)  # the class body's first line event is its header
            if stmt.body[0].lineno == line and inner.coded(stmt.body[:1]):
                entry = []
            at_ = 1 if sx.is_docstring(stmt.body[0]) else 0  # (a docstring stays first)
            stmt.body = body[:at_] + entry + body[at_:]
        elif isinstance(stmt, ast.If | ast.While | ast.For | ast.AsyncFor):
            bound = sx.names(stmt.target) if isinstance(stmt, ast.For | ast.AsyncFor) else _NONE
            stmt.body = self.block(stmt.body, scope, line, bound)
            if isinstance(stmt, ast.If):
                orelse = self.block(stmt.orelse, scope, line) if stmt.orelse else []
                stmt.orelse = orelse or self.record(line, scope)
            else:  # the header's last run: the test was false, or the iterator exhausted
                stmt.orelse = self.record(line, scope) + self.block(stmt.orelse, scope)
        elif isinstance(stmt, ast.With | ast.AsyncWith):
            bound = frozenset().union(*(sx.names(i.optional_vars) for i in stmt.items))
            exit_line = None
            if isinstance(stmt, ast.With):  # its exit is an event: ``with`` wraps the manager
                item = stmt.items[0]
                one_line = const(stmt.body[0].lineno == line)  # (an exception there: no exit)
                args = [const(line), one_line]
                item.context_expr = sx.wrap(
                    self.helper("with", scope), item.context_expr, args, line
                )
                exit_line = line
            stmt.body = self.block(stmt.body, scope, line, bound, exit_line)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            self.try_(stmt, scope)  # type: ignore[arg-type]
        elif isinstance(stmt, ast.Match):
            self.match(stmt, scope)
        return [stmt]

    def function(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef, outer: _Scope) -> None:
        args = stmt.args
        params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
        params += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
        unsafe = sx.deleted(stmt)
        scope = _Scope(
            "function", sx.symbols(outer.table, stmt, self.tables), True, frozenset(params) - unsafe
        )
        scope.unsafe = unsafe
        scope.docstring = stmt.body[0] if sx.is_docstring(stmt.body[0]) else None
        if stmt.lineno in self.cmap.untraced:
            self.nested(stmt.body, scope)  # only functions and classes defined inside record
            if isinstance(stmt, ast.FunctionDef) and not sx.own_nodes(stmt.body, sx.SUSPENDS):
                self.untraced.append(stmt)
            return
        body = self.block(stmt.body, scope)
        if not scope.coded(stmt.body):  # no code at all: the tracer saw the def line
            body += self.record(stmt.lineno, scope)
        stmt.body = body

    def nested(self, stmts: list[ast.stmt], scope: _Scope) -> None:
        for stmt in stmts:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.statement(stmt, scope)
            else:
                for block in sx.blocks(stmt):
                    self.nested(block, scope)

    def try_(self, stmt: ast.Try, scope: _Scope) -> None:
        stmt.body = self.block(stmt.body, scope, stmt.lineno)
        tried: list[int] = []
        for handler in stmt.handlers:
            bound = frozenset([handler.name] if handler.name else [])
            head = self.chain(tried, scope, handler.lineno)
            handler.body = head + self.block(handler.body, scope, handler.lineno, bound)
            if isinstance(stmt, ast.Try):  # (``except*`` clauses may all run: no chain)
                tried.append(handler.lineno)
        if tried and stmt.handlers[-1].type is not None:
            # No clause matched: each was an event; the exception goes on as it was.
            body = self.chain(tried, scope, tried[-1]) + [sx.at(ast.Raise(), tried[-1])]
            catch_all = ast.ExceptHandler(type=const(helper("BaseException")), body=body)
            stmt.handlers.append(sx.at(catch_all, tried[-1]))
        stmt.orelse = self.block(stmt.orelse, scope)
        stmt.finalbody = self.block(stmt.finalbody, scope)

    def match(self, stmt: ast.Match, scope: _Scope) -> None:
        """The subject line, then each case line tried, are events (as except clauses are)."""
        tried = [stmt.lineno]
        for case in stmt.cases:
            line = case.pattern.lineno
            case.body = self.chain(tried, scope, line) + self.block(case.body, scope, line)
            tried.append(line)
        last = stmt.cases[-1]
        if last.guard is not None or not sx.irrefutable(last.pattern):
            wildcard = sx.at(ast.MatchAs(), tried[-1])
            stmt.cases.append(ast.match_case(wildcard, None, self.chain(tried, scope, tried[-1])))
