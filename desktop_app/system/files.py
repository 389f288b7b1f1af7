"""Replacing, deleting and hiding files, where Windows and POSIX differ.

* On Windows a file that is open — by this program, WPS, an antivirus scanner, the search
  indexer or OneDrive — can be neither deleted nor renamed over (sharing violation,
  ``winerror`` 32; 5 for "access denied" while a delete is pending). Those scanners hold a
  new file for a moment, so a rename onto the final name is retried briefly before the
  error is reported. POSIX renames and deletes open files at once.
* A file of ours must be closed before it is deleted on Windows (and deleting it while
  still holding it is the POSIX way to never delete someone else's file).
* A folder can be fsynced only on POSIX (Windows makes a rename durable by itself).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

_NT = os.name == "nt"
#: Windows errors that mean "someone has the file open right now".
SHARING_ERRORS = frozenset({5, 32, 33})
#: How long a rename onto a file held by another program is retried (seconds).
RETRY_SECONDS = 1.0
_RETRY_STEP = 0.05


def is_sharing_violation(exc: BaseException) -> bool:
    """Whether ``exc`` is Windows refusing because the file is open elsewhere."""
    return isinstance(exc, PermissionError) and getattr(exc, "winerror", None) in SHARING_ERRORS


def replace_file(src: Path, dst: Path, *, retry_seconds: float = RETRY_SECONDS,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
    """``os.replace(src, dst)``, retried while Windows reports a sharing violation.

    Raises:
        OSError: the last error, when the file stays held longer than ``retry_seconds``
            (``is_sharing_violation`` tells the caller that it is held), or any other error
            at once.
    """
    deadline = clock() + retry_seconds
    while True:
        try:
            os.replace(src, dst)
            return
        except OSError as exc:
            if not is_sharing_violation(exc) or clock() >= deadline:
                raise
        sleep(_RETRY_STEP)


def remove_file(path: Path, *, retry_seconds: float = RETRY_SECONDS,
                sleep: Callable[[float], None] = time.sleep,
                clock: Callable[[], float] = time.monotonic) -> bool:
    """Delete ``path`` if it exists, retrying a sharing violation; True when it is gone.

    Never raises: a file that cannot be deleted is left (and False returned).
    """
    deadline = clock() + retry_seconds
    while True:
        try:
            path.unlink(missing_ok=True)
            return True
        except OSError as exc:
            if not is_sharing_violation(exc) or clock() >= deadline:
                return False
        sleep(_RETRY_STEP)


def delete_after_close(*, nt: bool = _NT) -> bool:
    """Whether a file this process holds open must be closed before it can be deleted.

    True on Windows. On POSIX deleting first, while still holding it (and its lock), makes
    sure the name deleted is still the file this process created.
    """
    return nt


def can_fsync_folder(*, nt: bool = _NT) -> bool:
    """Whether a folder can be opened and fsynced to make a rename durable (POSIX only)."""
    return not nt


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a hidden temporary file in the same folder.

    The final name only ever holds the old file or the whole new one: the data is synced
    before the rename (retried while Windows holds the old file), the rename made durable
    after it, and the temporary file removed when anything fails (a full disk, a pulled
    USB stick).

    Raises:
        OSError: the file could not be written (the old one is then untouched).
    """
    temp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    try:
        with temp.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        replace_file(temp, path)
    except BaseException:
        remove_file(temp)
        raise
    fsync_folder(path.parent)


def fsync_folder(path: Path) -> None:
    """Make a rename in the folder ``path`` durable (POSIX only; best effort)."""
    if not can_fsync_folder():
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


#: First bytes of every SQLite database (workspaces and .jxzp report files).
SQLITE_MAGIC = b"SQLite format 3\x00"
#: Names of a database's side files, and of this app's data files.
_DATA_ENDINGS = ("-wal", "-shm", "-journal", ".lock", ".jxzp", ".jxdb")


def holds_our_data(path: Path) -> bool:
    """Whether ``path`` is an SQLite database or one of its side files — a workspace or a
    report file, its journal, WAL, shared memory or lock — which an export must never
    overwrite. Looks only at the name and the first bytes."""
    if path.name.lower().endswith(_DATA_ENDINGS):
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False
