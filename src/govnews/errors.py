"""The one exception type users see: a problem with an input, named by file."""

from __future__ import annotations

from pathlib import Path


class GovnewsError(Exception):
    """Bad input or setup: says which file and what is wrong, never a bare traceback.

    Args:
        path: the file (or folder) the problem is in; ``None`` when no file is involved.
        problem: one sentence saying what is wrong and, where possible, how to fix it.
        line: 1-based line in ``path`` where the problem is, when known.
    """

    def __init__(self, path: Path | str | None, problem: str, line: int | None = None) -> None:
        self.path = None if path is None else Path(path)
        self.problem = problem
        self.line = line
        super().__init__(self.message)

    def __reduce__(self) -> tuple:
        # Rebuilt from its parts, so the error survives the trip back from a worker process.
        return (type(self), (self.path, self.problem, self.line))

    @property
    def message(self) -> str:
        """One line: ``file:line: problem``."""
        if self.path is None:
            return self.problem
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.problem}"
