"""The YAML data files (lexicons, codebook, overrides, gold): parsed once, errors naming file and line.

Parsing is strict: a key given twice in one mapping is refused, naming both lines (YAML loaders
otherwise keep the last one silently, so a second ``themes:`` would replace a whole codebook).

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
        GovnewsError: broken YAML: the parser's problem and the line it is on; a key given twice in a
            mapping, on the line of its second use.
    """
    loader = _SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _refuse_duplicate_keys(node, path)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise GovnewsError(path, f"broken YAML: {problem}", mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()
    return data, node


def _refuse_duplicate_keys(root: yaml.Node, path: Path | str | None) -> None:
    """Raise on the first mapping that holds a key twice (walking the tree without recursion)."""
    pending, seen = [root], set()
    while pending:
        node = pending.pop()
        if id(node) in seen:  # an alias: checked where its anchor is
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[object, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if key.value in first:
                        raise GovnewsError(
                            path,
                            f"duplicate key {key.value!r} (first on line {first[key.value]})",
                            key.start_mark.line + 1,
                        )
                    first[key.value] = key.start_mark.line + 1
                pending.append(value)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
