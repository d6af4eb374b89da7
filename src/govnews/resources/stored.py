"""What the code made of the data files, kept between processes: the gazetteer, as JSON in the cache.

Building the gazetteer from its files takes a second or more (41,000 register rows made into units,
forms and suffixes); reading it back from JSON, a fifth of that. Every build pays it once, and so does
every Dask worker, so the built gazetteer is kept under a name that hashes everything that shapes it:
its files, the govnews code and the Python version. Any change makes a new one; a damaged file is
built again, and a cache folder that cannot be written only costs the time. It is kept as plain data,
never as Python objects: a cache folder may be shared, and reading it must not run code.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from govnews import __version__
from govnews.collector import cycle_collector_paused

Built = TypeVar("Built")

_PACKAGE = Path(__file__).resolve().parents[1]


def code_fingerprint() -> str:
    """Hash of the govnews code and of the libraries whose versions shape its tables and tokens."""
    digest = hashlib.sha256(__version__.encode())
    for library in ("jieba", "rjieba", "pyarrow"):
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=-".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def stored(
    name: str,
    sources: list[Path],
    build: Callable[[], Built],
    folder: Path | None,
    to_record: Callable[[Built], object],
    from_record: Callable[[object], Built],
) -> Built:
    """``build()``, or what an earlier call made from the same ``sources`` and code, kept in ``folder``.

    Args:
        name: what is kept (names the file, ``{name}-{key}.json``; older ones of that name are removed).
        sources: the files ``build`` reads (an absent one counts as absent).
        build: makes the object from the files; its errors pass through.
        folder: where it is kept; ``None`` always builds.
        to_record, from_record: the object as JSON values, and back.
    """
    if folder is None:
        return build()
    digest = hashlib.sha256(f"{sys.version}\0{code_fingerprint()}".encode())
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.read_bytes() if source.is_file() else b"\0absent")
    path = folder / f"{name}-{digest.hexdigest()[:32]}.json"
    try:
        with cycle_collector_paused():
            return from_record(json.loads(path.read_bytes()))
    except Exception:  # absent, unreadable or damaged, however it fails: built again
        pass
    made = build()
    written = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Created as the umask allows (a temporary file of tempfile would be private to this user).
        written = folder / f".{name}-{os.getpid()}-{secrets.token_hex(4)}.tmp"
        written.write_bytes(json.dumps(to_record(made), ensure_ascii=False).encode())
        os.replace(written, path)
        for older in folder.glob(f"{name}-*.json"):
            if older != path:
                older.unlink(missing_ok=True)
    except OSError:
        if written is not None:
            written.unlink(missing_ok=True)
    return made
