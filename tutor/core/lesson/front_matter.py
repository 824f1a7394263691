"""The YAML front matter of lesson.md: title, symbols, loop, network, plots, exercises, numbers.

Every value is checked; each problem names the lesson.md line of its key.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import reprlib
from pathlib import Path
from typing import Any

import yaml

from .escapes import escaped_strings
from .model import EXPECT_TOLERANCE, SYMBOL_KINDS, Exercise, Expectation, Lesson, Symbol
from .problems import Problem, printable

FRONT_MATTER_KEYS = {
    "title": "the lesson's title (required)",
    "order": "position in the lesson list (default: the number the folder name starts with)",
    "summary": "one line for the lesson picker",
    "symbols": "LaTeX symbol -> Python name",
    "iteration": "the loop variable that counts training iterations",
    "network": "the network drawn in the network pane",
    "plots": "the series to plot",
    "exercises": "exercises: code, predict, derive and break (their steps, hints, answers)",
    "tolerance": "relative tolerance of the equation checks: a number, or step id -> number",
    "digits": "significant digits of the numbers the equation pane shows",
    "derivatives": "symbol -> [A, B]: the symbol is the derivative of A with respect to B",
    "derivative_tolerance": "relative tolerance of the finite-difference proof of derivatives",
    "expect": "numbers the text quotes: [{name, iteration, value, tolerance}], proven by check",
}
_PY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_front_matter(lesson: Lesson, text: str, first_line: int) -> bool:
    path, problems = lesson.md_path, lesson.problems
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        # Where the construct that went wrong began (an unclosed '[' say), else where parsing stopped.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        reason = getattr(exc, "problem", None) or str(exc)
        if "unknown escape character" in reason:  # "\hat{y}": LaTeX in double quotes
            reason += ": in double quotes a backslash starts an escape; use single quotes for LaTeX"
        problems.append(Problem(path, line, f"malformed front matter: {reason}"))
        return False
    except RecursionError:  # PyYAML composes nested collections recursively
        problems.append(
            Problem(path, first_line, "malformed front matter: it nests too deep to read")
        )
        return False
    except ValueError as exc:  # a value YAML parses but Python refuses: a 5,000-digit number
        reason = str(exc)
        if "integer string conversion" in reason:
            reason = "a whole number too long to read (more than 4,300 digits)"
        problems.append(Problem(path, first_line, f"malformed front matter: {reason}"))
        return False
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict):
        problems.append(
            Problem(path, first_line, "front matter must be a mapping of 'key: value' lines")
        )
        return False
    escapes = escaped_strings(node, text, first_line)
    for item in escapes:
        problems.append(Problem(path, item.line, item.message))
    meant = {item.value: item.meant for item in escapes}  # a symbol key is taken as meant
    key_lines = _key_lines(node, first_line, path, problems)
    lesson.key_lines = {key[0]: line for key, line in key_lines.items() if len(key) == 1}

    def where(*keys: Any) -> int:
        return key_lines.get(keys, first_line)

    for key in data:
        if key not in FRONT_MATTER_KEYS:
            hint = did_you_mean(str(key), FRONT_MATTER_KEYS)
            problems.append(Problem(path, where(key), f"unknown front matter key '{key}'{hint}"))

    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(path, where("title"), "the front matter needs a 'title: ...'"))
    else:
        lesson.title = printable(title.strip())  # (shown as is by `list`: never a control)
    if "order" in data:
        if isinstance(data["order"], int) and not isinstance(data["order"], bool):
            lesson.order = data["order"]
        else:
            problems.append(Problem(path, where("order"), "'order' must be a whole number"))
    summary = data.get("summary")
    if summary is not None:
        if isinstance(summary, str):
            lesson.summary = printable(" ".join(summary.split()))
        else:
            problems.append(Problem(path, where("summary"), "'summary' must be text"))
    iteration = data.get("iteration")
    if iteration is not None:
        if isinstance(iteration, str) and _PY_NAME.match(iteration):
            lesson.iteration = iteration
        else:
            problems.append(
                Problem(
                    path,
                    where("iteration"),
                    "'iteration' must name the loop variable, e.g. 'iteration'",
                )
            )
    symbols = data.get("symbols") or {}
    if not isinstance(symbols, dict):
        problems.append(
            Problem(path, where("symbols"), "'symbols' must map LaTeX symbols to Python names")
        )
        symbols = {}
    for key, spec in symbols.items():
        line = where("symbols", key)
        latex = meant.get(key, key) if isinstance(key, str) else key
        name, kind = spec, "scalar"
        if isinstance(spec, dict):
            name, kind = spec.get("name"), spec.get("kind", "scalar")
        if not isinstance(name, str) or not _PY_NAME.match(name):
            problems.append(
                Problem(
                    path, line, f"symbol '{latex}' must map to a Python name (got {shown(name)})"
                )
            )
            continue
        if kind not in SYMBOL_KINDS:
            problems.append(
                Problem(
                    path, line, f"symbol '{latex}': kind must be one of {', '.join(SYMBOL_KINDS)}"
                )
            )
            continue
        lesson.symbols.append(Symbol(str(latex), name, kind, line))
    _derivatives(lesson, data.get("derivatives"), where)
    _numbers(lesson, data, where)
    from .network import read_network, read_plots

    lesson.network, network_problems = read_network(data.get("network"))
    lesson.plots, plot_problems = read_plots(data.get("plots"))
    for keys, message in network_problems + plot_problems:
        problems.append(Problem(path, where(*keys[:2]), message))
    _exercises(lesson, data.get("exercises"), where)
    _expectations(lesson, data.get("expect"), _item_lines(node, "expect", first_line), where)
    return True


_EXPECT_KEYS = ("name", "iteration", "value", "tolerance")


def _expectations(lesson: Lesson, raw: Any, lines: list[int], where: Any) -> None:
    """``expect: [{name, iteration, value, tolerance}, ...]`` (docs 3.11)."""
    path, problems = lesson.md_path, lesson.problems
    if raw is None:
        return
    if not isinstance(raw, list):
        problems.append(
            Problem(
                path,
                where("expect"),
                "'expect' must be a list of {name, iteration, value, tolerance}",
            )
        )
        return
    for k, spec in enumerate(raw):
        line = lines[k] if k < len(lines) else where("expect")

        def problem(message: str, line: int = line, k: int = k) -> None:
            problems.append(Problem(path, line, f"expect entry {k + 1}: {message}"))

        if not isinstance(spec, dict):
            problem("must be a mapping {name, iteration, value, tolerance}")
            continue
        bad = False
        for key in sorted(set(map(str, spec)) - set(_EXPECT_KEYS)):
            problem(
                f"unknown key '{key}'{did_you_mean(key, _EXPECT_KEYS)} (known: name, "
                "iteration, value, tolerance)"
            )
            bad = True
        name = spec.get("name")
        if not isinstance(name, str) or not _PY_NAME.match(name):
            problem(f"'name' must be a Python variable of lesson.py (got {shown(name)})")
            bad = True
        iteration = spec.get("iteration", "end")
        if iteration != "end" and (type(iteration) is not int or iteration < 0):
            problem(f"'iteration' must be a whole number from 0 or 'end' (got {shown(iteration)})")
            bad = True
        value = _number(spec.get("value"))
        if value is None:
            problem(f"'value' must be a number (got {shown(spec.get('value'))})")
            bad = True
        tolerance = _number(spec.get("tolerance", EXPECT_TOLERANCE))
        if tolerance is None or not 0 <= tolerance < 1e6:
            problem(
                f"'tolerance' must be a number from 0, relative (got {shown(spec.get('tolerance'))})"
            )
            bad = True
        if not bad:
            lesson.expectations.append(
                Expectation(str(name), float(value), iteration, float(tolerance), line)  # type: ignore[arg-type]
            )


def _number(value: Any) -> float | None:
    """A finite number (YAML reads 1e-6, without a decimal point, as text)."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return None
    if abs(value) == float("inf"):
        return None
    return float(value)


