"""The README's commands are the ones that run: CI calls exactly the README's test command."""

from __future__ import annotations

import re

from conftest import REPO


def _commands_in_readme() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", readme)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    # The one other line installs Chromium for the browser test; it runs no test itself.
    ci_lines = [
        line
        for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "set ", "cd ", "command -v chromium "))
    ]
    test_command = next(c for c in _commands_in_readme() if c.endswith("-m pytest"))
    assert ci_lines == [test_command]


def test_readme_run_command_sets_up_and_runs_the_report() -> None:
    run_command = next(c for c in _commands_in_readme() if c.endswith("-m govnews report"))
    setup = run_command.removesuffix(" && .venv/bin/python -m govnews report")
    test_command = next(c for c in _commands_in_readme() if c.endswith("-m pytest"))
    assert test_command == setup + " && .venv/bin/python -m pytest"
