"""Recording without a tracer: the lesson's syntax tree with a recording call after each line.

``sys.settrace`` makes Python call the tracer at every line, and reading a function's
variables from its frame builds a dict of all of them each time. Here the lesson is compiled
with a call to a *probe* wherever a line's event completes, passing the values of the names
that line may change (``cmap.stores``). The probes (``probes.py``) append to the recorder's
stores; they reach the code as constants, so calling one costs no name lookup.

The events are the tracer's (docs/lesson-format.md, 5.1), which follow CPython 3.11's line
events: a line is recorded when the next line starts, when the frame returns, or at a jump
back. Where a name might be unbound at a record (``del``, a loop that never ran) the call is
guarded: its NameError falls back to reading the frame, as the tracer did. Deliberate
differences, each a quirk of tracing rather than of the code, are listed in
``tests/test_instrument.py``.
"""

from __future__ import annotations

import ast
import builtins
import symtable
from collections.abc import Callable
from dataclasses import dataclass, field
from types import CodeType
from typing import Any

from ..lesson.source import CodeMap

PREFIX = "\0tutor:"  # placeholder constants, replaced by the objects after compiling (``bind``)
# Names that could find a value in builtins where the tracer found none: read like the tracer.
_BUILTIN_VALUES = frozenset(n for n, v in vars(builtins).items() if not callable(v))
_NO_END = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match)
_TERMINAL = (ast.Return, ast.Break, ast.Continue, ast.Raise)
_SCOPES: tuple[type, ...] = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_SCOPES += (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_TryStar = getattr(ast, "TryStar", ast.Try)


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


def helper(name: str) -> str:
    """The placeholder of a shared helper: slow, slowv, chain, with, enter, leave, or a class."""
    return PREFIX + name


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
    table = symtable.symtable(source, filename, "exec")
    rewriter = _Rewriter(cmap, plan)
    tree.body = rewriter.module(tree.body, _Scope("module", table, False))
    if rewriter.in_functions:  # something in a function records: ``# untraced`` turns it off
        for node in rewriter.untraced:
            _silence(node)
    return plan


@dataclass
class _Scope:
    kind: str  # "module", "class" or "function"
    table: Any  # symtable.SymbolTable
    in_function: bool
    safe: frozenset[str] = frozenset()  # bound wherever a record runs: parameters never deleted
    unsafe: frozenset[str] = frozenset()  # deleted somewhere (del, except ... as)
    docstring: ast.stmt | None = None

    def foreign(self, name: str) -> bool:
        """A name to read from the frame as the tracer did: a load here would find another."""
        try:
            symbol = self.table.lookup(name)
        except KeyError:
            return True  # not a name of this scope (a one-line def's parameters, say)
        if self.kind == "function" and (symbol.is_local() or symbol.is_free()):
            return False
        return (self.kind == "class" and symbol.is_free()) or name in _BUILTIN_VALUES


class _Rewriter:
    def __init__(self, cmap: CodeMap, plan: Plan) -> None:
        self.cmap, self.plan = cmap, plan
        self.untraced: list[ast.FunctionDef] = []
        self.in_functions = False  # whether any record or helper runs inside a function

    # -- records -------------------------------------------------------------------------
    def record(self, line: int, scope: _Scope, bound: frozenset[str] = frozenset()) -> list:
        """The statements that record ``line``: a probe call, guarded unless its names are bound."""
        names = self.cmap.stores.get(line, ())
        if any(scope.foreign(n) for n in names):
            return [_stmt(self.helper("slow", scope), [_const(line)], line)]
        call = _stmt(self.probe(line, names, False, scope), [_load(n) for n in names], line)
        if all(n in bound or n in scope.safe for n in names):
            return [call]
        fallback = [_stmt(self.helper("slow", scope), [_const(line)], line)]
        handler = ast.ExceptHandler(type=_const(helper("NameError")), name=None, body=fallback)
        return [_at(ast.Try(body=[call], handlers=[handler], orelse=[], finalbody=[]), line)]

    def probe(self, line: int, names: tuple[str, ...], returns: bool, scope: _Scope) -> ast.expr:
        key = f"{PREFIX}{line}{'r' if returns else 'p'}"
        self.plan.probes[key] = Probe(line, names, returns)
        if scope.in_function:
            self.plan.silenced.add(key)
            self.in_functions = True
        return _const(key)

    def helper(self, name: str, scope: _Scope) -> ast.expr:
        self.in_functions = self.in_functions or scope.in_function
        return _const(helper(name))

    def chain(self, lines: list[int], scope: _Scope, at: int) -> list[ast.stmt]:
        """Record lines that ran and passed control on: except clauses that did not match."""
        return [_stmt(self.helper("chain", scope), [_const(tuple(lines))], at)] if lines else []

    # -- blocks and lines ----------------------------------------------------------------
    def module(self, body: list[ast.stmt], scope: _Scope) -> list[ast.stmt]:
        """A docstring and ``from __future__`` imports must stay first: their records follow."""
        head = 0
        while head < len(body) and (
            (head == 0 and _is_docstring(body[0]))
            or (isinstance(body[head], ast.ImportFrom) and getattr(body[head], "module", "") == "__future__")
        ):
            head += 1
        rest = body[head:]
        lines = dict.fromkeys(
            s.lineno for s in body[:head] if not rest or s.lineno != rest[0].lineno
        )
        return (
            body[:head]
            + [r for n in lines for r in self.record(n, scope)]
            + self.block(rest, scope)
        )

    def block(self, stmts, scope, entry=None, bound=frozenset(), exit_line=None) -> list[ast.stmt]:
        """A block: ``entry`` is its header's line (recorded as the block starts, merged into
        the first line's event when the block starts on the header line); ``exit_line`` a
        ``with`` line, whose exit records it (and the last line too, when on it)."""
        runs: list[list[ast.stmt]] = []
        for stmt in stmts:
            if runs and runs[-1][0].lineno == stmt.lineno:
                runs[-1].append(stmt)
            else:
                runs.append([stmt])
        out: list[ast.stmt] = []
        merged = bool(runs) and runs[0][0].lineno == entry and self.coded(runs[0], scope)
        if entry is not None and not merged:
            out += self.record(entry, scope, bound)
        for i, run in enumerate(runs):
            quiet = i == len(runs) - 1 and run[0].lineno == exit_line
            out += self.run(run, scope, quiet, bound if i == 0 and merged else frozenset())
        return out

    def run(self, stmts: list[ast.stmt], scope: _Scope, quiet: bool, bound: frozenset[str]):
        """Statements sharing a line: one event, after the last (before a jump or return)."""
        line = stmts[0].lineno
        coded = self.coded(stmts, scope)
        yields = scope.kind == "function" and _wrap_yields(
            stmts, lambda: self.helper("slowv", scope), line
        )
        quiet = quiet or yields or not coded  # a yield records its line as it suspends
        out: list[ast.stmt] = []
        for k, stmt in enumerate(stmts):
            if isinstance(stmt, _TERMINAL):
                bound = bound | _bound(stmts[:k], scope)
                out += self.terminal(stmt, scope, quiet, bound) + stmts[k + 1 :]
                return out
            out += self.statement(stmt, scope)
        if not quiet and not isinstance(stmts[-1], _NO_END + (_TryStar,)):
            out += self.record(line, scope, bound | _bound(stmts, scope))
        return out

    def terminal(self, stmt, scope: _Scope, quiet: bool, bound: frozenset[str]) -> list:
        """return/break/continue/raise: the line is recorded before control leaves it."""
        line = stmt.lineno
        if quiet or (isinstance(stmt, ast.Raise) and stmt.exc is not None):
            return [stmt]  # (a raise records nothing)
        if not isinstance(stmt, ast.Return) or stmt.value is None:
            return self.record(line, scope, bound) + [stmt]
        names = self.cmap.stores.get(line, ())
        if all(n in bound or n in scope.safe for n in names) and not any(map(scope.foreign, names)):
            func, args = self.probe(line, names, True, scope), [_load(n) for n in names]
        else:
            func, args = self.helper("slowv", scope), [_const(line)]  # type: ignore[list-item]
        stmt.value = ast.copy_location(ast.Call(func, [stmt.value, *args], []), stmt.value)
        _at(stmt.value, line)
        return [stmt]

    def coded(self, stmts: list[ast.stmt], scope: _Scope) -> bool:
        """Whether any of ``stmts`` compiles to code (Python has no line event for the others)."""
        return any(_has_code(s, scope) for s in stmts)

    # -- compound statements -------------------------------------------------------------
    def statement(self, stmt: ast.stmt, scope: _Scope) -> list[ast.stmt]:
        line = stmt.lineno
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            self.function(stmt, scope)
        elif isinstance(stmt, ast.ClassDef):
            inner = _Scope("class", _child(scope.table, stmt), scope.in_function)
            body = self.block(stmt.body, inner)
            entry = self.record(line, inner)  # the class body's first line event is its header
            if stmt.body[0].lineno == line and self.coded(stmt.body[:1], inner):
                entry = []
            stmt.body = body[:1] + entry + body[1:] if _is_docstring(stmt.body[0]) else entry + body
        elif isinstance(stmt, ast.If | ast.While | ast.For | ast.AsyncFor):
            bound = _names(stmt.target) if isinstance(stmt, ast.For | ast.AsyncFor) else frozenset()
            stmt.body = self.block(stmt.body, scope, line, bound)
            if isinstance(stmt, ast.If):
                stmt.orelse = self.block(stmt.orelse, scope, line) if stmt.orelse else []
                stmt.orelse = stmt.orelse or self.record(line, scope)
            else:  # the header's last run: the test was false, or the iterator exhausted
                stmt.orelse = self.record(line, scope) + self.block(stmt.orelse, scope)
        elif isinstance(stmt, ast.With | ast.AsyncWith):
            bound = frozenset().union(*(_names(i.optional_vars) for i in stmt.items))
            exit_line = None
            if isinstance(stmt, ast.With):  # its exit is an event too: the probe wraps the manager
                item = stmt.items[0]
                one_line = _const(stmt.body[0].lineno == line)  # (an exception there: no exit)
                item.context_expr = ast.Call(
                    self.helper("with", scope), [item.context_expr, _const(line), one_line], []
                )
                _at(ast.copy_location(item.context_expr, item.context_expr.args[0]), line)
                exit_line = line
            stmt.body = self.block(stmt.body, scope, line, bound, exit_line)
        elif isinstance(stmt, ast.Try | _TryStar):
            self.try_(stmt, scope)
        elif isinstance(stmt, ast.Match):
            self.match(stmt, scope)
        return [stmt]

    def function(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef, outer: _Scope) -> None:
        args = stmt.args
        params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
        params += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
        unsafe = frozenset(_deleted(stmt))
        scope = _Scope("function", _child(outer.table, stmt), True, frozenset(params) - unsafe)
        scope.unsafe = unsafe
        scope.docstring = stmt.body[0] if _is_docstring(stmt.body[0]) else None
        if stmt.lineno in self.cmap.untraced:
            self.nested(stmt.body, scope)  # only functions and classes defined inside record
            if isinstance(stmt, ast.FunctionDef) and not _own_nodes(stmt.body, _Suspends):
                self.untraced.append(stmt)
            return
        body = self.block(stmt.body, scope)
        if not self.coded(stmt.body, scope):  # no code at all: the tracer saw the def line
            body += self.record(stmt.lineno, scope)
        stmt.body = body

    def nested(self, stmts: list[ast.stmt], scope: _Scope) -> None:
        for stmt in stmts:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.statement(stmt, scope)
            else:
                for block in _blocks(stmt):
                    self.nested(block, scope)

    def try_(self, stmt: ast.Try, scope: _Scope) -> None:
        stmt.body = self.block(stmt.body, scope, stmt.lineno)
        tried: list[int] = []
        for handler in stmt.handlers:
            name = frozenset([handler.name] if handler.name else [])
            head = self.chain(tried, scope, handler.lineno)
            handler.body = head + self.block(handler.body, scope, handler.lineno, name)
            tried.append(handler.lineno)
        if isinstance(stmt, ast.Try) and stmt.handlers and stmt.handlers[-1].type is not None:
            # No clause matched: each was an event; the exception goes on as it was.
            body = self.chain(tried, scope, tried[-1]) + [_at(ast.Raise(), tried[-1])]
            catch_all = ast.ExceptHandler(type=_const(helper("BaseException")), body=body)
            stmt.handlers.append(_at(catch_all, tried[-1]))
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
        if last.guard is not None or not _irrefutable(last.pattern):
            wildcard = _at(ast.MatchAs(), tried[-1])
            stmt.cases.append(ast.match_case(wildcard, None, self.chain(tried, scope, tried[-1])))


def _silence(node: ast.FunctionDef) -> None:
    """``# untraced``: nothing records while the function runs (``enter`` .. ``leave``)."""
    doc = node.body[:1] if _is_docstring(node.body[0]) else []
    rest = node.body[len(doc) :]
    if rest:
        line = rest[0].lineno
        leave = [_stmt(_const(helper("leave")), [], line)]
        guarded = _at(ast.Try(body=rest, handlers=[], orelse=[], finalbody=leave), line)
        node.body = doc + [_stmt(_const(helper("enter")), [], line), guarded]


def _child(table: Any, node: ast.stmt) -> Any:
    """The symbol table of a def or class (through any table between, as 3.12's type scopes)."""
    kind = "class" if isinstance(node, ast.ClassDef) else "function"
    for child in table.get_children():
        if child.get_name() == getattr(node, "name", None) and child.get_lineno() == node.lineno:
            if str(child.get_type()).lower().endswith(kind):
                return child
    for child in table.get_children():
        if str(child.get_type()).lower().endswith(("function", "class")):
            continue
        try:
            return _child(child, node)
        except LookupError:
            pass
    raise LookupError(f"no symbol table for line {node.lineno}")


_Suspends = (ast.Yield, ast.YieldFrom, ast.Await)


def _own_nodes(stmts: list[ast.stmt], kinds: tuple[type, ...]) -> list[Any]:
    """Nodes of ``kinds`` in ``stmts``, not inside nested functions, classes or comprehensions."""
    found, stack = [], list(stmts)
    while stack:
        node = stack.pop()
        if isinstance(node, kinds):
            found.append(node)
        stack.extend(c for c in ast.iter_child_nodes(node) if not isinstance(c, _SCOPES))
    return found


def _wrap_yields(stmts: list[ast.stmt], slowv: Callable[[], ast.expr], line: int) -> bool:
    """``yield x`` -> ``yield slowv(x, line)``: the tracer recorded a line as its frame suspended."""
    found = _own_nodes([s for s in stmts if not _blocks(s)], (ast.Yield,))
    for node in found:
        value = node.value or _at(ast.Constant(None), line)
        call = ast.Call(slowv(), [value, _const(line)], [])
        node.value = _at(ast.copy_location(call, value), line)
    return bool(found)


def _deleted(node: ast.AST) -> set[str]:
    """Names a function (or one inside it) deletes: ``del x``, and ``except ... as x``."""
    names = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Del):
            names.add(n.id)
        elif isinstance(n, ast.ExceptHandler) and n.name:
            names.add(n.name)
    return names


