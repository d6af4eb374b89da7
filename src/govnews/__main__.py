"""``python -m govnews``: the command-line interface."""

from govnews.cli import main

raise SystemExit(main())
