"""Low-level file handling shared by the repository and the backups.

* :func:`read_header` looks at the first 100 bytes before SQLite ever opens a file, so a
  text file, a folder, a device or a truncated copy is refused without SQLite writing a
  journal beside it;
* :func:`connect_read_only` opens a file strictly read-only — never creating ``-wal``,
  ``-shm`` or ``-journal`` files beside it (read-only folders, USB sticks, network
  shares);
* :func:`harden` sets the PRAGMAs every connection gets (pages sanity-checked on read);
* :func:`fsync_file` / :func:`fsync_dir` make a rename durable;
* :func:`replace_file` renames onto a final name, also where Windows holds files.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
import tempfile
import time
from pathlib import Path

from ..system import files as system_files
from ..system.paths import sqlite_uri
from .errors import DamagedFileError, MissingFileError, NotOurFileError, StorageError, write_reason

#: Seconds a connection waits for another one's lock before failing.
BUSY_TIMEOUT_S = 5.0
SQLITE_MAGIC = b"SQLite format 3\x00"


def read_header(path: Path, *, allow_empty: bool) -> bytes:
    """Check that ``path`` looks like an intact SQLite file before SQLite touches it.

    Raises:
        NotOurFileError: a folder, a device or pipe, an empty file (unless
            ``allow_empty``), or not an SQLite database.
        DamagedFileError: an SQLite file shorter than its header says (``truncated``).
        StorageError: the file cannot be read at all.
    """
    try:
        info = path.stat()
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc}", path=path) from exc
    if stat.S_ISDIR(info.st_mode):
        raise NotOurFileError(f"{path} is a folder, not a file", path=path)
    if not stat.S_ISREG(info.st_mode):
        # A pipe or a device would block or never end: never read one.
        raise NotOurFileError(f"{path} is not a regular file", path=path)
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc}", path=path) from exc
    if not header:
        if allow_empty:
            return header
        raise NotOurFileError(f"{path} is empty", path=path)
    if header[:16] != SQLITE_MAGIC:
        if len(header) < 16 and SQLITE_MAGIC.startswith(header):
            raise DamagedFileError(f"{path} is truncated ({size} bytes)", path=path, reason="truncated")
        raise NotOurFileError(f"{path} is not an SQLite database", path=path)
    if len(header) < 100:
        raise DamagedFileError(f"{path} is truncated ({size} bytes)", path=path, reason="truncated")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    count_valid = header[92:96] == header[24:28]
    rollback_mode = header[18] == 1 and header[19] == 1
    journal = path.with_name(path.name + "-journal")
    # Only a rollback-mode file without a hot journal must be as long as its header says.
    if rollback_mode and count_valid and not journal.exists() and size < page_size * page_count:
        raise DamagedFileError(
            f"{path} is truncated: {size} bytes, header says {page_count} pages of {page_size}",
            path=path,
            reason="truncated",
        )
    return header


def read_error(exc: BaseException, path: Path) -> StorageError:
    """The error for a failed read: the device (I/O, gone, locked) or the file itself (damaged).

    A "no such table", a malformed schema or text that is not UTF-8 is damage; only an
    error of the medium is a plain "cannot read".
    """
    if isinstance(exc, sqlite3.OperationalError) and write_reason(exc) != "other":
        return StorageError(f"cannot read {path}: {exc}", path=path)
    return DamagedFileError(f"{path} cannot be read: {exc}", path=path)


def uri(path: Path, params: str) -> str:
    """The SQLite ``file:`` URI of ``path`` (made absolute) with query ``params``.

    Drive letters, UNC shares and odd characters: :func:`desktop_app.system.paths.sqlite_uri`.
    """
    return sqlite_uri(path.resolve(), params)


def harden(conn: sqlite3.Connection) -> None:
    """PRAGMAs for every connection to a file.

    ``cell_size_check`` makes SQLite sanity-check every b-tree page it reads, so damage is
    reported as an error instead of being read as data. ``trusted_schema = OFF`` keeps a
    foreign file's schema (views, triggers, CHECKs) from calling anything but innocuous
    built-in functions; our own schema uses only those (``typeof``, ``substr``), so keep
    it that way — ``json_valid()`` in a CHECK, for one, would then fail every read.
    """
    conn.execute("PRAGMA cell_size_check = ON")
    conn.execute("PRAGMA trusted_schema = OFF")


def _side_files(path: Path) -> list[Path]:
    """A non-empty ``-wal`` or ``-journal`` beside ``path``: changes not yet in the file."""
    sides = [path.with_name(path.name + suffix) for suffix in ("-wal", "-journal")]
    return [side for side in sides if side.is_file() and side.stat().st_size > 0]


def _private_copy(path: Path) -> sqlite3.Connection:
    """Read ``path`` with its ``-wal``/``-journal`` through a private copy, into memory.

    For a file on read-only media (or a share without locking) that still has changes in
    a ``-wal`` or a hot journal beside it: SQLite can neither recover them in place nor
    see them with ``immutable=1`` (which would silently read an older state). The copy is
    recovered in a temporary folder, copied into memory and deleted.
    """
    with tempfile.TemporaryDirectory(prefix="jxzp-read-") as temp:
        copy = Path(temp) / "copy.db"
        shutil.copyfile(path, copy)
        for side in _side_files(path):
            shutil.copyfile(side, Path(temp) / ("copy.db" + side.name[len(path.name):]))
        disk = sqlite3.connect(copy)
        memory = sqlite3.connect(":memory:")
        try:
            harden(disk)
            disk.backup(memory)
        except BaseException:
            memory.close()
            raise
        finally:
            disk.close()
    harden(memory)
    return memory


def connect_read_only(path: Path) -> sqlite3.Connection:
    """Open ``path`` without ever writing next to it; raises StorageError subclasses."""
    if not path.exists():
        raise MissingFileError(f"{path} does not exist", path=path)
    header = read_header(path, allow_empty=False)
    wal_mode = header[18] == 2
    wal_file = path.with_name(path.name + "-wal")
    if wal_mode and wal_file.is_file() and not path.with_name(path.name + "-shm").exists():
        # A WAL file with no writer (copied from elsewhere): mode=ro would create a -shm
        # beside it, immutable=1 miss the -wal. Recover a private copy instead, so nothing
        # is created next to the source. (With a -shm, a live writer has it open: mode=ro
        # then creates nothing and sees its later commits.)
        try:
            return _private_copy(path)
        except OSError as exc:
            raise StorageError(f"cannot read {path}: {exc}", path=path) from exc
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            raise DamagedFileError(f"{path} cannot be read: {exc}", path=path) from exc
    # mode=ro on a WAL-mode file creates (and leaves) -wal and -shm files; without a -wal
    # file there is nothing to recover, so immutable=1 reads the same data, writing nothing.
    attempts = ["immutable=1"] if wal_mode and not wal_file.exists() else ["mode=ro", "immutable=1"]
    last_error: sqlite3.Error | None = None
    for params in attempts:
        if params == "immutable=1" and last_error is not None and _side_files(path):
            # mode=ro failed (read-only media, a share without locks) and changes wait
            # beside the file: immutable=1 would miss them.
            try:
                return _private_copy(path)
            except OSError as exc:
                raise StorageError(f"cannot read {path}: {exc}", path=path) from exc
            except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
                raise DamagedFileError(f"{path} cannot be read: {exc}", path=path) from exc
        try:
            conn = sqlite3.connect(uri(path, params), uri=True, timeout=BUSY_TIMEOUT_S)
        except sqlite3.OperationalError as exc:
            last_error = exc
            continue
        try:
            harden(conn)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            # e.g. read-only media where a hot journal or -shm cannot be handled, or a
            # network share without locking: retry immutable
            conn.close()
            last_error = exc
            continue
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # a schema that is not UTF-8
            conn.close()
            raise DamagedFileError(f"{path} cannot be read: {exc}", path=path) from exc
        return conn
    assert last_error is not None
    raise read_error(last_error, path) from last_error


def fsync_file(path: Path) -> None:
    """Flush a file's data to the disk."""
    # r+b: Windows' FlushFileBuffers needs a handle with write access.
    with path.open("r+b") as handle:
        os.fsync(handle.fileno())


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX only; best effort)."""
    system_files.fsync_folder(path)


def replace_file(src: Path, dst: Path) -> None:
    """Rename ``src`` onto ``dst`` (replacing it); waits briefly for a file Windows holds.

    Raises:
        OSError: as :func:`os.replace`; a sharing violation only after the retries.
    """
    system_files.replace_file(src, dst)


#: A temporary file of an export older than this was left by a run that was killed (an
#: export takes seconds); younger ones may belong to an export still running.
STALE_TEMP_SECONDS = 600.0


def remove_stale_temporaries(dest: Path, *, now: float | None = None) -> list[Path]:
    """Delete what killed exports to ``dest`` left beside it: ``.<name>.<hex>.tmp`` (+ journal).

    Only files older than :data:`STALE_TEMP_SECONDS`; one still open (Windows: a hung
    process) is left. Returns the files deleted.
    """
    pattern = re.compile(rf"\.{re.escape(dest.name)}\.[0-9a-f]{{8,16}}\.tmp(-journal)?")
    limit = (time.time() if now is None else now) - STALE_TEMP_SECONDS
    removed = []
    try:
        entries = list(os.scandir(dest.parent))
    except OSError:
        return removed
    for entry in entries:
        try:
            if pattern.fullmatch(entry.name) and entry.is_file() and entry.stat().st_mtime < limit:
                if system_files.remove_file(Path(entry.path)):
                    removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def remove_quietly(*paths: Path) -> None:
    """Delete files this program created (closed), ignoring the ones already gone.

    On Windows a file another program (a virus scanner) holds for a moment is retried.
    """
    for path in paths:
        system_files.remove_file(path)
