"""The folders a build writes, kept safe: locks, one-unit commits, leftovers, permissions.

- **Locks.** A build holds a lock on its output folder (beside it: ``.NAME.lock``) and on its cache
  (``cache_dir/.build.lock``), taken in that order, so two builds never write one folder at once; the
  second waits with a message, or refuses after ``lock_timeout_s``. Builds into different output
  folders with different caches run side by side.
- **One unit.** The tables are written to a new folder beside the output folder, which is then
  swapped in with one atomic exchange (``renameat2(RENAME_EXCHANGE)`` on Linux), so a reader sees the
  old set or the new one, and a crash leaves the previous set whole. Where the file system cannot
  exchange, the old folder is moved aside and the new one renamed in; a crash between the two renames
  is repaired at the next start. Other files a user keeps in the output folder are carried over.
- **Leftovers** of crashed runs (new and old folders beside the output folder, temporary files in it
  and in the cache) are removed at the next start, under the lock.
- **Permissions** of written files and folders follow the umask, as any file the user makes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from govnews.errors import GovnewsError
from govnews.pipeline.faults import checkpoint

_NEW, _OLD = ".new-", ".old-"


def lock_path(folder: Path) -> Path:
    """The lock file of an output folder: beside it, since the folder itself is swapped."""
    return folder.parent / f".{folder.name}.lock"


@contextmanager
def locked(lock_file: Path, what: str, timeout_s: float) -> Iterator[None]:
    """Hold the lock ``lock_file``; wait for it with a message on stderr, or refuse after ``timeout_s``.

    Args:
        lock_file: the lock file (its folder is created).
        what: the folder it guards, for messages.
        timeout_s: seconds to wait for another build; negative waits as long as it takes.

    Raises:
        GovnewsError: another build held the lock for longer than ``timeout_s``, or the lock cannot be made.
    """
    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(lock_file, thread_local=False)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if timeout_s == 0:
                raise
            print(f"govnews: waiting for another build that is writing {what} …", file=sys.stderr, flush=True)
            lock.acquire(timeout=timeout_s)
    except Timeout:
        raise GovnewsError(
            lock_file, f"another build is writing {what}; try again when it has finished"
        ) from None
    except OSError as exc:
        raise GovnewsError(lock_file, f"cannot lock {what}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()


def _umask() -> int:
    try:  # Linux says it without changing it (changing it is not thread-safe)
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def folder_mode() -> int:
    """The mode a new folder gets under the umask."""
    return 0o777 & ~_umask()


def file_mode() -> int:
    """The mode a new file gets under the umask."""
    return 0o666 & ~_umask()


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if sys.platform != "linux" or libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # a file system without exchange: rename in two steps
    raise OSError(code, os.strerror(code), str(second))


def new_folder(target: Path) -> Path:
    """A new empty folder beside ``target``, for the next table set (removed at the next start if left)."""
    folder = target.parent / f".{target.name}{_NEW}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(mode=folder_mode())
    os.chmod(folder, folder_mode())  # mkdir's mode is masked; chmod makes the umask rule explicit
    return folder


def swap_in(staged: Path, target: Path) -> None:
    """Make the folder ``staged`` the folder ``target`` in one step; the previous ``target`` is removed.

    Entries of the previous folder that the new set does not have (a user's notes, older tables) are
    carried over as hard links (copies where links fail), so replacing the set loses nothing else.
    """
    if target.is_dir():
        _carry_over(target, staged)
    if not target.exists():
        os.replace(staged, target)
        return
    aside = target.parent / f".{target.name}{_OLD}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    if _exchange(staged, target):
        checkpoint("tables-swapped")
        shutil.rmtree(staged, ignore_errors=True)  # the previous set, now at the staged name
        return
    os.replace(target, aside)
    checkpoint("tables-moved-aside")
    os.replace(staged, target)
    checkpoint("tables-swapped")
    shutil.rmtree(aside, ignore_errors=True)


def _carry_over(old: Path, new: Path) -> None:
    for entry in os.scandir(old):
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            continue  # a leftover of an older govnews
        destination = new / entry.name
        if destination.exists() or destination.is_symlink():
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.copytree(entry.path, destination, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry.path, destination)


def _link_or_copy(source: str, destination: str | Path) -> None:
    if os.path.islink(source):
        os.symlink(os.readlink(source), destination)
        return
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def remove_leftovers(target: Path) -> list[str]:
    """Remove what crashed runs left beside and in the output folder ``target``; returns what was removed.

    A crash between moving the previous set aside and renaming the new one in leaves no ``target``:
    the previous set is put back first.
    """
    removed: list[str] = []
    parent = target.parent
    if not parent.is_dir():
        return removed
    prefix = f".{target.name}"
    siblings = sorted(
        entry for entry in os.listdir(parent) if entry.startswith(prefix) and entry != f"{prefix}.lock"
    )
    olds = [name for name in siblings if name.startswith(prefix + _OLD)]
    if not target.exists() and olds:
        os.replace(parent / olds[-1], target)  # the previous set, whole
        siblings.remove(olds[-1])
    for name in siblings:
        if name.startswith((prefix + _NEW, prefix + _OLD)):
            shutil.rmtree(parent / name, ignore_errors=True)
            removed.append(str(parent / name))
    if target.is_dir():
        for entry in os.scandir(target):
            if entry.name.startswith(".") and entry.name.endswith((".tmp", ".old")):
                _remove(entry.path)
                removed.append(entry.path)
    return removed


def remove_temporary_files(folder: Path) -> None:
    """Remove the temporary files crashed runs left anywhere under ``folder`` (the cache)."""
    if not folder.is_dir():
        return
    for root, _, names in os.walk(folder):
        for name in names:
            if name.startswith(".") and name.endswith(".tmp"):
                Path(root, name).unlink(missing_ok=True)


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        Path(path).unlink(missing_ok=True)
