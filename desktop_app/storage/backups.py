"""Rolling backups of the workspace, taken with SQLite's online backup API.

A backup is a complete, self-contained copy of the workspace (rollback-journal mode, one
file) in the backup folder the caller names, e.g. ``backups/`` in the user data folder::

    workspace-20240315T083012123456Z-open-v1.jxdb
    <stem>   -<taken at, UTC>        -<why>-v<schema version>

It is written under a temporary name, checked with ``PRAGMA integrity_check``, fsynced
and only then renamed into place, so a listed backup is always a verified one. Backups
are taken when a workspace is opened (``open``), before a schema migration
(``migration``) and before a restore replaces the workspace (``restore``).

Pruning keeps the :data:`KEEP_RECENT` newest backups, the newest one of each of the last
:data:`KEEP_DAILY` days (so a week-old state survives a busy day of restarts) and the
:data:`KEEP_MIGRATION` newest pre-migration backups.

:func:`restore_file` puts a backup in place of a workspace file that is closed (and
locked by the caller); the file it replaces is kept beside it when asked.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from . import migrations
from .errors import DamagedFileError, NewerVersionError, NotOurFileError, StorageError, WriteFailedError
from .files import connect_read_only, fsync_dir, fsync_file, harden, remove_quietly, replace_file

log = logging.getLogger(__name__)

#: The newest backups kept whatever their age.
KEEP_RECENT = 5
#: Days for which the newest backup of the day is kept as well.
KEEP_DAILY = 7
#: Pre-migration backups kept (the state before each of the last schema upgrades).
KEEP_MIGRATION = 2
REASONS = ("open", "migration", "restore", "manual")
SUFFIX = ".jxdb"

_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{12}Z)-(?P<reason>[a-z]+)-v(?P<version>\d+)" + re.escape(SUFFIX) + "$"
)
_STAMP = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True)
class Backup:
    """One verified backup file.

    Attributes:
        path: the file.
        taken_at: when it was taken (timezone-aware UTC).
        reason: ``open``, ``migration``, ``restore`` or ``manual``.
        schema_version: the schema version of the copy.
        size: its size in bytes.
    """

    path: Path
    taken_at: datetime
    reason: str
    schema_version: int
    size: int


def _parse(path: Path, stem: str) -> Backup | None:
    match = _NAME.match(path.name)
    if match is None or match["stem"] != stem or match["reason"] not in REASONS:
        return None
    try:
        taken_at = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=timezone.utc)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return Backup(path, taken_at, match["reason"], int(match["version"]), size)


def list_backups(folder: Path, stem: str) -> list[Backup]:
    """The backups of the workspace named ``stem`` in ``folder``, newest first."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    found = [backup for backup in (_parse(path, stem) for path in entries if path.is_file()) if backup]
    return sorted(found, key=lambda backup: backup.taken_at, reverse=True)


def _check(conn: sqlite3.Connection, path: Path, *, full: bool) -> int:
    """Validate a copy: ours, not newer, passing the check; returns its schema version."""
    try:
        app_id = migrations.application_id_of(conn)
        version = migrations.schema_version_of(conn)
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        raise DamagedFileError(f"{path} failed the integrity check: {exc}", path=path) from exc
    if app_id != migrations.APPLICATION_ID:
        raise NotOurFileError(f"{path} is not a workspace of this program", path=path)
    if version > migrations.SCHEMA_VERSION:
        raise NewerVersionError(f"{path} has schema version {version}", path=path, version=version,
                                supported=migrations.SCHEMA_VERSION)
    if problems != ["ok"]:
        raise DamagedFileError(f"{path} failed the integrity check: {'; '.join(problems[:5])}", path=path)
    return version


def verify(path: Path) -> int:
    """Check a backup (or any workspace copy) with ``integrity_check``; returns its version.

    Raises:
        MissingFileError, NotOurFileError, NewerVersionError, DamagedFileError.
    """
    conn = connect_read_only(path)
    try:
        return _check(conn, path, full=True)
    finally:
        conn.close()


def _copy(source: sqlite3.Connection, temp: Path) -> None:
    """Copy ``source`` into the new file ``temp`` as one rollback-journal file, verified."""
    target = sqlite3.connect(temp)
    try:
        harden(target)
        source.backup(target)
        # The copy inherits the source's WAL flag; a backup is one self-contained file.
        target.execute("PRAGMA journal_mode = DELETE").fetchone()
        _check(target, temp, full=True)
    finally:
        target.close()
    remove_quietly(temp.with_name(temp.name + "-wal"), temp.with_name(temp.name + "-shm"))
    fsync_file(temp)


