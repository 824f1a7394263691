"""The lesson screen's keys: one list for the key bar, the help screen and the command palette."""

from __future__ import annotations

from textual.binding import Binding

EDGES = {  # what a stepping key says when it cannot move
    "next": "last event: ← steps back, home starts over",
    "previous": "first event: → steps forward",
    "next_iteration": "no later iteration",
    "previous_iteration": "no earlier iteration",
}
# Keys that step or open things: while editing they belong to the editor instead.
EDITOR_KEEPS = {"step", "play", "speed", "goto", "panes", "edit", "workshop"}
EDITOR_KEEPS |= {"help", "quit", "next_lesson", "exercise"}

LESSON_KEYS = [
    Binding("right", "step('next')", "Next", priority=True, id="next"),
    Binding("left", "step('previous')", "Back", priority=True, id="previous"),
    Binding("right_square_bracket", "step('next_iteration')", "Next iter", priority=True),
    Binding(
        "left_square_bracket",
        "step('previous_iteration')",
        "Prev iter",
        priority=True,
        show=False,
    ),
    Binding("home", "step('first')", "First event", priority=True, show=False),
    Binding("end", "step('last')", "Last event", priority=True, show=False),
    Binding("space", "play", "Play/pause", priority=True, id="play"),
    Binding("plus,equals_sign", "speed(1)", "Faster", show=False),
    Binding("minus", "speed(-1)", "Slower", show=False),
    Binding("g", "goto", "Go to iteration", show=False),
    Binding("l", "panes('toggle_lesson')", "Lesson text", id="lesson"),
    Binding("n", "panes('toggle_viz')", "Network and plots", show=False),
    Binding("L", "panes('toggle_log')", "Log scale", show=False),
    Binding("M", "panes('toggle_slopes')", "Measured slopes under derivatives", show=False),
    Binding("b", "panes('toggle_boundary')", "Boundary or chart", show=False),
    Binding("m", "panes('maximize')", "Maximize pane", show=False),
    Binding("tab", "app.focus_next", "Next pane", show=False),
    Binding("escape", "back", "All lessons", priority=True, show=False),
    Binding("question_mark", "help", "Help", id="help"),
    Binding("q", "quit", "Quit", id="quit"),
    Binding("e", "edit", "Edit code", id="edit"),
    Binding("ctrl+r", "rerun", "Rerun", priority=True, id="rerun"),
    Binding("ctrl+c", "cancel_run", "Cancel the run", priority=True, show=False),
    Binding(
        "ctrl+t", "workshop('restore_tags')", "Put lost step tags back", priority=True, show=False
    ),
    Binding("t", "workshop('try_it')", "Try it yourself", id="try"),
    Binding("h", "workshop('hint')", "Hint", show=False),
    Binding("P", "exercise('predict_again')", "Predict this step again", show=False),
    Binding("D", "exercise('derive')", "Write the hidden derivation line", show=False),
    Binding("B", "exercise('break_it')", "Break it: a change and a claim", show=False),
    Binding("S", "workshop('solution')", "Show the solution", show=False),
    Binding("d", "workshop('diff')", "Show my changes", show=False),
    Binding("R", "workshop('reset')", "Reset to the original code", show=False),
    Binding("N", "next_lesson", "Next lesson", show=False),
]

# The key bar's words when the whole bar does not fit (80 columns).
SHORT = {
    "Next": "next",
    "Back": "back",
    "Next iter": "iter",
    "Play/pause": "play",
    "Help": "help",
    "Quit": "quit",
    "Edit code": "edit",
    "Rerun": "rerun",
    "Lesson text": "lesson",
    "Try it yourself": "try",
}
# Left out of the key bar, in this order, when even the short words do not fit (? lists them).
SPARE = ("Next iter",)