def _bound(stmts: list[ast.stmt], scope: _Scope) -> frozenset[str]:
    """Names certainly bound once ``stmts`` ran: what the last one assigns (in a function, what
    any of them assigns to a local nothing deletes)."""
    names: set[str] = set()
    for k, stmt in enumerate(stmts):
        targets: list[ast.expr] = []
        if isinstance(stmt, ast.Assign):
            targets = stmt.targets
        elif isinstance(stmt, ast.AugAssign) or (
            isinstance(stmt, ast.AnnAssign) and stmt.value is not None
        ):
            targets = [stmt.target]
        assigned = frozenset().union(*map(_names, targets))
        if k == len(stmts) - 1:
            names |= assigned
        elif scope.kind == "function":
            names |= {n for n in assigned - scope.unsafe if scope.table.lookup(n).is_local()}
    return frozenset(names)


def _names(target: ast.expr | None) -> frozenset[str]:
    """The plain names a target binds (``a, (b, *c)``; not ``x[i]`` or ``x.y``)."""
    if isinstance(target, ast.Name):
        return frozenset([target.id])
    if isinstance(target, ast.Tuple | ast.List):
        return frozenset().union(*map(_names, target.elts))
    if isinstance(target, ast.Starred):
        return _names(target.value)
    return frozenset()


