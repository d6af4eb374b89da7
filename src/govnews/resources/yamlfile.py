"""The YAML data files (lexicons, codebook, overrides, gold): parsed once, errors naming file and line.

libyaml's parser (PyYAML's ``CSafeLoader``, part of the PyYAML wheels) is used when it is there:
it reads the lexicons several times faster than the pure-Python parser, a cost every worker
process pays. Both build only plain Python types (no arbitrary objects).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from govnews.errors import GovnewsError

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, path: Path | str | None = None) -> tuple[Any, yaml.Node | None]:
    """The data of the YAML ``text`` and its node tree (whose marks give line numbers), from one parse.

    Args:
        text: one YAML document.
        path: the file it came from, named in errors.

    Returns:
        ``(data, node)``; ``(None, None)`` for a document of comments only.

    Raises:
        GovnewsError: broken YAML: the parser's problem and the line it is on.
    """
    loader = _SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise GovnewsError(path, f"broken YAML: {problem}", mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()
    return data, node