def _item_lines(node: Any, key: str, first_line: int) -> list[int]:
    """The lesson.md line of each item of the list under top-level ``key``."""
    if not isinstance(node, yaml.MappingNode):
        return []
    for k, value in node.value:
        if k.value == key and isinstance(value, yaml.SequenceNode):
            return [first_line + item.start_mark.line for item in value.value]
    return []


_EXERCISE_KEYS = {
    "code": {"blank"},
    "predict": {"name", "iteration", "question", "answer", "tolerance"},
    "derive": {"row"},
    "break": {"task", "change", "claim", "holds", "at"},
}
_COMMON_KEYS = {"kind", "step", "hints"}


def _exercises(lesson: Lesson, raw: Any, where: Any) -> None:
    """``exercises: {id: {kind, step, hints, ...}}`` (docs 3.9); steps are checked later."""
    path, problems = lesson.md_path, lesson.problems
    if raw is None:
        return
    if not isinstance(raw, dict):
        problems.append(
            Problem(path, where("exercises"), "'exercises' must map exercise ids to their keys")
        )
        return
    for key, spec in raw.items():
        line = where("exercises", key)
        exercise = _exercise(str(key), spec, line, problems, path)
        if exercise is not None:
            lesson.exercises[exercise.id] = exercise


def _exercise(key: str, spec: Any, line: int, problems: list, path: Path) -> Exercise | None:
    def problem(message: str) -> None:
        problems.append(Problem(path, line, f"exercise '{key}': {message}"))

    if not isinstance(spec, dict):
        problem("must be a mapping of its keys (kind, step, hints, ...)")
        return None
    kind = spec.get("kind", "code")
    if kind not in _EXERCISE_KEYS:
        problem(f"unknown kind {kind!r} (known: {', '.join(_EXERCISE_KEYS)})")
        return None
    known = _COMMON_KEYS | _EXERCISE_KEYS[kind]
    for name in sorted(set(map(str, spec)) - known):
        extra = " (the shipped code is the solution now: see 'blank')" if name == "solution" else ""
        problem(
            f"unknown key '{name}' for a {kind} exercise{extra} (known: {', '.join(sorted(known))})"
        )
    step = spec.get("step", "" if kind == "break" else key)
    if not isinstance(step, str) or (not step and kind != "break"):
        problem("'step' must be a step id")
        step = key
    elif kind != "code" and "step" not in spec and kind != "break":
        problem(f"a {kind} exercise needs 'step': the step it belongs to")
    hints = spec.get("hints", [])
    if isinstance(hints, str):
        hints = [hints]
    if not isinstance(hints, list) or not all(isinstance(h, str) and h.strip() for h in hints):
        problem("'hints' must be a list of texts")
        hints = []
    fields: dict[str, Any] = {}
    if kind == "code":
        blank = spec.get("blank")
        if blank is not None:
            if not isinstance(blank, str) or not blank.strip():
                problem("'blank' must be code: one line per anchored line of the step")
            else:
                fields["blank"] = tuple(r for r in blank.strip().split("\n") if r.strip())
    elif kind == "predict":
        fields.update(_predict(spec, problem))
    elif kind == "derive":
        row = spec.get("row", 0)
        if type(row) is not int or row < 0:
            problem("'row' must be a line number of the step's equations, from 1")
            row = 0
        fields["row"] = row
    else:
        fields.update(_break(spec, problem))
    return Exercise(key, step, tuple(" ".join(h.split()) for h in hints), line, kind, **fields)


