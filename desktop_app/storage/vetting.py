"""What a file from elsewhere may hold, checked before any of its SQL can run.

A ``.jxzp`` (or a workspace given to ``check``/``render``/``verify``) is an SQLite file
anyone can write. SQLite runs SQL that such a file carries: a *view* runs when it is
queried (``reports`` as a view over an endless recursive query froze the import and
filled the disk with temporary files), a *trigger* when its table is written (a trigger
on ``_sqlite_migrations`` ran during the in-memory upgrade of an old file; a milder one
rewrote the imported report). So, for a file opened read-only:

* :func:`vet` reads only ``sqlite_master`` (which runs nothing) and refuses a file whose
  tables of ours are not plain tables — every query the program makes names only those;
* :func:`drop_active_objects` removes every view and trigger from the private in-memory
  copy an old file is upgraded in, before the upgrade writes anything;
* :class:`ReadBudget` stops SQLite when reading takes longer than :data:`READ_BUDGET_S`
  (SQLite's progress handler), so no file can hang the window or the command line.

Objects the program does not know (other tables, views, triggers) are otherwise inert:
they are never queried, and nothing is ever written to a source file.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from pathlib import Path

from .errors import FileTooSlowError, NotOurFileError

#: The tables of a file of this program (every schema step), incl. sqlite-utils' bookkeeping.
OUR_TABLES = frozenset({
    "reports", "policy_documents", "team_members", "fund_lines", "indicators", "output_items",
    "closing_items", "revisions", "_sqlite_migrations",
})
#: Longest time reading one file may take (seconds): a 136 MB workspace reads in ~2 s here.
READ_BUDGET_S = 8.0
#: SQLite virtual-machine steps between two looks at the clock.
_STEPS = 20_000


def vet(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse ``path`` when a name the program queries is not a plain table (a view).

    Raises:
        NotOurFileError: such a file was not written by this program.
    """
    kinds = dict(conn.execute("SELECT name, type FROM sqlite_master").fetchall())
    impostors = sorted(name for name in OUR_TABLES if kinds.get(name, "table") != "table")
    if impostors:
        raise NotOurFileError(f"{path}: {', '.join(impostors)} is not a table", path=path)


def drop_active_objects(conn: sqlite3.Connection) -> list[str]:
    """Drop every view and trigger of a private copy; returns their names."""
    found = conn.execute("SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger')").fetchall()
    for kind, name in found:
        quoted = '"' + str(name).replace('"', '""') + '"'
        conn.execute(f"DROP {'VIEW' if kind == 'view' else 'TRIGGER'} IF EXISTS {quoted}")
    return [name for _, name in found]


class ReadBudget:
    """SQLite's progress handler: interrupt a connection's work after ``seconds``.

    Use as a context manager around the reads of one file; :meth:`check` turns SQLite's
    "interrupted" into :class:`FileTooSlowError`.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, seconds: float = READ_BUDGET_S) -> None:
        self.conn, self.path, self.seconds = conn, path, seconds
        self.deadline = 0.0
        self.expired = False

    def _tick(self) -> int:
        if time.monotonic() > self.deadline:
            self.expired = True
            return 1  # non-zero: SQLite stops with "interrupted"
        return 0

    def __enter__(self) -> ReadBudget:
        self.deadline = time.monotonic() + self.seconds
        self.conn.set_progress_handler(self._tick, _STEPS)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: object) -> None:
        try:
            self.conn.set_progress_handler(None, 0)
        except sqlite3.ProgrammingError:
            pass  # closed: an old file was upgraded in a copy, which replaced this connection
        if self.expired and error is not None:
            raise FileTooSlowError(f"reading {self.path} took longer than {self.seconds:.0f} s",
                                   path=self.path) from error


@functools.cache
def _expected_schema() -> frozenset[tuple[str, str, str | None]]:
    """(type, name, sql) of every object of a current, empty file: what we create."""
    from sqlite_utils import Database

    from . import migrations

    db = Database(sqlite3.connect(":memory:"), recursive_triggers=False, execute_plugins=False)
    try:
        migrations.migrate(db)
        return frozenset(db.conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall())
    finally:
        db.close()


def remove_foreign_objects(conn: sqlite3.Connection) -> list[str]:
    """Drop the triggers, views, tables and indexes of a workspace that this program did not
    create (or whose SQL was changed), in one transaction; returns their names.

    Such objects come from another program, a hand-edited file or a restored backup that
    had them: a trigger runs on every save and can undo it while the window says 已保存.
    The caller has taken a backup first (the workspace's opening backup) and tells the user.
    """
    expected = _expected_schema()
    names = {name for _, name, _ in expected}
    found = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    foreign = [(kind, name) for kind, name, sql in found
               if (kind, name, sql) not in expected and not (kind == "table" and name in names)]
    if not foreign:
        return []
    order = {"trigger": 0, "view": 1, "index": 2, "table": 3}
    with conn:
        for kind, name in sorted(foreign, key=lambda item: order.get(item[0], 4)):
            quoted = '"' + str(name).replace('"', '""') + '"'
            conn.execute(f"DROP {kind.upper()} IF EXISTS {quoted}")
    restored = {name for kind, name in foreign if name in names}  # ours, with other SQL: put ours back
    for kind, name, sql in expected:
        if name in restored and sql:
            conn.execute(sql)
    conn.commit()
    return [name for _, name in foreign]
