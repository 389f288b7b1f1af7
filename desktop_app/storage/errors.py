"""Typed exceptions of the storage layer.

Every exception carries a stable ``code`` — ``storage_error``, ``missing_file``,
``not_ours``, ``newer_version``, ``damaged``, ``not_found``, ``ambiguous``,
``write_failed`` — that the UI maps to translated Chinese messages (never parse the
English message) and the ``path`` of the file concerned.
Messages are English and meant for logs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar


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
    """The file is ours but damaged: truncated, failing ``quick_check``, or unreadable rows."""

    code: ClassVar[str] = "damaged"


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
    """A write did not happen: disk full, read-only medium or workspace, vanished destination."""

    code: ClassVar[str] = "write_failed"
