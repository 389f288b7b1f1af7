"""Typed exceptions of the storage layer.

Every exception carries a stable ``code`` — ``storage_error``, ``missing_file``,
``not_ours``, ``newer_version``, ``damaged``, ``not_found``, ``ambiguous``,
``write_failed``, ``locked`` — that the UI maps to translated Chinese messages (never
parse the English message) and the ``path`` of the file concerned. Some also carry a
``reason`` (see :data:`WRITE_REASONS`, :data:`DAMAGE_REASONS`) so the message can say
*why*: a full disk and a pulled USB stick need different advice.
Messages are English and meant for logs; they never contain report content.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

#: Why a write failed: the disk is full; the place is read-only or not writable for this
#: user; another program holds the file; the place went away (USB stick pulled, network
#: share gone, folder deleted); a device error; anything else.
WRITE_REASONS = ("disk_full", "read_only", "locked", "vanished", "io", "other")
#: Why a file of ours cannot be read: shorter than its header says; failing SQLite's
#: checks; rows holding values this program never writes.
DAMAGE_REASONS = ("truncated", "corrupt", "bad_rows")

_ERRNO_REASONS = {
    errno.ENOSPC: "disk_full",
    errno.EFBIG: "disk_full",
    getattr(errno, "EDQUOT", -1): "disk_full",
    errno.EROFS: "read_only",
    errno.EACCES: "read_only",
    errno.EPERM: "read_only",
    errno.ENOENT: "vanished",
    errno.ENOTDIR: "vanished",
    errno.ENODEV: "vanished",
    errno.ENXIO: "vanished",
    getattr(errno, "ESTALE", -1): "vanished",
    getattr(errno, "ENOMEDIUM", -1): "vanished",
    errno.EIO: "io",
    errno.EBUSY: "locked",
    getattr(errno, "ETXTBSY", -1): "locked",
}
#: Windows error codes: sharing / lock violation (a file open in another program).
_WINERROR_REASONS = {32: "locked", 33: "locked", 5: "read_only", 19: "read_only", 112: "disk_full",
                     39: "disk_full", 21: "vanished", 53: "vanished", 64: "vanished", 67: "vanished"}
_SQLITE_REASONS = (
    ("SQLITE_FULL", "disk_full"),
    ("SQLITE_READONLY", "read_only"),
    ("SQLITE_BUSY", "locked"),
    ("SQLITE_LOCKED", "locked"),
    ("SQLITE_CANTOPEN", "vanished"),
    ("SQLITE_IOERR", "io"),
)
_SQLITE_MESSAGES = (
    ("disk is full", "disk_full"),
    ("readonly", "read_only"),
    ("read-only", "read_only"),
    ("is locked", "locked"),
    ("unable to open", "vanished"),
    ("disk i/o error", "io"),
)


def write_reason(exc: BaseException) -> str:
    """Classify why a write failed, from an ``OSError`` or ``sqlite3.Error`` (else "other")."""
    if isinstance(exc, WriteFailedError):
        return exc.reason
    if isinstance(exc, OSError):
        winerror = getattr(exc, "winerror", None)
        if winerror in _WINERROR_REASONS:
            return _WINERROR_REASONS[winerror]
        if exc.errno == errno.EISDIR:
            return "other"
        return _ERRNO_REASONS.get(exc.errno or 0, "other")
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "") or ""
        for prefix, reason in _SQLITE_REASONS:
            if name.startswith(prefix):
                return reason
        text = str(exc).lower()
        for fragment, reason in _SQLITE_MESSAGES:
            if fragment in text:
                return reason
    cause = exc.__cause__
    return write_reason(cause) if cause is not None and cause is not exc else "other"


class StorageError(Exception):
    """Base class: something went wrong reading or writing a workspace or report file.

    Attributes:
        code: stable identifier of the kind of failure, e.g. ``"not_ours"``.
        path: the file concerned, when there is one.
    """

    code: ClassVar[str] = "storage_error"

    def __init__(self, message: str, *, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class MissingFileError(StorageError):
    """The file does not exist and was not to be created (``create=False`` or read-only)."""

    code: ClassVar[str] = "missing_file"


class NotOurFileError(StorageError):
    """The file is not SQLite, or is an SQLite database of another application."""

    code: ClassVar[str] = "not_ours"


class FileTooSlowError(StorageError):
    """Reading the file took longer than :data:`~desktop_app.storage.vetting.READ_BUDGET_S`
    (an enormous file, or one built to keep SQLite busy); reading was stopped."""

    code: ClassVar[str] = "too_slow"


class NewerVersionError(StorageError):
    """The file was written by a newer version of the program (higher schema version).

    Attributes:
        version: the file's schema version (``PRAGMA user_version``).
        supported: the newest schema version this program knows.
    """

    code: ClassVar[str] = "newer_version"

    def __init__(self, message: str, *, path: Path | None = None, version: int, supported: int) -> None:
        super().__init__(message, path=path)
        self.version = version
        self.supported = supported


class DamagedFileError(StorageError):
    """The file is ours but damaged: truncated, failing ``quick_check``, or unreadable rows.

    Attributes:
        reason: one of :data:`DAMAGE_REASONS`.
    """

    code: ClassVar[str] = "damaged"

    def __init__(self, message: str, *, path: Path | None = None, reason: str = "corrupt") -> None:
        super().__init__(message, path=path)
        self.reason = reason


class ReportNotFoundError(StorageError):
    """No report with that id (or the file holds no report at all when ``report_id`` is None)."""

    code: ClassVar[str] = "not_found"

    def __init__(self, message: str, *, path: Path | None = None, report_id: str | None = None) -> None:
        super().__init__(message, path=path)
        self.report_id = report_id


class AmbiguousReportError(StorageError):
    """The file holds several reports and none was chosen.

    Attributes:
        report_ids: the ids to choose from, most recently edited first.
    """

    code: ClassVar[str] = "ambiguous"

    def __init__(self, message: str, *, path: Path | None = None, report_ids: Sequence[str] = ()) -> None:
        super().__init__(message, path=path)
        self.report_ids = tuple(report_ids)


class WriteFailedError(StorageError):
    """A write did not happen: disk full, read-only medium or workspace, vanished destination.

    Attributes:
        reason: one of :data:`WRITE_REASONS`; when not given it is derived from the
            exception being handled (``raise ... from exc``) by :func:`write_reason`.
    """

    code: ClassVar[str] = "write_failed"

    def __init__(self, message: str, *, path: Path | None = None, reason: str | None = None) -> None:
        super().__init__(message, path=path)
        self._reason = reason

    @property
    def reason(self) -> str:
        """Why the write failed (see :data:`WRITE_REASONS`)."""
        if self._reason is not None:
            return self._reason
        cause = self.__cause__ or self.__context__
        return write_reason(cause) if cause is not None else "other"


class WorkspaceLockedError(StorageError):
    """The workspace is open in another running instance of the program.

    Attributes:
        pid: process id of the instance holding it (0 when unknown).
        host: the computer it runs on ("" when unknown).
        since: when it opened the workspace, ISO 8601 text ("" when unknown).
    """

    code: ClassVar[str] = "locked"

    def __init__(self, message: str, *, path: Path | None = None, pid: int = 0, host: str = "",
                 since: str = "") -> None:
        super().__init__(message, path=path)
        self.pid = pid
        self.host = host
        self.since = since
