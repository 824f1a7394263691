"""Read a lesson folder into a ``Lesson`` and report everything wrong with it.

Every problem names the real file and line (``PATH:LINE: message``). The
loader never raises for a bad lesson: it returns what it could read plus the
problems, so one broken lesson never stops the others from listing.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from pathlib import Path
from typing import Any

import yaml

from .source import STEP_ID, CodeMap, analyze
from .model import SYMBOL_KINDS, Equation, Exercise, Lesson, Step, Symbol
from .problems import Problem

FRONT_MATTER_KEYS = {
    "title": "the lesson's title (required)",
    "order": "position in the lesson list (default: the number the folder name starts with)",
    "summary": "one line for the lesson picker",
    "symbols": "LaTeX symbol -> Python name",
    "iteration": "the loop variable that counts training iterations",
    "network": "the network drawn in the network pane",
    "plots": "the series to plot",
    "exercises": "exercise steps, hints and solutions",
    "tolerance": "relative tolerance of the equation checks: a number, or step id -> number",
    "digits": "significant digits of the numbers the equation pane shows",
}
_HEADING = re.compile(rf"^(#{{1,6}})\s+(.*?)\s*\{{#({STEP_ID})\}}\s*$")
_BAD_HEADING_ID = re.compile(r"^(#{1,6})\s+.*\{#([^}]*)\}\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ANY_HEADING = re.compile(r"^#{1,6}\s")
_PY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def load_lesson(folder: str | Path) -> Lesson:
    """Load the lesson in ``folder``; ``lesson.problems`` lists what is wrong (empty: all good)."""
    folder = Path(folder)
    lesson = Lesson(id=folder.name, path=folder)
    lesson.order = _order_from_name(folder.name)
    markdown = _read(lesson.md_path, lesson.problems)
    source = _read(lesson.py_path, lesson.problems)
    read = _parse_markdown(lesson, markdown) if markdown is not None else "nothing"
    cmap = None
    if source is not None:
        lesson.source = source
        try:
            cmap = analyze(source, str(lesson.py_path))
        except SyntaxError as exc:
            lesson.problems.append(
                Problem(lesson.py_path, exc.lineno or 1, f"syntax error: {exc.msg}", exc.offset)
            )
    if cmap is not None:
        lesson.anchors = dict(cmap.anchors)
        lesson.stores = dict(cmap.stores)
        for first, step_id in cmap.anchors.items():
            step = lesson.step(step_id)
            if step is not None:
                step.lines.append(first)
        if read != "nothing":  # without the steps, every anchor would look unknown
            _cross_check(lesson, cmap)
        if read == "all":  # without the symbol table, every symbol would look unknown
            _compile_equations(lesson)
    lesson.problems.sort(key=lambda p: (str(p.path), p.line))
    return lesson


def _order_from_name(name: str) -> int:
    match = re.match(r"\d+", name)
    return int(match.group()) if match else 0


def _read(path: Path, problems: list[Problem]) -> str | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(path, 1, "file not found: a lesson needs lesson.md and lesson.py"))
        return None
    except OSError as exc:
        problems.append(Problem(path, 1, f"cannot read the file: {exc.strerror or exc}"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Problem(
                path,
                line,
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
                column,
            )
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


# -- lesson.md ---------------------------------------------------------------------------


def _parse_markdown(lesson: Lesson, text: str) -> str:
    """Parse front matter and body: says what could be read ("all", "body" or "nothing")."""
    lines = text.split("\n")
    path = lesson.md_path
    if not lines or lines[0].strip() != "---":
        lesson.problems.append(
            Problem(
                path,
                1,
                "lesson.md must start with YAML front matter: a '---' line, "
                "'title: ...', and a closing '---' line",
            )
        )
        _parse_body(lesson, lines, 1)
        return "body"
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        lesson.problems.append(
            Problem(path, 1, "front matter is not closed: add a '---' line after it")
        )
        return "nothing"
    front = _parse_front_matter(lesson, "\n".join(lines[1:end]), first_line=2)
    _parse_body(lesson, lines[end + 1 :], end + 2)
    return "all" if front else "body"


def _parse_front_matter(lesson: Lesson, text: str, first_line: int) -> bool:
    path, problems = lesson.md_path, lesson.problems
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        # Where the construct that went wrong began (an unclosed '[' say), else where parsing stopped.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(path, line, f"malformed front matter: {reason}"))
        return False
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict):
        problems.append(
            Problem(path, first_line, "front matter must be a mapping of 'key: value' lines")
        )
        return False
    key_lines = _key_lines(node, first_line, path, problems)
    lesson.key_lines = {key[0]: line for key, line in key_lines.items() if len(key) == 1}

    def where(*keys: Any) -> int:
        return key_lines.get(keys, first_line)

    for key in data:
        if key not in FRONT_MATTER_KEYS:
            hint = _did_you_mean(str(key), FRONT_MATTER_KEYS)
            problems.append(Problem(path, where(key), f"unknown front matter key '{key}'{hint}"))

    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(path, where("title"), "the front matter needs a 'title: ...'"))
    else:
        lesson.title = title.strip()
    if "order" in data:
        if isinstance(data["order"], int) and not isinstance(data["order"], bool):
            lesson.order = data["order"]
        else:
            problems.append(Problem(path, where("order"), "'order' must be a whole number"))
    summary = data.get("summary")
    if summary is not None:
        if isinstance(summary, str):
            lesson.summary = " ".join(summary.split())
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
    for latex, spec in symbols.items():
        line = where("symbols", latex)
        name, kind = spec, "scalar"
        if isinstance(spec, dict):
            name, kind = spec.get("name"), spec.get("kind", "scalar")
        if not isinstance(name, str) or not _PY_NAME.match(name):
            problems.append(
                Problem(path, line, f"symbol '{latex}' must map to a Python name (got {name!r})")
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
    _numbers(lesson, data, where)
    from .network import read_network, read_plots

    lesson.network, network_problems = read_network(data.get("network"))
    lesson.plots, plot_problems = read_plots(data.get("plots"))
    for keys, message in network_problems + plot_problems:
        problems.append(Problem(path, where(*keys[:2]), message))
    _exercises(lesson, data.get("exercises"), where)
    return True


def _exercises(lesson: Lesson, raw: Any, where: Any) -> None:
    """``exercises: {step id: {hints: [...], solution: "code"}}``; steps are checked later."""
    path, problems = lesson.md_path, lesson.problems
    if raw is None:
        return
    if not isinstance(raw, dict):
        problems.append(
            Problem(path, where("exercises"), "'exercises' must map step ids to {hints, solution}")
        )
        return
    for step_id, spec in raw.items():
        line = where("exercises", step_id)
        if not isinstance(spec, dict):
            problems.append(
                Problem(path, line, f"exercise '{step_id}' must have 'hints' and 'solution'")
            )
            continue
        hints = spec.get("hints", [])
        if isinstance(hints, str):
            hints = [hints]
        if not isinstance(hints, list) or not all(isinstance(h, str) and h.strip() for h in hints):
            problems.append(
                Problem(path, line, f"exercise '{step_id}': 'hints' must be a list of texts")
            )
            hints = []
        solution = spec.get("solution")
        if not isinstance(solution, str) or not solution.strip():
            problems.append(
                Problem(
                    path, line, f"exercise '{step_id}' needs a 'solution': the code of its line(s)"
                )
            )
            solution = ""
        unknown = set(spec) - {"hints", "solution"}
        if unknown:
            problems.append(
                Problem(
                    path,
                    line,
                    f"exercise '{step_id}': unknown key '{sorted(unknown)[0]}' "
                    "(known: hints, solution)",
                )
            )
        lesson.exercises[str(step_id)] = Exercise(
            str(step_id),
            tuple(" ".join(h.split()) for h in hints),
            tuple(row for row in solution.strip().split("\n") if row.strip()),
            line,
        )


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
                        path, line, f"tolerance {value!r} must be a number from 0 to 1, e.g. 1e-9"
                    )
                )
            elif key == "default":
                lesson.tolerance = float(value)
            else:
                lesson.step_tolerances[str(key)] = float(value)
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


def _parse_body(lesson: Lesson, lines: list[str], first_line: int) -> None:
    """Split the narrative into the intro and steps; collect each step's equations."""
    path, problems = lesson.md_path, lesson.problems
    intro: list[str] = []
    section = intro
    step: Step | None = None
    seen: dict[str, int] = {}
    fence: str | None = None
    i = 0

    def finish() -> None:
        if step is not None:
            step.markdown = "\n".join(section).strip("\n")

    while i < len(lines):
        text, number = lines[i], first_line + i
        stripped = text.strip()
        fence_match = _FENCE.match(text)
        if fence is not None:
            if fence_match and fence_match.group(1) == fence:
                fence = None
            section.append(text)
            i += 1
            continue
        if fence_match:
            fence = fence_match.group(1)
            section.append(text)
            i += 1
            continue
        heading = _HEADING.match(text)
        if heading:
            finish()
            step_id = heading.group(3)
            step = Step(id=step_id, title=heading.group(2).strip(), line=number)
            if step_id in seen:
                problems.append(
                    Problem(
                        path,
                        number,
                        f"duplicate step id '{step_id}' (first used on line {seen[step_id]})",
                    )
                )
            else:
                seen[step_id] = number
                lesson.steps.append(step)
            section = []
            i += 1
            continue
        bad = _BAD_HEADING_ID.match(text)
        if bad:
            problems.append(
                Problem(
                    path,
                    number,
                    f"'{{#{bad.group(2)}}}' is not a valid step id: use letters, "
                    "digits, '-' and '_', starting with a letter or digit",
                )
            )
        if stripped.startswith("$$"):
            block, j = _equation_block(lines, i)
            if block is None:
                problems.append(
                    Problem(path, number, "'$$' is never closed: end the equation with '$$'")
                )
                i += 1
                continue
            closing = lines[j]
            after = closing[closing.index("$$", closing.index("$$") + 2 if j == i else 0) + 2 :]
            if after.strip():
                problems.append(
                    Problem(
                        path,
                        first_line + j,
                        f"text after the closing '$$' ({after.strip()!r}): "
                        "put it on a line of its own",
                    )
                )
            equation = _equation(block, number, text.index("$$") + 3)
            if not equation.latex:
                problems.append(
                    Problem(path, number, "empty equation: write the math between '$$' and '$$'")
                )
            elif step is None:
                problems.append(
                    Problem(
                        path,
                        number,
                        "equation outside a step: put it under a step heading "
                        "like '## The loss {#loss}'",
                    )
                )
            else:
                step.equations.append(equation)
            section.extend(lines[i : j + 1])
            i = j + 1
            continue
        section.append(text)
        i += 1
    finish()
    if fence is not None:
        problems.append(
            Problem(
                path, first_line + len(lines) - 1, f"code block opened with {fence} is never closed"
            )
        )
    lesson.intro = "\n".join(intro).strip("\n")
    if not lesson.summary:
        lesson.summary = _first_sentence(lesson.intro)
    for s in lesson.steps:
        if not s.equations:
            problems.append(
                Problem(path, s.line, f"step '{s.id}' has no equation: add one between '$$' lines")
            )


