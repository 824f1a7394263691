"""``python -m tutor`` does what the ``nn-tutor`` command does."""

from tutor.cli import main

raise SystemExit(main())
