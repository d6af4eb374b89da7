"""govnews: compare Chinese sub-district offices in newspaper page dumps.

The pipeline, one module per step: ``load`` (raw files) → ``clean`` (lines,
removed lines) → ``split`` (articles) → ``offices`` (attribution) →
``sentences`` → ``segment`` (tokens) → ``figures`` / ``measures`` / ``themes``
→ per-office tables → ``charts``. ``build`` runs it and writes the tables.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_PUBLIC = {
    "extract_figures": "govnews.extract.figures",
    "extract_measures": "govnews.extract.measures",
    "read_table": "govnews.pipeline.tables",
    "project_paths": "govnews.config",
    "GovnewsError": "govnews.errors",
}

__all__ = ["__version__", *sorted(_PUBLIC)]


def __getattr__(name: str) -> Any:
    # Lazy so that `import govnews` stays cheap and a notebook pays only for what it uses.
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'govnews' has no attribute {name!r}")