def _equation_block(lines: list[str], start: int) -> tuple[str | None, int]:
    """The text between ``$$`` and ``$$`` starting at ``lines[start]``, and the closing line index."""
    first = lines[start].strip()[2:]
    if "$$" in first:
        return first[: first.index("$$")], start
    parts = [first]
    for j in range(start + 1, len(lines)):
        text = lines[j]
        if _ANY_HEADING.match(text) or _FENCE.match(text):
            break  # an equation never runs into the next section: the '$$' was left open
        if "$$" in text:
            parts.append(text[: text.index("$$")])
            return "\n".join(parts), j
        parts.append(text)
    return None, start


def _equation(block: str, line: int, first_column: int) -> Equation:
    """An equation and its justification: the text after an unescaped ``%``.

    ``spans`` remember where each row of the math sits in lesson.md, so a parse
    error at a column of the equation can be reported at its line and column.
    """
    math, notes, spans = "", [], []
    for k, row in enumerate(block.split("\n")):
        cut = re.search(r"(?<!\\)%", row)
        if cut:
            notes.append(row[cut.end() :].strip().replace("\\%", "%"))
            row = row[: cut.start()]
        text = row.strip()
        if not text:
            continue
        if math:
            math += " "
        column = (first_column if k == 0 else 1) + len(row) - len(row.lstrip())
        spans.append((len(math), line + k, column))
        math += text
    return Equation(math, line, " ".join(n for n in notes if n), tuple(spans))


