"""The one repository: rows ↔ dataclasses, and the workspace and ``.jxzp`` files.

This module is the only place where a :class:`~desktop_app.domain.model.Report` becomes
table rows and back (the column layout is described in
:mod:`desktop_app.storage.migrations`). Every value is converted explicitly before it
reaches SQLite — money to integer fen, weights and scores to ``str(Decimal)``, dates to
ISO text, enums to their value — because sqlite-utils would silently store a
``Decimal`` as a float. A value of the wrong type raises ``TypeError``/``ValueError``
before anything is written (a programming error, not a storage condition).

Files:

* a *workspace* (``Workspace.open``) holds many reports, is in WAL mode with
  ``synchronous=FULL``, and keeps soft-deleted reports until purged;
* a ``.jxzp`` file (``Workspace.export_file``) has the same schema, holds one report and
  uses a rollback journal (``journal_mode=DELETE``) so it is one self-contained file;
* sources are opened strictly read-only (``mode=ro``; ``immutable=1`` for a WAL-mode file
  without a ``-wal`` beside it, or when ``mode=ro`` cannot open it, e.g. on read-only
  media), so reading never creates ``-wal``/``-shm``/``-journal`` files next to them.

Timestamps (``created_at``, ``updated_at``, ``deleted_at``) are ISO 8601 UTC text with
microseconds; :class:`ReportSummary` carries ``updated_at`` as an aware ``datetime``.
Each save gets an ``updated_at`` strictly later than any other in the workspace, so
"most recently edited first" holds even with a coarse or stepped-back clock.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlite_utils import Database

from ..domain.model import (
    Closing,
    Direction,
    EvaluationTeam,
    FundLine,
    FundSource,
    Header,
    Indicator,
    IndicatorCategory,
    OutlineTemplate,
    OutputItem,
    Overview,
    PolicyDocument,
    Report,
    ReverseFormula,
    Role,
    RuleSet,
    TeamMember,
    Unit,
    Unparsed,
    WeightSplit,
    new_id,
)
from ..domain.money import MAX_YUAN, REASON_NOT_A_NUMBER, checked_number, from_fen, to_fen
from . import backups, migrations
from .backups import Backup
from .errors import (
    AmbiguousReportError,
    DamagedFileError,
    MissingFileError,
    NewerVersionError,
    NotOurFileError,
    ReportNotFoundError,
    StorageError,
    WriteFailedError,
    write_reason,
)
from .revisions import RevisionStore, insert_revision_rows, read_revision_rows
from .files import (
    BUSY_TIMEOUT_S,
    connect_read_only,
    fsync_dir,
    fsync_file,
    harden,
    read_error,
    read_header,
    remove_quietly,
    remove_stale_temporaries,
    replace_file,
)
from .lock import WorkspaceLock, lock_path
from .vetting import ReadBudget, drop_active_objects, remove_foreign_objects, vet

__all__ = ["ReportSummary", "Workspace", "open_any"]

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


# -- value codecs ----------------------------------------------------------------------
#
# A codec turns one dataclass attribute into one or more column values and back. Dump
# raises TypeError/ValueError for values the domain should never hold; load raises
# ValueError/TypeError for column values this program never writes (the caller turns
# those into DamagedFileError).


class _Codec:
    """Conversion of one attribute; ``suffixes`` name its columns after the attribute."""

    suffixes: tuple[str, ...] = ("",)

    def dump(self, value: Any) -> tuple[Any, ...]:
        raise NotImplementedError

    def load(self, values: Sequence[Any]) -> Any:
        raise NotImplementedError


class _Text(_Codec):
    """``str`` ↔ TEXT (never NULL)."""

    def dump(self, value: Any) -> tuple[Any, ...]:
        if not isinstance(value, str):
            raise TypeError(f"expected str, got {type(value).__name__}")
        return (value,)

    def load(self, values: Sequence[Any]) -> Any:
        (value,) = values
        if not isinstance(value, str):
            raise TypeError(f"expected TEXT, found {type(value).__name__}")
        return value


class _Bool(_Codec):
    """``bool`` ↔ INTEGER 0/1."""

    def dump(self, value: Any) -> tuple[Any, ...]:
        if not isinstance(value, bool):
            raise TypeError(f"expected bool, got {type(value).__name__}")
        return (int(value),)

    def load(self, values: Sequence[Any]) -> Any:
        (value,) = values
        if value not in (0, 1) or isinstance(value, float):
            raise ValueError(f"expected 0 or 1, found {value!r}")
        return bool(value)


class _EnumCodec(_Codec):
    """An :class:`~enum.Enum` member ↔ its ``value`` as TEXT."""

    def __init__(self, enum_type: type[Enum]) -> None:
        self.enum_type = enum_type

    def dump(self, value: Any) -> tuple[Any, ...]:
        if not isinstance(value, self.enum_type):
            raise TypeError(f"expected {self.enum_type.__name__}, got {type(value).__name__}")
        return (value.value,)

    def load(self, values: Sequence[Any]) -> Any:
        (value,) = values
        return self.enum_type(value)


class _Readable(_Codec):
    """A value that may also be missing (NULL) or :class:`Unparsed` (``_raw`` columns)."""

    value_suffix = ""

    def __init__(self) -> None:
        self.suffixes = (self.value_suffix, "_raw", "_raw_reason")

    def dump(self, value: Any) -> tuple[Any, ...]:
        if value is None:
            return (None, None, None)
        if isinstance(value, Unparsed):
            if not isinstance(value.text, str) or not isinstance(value.reason, str):
                raise TypeError("Unparsed text and reason must be str")
            return (None, value.text, value.reason)
        return (self.dump_value(value), None, None)

    def load(self, values: Sequence[Any]) -> Any:
        value, raw, reason = values
        if raw is not None:
            if not isinstance(raw, str) or not isinstance(reason, str):
                raise TypeError("raw text and reason must be TEXT")
            return Unparsed(raw, reason)
        if value is None:
            return None
        return self.load_value(value)

    def dump_value(self, value: Any) -> Any:
        raise NotImplementedError

    def load_value(self, value: Any) -> Any:
        raise NotImplementedError


class _Amount(_Readable):
    """Yuan ``Decimal`` ↔ INTEGER fen."""

    value_suffix = "_fen"

    def dump_value(self, value: Any) -> Any:
        if not isinstance(value, Decimal):
            raise TypeError(f"expected Decimal, Unparsed or None, got {type(value).__name__}")
        if not value.is_finite():
            raise ValueError(f"amount {value} is not finite")
        fen = to_fen(value)  # ValueError when not a whole number of fen
        if not _INT64_MIN <= fen <= _INT64_MAX:
            raise ValueError(f"amount {value} is too large to store")
        return fen

    def load_value(self, value: Any) -> Any:
        if type(value) is not int:
            raise TypeError(f"expected INTEGER fen, found {type(value).__name__}")
        return checked_number(from_fen(value))  # never written above MAX_YUAN: kept, flagged


class _DecimalText(_Readable):
    """``Decimal`` (weights, scores) ↔ its exact ``str()`` as TEXT."""

    def dump_value(self, value: Any) -> Any:
        if not isinstance(value, Decimal):
            raise TypeError(f"expected Decimal, Unparsed or None, got {type(value).__name__}")
        if not value.is_finite():
            raise ValueError(f"number {value} is not finite")
        if abs(value) >= MAX_YUAN:
            raise ValueError("number is out of range (the parsers accept less than 10^13)")
        return str(value)

    def load_value(self, value: Any) -> Any:
        if not isinstance(value, str):
            raise TypeError(f"expected TEXT decimal, found {type(value).__name__}")
        return _stored_number(value)


class _Date(_Readable):
    """``date`` ↔ ISO ``YYYY-MM-DD`` TEXT."""

    def dump_value(self, value: Any) -> Any:
        if type(value) is not date:  # a datetime is a date too, but would lose its time
            raise TypeError(f"expected date, Unparsed or None, got {type(value).__name__}")
        return value.isoformat()

    def load_value(self, value: Any) -> Any:
        if not isinstance(value, str):
            raise TypeError(f"expected ISO date TEXT, found {type(value).__name__}")
        return date.fromisoformat(value)


class _Year(_Readable):
    """``int`` (fiscal year) ↔ INTEGER."""

    def dump_value(self, value: Any) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"expected int, Unparsed or None, got {type(value).__name__}")
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise ValueError(f"year {value} is out of range")
        return value

    def load_value(self, value: Any) -> Any:
        if type(value) is not int:
            raise TypeError(f"expected INTEGER year, found {type(value).__name__}")
        return value


class _DecimalList(_Codec):
    """A list of Decimal (or Unparsed, as typed) ↔ a JSON TEXT array of exact strings."""

    def dump(self, value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise TypeError(f"expected list, got {type(value).__name__}")
        items: list[Any] = []
        for item in value:
            if isinstance(item, Unparsed):
                items.append({"unparsed": item.text, "reason": item.reason})
            elif isinstance(item, Decimal) and item.is_finite():
                items.append(str(item))
            elif item is None:
                items.append(None)
            else:
                raise TypeError(f"expected Decimal, Unparsed or None, got {type(item).__name__}")
        return (json.dumps(items, ensure_ascii=False),)

    def load(self, values: Sequence[Any]) -> Any:
        (value,) = values
        if not isinstance(value, str):
            raise TypeError(f"expected JSON TEXT, found {type(value).__name__}")
        try:
            items = json.loads(value)
        except (ValueError, RecursionError):  # not JSON, or nested past Python's stack
            items = None
        if not isinstance(items, list) or len(items) > _MAX_LIST:
            # Kept as one unread entry the user sees (and can clear), never a silent default.
            return [Unparsed(_shown(value), REASON_NOT_A_NUMBER)]
        loaded: list[Any] = []
        for item in items:
            if item is None:
                loaded.append(None)
            elif (isinstance(item, dict) and isinstance(item.get("unparsed"), str)
                  and isinstance(item.get("reason", ""), str)):
                loaded.append(Unparsed(_shown(item["unparsed"]), item.get("reason") or REASON_NOT_A_NUMBER))
            elif isinstance(item, (str, int, float)) and not isinstance(item, bool):
                loaded.append(_stored_number(str(item)))
            else:
                loaded.append(Unparsed(_shown(json.dumps(item, ensure_ascii=False)[:_MAX_SHOWN]),
                                       REASON_NOT_A_NUMBER))
        return loaded


#: Longest stored list of numbers read (the form has three custom weights).
_MAX_LIST = 100
#: Longest unreadable text kept for the user to see.
_MAX_SHOWN = 200


def _shown(text: str) -> str:
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…"


def _stored_number(text: str) -> Decimal | Unparsed:
    """A number stored as text; one the app cannot compute with comes back flagged, as written."""
    try:
        number = Decimal(text)
    except ArithmeticError:  # decimal.InvalidOperation: not a number at all
        return Unparsed(_shown(text), REASON_NOT_A_NUMBER)
    return checked_number(number, _shown(text))


_TEXT, _BOOL, _AMOUNT, _DECIMAL, _DATE, _YEAR = _Text(), _Bool(), _Amount(), _DecimalText(), _Date(), _Year()


@dataclass(frozen=True)
class _Field:
    """One attribute of a dataclass and its codec."""

    attr: str
    codec: _Codec

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.attr + suffix for suffix in self.codec.suffixes)


def _fields(*pairs: tuple[str, _Codec]) -> tuple[_Field, ...]:
    return tuple(_Field(attr, codec) for attr, codec in pairs)


def _texts(*attrs: str) -> tuple[tuple[str, _Codec], ...]:
    return tuple((attr, _TEXT) for attr in attrs)


# -- the mapping -----------------------------------------------------------------------

#: Scalar parts of a report, by the attribute of Report holding them ("" = Report itself).
_REPORT_SECTIONS: dict[str, tuple[_Field, ...]] = {
    "header": _fields(
        *_texts("unit_name", "supervising_department", "implementing_unit", "project_name"),
        ("fiscal_year", _YEAR),
        ("title", _TEXT),
        ("report_date", _DATE),
    ),
    "overview": _fields(
        *_texts(
            "opening",
            "background",
            "implementation",
            "funding",
            "annual_goal",
            "goal_achieved",
            "management",
            "outputs",
            "effects",
            "conclusion",
        )
    ),
    "team": _fields(
        ("formed_on", _DATE),
        ("site_check_on", _DATE),
        *_texts("office", "contact", "leader_duties", "deputy_duties", "member_duties", "site_check"),
    ),
    "": _fields(
        ("execution_weight", _DECIMAL),
        ("execution_score", _DECIMAL),
        ("outline", _EnumCodec(OutlineTemplate)),
    ),
    "closing": _fields(("lessons", _TEXT)),
    "rules": _fields(
        ("split", _EnumCodec(WeightSplit)),
        ("custom_weights", _DecimalList()),
        ("reverse_formula", _EnumCodec(ReverseFormula)),
        ("cap_by_execution_rate", _BOOL),
        ("deduct_over_achievement", _BOOL),
    ),
}
_SECTION_TYPES: dict[str, type] = {
    "header": Header,
    "overview": Overview,
    "team": EvaluationTeam,
    "closing": Closing,
}


@dataclass(frozen=True)
class _ChildTable:
    """A list attribute of the report stored as rows ``(report_id, seq, ...)``."""

    table: str
    row_type: type
    fields: tuple[_Field, ...]
    get: Callable[[Report], list[Any]]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(column for spec in self.fields for column in spec.columns)


_CHILD_TABLES: tuple[_ChildTable, ...] = (
    _ChildTable(
        "policy_documents",
        PolicyDocument,
        _fields(*_texts("title", "doc_number")),
        lambda report: report.header.policy_documents,
    ),
    _ChildTable(
        "team_members",
        TeamMember,
        _fields(("role", _EnumCodec(Role)), *_texts("name", "position")),
        lambda report: report.team.members,
    ),
    _ChildTable(
        "fund_lines",
        FundLine,
        _fields(
            ("name", _TEXT),
            ("source", _EnumCodec(FundSource)),
            ("is_child", _BOOL),
            ("initial_budget", _AMOUNT),
            ("budget", _AMOUNT),
            ("allocated", _AMOUNT),
            ("spent", _AMOUNT),
        ),
        lambda report: report.fund_lines,
    ),
    _ChildTable(
        "indicators",
        Indicator,
        _fields(
            ("level1", _EnumCodec(IndicatorCategory)),
            *_texts("level2", "name"),
            ("direction", _EnumCodec(Direction)),
            *_texts("target", "actual", "unit"),
            ("weight", _DECIMAL),
            ("score", _DECIMAL),
            ("deviation_note", _TEXT),
            ("applicable", _BOOL),
        ),
        lambda report: report.indicators,
    ),
    _ChildTable(
        "output_items",
        OutputItem,
        _fields(("name", _TEXT), ("amount", _AMOUNT), ("unit", _EnumCodec(Unit)), ("category", _TEXT)),
        lambda report: report.output_items,
    ),
)
#: closing_items.kind for Closing.problems and Closing.suggestions.
_CLOSING_KINDS: tuple[tuple[str, str], ...] = (("problem", "problems"), ("suggestion", "suggestions"))

_REPORT_COLUMNS: tuple[str, ...] = tuple(
    column for fields in _REPORT_SECTIONS.values() for spec in fields for column in spec.columns
)


def _dump_fields(fields: tuple[_Field, ...], obj: Any, where: str) -> list[Any]:
    values: list[Any] = []
    for spec in fields:
        try:
            values.extend(spec.codec.dump(getattr(obj, spec.attr)))
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"{where}.{spec.attr}: {exc}") from None
    return values


def _load_fields(fields: tuple[_Field, ...], row: Sequence[Any], start: int) -> tuple[dict[str, Any], int]:
    values: dict[str, Any] = {}
    for spec in fields:
        width = len(spec.codec.suffixes)
        values[spec.attr] = spec.codec.load(row[start : start + width])
        start += width
    return values, start


@dataclass(frozen=True)
class _Rows:
    """A report flattened to rows, ready for SQLite (timestamps are added on write)."""

    report_id: str
    report_row: tuple[Any, ...]
    children: dict[str, list[tuple[Any, ...]]]


def _dump(report: Report) -> _Rows:
    """Flatten and type-check a report; raises TypeError/ValueError on bad values."""
    if not isinstance(report, Report):
        raise TypeError(f"expected Report, got {type(report).__name__}")
    report_id = report.report_id
    if not isinstance(report_id, str) or not report_id:
        raise ValueError("report_id must be a non-empty str")
    row: list[Any] = [report_id]
    for section, fields in _REPORT_SECTIONS.items():
        obj = getattr(report, section) if section else report
        row.extend(_dump_fields(fields, obj, section or "report"))
    children: dict[str, list[tuple[Any, ...]]] = {}
    for child in _CHILD_TABLES:
        rows = []
        for seq, item in enumerate(child.get(report)):
            if not isinstance(item, child.row_type):
                raise TypeError(f"{child.table}[{seq}]: expected {child.row_type.__name__}")
            rows.append((report_id, seq, *_dump_fields(child.fields, item, f"{child.table}[{seq}]")))
        children[child.table] = rows
    closing_rows = []
    for kind, attr in _CLOSING_KINDS:
        for seq, text in enumerate(getattr(report.closing, attr)):
            if not isinstance(text, str):
                raise TypeError(f"closing.{attr}[{seq}]: expected str, got {type(text).__name__}")
            closing_rows.append((report_id, kind, seq, text))
    children["closing_items"] = closing_rows
    return _Rows(report_id, tuple(row), children)


def _build(row: Sequence[Any], children: dict[str, list[Any]]) -> Report:
    """The inverse of :func:`_dump`; raises ValueError/TypeError/ArithmeticError on bad data."""
    start = 1
    sections: dict[str, dict[str, Any]] = {}
    for section, fields in _REPORT_SECTIONS.items():
        sections[section], start = _load_fields(fields, row, start)
    lists: dict[str, list[Any]] = {}
    for child in _CHILD_TABLES:
        lists[child.table] = [child.row_type(**_load_fields(child.fields, r, 0)[0]) for r in children[child.table]]
    closing_lists: dict[str, list[str]] = {attr: [] for _, attr in _CLOSING_KINDS}
    kind_to_attr = dict(_CLOSING_KINDS)
    for kind, text in children["closing_items"]:
        if not isinstance(text, str):
            raise TypeError("closing item text must be TEXT")
        closing_lists[kind_to_attr[kind]].append(text)
    return Report(
        report_id=row[0],
        header=Header(**sections["header"], policy_documents=lists["policy_documents"]),
        overview=Overview(**sections["overview"]),
        team=EvaluationTeam(**sections["team"], members=lists["team_members"]),
        fund_lines=lists["fund_lines"],
        indicators=lists["indicators"],
        output_items=lists["output_items"],
        closing=Closing(
            **sections["closing"], problems=closing_lists["problems"], suggestions=closing_lists["suggestions"]
        ),
        rules=RuleSet(**sections["rules"]),
        **sections[""],
    )


def _sql_list(columns: Sequence[str]) -> str:
    return ", ".join(columns)


_UPSERT_REPORT = (
    f"INSERT INTO reports (report_id, {_sql_list(_REPORT_COLUMNS)}, created_at, updated_at) "
    f"VALUES ({', '.join('?' * (len(_REPORT_COLUMNS) + 3))}) "
    "ON CONFLICT (report_id) DO UPDATE SET "
    + ", ".join(f"{column} = excluded.{column}" for column in (*_REPORT_COLUMNS, "updated_at"))
)
_SELECT_REPORT = f"SELECT report_id, {_sql_list(_REPORT_COLUMNS)} FROM reports WHERE report_id = ?"
_INSERT_CHILD = {
    child.table: f"INSERT INTO {child.table} (report_id, seq, {_sql_list(child.columns)}) "
    f"VALUES ({', '.join('?' * (len(child.columns) + 2))})"
    for child in _CHILD_TABLES
}
_INSERT_CHILD["closing_items"] = "INSERT INTO closing_items (report_id, kind, seq, text) VALUES (?, ?, ?, ?)"
_SELECT_CHILD = {
    child.table: f"SELECT {_sql_list(child.columns)} FROM {child.table} WHERE report_id = ? ORDER BY seq"
    for child in _CHILD_TABLES
}
_SELECT_CHILD["closing_items"] = "SELECT kind, text FROM closing_items WHERE report_id = ? ORDER BY kind, seq"
_CHILD_TABLE_NAMES: tuple[str, ...] = (*(child.table for child in _CHILD_TABLES), "closing_items")


# -- files -----------------------------------------------------------------------------


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _disk_nearly_full(folder: Path) -> bool:
    """Whether less than 1 MB is free where ``folder`` is."""
    try:
        return shutil.disk_usage(folder).free < 1_000_000
    except OSError:
        return False


# -- the repository --------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSummary:
    """One line of the report list.

    Attributes:
        updated_at: when the report was last saved, a timezone-aware UTC ``datetime``.
        deleted: whether it is in the trash (soft-deleted, restorable).
    """

    report_id: str
    unit_name: str
    project_name: str
    fiscal_year: int | Unparsed | None
    updated_at: datetime
    deleted: bool


class Workspace(RevisionStore):
    """The reports of one SQLite file: a workspace, or a ``.jxzp`` file opened read-only.

    定稿 revisions (finalize, reprint, find by 校验码) come from
    :class:`~desktop_app.storage.revisions.RevisionStore`; they travel with their report
    in ``.jxzp`` export and import.

    Create instances with :meth:`open` (or :func:`open_any`); close them with
    :meth:`close` or a ``with`` block. All writes are single transactions.
    """

    def __init__(self, db: Database, path: Path, *, read_only: bool) -> None:
        """Wrap an already validated database; use :meth:`open` instead."""
        self._db = db
        self._path = path
        self._read_only = read_only
        self._closed = False
        self._lock: WorkspaceLock | None = None
        self._backup_dir: Path | None = None
        #: The backup taken when the workspace was opened (None when none was taken).
        self.opening_backup: Backup | None = None
        #: Why that backup could not be taken (None when it was, or was not asked for).
        self.backup_error: StorageError | None = None
        #: Triggers, views, tables and indexes not of this program, removed on open
        #: (after the opening backup): their names, to tell the user.
        self.removed_objects: list[str] = []

    # -- opening and closing ------------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path, *, create: bool = True, read_only: bool = False, backup_dir: Path | None = None
    ) -> Workspace:
        """Open (and if needed create and migrate) the workspace database at ``path``.

        A writable workspace is locked for this process (:mod:`.lock`) until
        :meth:`close`; a second writer is refused with :class:`WorkspaceLockedError`,
        readers are not. Every open runs ``PRAGMA quick_check``.

        Args:
            path: the database file; missing parent folders are created when ``create``.
            create: create the file when it does not exist.
            read_only: open with ``mode=ro`` and never write (an older schema is then
                migrated in a private in-memory copy). Takes no lock.
            backup_dir: where to keep rolling backups (:mod:`.backups`). When given, a
                verified backup is taken on open (kept in :attr:`opening_backup`; a
                failure is kept in :attr:`backup_error` and does not stop the open) and
                before a migration (a failure then stops the open: no upgrade without a
                backup).

        Raises:
            MissingFileError: the file does not exist and is not to be created.
            NotOurFileError: not SQLite, or another application's SQLite database.
            NewerVersionError: written by a newer version of this program.
            DamagedFileError: truncated or failing ``PRAGMA quick_check``.
            WorkspaceLockedError: another instance has the workspace open.
            WriteFailedError: the file or its folder cannot be created or migrated.
        """
        path = Path(path)
        if read_only:
            return cls._open(path, create=False, read_only=True, journal_mode="wal")
        if path.exists():
            read_header(path, allow_empty=True)  # refuse a text file before creating a lock beside it
        elif not create:
            raise MissingFileError(f"{path} does not exist", path=path)
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise WriteFailedError(f"cannot create folder {path.parent}: {exc}", path=path) from exc
        lock_existed = lock_path(path).exists()
        lock = WorkspaceLock.acquire(path)
        taken: dict[str, Any] = {}

        def before_migration(conn: sqlite3.Connection, migrating: bool) -> None:
            if backup_dir is None:
                return
            try:
                taken["backup"] = backups.take_backup(
                    conn, backup_dir, path.stem, reason="migration" if migrating else "open")
            except StorageError as exc:
                if migrating:
                    raise WriteFailedError(f"no backup before upgrading {path}: {exc}", path=path) from exc
                taken["error"] = exc

        try:
            workspace = cls._open(path, create=create, read_only=False, journal_mode="wal",
                                  before_migration=before_migration)
        except BaseException as exc:
            # A refused file gets nothing left beside it.
            lock.release(discard=not lock_existed)
            if type(exc) is StorageError and _disk_nearly_full(path.parent):
                # WAL needs room for its -shm and -wal even to read: say what to do about it.
                raise WriteFailedError(f"{path}: the disk is full", path=path, reason="disk_full") from exc
            raise
        workspace._lock = lock
        workspace._backup_dir = backup_dir
        workspace.opening_backup = taken.get("backup")
        workspace.backup_error = taken.get("error")
        return workspace

    @classmethod
    def _open(
        cls,
        path: Path,
        *,
        create: bool,
        read_only: bool,
        journal_mode: str,
        before_migration: Callable[[sqlite3.Connection, bool], None] | None = None,
    ) -> Workspace:
        if read_only:
            conn = connect_read_only(path)
        else:
            if path.exists():
                read_header(path, allow_empty=True)
            elif not create:
                raise MissingFileError(f"{path} does not exist", path=path)
            else:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise WriteFailedError(f"cannot create folder {path.parent}: {exc}", path=path) from exc
            try:
                conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)
            except sqlite3.Error as exc:
                raise WriteFailedError(f"cannot open {path}: {exc}", path=path) from exc
        db = Database(conn, recursive_triggers=False, execute_plugins=False)
        try:
            harden(conn)
            if read_only:  # a file from elsewhere: no SQL of it runs, no read hangs
                with ReadBudget(conn, path):
                    vet(conn, path)
                    db = cls._prepare(db, path, read_only=True, journal_mode=journal_mode)
            else:
                vet(conn, path)
                db = cls._prepare(db, path, read_only=False, journal_mode=journal_mode,
                                  before_migration=before_migration)
                removed = remove_foreign_objects(db.conn)  # after the opening backup kept them
        except sqlite3.DatabaseError as exc:  # reading sqlite_master failed: not a database we can read
            db.close()
            raise read_error(exc, path) from exc
        except BaseException:
            db.close()
            raise
        workspace = cls(db, path, read_only=read_only)
        if not read_only:
            workspace.removed_objects = removed
        return workspace

    @staticmethod
    def _prepare(
        db: Database,
        path: Path,
        *,
        read_only: bool,
        journal_mode: str,
        before_migration: Callable[[sqlite3.Connection, bool], None] | None = None,
    ) -> Database:
        """Validate the file, set the connection's PRAGMAs, migrate; returns the db to use.

        ``before_migration(conn, migrating)`` runs after the checks and before
        :func:`~desktop_app.storage.migrations.migrate` for an existing file (the
        backup hook of :meth:`open`).
        """
        try:
            app_id = migrations.application_id(db)
            version = migrations.schema_version(db)
            has_objects = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            raise read_error(exc, path) from exc
        is_new = app_id == 0 and version == 0 and not has_objects
        if app_id != migrations.APPLICATION_ID and not (is_new and not read_only):
            raise NotOurFileError(
                f"{path} is not a report file of this program (application_id {app_id:#x})", path=path
            )
        if version > migrations.SCHEMA_VERSION:
            raise NewerVersionError(
                f"{path} has schema version {version}; this program knows up to {migrations.SCHEMA_VERSION}",
                path=path,
                version=version,
                supported=migrations.SCHEMA_VERSION,
            )
        if not is_new:
            try:
                problems = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
            except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
                raise DamagedFileError(f"{path} failed quick_check: {exc}", path=path) from exc
            if problems != ["ok"]:
                raise DamagedFileError(f"{path} failed quick_check: {'; '.join(problems[:5])}", path=path)
        try:
            if not is_new and not read_only and before_migration is not None:
                before_migration(db.conn, migrations.needs_migration(db))
            return Workspace._configure(db, read_only=read_only, journal_mode=journal_mode)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            # Migration records that do not match the tables, a step failing on odd rows…
            if read_only or write_reason(exc) == "other":
                raise DamagedFileError(f"{path} cannot be upgraded: {exc}", path=path) from exc
            raise WriteFailedError(f"cannot prepare {path}: {exc}", path=path) from exc

    @staticmethod
    def _configure(db: Database, *, read_only: bool, journal_mode: str) -> Database:
        """Set the connection's PRAGMAs and migrate (in memory when read-only)."""
        conn = db.conn
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if read_only:
            if migrations.needs_migration(db):
                # An older schema: migrate a private in-memory copy, never the file.
                memory = Database(sqlite3.connect(":memory:"), recursive_triggers=False, execute_plugins=False)
                try:
                    conn.backup(memory.conn)
                    harden(memory.conn)
                    drop_active_objects(memory.conn)  # the upgrade's writes must fire nothing of the file's
                    memory.conn.execute("PRAGMA foreign_keys = ON")
                    migrations.migrate(memory)
                except BaseException:
                    memory.close()
                    raise
                db.close()
                db = memory
            db.conn.execute("PRAGMA query_only = ON")
            return db
        conn.execute(f"PRAGMA journal_mode = {journal_mode}").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        migrations.migrate(db)
        return db

    def close(self) -> None:
        """Close the connection and give the lock up (idempotent)."""
        if not self._closed:
            self._closed = True
            try:
                self._db.close()
            finally:
                if self._lock is not None:
                    self._lock.release()

    # -- backups --------------------------------------------------------------------------

    @property
    def backup_dir(self) -> Path | None:
        """The folder of this workspace's rolling backups (None: no backups)."""
        return self._backup_dir

    def backups(self) -> list[Backup]:
        """The verified backups of this workspace, newest first."""
        if self._backup_dir is None:
            return []
        return backups.list_backups(self._backup_dir, self._path.stem)

    def take_backup(self, reason: str = "manual") -> Backup:
        """Take a verified backup now (see :mod:`.backups`).

        Raises:
            WriteFailedError: no backup folder, or it cannot be written.
            DamagedFileError: the workspace fails ``integrity_check``.
        """
        if self._backup_dir is None:
            raise WriteFailedError(f"no backup folder for {self._path}", path=self._path, reason="other")
        return backups.take_backup(self._db.conn, self._backup_dir, self._path.stem, reason=reason)

    def restore_backup(self, backup: Path) -> Backup | None:
        """Replace the whole workspace with the backup ``backup``, in place.

        The current state is backed up first (reason ``restore``), so a restore can be
        undone by restoring that backup. The backup is verified before anything changes;
        on failure the workspace is left as it was. A backup from an older schema is
        upgraded as on open. The object stays usable: its connection is reopened.

        Returns:
            The backup of the state before the restore (None without a backup folder).

        Raises:
            MissingFileError, NotOurFileError, NewerVersionError, DamagedFileError: ``backup``.
            WriteFailedError: read-only workspace, or the folder cannot be written.
        """
        if self._read_only or self._lock is None:
            raise WriteFailedError(f"{self._path} is open read-only", path=self._path, reason="read_only")
        backups.verify(Path(backup))
        safety = self.take_backup("restore") if self._backup_dir is not None else None
        self._db.close()  # checkpoints and removes the -wal: the file is complete on its own
        try:
            backups.restore_file(Path(backup), self._path)
        finally:
            fresh = Workspace._open(self._path, create=False, read_only=False, journal_mode="wal")
            self._db = fresh._db
        return safety

    @classmethod
    def restore_damaged(cls, path: Path, backup: Path) -> Path | None:
        """Replace a workspace that cannot be opened (damaged) with a backup.

        The damaged file (and a ``-wal`` beside it) is kept as
        ``<name>.damaged-<time>`` next to it. Takes the workspace lock for the duration.

        Returns:
            Where the damaged file was kept (None when there was none).

        Raises:
            WorkspaceLockedError: another instance has the workspace open.
            MissingFileError, NotOurFileError, NewerVersionError, DamagedFileError: ``backup``.
            WriteFailedError: the folder cannot be written.
        """
        path = Path(path)
        lock = WorkspaceLock.acquire(path)
        try:
            return backups.restore_file(Path(backup), path, keep_aside="damaged")
        finally:
            lock.release()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def path(self) -> Path:
        """The file this workspace reads (and writes unless read-only)."""
        return self._path

    @property
    def read_only(self) -> bool:
        """Whether this workspace refuses writes."""
        return self._read_only

    @property
    def db(self) -> Database:
        """The underlying sqlite-utils database (for diagnostics and tests; do not write)."""
        return self._db

    # -- transactions -------------------------------------------------------------------

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs; maps SQLite errors to StorageError."""
        try:
            with self._db.atomic():
                yield self._db.conn
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # text that is not UTF-8 too
            raise read_error(exc, self._path) from exc

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; disk full, read-only media etc. become WriteFailedError."""
        if self._read_only:
            raise WriteFailedError(f"{self._path} is open read-only", path=self._path)
        try:
            with self._db.atomic():
                yield self._db.conn
        except sqlite3.OperationalError as exc:
            raise WriteFailedError(f"cannot write {self._path}: {exc}", path=self._path) from exc
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise  # a bug in this module, not a storage condition
        except sqlite3.DatabaseError as exc:
            raise DamagedFileError(f"{self._path} cannot be written: {exc}", path=self._path) from exc

    def _next_timestamp(self, conn: sqlite3.Connection) -> str:
        """Now, but strictly after every ``updated_at`` already stored."""
        now = datetime.now(timezone.utc)
        (latest,) = conn.execute("SELECT max(updated_at) FROM reports").fetchone()
        if latest is not None:
            latest_time = datetime.fromisoformat(latest)
            if now <= latest_time:
                now = latest_time + timedelta(microseconds=1)
        return _timestamp(now)

    def _exists(self, conn: sqlite3.Connection, report_id: str) -> bool:
        return conn.execute("SELECT 1 FROM reports WHERE report_id = ?", (report_id,)).fetchone() is not None

    def _require(self, conn: sqlite3.Connection, report_id: str) -> None:
        if not self._exists(conn, report_id):
            raise ReportNotFoundError(f"no report {report_id} in {self._path}", path=self._path, report_id=report_id)

    @staticmethod
    def _write_rows(conn: sqlite3.Connection, rows: _Rows, *, created_at: str, updated_at: str) -> None:
        """Upsert the report row and replace its child rows (inside a transaction)."""
        conn.execute(_UPSERT_REPORT, (*rows.report_row, created_at, updated_at))
        for table in _CHILD_TABLE_NAMES:
            conn.execute(f"DELETE FROM {table} WHERE report_id = ?", (rows.report_id,))
            if rows.children[table]:
                conn.executemany(_INSERT_CHILD[table], rows.children[table])

    # -- reports ------------------------------------------------------------------------

    def list_reports(self, include_deleted: bool = False) -> list[ReportSummary]:
        """Summaries of the reports, most recently edited first.

        Args:
            include_deleted: also list soft-deleted reports (``deleted=True``).
        """
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        sql = (
            "SELECT report_id, unit_name, project_name, fiscal_year, fiscal_year_raw, "
            f"fiscal_year_raw_reason, updated_at, deleted_at FROM reports {where} "
            "ORDER BY updated_at DESC, report_id"
        )
        with self._reading() as conn:
            rows = conn.execute(sql).fetchall()
        try:
            return [
                ReportSummary(
                    report_id=row[0],
                    unit_name=row[1],
                    project_name=row[2],
                    fiscal_year=_YEAR.load(row[3:6]),
                    updated_at=datetime.fromisoformat(row[6]),
                    deleted=row[7] is not None,
                )
                for row in rows
            ]
        except (TypeError, ValueError) as exc:
            raise DamagedFileError(
                f"{self._path} holds unreadable report rows: {exc}", path=self._path, reason="bad_rows"
            ) from exc

    def load(self, report_id: str) -> Report:
        """The report ``report_id`` (soft-deleted reports load too).

        Raises:
            ReportNotFoundError: no such report.
            DamagedFileError: its rows hold values this program never writes.
        """
        with self._reading() as conn:
            row = conn.execute(_SELECT_REPORT, (report_id,)).fetchone()
            if row is None:
                raise ReportNotFoundError(
                    f"no report {report_id} in {self._path}", path=self._path, report_id=report_id
                )
            children = {
                table: conn.execute(_SELECT_CHILD[table], (report_id,)).fetchall() for table in _CHILD_TABLE_NAMES
            }
        try:
            return _build(row, children)
        except (TypeError, ValueError, ArithmeticError, KeyError) as exc:
            raise DamagedFileError(
                f"report {report_id} in {self._path} is unreadable: {exc!r}", path=self._path, reason="bad_rows"
            ) from exc

    def save(self, report: Report) -> None:
        """Insert or replace ``report`` in one transaction; sets its ``updated_at`` to now.

        A soft-deleted report stays deleted. Raises ``TypeError``/``ValueError`` (before
        writing anything) when a field holds a value of the wrong kind, e.g. a float or
        an amount that is not a whole number of fen.

        Raises:
            WriteFailedError: disk full, read-only file or workspace, lock timeout.
        """
        rows = _dump(report)
        with self._writing() as conn:
            now = self._next_timestamp(conn)
            self._write_rows(conn, rows, created_at=now, updated_at=now)

    def copy(self, report_id: str) -> str:
        """Save a copy of ``report_id`` under a new id and return that id."""
        copied = replace(self.load(report_id), report_id=new_id())
        self.save(copied)
        return copied.report_id

    def delete(self, report_id: str) -> None:
        """Move a report to the trash (soft delete; :meth:`restore` undoes it)."""
        with self._writing() as conn:
            self._require(conn, report_id)
            conn.execute(
                "UPDATE reports SET deleted_at = ? WHERE report_id = ? AND deleted_at IS NULL",
                (_timestamp(datetime.now(timezone.utc)), report_id),
            )

    def restore(self, report_id: str) -> None:
        """Take a soft-deleted report out of the trash (no-op when not deleted)."""
        with self._writing() as conn:
            self._require(conn, report_id)
            conn.execute("UPDATE reports SET deleted_at = NULL WHERE report_id = ?", (report_id,))

    def purge(self, report_id: str) -> None:
        """Delete a report and its rows for good (deleted or not)."""
        with self._writing() as conn:
            self._require(conn, report_id)
            conn.execute("DELETE FROM reports WHERE report_id = ?", (report_id,))  # children cascade

    def only_report_id(self, report_id: str | None = None) -> str:
        """The report to act on: ``report_id`` if given (checked), else the only one.

        Raises:
            ReportNotFoundError: ``report_id`` is unknown, or the file holds no report.
            AmbiguousReportError: several reports and none chosen (lists their ids).
        """
        if report_id is not None:
            with self._reading() as conn:
                self._require(conn, report_id)
            return report_id
        ids = [summary.report_id for summary in self.list_reports()]
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise ReportNotFoundError(f"{self._path} holds no report", path=self._path)
        raise AmbiguousReportError(
            f"{self._path} holds {len(ids)} reports; choose one of: {', '.join(ids)}",
            path=self._path,
            report_ids=ids,
        )

    # -- files --------------------------------------------------------------------------

    def export_file(self, report_id: str, dest: Path) -> None:
        """Write report ``report_id`` to a single-report ``.jxzp`` file at ``dest``.

        The file is built under a temporary name in ``dest``'s folder (rollback journal,
        ``synchronous=FULL``), fsynced, then renamed onto ``dest`` (replacing it). On
        failure the temporary file is removed and ``dest`` is left as it was.

        Raises:
            ReportNotFoundError: no such report.
            WriteFailedError: the folder is missing or not writable, the disk is full…
        """
        dest = Path(dest)
        report = self.load(report_id)
        with self._reading() as conn:
            created_at, updated_at = conn.execute(
                "SELECT created_at, updated_at FROM reports WHERE report_id = ?", (report_id,)
            ).fetchone()
            revision_rows = read_revision_rows(conn, report_id)
        rows = _dump(report)
        temp = dest.with_name(f".{dest.name}.{secrets.token_hex(8)}.tmp")
        created = False
        try:
            # O_EXCL reserves the name: never adopt (or later delete) someone else's file.
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            created = True
            os.close(fd)
            out = Workspace._open(temp, create=False, read_only=False, journal_mode="delete")
            try:
                with out._writing() as out_conn:
                    self._write_rows(out_conn, rows, created_at=created_at, updated_at=updated_at)
                    insert_revision_rows(out_conn, report_id, revision_rows)
            finally:
                out.close()
            fsync_file(temp)
            replace_file(temp, dest)
        except BaseException as exc:  # also KeyboardInterrupt: never leave the temp file
            if created:
                remove_quietly(temp, temp.with_name(temp.name + "-journal"))
            if isinstance(exc, (OSError, sqlite3.Error, StorageError)):
                raise WriteFailedError(f"cannot export report {report_id} to {dest}: {exc}", path=dest) from exc
            raise
        fsync_dir(dest.parent)
        remove_stale_temporaries(dest)  # what an export killed earlier left (Windows keeps no trash)

    def import_file(self, src: Path) -> list[str]:
        """Copy the reports of a ``.jxzp`` file (or another workspace) into this workspace.

        ``src`` is opened strictly read-only and validated like :meth:`open`. Reports in
        its trash are skipped. A report whose id already exists here is imported under a
        new id, so nothing is overwritten. All reports are written in one transaction.

        Returns:
            The ids of the imported reports in this workspace, in the order the source
            lists them (most recently edited first); usually exactly one.

        Raises:
            MissingFileError, NotOurFileError, NewerVersionError, DamagedFileError: ``src``.
            ReportNotFoundError: ``src`` holds no report.
            WriteFailedError: this workspace cannot be written.
        """
        src = Path(src)
        with Workspace._open(src, create=False, read_only=True, journal_mode="delete") as source, \
                ReadBudget(source._db.conn, src):
            reports = [source.load(summary.report_id) for summary in source.list_reports()]
            with source._reading() as source_conn:
                revision_rows = {report.report_id: read_revision_rows(source_conn, report.report_id)
                                 for report in reports}
        if not reports:
            raise ReportNotFoundError(f"{src} holds no report", path=src)
        all_rows = [_dump(report) for report in reports]
        imported: list[str] = []
        with self._writing() as conn:
            # Oldest first, so the workspace list keeps the source's order.
            for report, rows in reversed(list(zip(reports, all_rows))):
                if self._exists(conn, rows.report_id):
                    rows = _dump(replace(report, report_id=new_id()))
                now = self._next_timestamp(conn)
                self._write_rows(conn, rows, created_at=now, updated_at=now)
                insert_revision_rows(conn, rows.report_id, revision_rows[report.report_id])
                imported.append(rows.report_id)
        return imported[::-1]


def open_any(path: Path) -> Workspace:
    """Open a workspace database or a ``.jxzp`` file read-only (for ``render``/``check``).

    Use :meth:`Workspace.only_report_id` to pick the report.
    """
    return Workspace.open(Path(path), create=False, read_only=True)
