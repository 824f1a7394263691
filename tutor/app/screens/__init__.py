"""The screens: the lesson picker, the lesson itself, help, and the go-to prompt."""