def _first_sentence(markdown: str) -> str:
    for paragraph in markdown.split("\n\n"):
        text = " ".join(paragraph.split())
        if text and not text.startswith(("#", "$$", "```", ">")):
            match = re.match(r"(.+?[.?!])(\s|$)", text)
            return match.group(1) if match else text
    return ""


# -- lesson.md against lesson.py --------------------------------------------------------


def _cross_check(lesson: Lesson, cmap: CodeMap) -> None:
    md, py, problems = lesson.md_path, lesson.py_path, lesson.problems
    for line, message in cmap.bad_anchors:
        problems.append(Problem(py, line, message))
    step_ids = [s.id for s in lesson.steps]
    for first, step_id in cmap.anchors.items():
        if lesson.step(step_id) is None:
            hint = _did_you_mean(step_id, step_ids)
            known = f" (steps: {', '.join(step_ids)})" if step_ids and not hint else ""
            problems.append(
                Problem(
                    py,
                    cmap.anchor_lines[first],
                    f"anchor names unknown step '{step_id}'{hint}{known}",
                )
            )
    for step in lesson.steps:
        if not step.lines:
            problems.append(
                Problem(
                    md,
                    step.line,
                    f"step '{step.id}' is not anchored by any line of lesson.py: "
                    f"add '# step: {step.id}' to the line that computes it",
                )
            )
    for symbol in lesson.symbols:
        if symbol.name not in cmap.names:
            problems.append(
                Problem(
                    md,
                    symbol.line,
                    f"symbol '{symbol.latex}' maps to '{symbol.name}', "
                    "which never appears in lesson.py",
                )
            )
    step_ids = [s.id for s in lesson.steps]
    for exercise in lesson.exercises.values():
        step = lesson.step(exercise.step)
        if step is None:
            hint = _did_you_mean(exercise.step, step_ids)
            problems.append(
                Problem(md, exercise.line, f"exercise names unknown step '{exercise.step}'{hint}")
            )
        elif exercise.solution and step.lines and len(exercise.solution) != len(step.lines):
            problems.append(
                Problem(
                    md,
                    exercise.line,
                    f"exercise '{exercise.step}': the solution has "
                    f"{len(exercise.solution)} line(s) but the step anchors {len(step.lines)} "
                    "line(s) of lesson.py: give one line of code per anchored line",
                )
            )
    graph_names = (lesson.network.names() if lesson.network else set()) | set(
        lesson.plots.series if lesson.plots else []
    )
    if lesson.plots and lesson.plots.boundary:
        graph_names |= {lesson.plots.boundary.function}
        if lesson.plots.boundary.points:
            graph_names.add(lesson.plots.boundary.points)
    for name in sorted(graph_names):
        base = name.split("[")[0]
        if base not in cmap.names:
            key = "network" if lesson.network and base in lesson.network.names() else "plots"
            problems.append(
                Problem(
                    md, lesson.key_lines.get(key, 1), f"'{base}' ({key}) never appears in lesson.py"
                )
            )
    if lesson.iteration is not None and lesson.iteration not in cmap.loops:
        line = lesson.key_lines.get("iteration", 1)
        problems.append(
            Problem(
                md,
                line,
                f"'iteration: {lesson.iteration}' names no loop variable of lesson.py: "
                f"expected a loop like 'for {lesson.iteration} in range(20):'",
            )
        )


