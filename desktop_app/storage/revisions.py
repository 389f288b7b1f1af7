"""定稿 revisions in the workspace: rows of the ``revisions`` table ↔ :class:`Revision`.

:class:`RevisionStore` is mixed into :class:`~desktop_app.storage.repository.Workspace`
(it uses the workspace's transaction helpers), so callers see one repository:
``finalize``, ``revisions``, ``revision``, ``revision_pdf``, ``store_revision_pdf``,
``find_revision_by_code``. The module-level row helpers are what ``.jxzp`` export and
import use to carry revisions along with their report.

Why the PDF bytes are stored: a signed copy must reprint byte-identically on any PC and
after any program update. Re-rendering the snapshot would depend on the fonts installed
and on the renderer's version; the stored bytes do not. ``pdf`` may be empty only between
:meth:`RevisionStore.finalize` and the first render (the UI stores it right after), and is
then written once; a trigger refuses every other change to a revision.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ..domain.model import Report
from ..domain.revisions import Revision, content_digest, parse_code, snapshot_data, snapshot_json
from .errors import DamagedFileError, ReportNotFoundError

__all__ = ["CodeMatch", "RevisionNotFoundError", "RevisionStore", "insert_revision_rows", "read_revision_rows"]

_COLUMNS = "number, created_at, digest, data"
_ALL_COLUMNS = "number, created_at, digest, data, pdf"


class RevisionNotFoundError(ReportNotFoundError):
    """No revision with that number for that report (a kind of "not found")."""

    code: ClassVar[str] = "revision_not_found"


@dataclass(frozen=True)
class CodeMatch:
    """What a 校验码 on paper says about the data (see :meth:`RevisionStore.check_code`).

    Attributes:
        report_id: the report the revision belongs to.
        revision: the revision whose code it is.
        report: the report's data now (the window's unsaved edits when given).
        latest_number: the report's newest revision number.
        unchanged: whether the data now has the revision's digest.
    """

    report_id: str
    revision: Revision
    report: Report
    latest_number: int
    unchanged: bool


def _timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("a revision time must be timezone-aware")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _revision(row: tuple[Any, ...]) -> Revision:
    number, created_at, digest, data = row[:4]
    if type(number) is not int or not isinstance(created_at, str) or not isinstance(digest, str):
        raise TypeError("revision row holds values of the wrong type")
    loaded = json.loads(data)
    if not isinstance(loaded, dict):
        raise ValueError("revision data is not an object")
    return Revision(number=number, created_at=datetime.fromisoformat(created_at), digest=digest, data=loaded)


def read_revision_rows(conn: sqlite3.Connection, report_id: str) -> list[tuple[Any, ...]]:
    """All revision rows of a report, PDF included, oldest first (for export/import)."""
    return conn.execute(
        f"SELECT {_ALL_COLUMNS} FROM revisions WHERE report_id = ? ORDER BY number", (report_id,)
    ).fetchall()


def insert_revision_rows(conn: sqlite3.Connection, report_id: str, rows: list[tuple[Any, ...]]) -> None:
    """Insert rows from :func:`read_revision_rows` under ``report_id`` (inside a transaction)."""
    conn.executemany(
        f"INSERT INTO revisions (report_id, {_ALL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
        [(report_id, *row) for row in rows],
    )


class RevisionStore:
    """Revision methods of the workspace (a mixin; the host provides the helpers below)."""

    _path: Path

    if TYPE_CHECKING:  # provided by Workspace

        def _reading(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _writing(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def save(self, report: Report) -> None: ...
        def load(self, report_id: str) -> Report: ...

    def _loaded(self, rows: list[tuple[Any, ...]]) -> Iterator[Revision]:
        for row in rows:
            try:
                yield _revision(row)
            except (TypeError, ValueError) as exc:
                raise DamagedFileError(f"{self._path} holds an unreadable revision: {exc}", path=self._path) from exc

    def finalize(self, report: Report, now: datetime) -> Revision:
        """定稿: save ``report`` and freeze it as its next revision, in one transaction.

        When the content equals the latest revision's (same digest) nothing is written
        and that revision is returned: one content, one number, one 校验码.

        Args:
            report: the report as it is to be printed and signed.
            now: the revision time (timezone-aware).

        Raises:
            WriteFailedError: read-only workspace, disk full, lock timeout.
        """
        digest = content_digest(report)
        data = snapshot_data(report)
        created_at = _timestamp(now)
        with self._writing() as conn:
            latest = conn.execute(
                f"SELECT {_COLUMNS} FROM revisions WHERE report_id = ? ORDER BY number DESC LIMIT 1",
                (report.report_id,),
            ).fetchone()
            if latest is not None and latest[2] == digest:
                return next(self._loaded([latest]))
            self.save(report)
            number = 1 if latest is None else latest[0] + 1
            conn.execute(
                "INSERT INTO revisions (report_id, number, created_at, digest, data) VALUES (?, ?, ?, ?, ?)",
                (report.report_id, number, created_at, digest, snapshot_json(data)),
            )
        return Revision(number=number, created_at=datetime.fromisoformat(created_at), digest=digest, data=data)

    def revisions(self, report_id: str) -> list[Revision]:
        """The revisions of a report, oldest (第1版) first; empty when never finalized."""
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM revisions WHERE report_id = ? ORDER BY number", (report_id,)
            ).fetchall()
        return list(self._loaded(rows))

    def revision(self, report_id: str, number: int) -> Revision:
        """Revision ``number`` of a report.

        Raises:
            RevisionNotFoundError: no such revision.
        """
        with self._reading() as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM revisions WHERE report_id = ? AND number = ?", (report_id, number)
            ).fetchone()
        if row is None:
            raise RevisionNotFoundError(f"no revision {number} of report {report_id} in {self._path}",
                                        path=self._path, report_id=report_id)
        return next(self._loaded([row]))

    def revision_pdf(self, report_id: str, number: int) -> bytes | None:
        """The PDF printed when revision ``number`` was finalized (None if not yet stored)."""
        with self._reading() as conn:
            row = conn.execute(
                "SELECT pdf FROM revisions WHERE report_id = ? AND number = ?", (report_id, number)
            ).fetchone()
        if row is None:
            raise RevisionNotFoundError(f"no revision {number} of report {report_id} in {self._path}",
                                        path=self._path, report_id=report_id)
        return None if row[0] is None else bytes(row[0])

    def store_revision_pdf(self, report_id: str, number: int, pdf: bytes) -> bytes:
        """Keep ``pdf`` as the printed copy of a revision, unless one is stored already.

        Returns:
            The revision's PDF from now on: ``pdf``, or the bytes stored earlier (a revision
            reprints what was printed first, never a newer rendering).
        """
        if not isinstance(pdf, bytes) or not pdf:
            raise ValueError("pdf must be non-empty bytes")
        with self._writing() as conn:
            row = conn.execute(
                "SELECT pdf FROM revisions WHERE report_id = ? AND number = ?", (report_id, number)
            ).fetchone()
            if row is None:
                raise RevisionNotFoundError(f"no revision {number} of report {report_id}",
                                            path=self._path, report_id=report_id)
            if row[0] is not None:
                return bytes(row[0])
            conn.execute(
                "UPDATE revisions SET pdf = ? WHERE report_id = ? AND number = ? AND pdf IS NULL",
                (pdf, report_id, number),
            )
        return pdf

    def find_revisions_by_code(self, code: str) -> list[tuple[str, Revision]]:
        """Every revision whose 校验码 is ``code`` (as typed), newest first.

        Usually one; two reports of identical content (a copy finalized unchanged) share
        a code. Returns an empty list for an unknown or malformed code.
        """
        canonical = parse_code(code)
        if canonical is None:
            return []
        prefix = canonical.replace("-", "").lower()
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT report_id, {_COLUMNS} FROM revisions WHERE substr(digest, 1, 8) = ? "
                "ORDER BY created_at DESC, report_id, number DESC",
                (prefix,),
            ).fetchall()
        return [(row[0], revision) for row, revision in zip(rows, self._loaded([r[1:] for r in rows]))]

    def find_revision_by_code(self, code: str) -> tuple[str, Revision] | None:
        """The (report id, revision) a 校验码 belongs to (the newest if several), or None."""
        found = self.find_revisions_by_code(code)
        return found[0] if found else None

    def check_code(self, code: str, current: Report | None = None) -> list[CodeMatch]:
        """Which revision a 校验码 belongs to and whether the data changed since.

        Args:
            code: the code as read from paper (any case, with or without dash).
            current: the report being edited, if any; used instead of the stored data
                for its own id, so unsaved edits count.

        Returns:
            One :class:`CodeMatch` per revision with that code, newest first; empty when
            the code is unknown or malformed.
        """
        matches = []
        for report_id, revision in self.find_revisions_by_code(code):
            if current is not None and current.report_id == report_id:
                report = current
            else:
                report = self.load(report_id)
            latest = self.revisions(report_id)[-1].number
            matches.append(CodeMatch(report_id, revision, report, latest, content_digest(report) == revision.digest))
        return matches

