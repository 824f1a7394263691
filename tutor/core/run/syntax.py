"""Syntax-tree facts and new nodes for ``instrument.py``: what a statement binds or deletes,
whether Python compiles it to any code, and recording calls placed on a lesson line."""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

PREFIX = "\0tutor:"  # placeholder constants, replaced by the objects after compiling
SCOPES: tuple[type[ast.AST], ...] = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
SCOPES += (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
SUSPENDS = (ast.Yield, ast.YieldFrom, ast.Await)
Node = TypeVar("Node", bound=ast.AST)


def helper(name: str) -> str:
    """The placeholder of a shared helper: slow, slowv, chain, with, enter, leave, or a class."""
    return PREFIX + name


def own_nodes(stmts: list[ast.stmt], kinds: tuple[type[ast.AST], ...]) -> list[Any]:
    """Nodes of ``kinds`` in ``stmts``, not inside nested functions, classes or comprehensions."""
    found, stack = [], list[ast.AST](stmts)
    while stack:
        node = stack.pop()
        if isinstance(node, kinds):
            found.append(node)
        stack.extend(c for c in ast.iter_child_nodes(node) if not isinstance(c, SCOPES))
    return found


def deleted(node: ast.AST) -> frozenset[str]:
    """Names a function (or one inside it) deletes: ``del x``, and ``except ... as x``."""
    names = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Del):
            names.add(n.id)
        elif isinstance(n, ast.ExceptHandler) and n.name:
            names.add(n.name)
    return frozenset(names)


def assigned(stmt: ast.stmt) -> frozenset[str]:
    """The plain names a statement certainly binds when it completes (``x = …``, ``x += …``)."""
    targets: list[ast.expr] = []
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, ast.AugAssign) or (
        isinstance(stmt, ast.AnnAssign) and stmt.value is not None
    ):
        targets = [stmt.target]
    return frozenset().union(*map(names, targets))


def names(target: ast.expr | None) -> frozenset[str]:
    """The plain names a target binds (``a, (b, *c)``; not ``x[i]`` or ``x.y``)."""
    if isinstance(target, ast.Name):
        return frozenset([target.id])
    if isinstance(target, ast.Tuple | ast.List):
        return frozenset().union(*map(names, target.elts))
    if isinstance(target, ast.Starred):
        return names(target.value)
    return frozenset()


def has_code(stmt: ast.stmt, in_function: bool, docstring: ast.stmt | None) -> bool:
    """Whether Python compiles ``stmt`` to any code (no code: no line event, so no event)."""
    if isinstance(stmt, ast.Global | ast.Nonlocal):
        return False
    if in_function:
        if stmt is docstring:
            return False
        if isinstance(stmt, ast.AnnAssign) and stmt.value is None and stmt.simple:
            return False  # ``x: int`` in a function: the annotation is not even evaluated
    return True


def blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    found = [getattr(stmt, f, None) for f in ("body", "orelse", "finalbody")]
    found += [h.body for h in getattr(stmt, "handlers", ())]
    found += [c.body for c in getattr(stmt, "cases", ())]
    return [b for b in found if isinstance(b, list) and b and isinstance(b[0], ast.stmt)]


def irrefutable(pattern: ast.pattern) -> bool:
    if isinstance(pattern, ast.MatchAs):
        return pattern.pattern is None or irrefutable(pattern.pattern)
    return isinstance(pattern, ast.MatchOr) and any(map(irrefutable, pattern.patterns))


def is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def is_future(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"


def symbols(table: Any, node: ast.stmt, index: dict[int, Any]) -> Any:
    """The symbol table of a def or class (through any table between, as 3.12's type scopes).

    ``index`` keeps each table's children by name and line: symtable builds new objects for
    all of them at every ``get_children()``, which would make 2,000 functions take seconds."""
    if id(table) not in index:
        by_name = {}
        for child in table.get_children():
            kind = str(child.get_type()).lower()
            by_name[child.get_name(), child.get_lineno(), kind.endswith("class")] = child
        index[id(table)] = (table, by_name)  # (the table kept alive: its id stays its own)
    by_name = index[id(table)][1]
    found = by_name.get((getattr(node, "name", None), node.lineno, isinstance(node, ast.ClassDef)))
    if found is not None and str(found.get_type()).lower().endswith(("function", "class")):
        return found
    for child in by_name.values():  # (3.12: a scope for type parameters in between)
        if not str(child.get_type()).lower().endswith(("function", "class")):
            try:
                return symbols(child, node, index)
            except LookupError:
                pass
    raise LookupError(f"no symbol table for line {node.lineno}")


def const(value: Any) -> ast.Constant:
    return ast.Constant(value)


def load(name: str) -> ast.Name:
    return ast.Name(name, ast.Load())


def call(func: ast.expr, args: Sequence[ast.expr], line: int) -> ast.stmt:
    """``func(*args)`` as a statement on ``line``."""
    return at(ast.Expr(ast.Call(func, list(args), [])), line)


def wrap(func: ast.expr, value: ast.expr, args: Sequence[ast.expr], line: int) -> ast.Call:
    """``func(value, *args)`` where ``value`` was (its position kept for tracebacks)."""
    return at(ast.copy_location(ast.Call(func, [value, *args], []), value), line)


def at(node: Node, line: int) -> Node:
    """Give the new nodes in ``node`` the position of ``line``; the lesson's nodes in it (which
    have one) keep theirs, and are not walked."""
    stack: list[ast.AST] = [node]
    while stack:
        n = stack.pop()
        if "lineno" in n._attributes:
            if getattr(n, "lineno", None) is not None and n is not node:
                continue
            if getattr(n, "lineno", None) is None:
                for name in ("lineno", "end_lineno"):
                    setattr(n, name, line)
                for name in ("col_offset", "end_col_offset"):
                    setattr(n, name, 0)
        stack.extend(ast.iter_child_nodes(n))
    return node


def silence(node: ast.FunctionDef) -> None:
    """``# untraced``: nothing records while the function runs (``enter`` .. ``leave``)."""
    doc = node.body[:1] if is_docstring(node.body[0]) else []
    rest = node.body[len(doc) :]
    if rest:
        line = rest[0].lineno
        leave = [call(const(helper("leave")), [], line)]
        guarded = at(ast.Try(body=rest, handlers=[], orelse=[], finalbody=leave), line)
        node.body = doc + [call(const(helper("enter")), [], line), guarded]


def wrap_yields(stmts: list[ast.stmt], slowv: Callable[[], ast.expr], line: int) -> bool:
    """``yield x`` -> ``yield slowv(x, line)``: the line is an event as the generator pauses
    there (values before the consumer's lines), as the tracer had it. Not quite the tracer's:
    ``yield from`` is recorded when it finishes (the tracer: when the frame first paused), and
    two yields on one line are two events (the tracer: one, at the first)."""
    found = own_nodes([s for s in stmts if not blocks(s)], (ast.Yield,))
    for node in found:
        node.value = wrap(slowv(), node.value or at(const(None), line), [const(line)], line)
    return bool(found)