def _compile_equations(lesson: Lesson) -> None:
    """Parse and compile every equation; tie each anchored line to an equation of its step."""
    from ..equation.compiler import compile_step, symbol_table

    md, py, problems = lesson.md_path, lesson.py_path, lesson.problems
    table, bad = symbol_table(lesson.symbols)
    for symbol, message in bad:
        problems.append(Problem(md, symbol.line, message))
    for step in lesson.steps:
        compiled, errors = compile_step(step.equations, table)
        for equation, error in errors:
            line, column = equation.where(error.column)
            problems.append(Problem(md, line, error.message, column))
        lesson.equations[step.id] = compiled
        if errors:
            continue  # which line an equation belongs to is unknown while one does not compile
        targets = {c.target for c in compiled}
        if not compiled:
            continue  # "has no equation" is reported already
        for line in step.lines:
            stores = lesson.stores.get(line, ())
            if not targets & set(stores):
                assigned = ", ".join(stores) if stores else "nothing"
                defined = ", ".join(sorted(t for t in targets if t)) or "nothing"
                problems.append(
                    Problem(
                        py,
                        line,
                        f"this line of step '{step.id}' assigns {assigned}, but the step's "
                        f"equations define {defined}: the left side of an equation names what "
                        "its line computes",
                    )
                )


def _did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def with_source(lesson: Lesson, source: str) -> tuple[Lesson, list[Problem]]:
    """The lesson with the learner's code in place of the shipped lesson.py.

    Anchors, the names each line sets, and each step's lines are recomputed from
    ``source``; the lesson.md side (steps, equations) is shared. Returns the new
    lesson and what is wrong with the code's anchors (a syntax error included).
    """
    import copy

    edited = copy.copy(lesson)
    edited.source = source
    edited.steps = [copy.copy(step) for step in lesson.steps]
    for step in edited.steps:
        step.lines = []
    edited.problems = []
    try:
        cmap = analyze(source, str(lesson.py_path))
    except SyntaxError as exc:
        problem = Problem(lesson.py_path, exc.lineno or 1, f"syntax error: {exc.msg}", exc.offset)
        return edited, [problem]
    edited.anchors = dict(cmap.anchors)
    edited.stores = dict(cmap.stores)
    for first, step_id in cmap.anchors.items():
        step = edited.step(step_id)
        if step is not None:
            step.lines.append(first)
    problems: list[Problem] = []
    for line, message in cmap.bad_anchors:
        problems.append(Problem(lesson.py_path, line, message))
    for first, step_id in cmap.anchors.items():
        if edited.step(step_id) is None:
            problems.append(
                Problem(
                    lesson.py_path,
                    cmap.anchor_lines[first],
                    f"anchor names unknown step '{step_id}'",
                )
            )
    return edited, problems