def _text(spec: dict, name: str, problem: Any, required: bool = False) -> str:
    value = spec.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()):
        problem(f"'{name}' must be a text" if not required else f"needs '{name}': a text")
        return ""
    return " ".join(value.split())


def _predict(spec: dict, problem: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"name": _text(spec, "name", problem)}
    fields["question"] = _text(spec, "question", problem)
    iteration = spec.get("iteration", 1)
    if type(iteration) is not int or iteration < 1:
        problem("'iteration' must be a whole number from 1")
        iteration = 1
    fields["iteration"] = iteration
    answer: Any = spec.get("answer")
    if type(answer) not in (int, float) or answer != answer:
        problem("needs 'answer': the number the learner should find (check proves it)")
    else:
        fields["answer"] = float(answer)
    tolerance = spec.get("tolerance", 0.01)
    if type(tolerance) not in (int, float) or not 0 <= tolerance < 1e6:
        problem("'tolerance' must be a number from 0")
        tolerance = 0.01
    fields["tolerance"] = float(tolerance)
    return fields


def _break(spec: dict, problem: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "task": _text(spec, "task", problem, required=True),
        "claim": _text(spec, "claim", problem, required=True),
        "holds": _text(spec, "holds", problem, required=True),
    }
    change = spec.get("change")
    if (
        not isinstance(change, dict)
        or set(change) != {"from", "to"}
        or not all(isinstance(v, str) for v in change.values())
        or not change["from"]
    ):
        problem("needs 'change: {from: <code in lesson.py>, to: <its replacement>}'")
    else:
        fields["change"] = (change["from"], change["to"])
    at = spec.get("at", "end")
    if at not in ("end", "every"):
        problem("'at' must be 'end' or 'every'")
        at = "end"
    fields["at"] = at
    return fields


