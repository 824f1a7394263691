"""The Markdown of lesson.md: the intro, the steps (``## Title {#id}``) and their equations."""

from __future__ import annotations

import re

from .front_matter import parse_front_matter
from .model import Equation, Lesson, Step
from .problems import Problem
from .source import STEP_ID

_STEP_ID = re.compile(rf"{STEP_ID}")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ANY_HEADING = re.compile(r"^#{1,6}\s")
TOGETHER = ".together"  # ``## Title {#id .together}``: the step's equations are independent


def parse_markdown(lesson: Lesson, text: str) -> str:
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
        parse_body(lesson, lines, 1)
        return "body"
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        lesson.problems.append(
            Problem(path, 1, "front matter is not closed: add a '---' line after it")
        )
        return "nothing"
    front = parse_front_matter(lesson, "\n".join(lines[1:end]), first_line=2)
    parse_body(lesson, lines[end + 1 :], end + 2)
    return "all" if front else "body"


def parse_body(lesson: Lesson, lines: list[str], first_line: int) -> None:
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
        heading = _step_heading(text)
        if heading is not None and _STEP_ID.fullmatch(_attributes(heading[1])[0]):
            finish()
            title, (step_id, attributes) = heading[0], _attributes(heading[1])
            step = Step(id=step_id, title=title, line=number)
            for attribute in attributes:
                if attribute == TOGETHER:
                    step.together = True
                else:
                    problems.append(
                        Problem(
                            path,
                            number,
                            f"unknown step attribute {attribute!r}: the one there is is "
                            f"'{TOGETHER}' (independent equations, shown at once): "
                            f"'{{#{step_id} {TOGETHER}}}'",
                        )
                    )
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
        if heading is not None:
            problems.append(
                Problem(
                    path,
                    number,
                    f"'{{#{heading[1]}}}' is not a valid step id: use letters, "
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
        if s.together:
            _check_together(lesson, s)


def _attributes(inside: str) -> tuple[str, list[str]]:
    """``{#id .together}``: the id, and the attributes after it (each a word)."""
    words = inside.split()
    if len(words) > 1 and all(w.startswith(".") for w in words[1:]):
        return words[0], words[1:]
    return inside, []


def _check_together(lesson: Lesson, step: Step) -> None:
    """A ``.together`` step lists independent equations: none continues another, and
    there is more than one."""
    path = lesson.md_path
    if len(step.equations) == 1:
        lesson.problems.append(
            Problem(
                path,
                step.line,
                f"step '{step.id}' is marked '{TOGETHER}' but has one equation: "
                f"'{TOGETHER}' is for several independent equations; remove it",
            )
        )
    for equation in step.equations:
        if equation.latex.lstrip().startswith("="):
            lesson.problems.append(
                Problem(
                    path,
                    equation.line,
                    f"a line starting with '=' continues a derivation, but step '{step.id}' is "
                    f"marked '{TOGETHER}' (independent equations): write its left side, or "
                    f"remove '{TOGETHER}' to make the step a derivation",
                )
            )


def _step_heading(text: str) -> tuple[str, str] | None:
    """``## Title {#id}``: (title, id), whatever the id holds; None for any other line.

    Plain string work, not a regular expression: a pattern like ``\\s+(.*?)\\s*\\{#`` takes
    cubic time on a heading of many spaces (seconds for 2,000, hours for a long line).
    """
    hashes = len(text) - len(text.lstrip("#"))
    if not 1 <= hashes <= 6 or not text[hashes : hashes + 1].isspace():
        return None
    rest = text[hashes:].rstrip()
    if not rest.endswith("}"):
        return None
    start = rest.rfind("{#")
    if start < 0 or "}" in rest[start:-1]:
        return None
    return rest[:start].strip(), rest[start + 2 : -1]


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