def _has_code(stmt: ast.stmt, scope: _Scope) -> bool:
    if isinstance(stmt, ast.Global | ast.Nonlocal):
        return False
    if scope.kind == "function":
        if stmt is scope.docstring:
            return False
        if isinstance(stmt, ast.AnnAssign) and stmt.value is None and stmt.simple:
            return False  # ``x: int`` in a function: the annotation is not even evaluated
    return True


def _blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    blocks = [getattr(stmt, f, None) for f in ("body", "orelse", "finalbody")]
    blocks += [h.body for h in getattr(stmt, "handlers", ())]
    blocks += [c.body for c in getattr(stmt, "cases", ())]
    return [b for b in blocks if isinstance(b, list) and b and isinstance(b[0], ast.stmt)]


def _irrefutable(pattern: ast.pattern) -> bool:
    if isinstance(pattern, ast.MatchAs):
        return pattern.pattern is None or _irrefutable(pattern.pattern)
    return isinstance(pattern, ast.MatchOr) and any(map(_irrefutable, pattern.patterns))


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _const(value: Any) -> ast.Constant:
    return ast.Constant(value)


def _load(name: str) -> ast.Name:
    return ast.Name(name, ast.Load())


def _stmt(func: ast.expr, args: list[ast.expr], line: int) -> ast.stmt:
    return _at(ast.Expr(ast.Call(func, args, [])), line)


def _at(node: Any, line: int) -> Any:
    """Give the new nodes of ``node`` the position of ``line`` (the lesson's keep theirs)."""
    for n in ast.walk(node):
        if "lineno" in n._attributes and getattr(n, "lineno", None) is None:
            n.lineno = n.end_lineno = line
            n.col_offset = n.end_col_offset = 0
    return node
