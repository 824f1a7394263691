"""The pure core of nn-tutor: lessons, the recording runner and the timeline.

Nothing in this package imports Textual or Rich (a test checks it), so the
headless commands, the checks and the worker process stay light and testable.
"""
