"""What an equation means: which subtrees are the lesson's variables, and how to compute a side.

Each equation line is parsed (``latex.py``), its subtrees matched against the
symbol table (``\\hat{y}`` is ``y_hat``; ``\\frac{\\partial L}{\\partial w}`` is
``dL_dw``), and every side after the first compiled once into a Python
function of the recorded values. Products of two arrays declared ``vector`` or
``matrix`` are matrix products; everything else is ordinary arithmetic. The
functions work on Python numbers and, elementwise, on numpy arrays, so the check
can evaluate a line at all its events at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from ..lesson.model import Equation as SourceEquation
from ..lesson.model import Symbol
from . import latex as L
from .functions import HELPERS, close  # noqa: F401 - close is part of this module's interface
from .names import symbol_table, table_words, unknown_symbol  # noqa: F401 - symbol_table too

CONTINUES = "a line starting with '=' continues the equation above it"


class EquationError(ValueError):
    """A problem with one equation: message and 1-based column in the equation text."""

    def __init__(self, message: str, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass
class Compiled:
    """One equation line, ready to evaluate."""

    source: SourceEquation
    ast: L.Equation
    target: str | None  # the Python variable the line defines (its left side)
    sides: list[Any] = field(default_factory=list)  # functions env -> value, one per right side
    names: set[str] = field(default_factory=set)  # Python names the right sides read
    variables: dict[int, str] = field(default_factory=dict)  # id(node) -> Python name
    loops: bool = False  # has a Σ with indexing: evaluate event by event


# -- compiling ---------------------------------------------------------------------------
class _Compiler:
    def __init__(self, table: dict[str, Symbol], result: Compiled) -> None:
        self.table = table
        self.result = result
        self.bound: set[str] = set()  # Σ index letters in scope

    def lookup(self, node: L.Node) -> Symbol | None:
        if isinstance(node, L.Num):
            return None
        return self.table.get(L.canonical(node))

    def var(self, node: L.Node, symbol: Symbol) -> tuple[str, str]:
        self.result.variables[id(node)] = symbol.name
        self.result.names.add(symbol.name)
        return f"env[{symbol.name!r}]", symbol.kind

    def code(self, node: L.Node) -> tuple[str, str]:
        """Python source for ``node`` and its kind: scalar, vector or matrix."""
        symbol = self.lookup(node)
        if symbol is not None:
            return self.var(node, symbol)
        match node:
            case L.Num(text=text):
                return repr(float(text)), "scalar"
            case L.Sym(name=name):
                if name in self.bound:
                    return name, "scalar"
                if name == "e":
                    return "_math.e", "scalar"
                if name == "pi":
                    return "_math.pi", "scalar"
                raise self.unknown(node)
            case L.Group(body=body):
                code, kind = self.code(body)
                return f"({code})", kind
            case L.Neg(body=body):
                code, kind = self.code(body)
                return f"(-{code})", kind
            case L.Sum(terms=terms, signs=signs):
                parts: list[str] = []
                kinds: set[str] = set()
                for sign, term in zip(signs, terms, strict=True):
                    code, kind = self.code(term)
                    kinds.add(kind)
                    parts.append(code if not parts else f"{' + ' if sign == '+' else ' - '}{code}")
                return "(" + "".join(parts) + ")", _widest(kinds)
            case L.Product(factors=factors, ops=ops):
                code, kind = self.code(factors[0])
                for op, factor in zip(ops, factors[1:], strict=True):
                    right, right_kind = self.code(factor)
                    if op == "/":
                        code, kind = f"({code} / {right})", _widest({kind, right_kind})
                    elif op != "odot" and kind != "scalar" and right_kind != "scalar":
                        code = f"_matmul({code}, {right})"
                        kind = "vector" if "vector" in (kind, right_kind) else "matrix"
                    else:
                        code, kind = f"({code} * {right})", _widest({kind, right_kind})
                return code, kind
            case L.Frac(num=num, den=den):
                if isinstance(num, L.Partial) or isinstance(den, L.Partial):
                    raise self.unknown(node)
                top, kind = self.code(num)
                bottom, bottom_kind = self.code(den)
                return f"({top} / {bottom})", _widest({kind, bottom_kind})
            case L.Sup(base=base, exponent=exponent):
                if (
                    isinstance(exponent, L.Sym)
                    and exponent.name == "T"
                    and self.lookup(exponent) is None
                ):
                    code, kind = self.code(base)
                    return f"_T({code})", kind
                if isinstance(base, L.Sym) and base.name == "e" and self.lookup(base) is None:
                    code, kind = self.code(exponent)
                    return f"_exp({code})", kind
                code, kind = self.code(base)
                power, _ = self.code(exponent)
                return f"({code} ** {power})", kind
            case L.Sqrt(body=body):
                code, kind = self.code(body)
                return f"_sqrt({code})", kind
            case L.Percent(body=body):
                code, kind = self.code(body)
                return f"({code} / 100.0)", kind
            case L.Call(name=name, args=args):
                compiled = [self.code(a) for a in args]
                kind = _widest({k for _, k in compiled})
                inner = ", ".join(c for c, _ in compiled)
                fn = {
                    "sigma": "_sigmoid",
                    "exp": "_exp",
                    "ln": "_ln",
                    "log": "_ln",
                    "tanh": "_tanh",
                    "max": "_max",
                    "min": "_min",
                    "relu": "_relu",
                }[name]
                return f"{fn}({inner})", kind
            case L.BigSum(var=var, lo=lo, hi=hi, body=body):
                self.result.loops = True
                low, _ = self.code(lo)
                high, _ = self.code(hi)
                self.bound.add(var)
                try:
                    inner, kind = self.code(body)
                finally:
                    self.bound.discard(var)
                return f"_sum(lambda {var}: {inner}, {low}, {high})", kind
            case L.Sub(base=base, index=index) if self._indexes(index):
                # x_i inside a Σ: the symbol x_1, x_2 … of the table, or element i of vector x.
                self.result.loops = True
                base_key = L.canonical(base)
                index_code, _ = self.code(index)
                candidates = {
                    key: s.name for key, s in self.table.items() if key.startswith(base_key + "_{")
                }
                whole = self.table.get(base_key)
                if not candidates and whole is None:
                    raise self.unknown(node)
                for name in candidates.values():
                    self.result.names.add(name)
                if whole is not None:
                    self.result.names.add(whole.name)
                return (
                    f"_index(env, {base_key!r}, {index_code}, {candidates!r}, "
                    f"{whole.name if whole else None!r})",
                    "scalar",
                )
        raise self.unknown(node)

    def _indexes(self, index: L.Node) -> bool:
        return any(isinstance(n, L.Sym) and n.name in self.bound for n in _walk(index))

    def unknown(self, node: L.Node) -> EquationError:
        if isinstance(node, L.Text) and not node.text.isalnum():
            return EquationError(
                "words (\\text{…}) cannot be computed: put them in the justification, after '%'",
                node.pos + 1,
            )
        return EquationError(unknown_symbol(node, self.table), node.pos + 1)


def _widest(kinds: set[str]) -> str:
    for kind in ("matrix", "vector"):
        if kind in kinds:
            return kind
    return "scalar"


def _walk(node: L.Node):
    yield node
    for value in vars(node).values():
        if isinstance(value, L.Node):
            yield from _walk(value)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, L.Node):
                    yield from _walk(item)


def compile_equation(
    source: SourceEquation, table: dict[str, Symbol], previous_target: str | None = None
) -> Compiled:
    """Parse and compile one equation line; raises ``EquationError`` (with a column)."""
    try:
        ast = L.parse_equation(source.latex, table_words(table))
    except L.LatexError as exc:
        raise EquationError(exc.message, exc.column) from None
    if len(ast.sides) < 2:
        raise EquationError("an equation needs '=', '\\leftarrow' or '\\approx'", 1)
    result = Compiled(source, ast, None)
    compiler = _Compiler(table, result)
    lhs = ast.lhs
    if lhs is None:
        result.target = previous_target
        if previous_target is None:
            raise EquationError(f"{CONTINUES}, and there is none", 1)
    else:
        symbol = compiler.lookup(lhs)
        if symbol is not None:
            result.target = symbol.name
            result.variables[id(lhs)] = symbol.name
        else:
            # A left side that is an expression (σ(z), say) is still computed and compared.
            compiler.code(lhs)
            result.names.clear()
    for side in ast.sides[1:]:
        code, _ = compiler.code(cast(L.Node, side))  # only the first side may be None
        result.sides.append(_function(code))
    if result.target is None:
        raise EquationError(
            "the left side must be a symbol of the symbol table: the variable the code computes",
            (lhs.pos + 1) if lhs is not None else 1,
        )
    return result


def _function(code: str):
    namespace = dict(HELPERS)
    try:
        exec(f"def side(env):\n    return {code}\n", namespace)  # noqa: S102 - our own generated code
    except (SyntaxError, RecursionError, MemoryError) as exc:  # (the limits should prevent it)
        raise EquationError(
            f"this equation is too complex for the tutor to compute ({type(exc).__name__}): "
            "split it into a derivation of several lines"
        ) from None
    side: Any = namespace["side"]
    side.source = code
    return side


def compile_step(
    equations: list[SourceEquation], table: dict[str, Symbol]
) -> tuple[list[Compiled], list[tuple[SourceEquation, EquationError]]]:
    """Compile a step's equations in order; a line starting with '=' continues the one above."""
    compiled: list[Compiled] = []
    errors: list[tuple[SourceEquation, EquationError]] = []
    target = None
    broken = False  # the line above failed, and what it defines is unknown
    for equation in equations:
        try:
            item = compile_equation(equation, table, target)
        except EquationError as exc:
            if broken and exc.message.startswith(CONTINUES):
                continue  # its line above is reported already: one wrong line, one message
            errors.append((equation, exc))
            if not equation.latex.lstrip().startswith(("=", "\\leftarrow", "\\approx", "\\gets")):
                target = _target(equation, table)  # a new equation: its own left side, if known
            broken = target is None
            continue
        compiled.append(item)
        target, broken = item.target, False
    return compiled, errors


def _target(equation: SourceEquation, table: dict[str, Symbol]) -> str | None:
    """What a line that does not compile defines, when its left side says so."""
    try:
        lhs = L.parse_equation(equation.latex, table_words(table)).lhs
    except L.LatexError:
        return None
    symbol = table.get(L.canonical(lhs)) if lhs is not None else None
    return symbol.name if symbol is not None else None
