"""Stepping through lesson 01's timeline: derivations revealed line by line, exact back-stepping."""

from __future__ import annotations

import pytest

from tutor.core.lesson.load import load_lesson
from tutor.core.navigator import Navigator, Position
from tutor.core.run.runner import Runner

from .conftest import LESSON_01


@pytest.fixture(scope="module")
def lesson_and_timeline():
    lesson = load_lesson(LESSON_01)
    with Runner() as runner:
        result = runner.run(lesson.py_path, lesson.source, lesson.iteration)
    assert result.ok
    return lesson, result.timeline


@pytest.fixture
def nav(lesson_and_timeline):
    return Navigator(*lesson_and_timeline)


def test_starts_at_the_first_event(nav):
    assert nav.position == Position(0, 0)  # x = 1.0 has no step, so no equations


def test_derivation_is_revealed_one_line_at_a_time_the_first_time_only(nav):
    t = nav.timeline
    gradient = [i for i in range(len(t)) if t.step(i) == "gradient"]
    nav.goto_event(gradient[0] - 1)
    assert nav.next() and nav.position == Position(gradient[0], 1)
    assert nav.next() and nav.position == Position(gradient[0], 2)
    assert nav.next() and nav.position.event == gradient[0] + 1
    # In the second iteration the derivation shows whole at once.
    nav.goto_event(gradient[1] - 1)
    nav.next()
    assert nav.position == Position(gradient[1], 2)


def test_back_stepping_is_exact(nav):
    seen = [nav.position]
    while nav.next():
        seen.append(nav.position)
    assert len(seen) == len(nav.timeline) + 1  # one extra stop: the derivation's first line
    back = [nav.position]
    while nav.previous():
        back.append(nav.position)
    assert back == seen[::-1]


def test_next_at_the_end_and_previous_at_the_start_do_nothing(nav):
    assert not nav.previous()
    nav.last()
    assert not nav.next()
    assert nav.position.event == len(nav.timeline) - 1


def test_iteration_jumps_keep_the_line(nav):
    t = nav.timeline
    update = next(i for i in range(len(t)) if t.step(i) == "update")
    nav.goto_event(update)
    assert nav.next_iteration()
    assert t.step(nav.event) == "update" and t.iteration(nav.event) == 2
    assert nav.previous_iteration() and nav.event == update
    assert not nav.previous_iteration()  # no iteration 0
    assert nav.goto_iteration(20) and t.iteration(nav.event) == 20 and t.step(nav.event) == "update"
    assert not nav.next_iteration()


def test_iteration_jump_from_setup_goes_to_the_first_iteration(nav):
    assert nav.next_iteration()
    assert nav.timeline.iteration(nav.event) == 1


def test_iteration_shown_outside_the_loop(nav):
    assert nav.iteration_of(0) == 0
    assert nav.iteration_of(len(nav.timeline) - 1) == 20


def _prefix(timeline, n):
    """The first ``n`` events of a timeline, as a run still recording has them."""
    from array import array

    from tutor.core.run.timeline import Column, Timeline

    columns = {}
    for name, c in timeline.columns.items():
        k = sum(1 for e in c.events if e < n)
        if k:
            columns[name] = Column(array("I", c.events[:k]), list(c.values[:k]))
    return Timeline(lines=array("I", timeline.lines[:n]), columns=columns, anchors=timeline.anchors)


def test_more_of_a_recording_run_keeps_a_learner_who_moved(lesson_and_timeline):
    lesson, t = lesson_and_timeline
    first = Navigator(lesson, _prefix(t, 30))
    landed = first.follow(None, False, None, None, recording=True)
    assert first.event == 0 and landed == first.position
    first.goto_event(12)  # the learner steps
    more = Navigator(lesson, _prefix(t, 80))
    assert more.follow(first, True, landed, None, recording=True) == landed
    assert more.position == first.position  # kept, revealed lines too
    done = Navigator(lesson, t)
    assert done.follow(more, True, landed, None, recording=False) is None
    assert done.position == first.position


def test_a_saved_place_beyond_the_first_events_is_reached_as_they_arrive(lesson_and_timeline):
    lesson, t = lesson_and_timeline
    first = Navigator(lesson, _prefix(t, 30))
    landed = first.follow(None, False, None, 100, recording=True)
    assert first.event == 29  # as far as it can go for now
    more = Navigator(lesson, _prefix(t, 120))
    landed = more.follow(first, True, landed, 100, recording=True)
    assert more.event == 100  # the learner did not move: the saved place, now it is there
