"""Durability torture: edit through the app's own path, get killed, lose nothing.

Each round starts a child process that opens the workspace exactly as the app does
(lock, quick_check, verified backup), loads the report into a ``ReportDocument`` and
applies random edits through its one edit path (QUndoStack → ``Workspace.save``). It
prints ``PENDING n digest`` before each save and ``ACK n digest`` once the save returned
— an *acknowledged* edit is one the window would have shown as 已保存. The parent kills
the child with SIGKILL at a random moment (sometimes while it is still starting, taking
its backup or migrating), then reopens the workspace, runs ``PRAGMA integrity_check`` and
compares the report with the last acknowledged state (the one pending save may or may
not have landed; anything older is a lost acknowledged edit).

Round kinds:

* ``edit`` — random edits, undo and redo on the workspace (most rounds);
* ``export`` — the same, exporting a ``.jxzp`` after every few saves: the file under the
  final name must always open and hold an exported state;
* ``migrate`` — the child opens a copy of the workspace with an extra, slow schema step
  registered; killed mid-migration the file must be at the old version with the same
  reports, or at the new one, complete; the next open finishes the upgrade.

Run::

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/torture.py --rounds 200

prints the rounds run, corrupt files and lost acknowledged edits (both must be 0). The
short version runs in ``tests/e2e/test_durability.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WORKSPACE = "workspace.jxdb"
BACKUPS = "backups"
EXPORT = "export.jxzp"
TORTURE_STEP = "9999_torture"
TORTURE_ROWS = 200_000


def digest(report: Any) -> str:
    """A stable fingerprint of a report's whole content."""
    from desktop_app.domain.serialize import to_data

    text = json.dumps(to_data(report), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@contextlib.contextmanager
def torture_migration() -> Iterator[None]:
    """Register one extra, slow schema step (a bigger schema version) for the duration."""
    from desktop_app.storage import migrations

    def slow_step(db: Any) -> None:
        db.execute("CREATE TABLE torture (n INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        for start in range(0, TORTURE_ROWS, 500):
            db.conn.executemany("INSERT INTO torture VALUES (?, ?)",
                                [(n, "迁移" * 20) for n in range(start, start + 500)])
        db.execute("UPDATE reports SET lessons = lessons")  # touch every report row too

    steps = migrations.MIGRATIONS._migrations
    old_version = migrations.SCHEMA_VERSION
    steps.append(migrations.MIGRATIONS._Migration(TORTURE_STEP, slow_step, True))
    migrations.SCHEMA_VERSION = old_version + 1
    try:
        yield
    finally:
        steps.pop()
        migrations.SCHEMA_VERSION = old_version


# -- the child --------------------------------------------------------------------------------


def _random_text(rng: random.Random) -> str:
    alphabet = "招商引资工作经费项目资金绩效评价组长成员完成达成指标年度预算执行率𬌗A&<b>\"' \n"
    size = rng.choice([0, 1, 5, 40, 300, 5000])
    return "".join(rng.choice(alphabet) for _ in range(size))


def _fen(fen: int) -> Decimal:
    """An amount as the parsers produce it: yuan with exactly two decimals."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def _random_edit(document: Any, rng: random.Random) -> None:
    """One user action on the document, through its edit path."""
    from desktop_app.domain.model import FundLine, OutputItem, Unparsed

    report = document.report
    choice = rng.random()
    if choice < 0.30:
        field_path = rng.choice([("header", "project_name"), ("header", "unit_name"), ("overview", "background"),
                                 ("overview", "effects"), ("overview", "conclusion"), ("closing", "lessons")])
        document.set_value(field_path, _random_text(rng), merge=rng.random() < 0.5)
    elif choice < 0.55 and report.fund_lines:
        row = rng.randrange(len(report.fund_lines))
        column = rng.choice(["initial_budget", "budget", "allocated", "spent"])
        value: Any = _fen(rng.randrange(0, 10**9))
        if rng.random() < 0.1:
            value = Unparsed(rng.choice(["一百万", "1.2.3", "0.001万"]), "not_a_number")
        document.set_value(("fund_lines", row, column), value)
    elif choice < 0.65 and report.indicators:
        row = rng.randrange(len(report.indicators))
        document.set_value(("indicators", row, "weight"), Decimal(rng.randrange(0, 10000)) / 100)
    elif choice < 0.75:
        document.insert_row(("fund_lines",), rng.randint(0, len(report.fund_lines)),
                            FundLine(_random_text(rng)[:20], budget=_fen(rng.randrange(10**6))))
    elif choice < 0.80 and len(report.fund_lines) > 1:
        document.remove_row(("fund_lines",), rng.randrange(len(report.fund_lines)))
    elif choice < 0.85 and len(report.output_items) > 1:
        document.move_row(("output_items",), rng.randrange(len(report.output_items)),
                          rng.randrange(len(report.output_items)))
    elif choice < 0.90:
        document.insert_row(("output_items",), 0, OutputItem(_random_text(rng)[:30], _fen(rng.randrange(10**8) * 100)))
    elif choice < 0.95 and document.undo_stack.canUndo():
        document.undo_stack.undo()
    elif document.undo_stack.canRedo():
        document.undo_stack.redo()
    else:
        document.set_value(("closing", "lessons"), _random_text(rng))


def child(args: argparse.Namespace) -> int:
    """Open the workspace like the app, then edit and save until killed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication

    from desktop_app.storage import Workspace
    from desktop_app.ui.document import ReportDocument

    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 - timers need one
    rng = random.Random(args.seed)
    out = sys.stdout

    def say(*parts: object) -> None:
        out.write(" ".join(map(str, parts)) + "\n")
        out.flush()

    folder = Path(args.folder)
    context = torture_migration() if args.kind == "migrate" else contextlib.nullcontext()
    with context:
        say("OPENING")
        workspace = Workspace.open(folder / WORKSPACE, backup_dir=folder / BACKUPS)
    report_id = workspace.only_report_id()
    document = ReportDocument(workspace.load(report_id), workspace)
    say("READY", digest(document.report))
    number = 0
    while True:
        for _ in range(rng.choice([1, 1, 1, 2, 5])):  # keystrokes merged into one save
            _random_edit(document, rng)
        number += 1
        state = digest(document.report)
        say("PENDING", number, state)
        if not document.flush():
            say("FAILED", number, document.last_error)
            return 1
        say("ACK", number, state)
        if args.kind == "export" and number % 3 == 0:
            say("EXPORTING", state)
            workspace.export_file(report_id, folder / EXPORT)
            say("EXPORTED", state)


# -- the parent -------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the rounds found."""

    rounds: int = 0
    corrupt_files: int = 0
    lost_acknowledged: int = 0
    acknowledged_edits: int = 0
    pending_landed: int = 0
    killed_before_ready: int = 0
    stale_locks_recovered: int = 0
    export_rounds: int = 0
    bad_exports: int = 0
    migration_rounds: int = 0
    killed_mid_migration: int = 0
    migration_failures: int = 0
    leftovers: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    exported: set[str] = field(default_factory=set)

    def lines(self) -> list[str]:
        """The figures, one per line, as printed."""
        return [
            f"rounds run: {self.rounds}",
            f"corrupt files: {self.corrupt_files}",
            f"lost acknowledged edits: {self.lost_acknowledged}",
            f"acknowledged saves (total): {self.acknowledged_edits}",
            f"kills after a save started whose commit landed: {self.pending_landed}",
            f"kills before the report was open (startup, backup, quick_check): {self.killed_before_ready}",
            f"stale locks recovered: {self.stale_locks_recovered}",
            f"export rounds: {self.export_rounds}, exports unreadable or half-written: {self.bad_exports}",
            f"migration rounds: {self.migration_rounds}, killed mid-migration: {self.killed_mid_migration}, "
            f"migration failures: {self.migration_failures}",
            f"hidden temporary files left by kills mid-export or mid-backup (never under a final name): "
            f"{len(self.leftovers)}",
        ]


def integrity(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` of a file as SQLite sees it after a crash (WAL replayed)."""
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [f"cannot check: {exc}"]
    finally:
        conn.close()


def run_child(folder: Path, kind: str, seed: int, kill_after: float, anchor: str = "READY") -> list[list[str]]:
    """Run one child, SIGKILL it ``kill_after`` s after it printed ``anchor``; its output lines.

    ``anchor`` is ``READY`` (the report is open: kills land among edits and saves) or
    ``OPENING`` (about to open: kills land in the lock, quick_check, backup, migration).
    """
    command = [sys.executable, str(Path(__file__).resolve()), "child", "--folder", str(folder),
               "--kind", kind, "--seed", str(seed)]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    lines: list[list[str]] = []
    reached = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip("\n").split(" "))
            if line.startswith(anchor):
                reached.set()
        reached.set()  # the child ended (or failed) first

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reached.wait(timeout=60)
    time.sleep(kill_after)
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    reader.join(timeout=10)
    errors = proc.stderr.read() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.stdout:
        proc.stdout.close()
    # Everything the child printed before it died counts: it was acknowledged before the kill.
    if proc.returncode != -signal.SIGKILL and errors.strip():
        lines.append(["STDERR", errors.strip().splitlines()[-1]])
    return list(lines)


def expected_states(lines: list[list[str]]) -> tuple[str | None, str | None, set[str]]:
    """(last acknowledged digest, the one pending after it, every earlier acknowledged one)."""
    acknowledged: str | None = None
    pending: str | None = None
    earlier: set[str] = set()
    for line in lines:
        if line[0] == "READY":
            acknowledged = line[1]
        elif line[0] == "PENDING":
            pending = line[2]
        elif line[0] == "ACK":
            if acknowledged is not None:
                earlier.add(acknowledged)
            acknowledged, pending = line[2], None
    return acknowledged, pending, earlier


def check_workspace(folder: Path, tally: Tally, lines: list[list[str]], before: str) -> str:
    """Reopen after the kill and compare; returns the digest found."""
    from desktop_app.storage import StorageError, Workspace

    path = folder / WORKSPACE
    problems = integrity(path)
    if problems != ["ok"]:
        tally.corrupt_files += 1
        tally.problems.append(f"integrity_check: {problems[:3]}")
    try:
        with Workspace.open(path, backup_dir=folder / BACKUPS) as workspace:
            if workspace._lock is not None and workspace._lock.recovered:
                tally.stale_locks_recovered += 1
            found = digest(workspace.load(workspace.only_report_id()))
    except StorageError as exc:
        tally.corrupt_files += 1
        tally.problems.append(f"reopen failed: {exc!r}")
        return before
    acknowledged, pending, earlier = expected_states(lines)
    acknowledged = acknowledged or before
    tally.acknowledged_edits += sum(line[0] == "ACK" for line in lines)
    if not any(line[0] == "READY" for line in lines):
        tally.killed_before_ready += 1
    if found == pending:
        tally.pending_landed += 1
    elif found != acknowledged:
        tally.lost_acknowledged += 1
        tally.problems.append("lost an acknowledged edit" + (" (an older state)" if found in earlier else ""))
    if any(line[0] in ("FAILED", "STDERR") for line in lines):
        tally.problems.append(f"child failed: {[line for line in lines if line[0] in ('FAILED', 'STDERR')]}")
    return found


def check_export(folder: Path, tally: Tally, lines: list[list[str]]) -> None:
    """The export under its final name is absent or a complete, exported state."""
    from desktop_app.storage import StorageError, open_any

    tally.export_rounds += 1
    target = folder / EXPORT
    tally.leftovers |= {path.name for path in folder.glob(f".{EXPORT}.*")}
    if not target.exists():
        return
    tally.exported |= {line[1] for line in lines if line[0] in ("EXPORTING", "EXPORTED")}
    try:
        with open_any(target) as copy:
            found = digest(copy.load(copy.only_report_id()))
    except StorageError as exc:
        tally.bad_exports += 1
        tally.problems.append(f"export unreadable: {exc!r}")
        return
    if integrity(target) != ["ok"] or found not in tally.exported:
        tally.bad_exports += 1
        tally.problems.append("export holds a state that was never exported")


def migration_round(folder: Path, tally: Tally, rng: random.Random, before: str) -> None:
    """Kill a child while it upgrades a copy of the workspace; check, then finish the upgrade."""
    from desktop_app.storage import Workspace, migrations

    tally.migration_rounds += 1
    copy = folder / "migration"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir()
    shutil.copy2(folder / WORKSPACE, copy / WORKSPACE)
    version = migrations.SCHEMA_VERSION
    lines = run_child(copy, "migrate", rng.randrange(10**9), rng.uniform(0.0, 0.6), anchor="OPENING")
    if not any(line[0] == "READY" for line in lines):
        tally.killed_mid_migration += 1
    path = copy / WORKSPACE
    problems = integrity(path)
    if problems != ["ok"]:
        tally.corrupt_files += 1
        tally.problems.append(f"migration copy integrity_check: {problems[:3]}")
        return
    conn = sqlite3.connect(path)
    try:
        found_version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_table = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'torture'").fetchone()[0]
        rows = conn.execute("SELECT count(*) FROM torture").fetchone()[0] if has_table else 0
    finally:
        conn.close()
    consistent = (found_version == version and not has_table) or (
        found_version == version + 1 and rows == TORTURE_ROWS)
    if not consistent:
        tally.migration_failures += 1
        tally.problems.append(f"half-applied migration: version {found_version}, table {has_table}, rows {rows}")
    with torture_migration(), Workspace.open(path, backup_dir=copy / BACKUPS) as upgraded:
        finished = digest(upgraded.load(upgraded.only_report_id()))
        if migrations.schema_version(upgraded.db) != version + 1:
            tally.migration_failures += 1
            tally.problems.append("the next open did not finish the upgrade")
    acknowledged, pending, _ = expected_states(lines)
    if finished not in {before, acknowledged, pending}:
        tally.lost_acknowledged += 1
        tally.problems.append("the migration changed the report")
    if (copy / BACKUPS).exists():
        tally.leftovers |= {f"migration/{path.name}" for path in (copy / BACKUPS).glob(".*")}
    shutil.rmtree(copy, ignore_errors=True)


def prepare(folder: Path) -> str:
    """A workspace holding the demo report, as the app creates it on first start."""
    from desktop_app.demo import load_demo
    from desktop_app.storage import Workspace

    folder.mkdir(parents=True, exist_ok=True)
    with Workspace.open(folder / WORKSPACE, backup_dir=folder / BACKUPS) as workspace:
        report = load_demo()
        workspace.save(report)
        return digest(report)


def torture(folder: Path, rounds: int, seed: int = 1, *, kinds: tuple[str, ...] | None = None,
            verbose: bool = False) -> Tally:
    """Run ``rounds`` kill-and-check rounds in ``folder``; returns the tally."""
    rng = random.Random(seed)
    tally = Tally()
    state = prepare(folder)
    for number in range(rounds):
        kind = kinds[number % len(kinds)] if kinds else rng.choices(["edit", "export", "migrate"], [8, 1, 1])[0]
        if kind == "migrate":
            migration_round(folder, tally, rng, state)
        else:
            opening = rng.random() < 0.15  # sometimes while it locks, checks, backs up
            kill_after = rng.uniform(0.0, 0.02) if opening else rng.expovariate(1 / 0.35)
            lines = run_child(folder, kind, rng.randrange(10**9), min(kill_after, 2.0),
                              "OPENING" if opening else "READY")
            state = check_workspace(folder, tally, lines, state)
            if kind == "export":
                check_export(folder, tally, lines)
        tally.rounds += 1
        if verbose and (number + 1) % 20 == 0:
            print(f"  … {number + 1} rounds, {tally.acknowledged_edits} acknowledged saves", flush=True)
    from desktop_app.storage.backups import list_backups, verify

    for backup in list_backups(folder / BACKUPS, Path(WORKSPACE).stem):
        try:
            verify(backup.path)
        except Exception as exc:  # noqa: BLE001 - counted
            tally.corrupt_files += 1
            tally.problems.append(f"backup {backup.path.name} fails: {exc!r}")
    return tally


def main(argv: list[str] | None = None) -> int:
    """``torture.py [--rounds N] [--seed S] [--keep DIR]`` or the internal ``child`` mode."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="mode")
    child_parser = sub.add_parser("child")
    child_parser.add_argument("--folder", required=True)
    child_parser.add_argument("--kind", default="edit")
    child_parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", type=Path, help="work here (default: a temporary folder, removed)")
    args = parser.parse_args(argv)
    if args.mode == "child":
        return child(args)
    import logging
    import tempfile

    logging.basicConfig(level=logging.ERROR)  # the recovered stale locks are counted, not printed
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="jxzp-torture-") as temp:
        folder = args.folder or Path(temp)
        tally = torture(folder, args.rounds, args.seed, verbose=True)
    for line in tally.lines():
        print(line)
    print(f"time: {time.monotonic() - started:.0f} s")
    for problem in tally.problems[:20]:
        print("PROBLEM:", problem)
    return 0 if tally.corrupt_files == tally.lost_acknowledged == tally.bad_exports == tally.migration_failures == 0 \
        else 1


if __name__ == "__main__":
    sys.exit(main())
