"""Storage: reports in SQLite through sqlite-utils (no Qt, no reportlab).

* :class:`Workspace` — the one repository: open a workspace file, list, load, save, copy,
  soft-delete/restore/purge reports, export one to a ``.jxzp`` file and import one back;
* :func:`open_any` — open a workspace or a ``.jxzp`` file read-only (CLI ``render``/``check``);
* :mod:`~desktop_app.storage.errors` — typed exceptions with stable ``code`` values that
  the UI translates;
* :mod:`~desktop_app.storage.migrations` — the schema as ``sqlite_utils.Migrations`` steps;
* :mod:`~desktop_app.storage.lock` — one writer per workspace (a stale lock after a crash
  is free again by itself);
* :mod:`~desktop_app.storage.backups` — rolling, verified backups and restoring them.

Storage receives paths; it never chooses where files live.
"""

from .errors import (
    AmbiguousReportError,
    DamagedFileError,
    FileTooSlowError,
    MissingFileError,
    NewerVersionError,
    NotOurFileError,
    ReportNotFoundError,
    StorageError,
    WorkspaceLockedError,
    WriteFailedError,
)
from .backups import Backup
from .migrations import APPLICATION_ID, SCHEMA_VERSION
from .repository import ReportSummary, Workspace, open_any

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "AmbiguousReportError",
    "DamagedFileError",
    "FileTooSlowError",
    "MissingFileError",
    "NewerVersionError",
    "NotOurFileError",
    "ReportNotFoundError",
    "ReportSummary",
    "StorageError",
    "Workspace",
    "WorkspaceLockedError",
    "Backup",
    "WriteFailedError",
    "open_any",
]
