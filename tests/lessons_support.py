"""Helpers the per-lesson tests share: run a lesson (complete as shipped, or with a code
exercise blanked as ``t`` makes it, or edited) and read its timeline."""

from __future__ import annotations

from tutor.core.exercises import blanked
from tutor.core.lesson.load import load_lesson


def run(runner, folder, blank=None, edits=()):
    """Run a lesson as shipped (complete), or with the code exercise ``blank`` blanked,
    with (old, new) text edits to lesson.py."""
    lesson = load_lesson(folder)
    source = lesson.source if blank is None else blanked(lesson, lesson.exercises[blank])
    for old, new in edits:
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    result = runner.run(lesson.py_path, source, lesson.iteration)
    assert result.error is None, result.error
    return lesson, result.timeline


def kinds(lesson):
    """The lesson's exercise ids by kind: {"code": [...], "predict": [...], ...}."""
    out: dict[str, list[str]] = {}
    for exercise in lesson.exercises.values():
        out.setdefault(exercise.kind, []).append(exercise.id)
    return out


def code_exercise(lesson):
    """The id of the lesson's one code exercise."""
    [exercise] = kinds(lesson)["code"]
    return exercise


def change_of(lesson, exercise_id):
    """A break exercise's change, as an (old, new) edit."""
    return lesson.exercises[exercise_id].change


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
