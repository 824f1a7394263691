"""The lesson pane's text, as plain data: a section's Markdown with each equation drawn
as the equation pane draws it (2-D, in a text block of its own).

The app's lesson pane renders it as Markdown; ``nn-tutor preview`` prints it as text.
"""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING

from .sections import END

if TYPE_CHECKING:
    from ..lesson.model import Lesson

_NUMBERED = re.compile(r"^\s*\d+[.)]\s")
_EQUATION = re.compile(r"^[ \t]*\$\$(.*?)\$\$[ \t]*$", re.S | re.M)
# Inline math, as Pandoc reads it: no space just inside the dollars, no digit just after
# the closing one ("costs $5 and $10" is not math).
_INLINE = re.compile(r"(?<![\\$])\$(?=[^\s$])([^$\n]*?[^\s\\$])\$(?![\d$])")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)*?\1")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def split_closing(markdown: str) -> tuple[str, str]:
    """A step's Markdown cut before its last ``###`` subsection: (the rest, the closing)."""
    fenced, cut = False, -1
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.startswith("### "):
            cut = i
    if cut < 0:
        return markdown, ""
    return "\n".join(lines[:cut]).rstrip() + "\n", "\n".join(lines[cut:])


def words_of(lesson: Lesson) -> frozenset[str]:
    """The lesson's names of several letters (``out`` of ``out_{h1}``): equations are read
    with them, as the checker reads them."""
    from ..equation.names import symbol_words

    return symbol_words(lesson.symbols)


def readable(markdown: str, hidden: int | None = None, words: frozenset[str] = frozenset()) -> str:
    """Equations drawn as the equation pane draws them (2-D), each in a block of its own;
    the ``hidden``-th (from 0) as a blank for the learner to write. Inline math
    (``$E_{total}$``) becomes one line of Unicode (``Eₜₒₜₐₗ``, see ``boxes.InlineLayout``).
    ``words``: the lesson's names of several letters (``words_of``)."""
    from ..equation.boxes import render_latex

    count = [-1]

    def block(match: re.Match[str]) -> str:
        count[0] += 1
        if count[0] == hidden:
            return "```text\n= ?   (your turn: D writes this line)\n```"
        rows = []
        for row in match[1].split("\n"):
            math = re.split(r"(?<!\\)%", row)[0].strip()
            if math:
                rows.append(math)
        drawn = render_latex(" ".join(rows), words=words)
        return "```text\n" + drawn + "\n```"  # a language: no guessing

    return _inline_math(_EQUATION.sub(block, markdown), words)


def _inline_math(markdown: str, words: frozenset[str]) -> str:
    """``$…$`` outside code blocks and code spans as one line of Unicode; math that does not
    parse, or needs two lines, as its LaTeX in a code span."""
    from ..equation.boxes import inline_latex

    def math(match: re.Match[str]) -> str:
        text = inline_latex(match[1], words)
        if text is None:
            return f"`{match[1]}`"
        return _MARKDOWN_SPECIAL.sub(r"\\\1", text)

    lines, fence = markdown.split("\n"), ""
    for i, line in enumerate(lines):
        start = line.lstrip()[:3]
        if fence:
            fence = "" if start == fence else fence
        elif start in ("```", "~~~"):
            fence = start
        elif "$" in line:
            spans = [m.group() for m in _CODE_SPAN.finditer(line)]  # code: kept as written
            plain = [_INLINE.sub(math, p) for p in _CODE_SPAN.sub("\0", line).split("\0")]
            lines[i] = "".join(
                p + (spans[k] if k < len(spans) else "") for k, p in enumerate(plain)
            )
    return "\n".join(lines)


def section_markdown(lesson: Lesson, section: str, hidden: int | None = None) -> str:
    """The Markdown of one section of the lesson pane: ``"intro"``, a step id (its title as
    a heading; the last step without its closing words) or ``END`` (the closing words)."""
    words = words_of(lesson)
    if section == "intro":
        return readable(lesson.intro, words=words)
    last = lesson.steps[-1] if lesson.steps else None
    if section == END:
        return readable(split_closing(last.markdown)[1], words=words) if last else ""
    step = lesson.step(section)
    if step is None:
        return ""
    text = step.markdown
    if step is last:
        text = split_closing(text)[0]
    return f"## {step.title}\n\n{readable(text, hidden, words)}"


def as_text(markdown: str, width: int = 80) -> str:
    """Readable Markdown as plain text for a terminal: paragraphs wrapped to ``width``,
    code blocks (the drawn equations) kept as they are, without their fences."""
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            text = " ".join(line.strip() for line in paragraph)
            out.extend(textwrap.wrap(text, width) or [""])
            paragraph.clear()

    fenced = False
    for line in markdown.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            flush()
            fenced = not fenced
            continue
        if fenced:
            out.append(line.rstrip())
        elif not line.strip():
            flush()
            out.append("")
        elif line.lstrip().startswith(("#", "- ", "* ", "> ", "|")) or _NUMBERED.match(line):
            flush()
            out.append(line.rstrip())  # (a heading, a list item, a quote, a table row)
        else:
            paragraph.append(line)
    flush()
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
