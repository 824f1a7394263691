"""The panes of the lesson screen, one widget per file."""
