"""What the tutor needs to know about ``lesson.py`` before running it.

A static pass over the source finds the step anchors (``# step: <id>``
comments), the names each line may change (so the recorder looks up only
those), the continuation lines of multi-line statements, and the loop that
counts training iterations.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field

STEP_ID = r"[A-Za-z0-9][A-Za-z0-9_-]*"
_STEP_ID = re.compile(rf"^{STEP_ID}$")
_LOOSE_ANCHOR = re.compile(r"^step\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Loop:
    """The ``for`` loop whose variable counts iterations."""

    var: str  # the loop variable ("" when the target is a tuple or an attribute)
    line: int  # the ``for`` header line
    end: int  # last line of the loop body
    outside: frozenset[int]  # statement lines of the same scope outside the loop
    body: frozenset[int] = frozenset()  # statement lines of the same scope inside the loop


@dataclass
class CodeMap:
    """The static facts about one ``lesson.py``."""

    anchors: dict[int, str] = field(default_factory=dict)  # statement line -> step id
    anchor_lines: dict[int, int] = field(default_factory=dict)  # statement line -> comment line
    bad_anchors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    stores: dict[int, tuple[str, ...]] = field(default_factory=dict)  # line -> names it may change
    continuation: frozenset[int] = frozenset()  # lines inside a statement that starts above
    statement_lines: frozenset[int] = frozenset()
    names: frozenset[str] = frozenset()  # every identifier in the file
    variables: tuple[str, ...] = ()  # names the recorder tracks, in order of appearance
    loops: dict[str, Loop] = field(default_factory=dict)  # loop variable -> its first loop
    for_loops: dict[int, Loop] = field(default_factory=dict)  # header line -> every ``for`` loop
    untraced: frozenset[int] = frozenset()  # def lines marked ``# untraced``: not stepped into


def analyze(source: str, filename: str = "lesson.py") -> CodeMap:
    """Analyse lesson source; raises ``SyntaxError`` when it does not parse."""
    tree = ast.parse(source, filename)
    cmap = CodeMap()
    starts: dict[int, int] = {}  # every line of a statement -> the statement's first line
    stores: dict[int, list[str]] = {}
    not_variables: set[str] = set()
    _Walker(starts, stores, not_variables, cmap.for_loops).body(tree.body, scope=tree.body)
    for loop in sorted(cmap.for_loops.values(), key=lambda loop: loop.line):
        cmap.loops.setdefault(loop.var, loop)

    cmap.statement_lines = frozenset(starts.values())
    cmap.continuation = frozenset(line for line, first in starts.items() if line != first)
    order: dict[str, None] = {}
    for line in sorted(stores):
        names = tuple(dict.fromkeys(n for n in stores[line] if n not in not_variables))
        if names:
            cmap.stores[line] = names
            order.update(dict.fromkeys(names))
    cmap.variables = tuple(order)

    marked: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            if tok.string.rsplit("#", 1)[-1].strip() == "untraced":
                marked.add(tok.start[0])
            else:
                _anchor(tok.string, tok.start[0], starts, cmap)
    cmap.untraced = frozenset(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.lineno in marked
    )
    cmap.names = frozenset(_identifiers(tree))
    return cmap


def _identifiers(tree: ast.AST) -> set[str]:
    """Every name the code uses or binds (f-strings included)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names


def _anchor(comment: str, line: int, starts: dict[int, int], cmap: CodeMap) -> None:
    """Read a trailing ``# step: <id>`` comment (the last ``#`` segment of the comment)."""
    segments = [segment.strip() for segment in comment.split("#")[1:]]
    # (str methods, not ``step:\s*(.*?)\s*$``: that pattern is quadratic on a long comment)
    if not segments[-1].startswith("step:"):
        if any(_LOOSE_ANCHOR.match(segment) for segment in segments):
            cmap.bad_anchors.append(
                (
                    line,
                    "write a step anchor as the last part of the comment, exactly '# step: <id>'",
                )
            )
        return
    step_id = segments[-1][len("step:") :].strip()
    if not _STEP_ID.match(step_id):
        cmap.bad_anchors.append((line, f"'{step_id}' is not a valid step id"))
    elif line not in starts:
        cmap.bad_anchors.append((line, f"anchor '# step: {step_id}' is on a line with no code"))
    else:
        first = starts[line]
        previous = cmap.anchors.get(first)
        if previous is not None and previous != step_id:
            cmap.bad_anchors.append(
                (line, f"this statement is already anchored to step '{previous}'")
            )
            return
        cmap.anchors[first] = step_id
        cmap.anchor_lines[first] = line


