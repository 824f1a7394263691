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


def cached_runs(folder):
    """``run(runner, blank=None, edits=())`` for one lesson that runs each variant once (a
    test module's tests read the same runs)."""
    done: dict = {}

    def run_once(runner, blank=None, edits=()):
        key = (blank, tuple(edits))
        if key not in done:
            done[key] = run(runner, folder, blank, edits)
        return done[key]

    return run_once


def at_end(t, name):
    """The value of ``name`` at the run's last event."""
    return t.value(name, len(t) - 1)


def assert_central_slopes(cost, params, grads, eps=1e-6, rel=1e-4, abs=1e-9):
    """Each entry of each gradient equals the cost's central difference in that entry."""
    import numpy as np
    import pytest

    for p, (param, grad) in enumerate(zip(params, grads, strict=True)):
        for index in np.ndindex(param.shape):
            up = [q.copy() for q in params]
            down = [q.copy() for q in params]
            up[p][index] += eps
            down[p][index] -= eps
            slope = (cost(*up) - cost(*down)) / (2 * eps)
            assert grad[index] == pytest.approx(slope, rel=rel, abs=abs)
