"""Helpers the per-lesson tests share: run a lesson (solved or not, edited) and read its timeline."""

from __future__ import annotations

from tutor.core.lesson.load import load_lesson


def run(runner, folder, solved=True, edits=()):
    """Run a lesson, its exercise solved or not, with (old, new) text edits to lesson.py."""
    lesson = load_lesson(folder)
    source = lesson.solved_source() if solved else lesson.source
    for old, new in edits:
        assert old in source, old
        source = source.replace(old, new)
    result = runner.run(lesson.py_path, source, lesson.iteration)
    assert result.error is None, result.error
    return lesson, result.timeline


def events_of(t, step, iteration=None):
    return [
        i
        for i in range(len(t))
        if t.step(i) == step and (iteration is None or t.iteration(i) == iteration)
    ]


def end_of(t, iteration, name):
    """The value of ``name`` at the end of an iteration (what the plots show)."""
    return t.value(name, t.iteration_span(iteration)[-1])


def per_iteration(t, name):
    return [end_of(t, k, name) for k in range(1, t.iterations + 1)]