class _Walker:
    """Collects statement extents, stored names and loops, scope by scope."""

    def __init__(self, starts, stores, not_variables, loops) -> None:
        self.starts = starts
        self.stores = stores
        self.not_variables = not_variables
        self.loops = loops

    def body(self, statements: list[ast.stmt], scope: list[ast.stmt]) -> None:
        for stmt in statements:
            self.statement(stmt, scope)

    def statement(self, stmt: ast.stmt, scope: list[ast.stmt]) -> None:
        header = _header(stmt)
        last = max([stmt.lineno] + [getattr(n, "end_lineno", None) or 0 for n in header])
        if not _blocks(stmt):
            last = stmt.end_lineno or stmt.lineno
        for line in range(stmt.lineno, last + 1):
            self.starts.setdefault(line, stmt.lineno)
        self.starts[stmt.lineno] = stmt.lineno

        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            self.not_variables.add(stmt.name)
            if not isinstance(stmt, ast.ClassDef):
                # Parameters are bound when the call starts: record them with the first line.
                args = stmt.args
                params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
                params += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
                body = stmt.body
                if len(body) > 1 and _is_docstring(body[0]):
                    body = body[1:]
                self.stores.setdefault(body[0].lineno, []).extend(params)
            self.body(stmt.body, scope=stmt.body)
            return
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            for alias in stmt.names:
                self.not_variables.add((alias.asname or alias.name).split(".")[0])
            return

        self.stores.setdefault(stmt.lineno, []).extend(_stored_names(header))
        for block in _blocks(stmt):
            self.body(block, scope)
        for handler in getattr(stmt, "handlers", ()):
            self.starts.setdefault(handler.lineno, handler.lineno)
            if handler.name:
                self.stores.setdefault(handler.lineno, []).append(handler.name)

        if isinstance(stmt, ast.For | ast.AsyncFor):
            var = stmt.target.id if isinstance(stmt.target, ast.Name) else ""
            end = stmt.end_lineno or stmt.lineno
            outside, inside = _scope_lines(scope, stmt.lineno, end)
            self.loops[stmt.lineno] = Loop(var, stmt.lineno, end, outside, inside)


def _header(stmt: ast.stmt) -> list[ast.AST]:
    """The parts of a statement that run on its first line(s), before any nested block."""
    if isinstance(stmt, ast.For | ast.AsyncFor):
        return [stmt.target, stmt.iter]
    if isinstance(stmt, ast.While | ast.If):
        return [stmt.test]
    if isinstance(stmt, ast.With | ast.AsyncWith):
        return list(stmt.items)
    if isinstance(stmt, ast.Match):
        return [stmt.subject]
    if _blocks(stmt):
        return []  # try, def, class: nothing runs on the header line itself
    return [stmt]


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    blocks = []
    for name in ("body", "orelse", "finalbody"):
        block = getattr(stmt, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            blocks.append(block)
    for handler in getattr(stmt, "handlers", ()):
        blocks.append(handler.body)
    for case in getattr(stmt, "cases", ()):
        blocks.append(case.body)
    return blocks


def _scope_lines(
    scope: list[ast.stmt], line: int, end: int
) -> tuple[frozenset[int], frozenset[int]]:
    """Statement lines of a loop's scope (nested functions excluded): outside it, and in its body."""
    lines: set[int] = set()

    def visit(statements: list[ast.stmt]) -> None:
        for stmt in statements:
            lines.add(stmt.lineno)
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            for block in _blocks(stmt):
                visit(block)
            for handler in getattr(stmt, "handlers", ()):
                lines.add(handler.lineno)

    visit(scope)
    outside = frozenset(n for n in lines if not line <= n <= end)
    body = frozenset(n for n in lines if line < n <= end)
    return outside, body


def _stored_names(nodes: list[ast.AST]) -> list[str]:
    """Names a statement may change: assignment targets, and objects it calls methods on."""
    names: list[str] = []
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(
            node, ast.Lambda | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp
        ):
            continue  # their own scope; the recorder does not step inside them
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.append(node.id)
        elif isinstance(node, ast.Subscript | ast.Attribute) and isinstance(
            node.ctx, ast.Store | ast.Del
        ):
            root = _root_name(node)
            if root:
                names.append(root)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            root = _root_name(node.func.value)
            if root:
                names.append(root)  # e.g. ``losses.append(loss)`` changes ``losses``
        stack.extend(ast.iter_child_nodes(node))
    return names[::-1]


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Subscript | ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def code_lines(source: str) -> dict[int, str]:
    """Each line of the source without its comment, for one-line displays of an event."""
    rows = source.split("\n")
    cuts: dict[int, int] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                cuts[tok.start[0]] = tok.start[1]
    except (tokenize.TokenError, SyntaxError):
        pass
    return {n: row[: cuts.get(n, len(row))].rstrip() for n, row in enumerate(rows, 1)}
