"""The Textual user interface. The core (``tutor.core``) never imports from here."""

from __future__ import annotations

from pathlib import Path


def make_app(
    lesson: str | None = None,
    lessons_dir: str | Path | None = None,
    preload: str | bool = False,
    predict: str | bool = True,
):
    """Build the app the way the command line does (benchmarks and tests use this too).

    ``preload`` runs the lesson's code before the app starts, so the timeline is
    there from the first frame (for measuring stepping, not start-up). ``predict=False``
    steps on without asking the lessons' predict exercises (P still asks).
    """
    from ..core.lesson.collection import default_lessons_dir, resolve
    from .app import TutorApp

    root = Path(lessons_dir) if lessons_dir else default_lessons_dir()
    folder = resolve(lesson, root) if lesson else None
    result = loaded = None
    runner = None
    if folder is not None and preload not in (False, "", "0", "false"):
        from ..core.exercises import steps_to_verify
        from ..core.lesson.load import load_lesson
        from ..core.run.runner import Runner
        from ..core.workspace import Workspace

        loaded = load_lesson(folder)
        saved = Workspace().load(loaded.id)  # the code the screen will show: the learner's
        source = saved[0] if saved else loaded.source
        runner = Runner()
        verify = steps_to_verify(loaded) or None
        result = runner.run(loaded.py_path, source, loaded.iteration, verify=verify)
    app = TutorApp(root, lesson=folder, runner=runner, preloaded=result, preloaded_lesson=loaded)
    if predict in (False, "", "0", "false", "False"):  # (probes pass their options as text)
        app.ask_predicts = False
    return app