def _derivatives(lesson: Lesson, raw: Any, where: Any) -> None:
    """``derivatives: {'\\delta': [L, z]}``: the symbol δ is ∂L/∂z (docs 3.1, 6.1). Each of
    the three is a symbol of the table, written as in ``symbols`` (or the same LaTeX)."""
    path, problems = lesson.md_path, lesson.problems
    if raw is None:
        return
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                path,
                where("derivatives"),
                "'derivatives' must map a symbol to [A, B], e.g. '\\delta': [L, z] for δ = ∂L/∂z",
            )
        )
        return
    from ..equation.latex import LatexError, canonical, parse_expression

    def key(latex: str) -> str | None:
        try:
            return canonical(parse_expression(latex))
        except (LatexError, RecursionError):
            return None

    known: dict[str, str] = {}
    for symbol in lesson.symbols:
        canon = key(symbol.latex)
        if canon is not None:
            known.setdefault(canon, symbol.latex)
    for symbol, spec in raw.items():
        line = where("derivatives", symbol)
        if (
            not isinstance(spec, list)
            or len(spec) != 2
            or not all(isinstance(s, str) and s.strip() for s in spec)
        ):
            problems.append(
                Problem(
                    path,
                    line,
                    f"derivative '{symbol}' must be [A, B], two symbols of the table: "
                    f"'{symbol}' is then ∂A/∂B (got {shown(spec)})",
                )
            )
            continue
        names = []
        for latex in (str(symbol), *spec):
            canon = key(latex)
            if canon is None or canon not in known:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"derivative '{symbol}': '{latex}' is not in the symbol table ('symbols')",
                    )
                )
                break
            names.append(known[canon])
        else:
            if names[1] == names[2]:
                problems.append(Problem(path, line, f"derivative '{symbol}': A and B must differ"))
                continue
            lesson.derivatives[names[0]] = (names[1], names[2])


def _numbers(lesson: Lesson, data: dict[str, Any], where: Any) -> None:
    """``tolerance`` (a number, or a mapping with ``default`` and step ids) and ``digits``."""
    path, problems = lesson.md_path, lesson.problems
    tolerance = data.get("tolerance")
    if tolerance is not None:
        entries = tolerance if isinstance(tolerance, dict) else {"default": tolerance}
        for key, value in entries.items():
            if isinstance(value, str):  # YAML reads 1e-6 (no decimal point) as text
                with contextlib.suppress(ValueError):
                    value = float(value)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
                line = (
                    where("tolerance", key) if isinstance(tolerance, dict) else where("tolerance")
                )
                problems.append(
                    Problem(
                        path,
                        line,
                        f"tolerance {shown(value)} must be a number from 0 to 1, e.g. 1e-9",
                    )
                )
            elif key == "default":
                lesson.tolerance = float(value)
            else:
                lesson.step_tolerances[str(key)] = float(value)
    rtol = data.get("derivative_tolerance")
    if rtol is not None:
        if isinstance(rtol, str):
            with contextlib.suppress(ValueError):
                rtol = float(rtol)
        if isinstance(rtol, bool) or not isinstance(rtol, int | float) or not 0 < rtol < 1:
            problems.append(
                Problem(
                    path,
                    where("derivative_tolerance"),
                    f"'derivative_tolerance' {shown(rtol)} must be a number between 0 and 1, "
                    "e.g. 1e-4",
                )
            )
        else:
            lesson.derivative_tolerance = float(rtol)
    digits = data.get("digits")
    if digits is not None:
        if isinstance(digits, int) and not isinstance(digits, bool) and 1 <= digits <= 17:
            lesson.digits = digits
        else:
            problems.append(
                Problem(path, where("digits"), "'digits' must be a whole number from 1 to 17")
            )


def _key_lines(
    node: Any, first_line: int, path: Path, problems: list[Problem]
) -> dict[tuple[Any, ...], int]:
    """The lesson.md line of every key of the front matter, two levels deep; flags duplicates."""
    lines: dict[tuple[Any, ...], int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines

    def note(key: tuple[Any, ...], mark: Any) -> None:
        line = first_line + mark.line
        if key in lines:
            problems.append(
                Problem(
                    path,
                    line,
                    f"duplicate key '{key[-1]}' (first on line {lines[key]}): "
                    "the later one would silently win",
                )
            )
        else:
            lines[key] = line

    for key, value in node.value:
        note((key.value,), key.start_mark)
        if isinstance(value, yaml.MappingNode):
            for sub, _ in value.value:
                note((key.value, sub.value), sub.start_mark)
    return lines


def shown(value: Any) -> str:
    """A YAML value in a message: short even when aliases make it a billion items long."""
    return _SHOWN.repr(value)


_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxstring, _SHOWN.maxother = 2, 60, 60
_SHOWN.maxlist = _SHOWN.maxtuple = _SHOWN.maxdict = _SHOWN.maxset = 4


def did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