def take_backup(source: sqlite3.Connection, folder: Path, stem: str, *, reason: str) -> Backup:
    """Copy the open database ``source`` to a new verified backup in ``folder``; prune.

    Args:
        source: a connection to the workspace (not inside a write transaction).
        folder: the backup folder (created when missing).
        stem: the workspace's file name without suffix, e.g. ``workspace``.
        reason: why the backup is taken (one of :data:`REASONS`).

    Raises:
        WriteFailedError: the folder cannot be written (full, read-only…).
        DamagedFileError: the copy fails ``integrity_check`` (the source is damaged).
    """
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    version = migrations.schema_version_of(source)
    now = datetime.now(timezone.utc)
    existing = list_backups(folder, stem)
    if existing and existing[0].taken_at >= now:  # never two backups with one name
        now = existing[0].taken_at + timedelta(microseconds=1)
    name = f"{stem}-{now.strftime(_STAMP)}-{reason}-v{version}{SUFFIX}"
    final = folder / name
    temp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _copy(source, temp)
        replace_file(temp, final)
    except BaseException as exc:
        remove_quietly(temp, temp.with_name(temp.name + "-journal"))
        if isinstance(exc, StorageError):
            raise
        if isinstance(exc, (OSError, sqlite3.Error)):
            raise WriteFailedError(f"cannot write a backup to {folder}: {exc}", path=final) from exc
        raise
    fsync_dir(folder)
    backup = _parse(final, stem)
    assert backup is not None
    prune(folder, stem)
    return backup


def prune(folder: Path, stem: str) -> list[Path]:
    """Delete the backups the keeping rules no longer need, and stale temporary files.

    Returns:
        The files deleted.
    """
    backups = list_backups(folder, stem)
    keep: set[Path] = {backup.path for backup in backups[:KEEP_RECENT]}
    keep |= {backup.path for backup in [b for b in backups if b.reason == "migration"][:KEEP_MIGRATION]}
    days: list[object] = []
    for backup in backups:
        day = backup.taken_at.astimezone().date()
        if day not in days:
            days.append(day)
            if len(days) <= KEEP_DAILY:
                keep.add(backup.path)
    removed = [backup.path for backup in backups if backup.path not in keep]
    # Temporary files of backups interrupted by a crash (the caller holds the workspace lock,
    # so no backup of this workspace is being written right now).
    try:
        removed += [path for path in folder.glob(f".{stem}-*{SUFFIX}.*.tmp*") if path.is_file()]
    except OSError:
        pass
    remove_quietly(*removed)
    return removed


def restore_file(backup: Path, target: Path, *, keep_aside: str | None = None) -> Path | None:
    """Put a copy of ``backup`` in place of the workspace file ``target``.

    The caller has closed every connection to ``target`` and holds its lock. The copy is
    made under a temporary name beside ``target``, verified, fsynced and renamed over it,
    so ``target`` is at every moment either the old file or the complete copy.

    Args:
        backup: the backup file (verified with ``integrity_check`` first).
        target: the workspace file to replace (it may be missing or damaged).
        keep_aside: when given, the replaced file (and a ``-wal`` beside it) is kept as
            ``<target>.<keep_aside>-<time>`` instead of being dropped.

    Returns:
        The path the replaced file was kept under, or None.

    Raises:
        MissingFileError, NotOurFileError, NewerVersionError, DamagedFileError: ``backup``.
        WriteFailedError: ``target``'s folder cannot be written.
    """
    verify(backup)
    source = connect_read_only(backup)
    temp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.restore")
    aside: Path | None = None
    try:
        try:
            _copy(source, temp)
        finally:
            source.close()
        wal, shm = target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")
        if keep_aside is not None and target.exists():
            stamp = datetime.now(timezone.utc).strftime(_STAMP)
            aside = target.with_name(f"{target.name}.{keep_aside}-{stamp}")
            _link_or_copy(target, aside)
            if wal.exists():
                _link_or_copy(wal, aside.with_name(aside.name + "-wal"))
        # A -wal left beside the file would be replayed into the copy: it belongs to the old file.
        remove_quietly(wal, shm)
        replace_file(temp, target)
    except BaseException as exc:
        remove_quietly(temp, temp.with_name(temp.name + "-journal"))
        if isinstance(exc, StorageError):
            raise
        if isinstance(exc, (OSError, sqlite3.Error)):
            raise WriteFailedError(f"cannot restore {backup} to {target}: {exc}", path=target) from exc
        raise
    fsync_dir(target.parent)
    log.info("workspace restored from backup %s", backup.name)
    return aside


def _link_or_copy(source: Path, dest: Path) -> None:
    """Keep ``source`` as ``dest`` too: a hard link when possible, else a copy."""
    try:
        os.link(source, dest)
    except OSError:
        with source.open("rb") as reader, dest.open("xb") as writer:
            while chunk := reader.read(1 << 20):
                writer.write(chunk)
            writer.flush()
            os.fsync(writer.fileno())
