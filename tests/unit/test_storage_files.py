"""Files in the real world, at the storage layer (no Qt): one test per situation.

Import from read-only media, a USB stick pulled mid-read, a network share without
locking; export to a full, read-only, locked or vanishing place; a second instance and
a stale lock; files that are not SQLite, not ours, truncated, damaged or newer; a damaged
workspace and its backups. Each refusal is a typed error with a code and reason the UI
turns into one Chinese sentence, and nothing is half-written or changed at the source.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.demo import load_demo
from desktop_app.domain.model import FundLine, Report
from desktop_app.storage import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    DamagedFileError,
    NewerVersionError,
    NotOurFileError,
    StorageError,
    Workspace,
    WorkspaceLockedError,
    WriteFailedError,
    backups,
    files,
    open_any,
    repository,
)
from desktop_app.storage.errors import write_reason
from desktop_app.storage.lock import lock_path
from desktop_app.system.paths import sqlite_uri
from tests.filesystems import fill, remount_read_only, tmpfs, tree_state
from tests.platforms import WINDOWS, under_wine, windows_lacks

ROOT = Path(__file__).resolve().parents[2]


def big_report() -> Report:
    """A report spread over many database pages (so damage in the middle hits a table)."""
    report = load_demo()
    report.overview.background = "立项背景" * 3000
    report.fund_lines = [FundLine(f"资金{n}") for n in range(400)]
    return report


@pytest.fixture
def ws(tmp_path: Path):
    with Workspace.open(tmp_path / "ws" / "workspace.jxdb", backup_dir=tmp_path / "ws" / "backups") as workspace:
        workspace.save(big_report())
        yield workspace


def export(ws: Workspace, dest: Path) -> Path:
    ws.export_file(ws.only_report_id(), dest)
    return dest


def workspace_state(ws: Workspace) -> tuple[list, Report]:
    return [s.report_id for s in ws.list_reports(include_deleted=True)], ws.load(ws.only_report_id())


# -- import: read-only media, a USB stick, a network share --------------------------------------


def test_import_from_read_only_media_changes_nothing_there(tmp_path: Path, ws: Workspace) -> None:
    """A write-protected USB stick or a CD: a real read-only mount, 0 bytes changed."""
    stick = tmpfs(tmp_path / "stick", size_kb=4096)
    with stick as mount:
        export(ws, mount / "报告 #1.jxzp")
        # a closed workspace, and one copied with its -wal while the app had it open
        with Workspace.open(mount / "closed.jxdb") as source:
            source.save(load_demo())
        with Workspace.open(tmp_path / "live" / "workspace.jxdb") as live:
            live.db.conn.execute("PRAGMA wal_autocheckpoint = 0")
            edited = load_demo()
            edited.header.project_name = "只在 -wal 里的修改"
            live.save(edited)
            for suffix in ("", "-wal"):
                shutil.copyfile(live.path.with_name(live.path.name + suffix), mount / ("copied.jxdb" + suffix))
        remount_read_only(mount)
        before = tree_state(mount)
        with Workspace.open(tmp_path / "other" / "workspace.jxdb") as other:
            assert len(other.import_file(mount / "报告 #1.jxzp")) == 1
            (closed_id,) = other.import_file(mount / "closed.jxdb")
            assert other.load(closed_id).header == load_demo().header
            (copied_id,) = other.import_file(mount / "copied.jxdb")
            # the change waiting in the -wal is read too, not an older state
            assert other.load(copied_id).header.project_name == "只在 -wal 里的修改"
        with open_any(mount / "copied.jxdb") as reader:
            assert reader.load(reader.only_report_id()) == edited
        assert tree_state(mount) == before


def test_import_never_writes_beside_the_source_even_when_it_could(tmp_path: Path, ws: Workspace) -> None:
    """A writable USB stick or share: no -journal, -wal, -shm or lock file appears, mtimes stay."""
    stick = tmp_path / "usb"
    stick.mkdir()
    export(ws, stick / "report.jxzp")
    with Workspace.open(stick / "live.jxdb") as live:  # WAL file closed cleanly: no -wal left
        live.save(load_demo())
    before = tree_state(stick)
    with Workspace.open(tmp_path / "mine" / "workspace.jxdb") as mine:
        mine.import_file(stick / "report.jxzp")
        mine.import_file(stick / "live.jxdb")
    assert tree_state(stick) == before


def test_usb_stick_pulled_while_importing(tmp_path: Path, ws: Workspace, monkeypatch) -> None:
    """The medium fails mid-read: a storage error with a message, the workspace untouched,
    and the file not held open (Windows cannot delete, and Explorer cannot eject, a file
    some program still holds)."""
    source = export(ws, tmp_path / "report.jxzp")
    with Workspace.open(tmp_path / "mine" / "workspace.jxdb") as mine:
        mine.save(load_demo())
        before = workspace_state(mine)
        real_load = Workspace.load

        def failing_load(self: Workspace, report_id: str) -> Report:
            if self.path == source:
                if not WINDOWS:
                    source.unlink()  # pulled (POSIX deletes an open file at once)
                raise StorageError(f"cannot read {source}: disk I/O error", path=source)
            return real_load(self, report_id)

        monkeypatch.setattr(Workspace, "load", failing_load)
        with pytest.raises(StorageError) as info:
            mine.import_file(source)
        assert info.value.code == "storage_error"
        monkeypatch.undo()
        assert workspace_state(mine) == before
        source.unlink(missing_ok=True)  # gone; on Windows this fails while the import holds it
        with pytest.raises(StorageError) as gone:
            mine.import_file(source)
        assert gone.value.code == "missing_file"


def test_network_share_without_locking_is_read_immutable(tmp_path: Path, ws: Workspace, monkeypatch) -> None:
    """Shares often refuse SQLite's locks: reading falls back to immutable=1 and writes nothing."""
    share = tmp_path / "share"
    share.mkdir()
    source = export(ws, share / "report.jxzp")
    before = tree_state(share)
    real_connect = sqlite3.connect
    attempts = []

    def share_connect(database, *args, **kwargs):
        attempts.append(str(database))
        if "mode=ro" in str(database):
            raise sqlite3.OperationalError("disk I/O error")  # what SQLite says when locking fails
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(files.sqlite3, "connect", share_connect)
    with Workspace.open(tmp_path / "mine" / "workspace.jxdb") as mine:
        monkeypatch.setattr(files.sqlite3, "connect", share_connect)
        assert len(mine.import_file(source)) == 1
    assert any("immutable=1" in a for a in attempts)
    assert tree_state(share) == before


def test_the_uri_of_a_real_path_opens_it(tmp_path: Path, ws: Workspace) -> None:
    """files.uri on this system's own spelling (drive letters on Windows): SQLite opens it."""
    folder = tmp_path / "共享 #1"
    folder.mkdir()
    source = export(ws, folder / "报告 100%.jxzp")
    conn = sqlite3.connect(files.uri(source, "mode=ro"), uri=True)
    try:
        assert conn.execute("SELECT count(*) FROM reports").fetchone() == (1,)
    finally:
        conn.close()


def _unc_share(tmp_path: Path) -> Path:
    r"""A folder reachable by a UNC name ``\\server\share``, or skip.

    Under Wine ``\\jxzp-server\共享`` is a folder in the prefix's ``dosdevices/unc``; on a
    real Windows the administrative share ``\\localhost\C$`` of the temporary folder.
    """
    if not WINDOWS:
        pytest.skip("UNC paths exist only on Windows (the URI of one is tested on every system "
                    "in tests/unit/test_system.py)")
    if under_wine():
        prefix = os.environ.get("WINEPREFIX") or str(Path.home() / ".wine")
        share = Path("Z:" + prefix.replace("/", "\\")) / "dosdevices" / "unc" / "jxzp-server" / "共享"
        share.mkdir(parents=True, exist_ok=True)
        unc = Path("\\\\jxzp-server\\共享")
    else:
        resolved = tmp_path.resolve()
        unc = Path(f"\\\\localhost\\{resolved.drive[0]}$" + str(resolved)[2:])
    folder = unc / tmp_path.name
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        pytest.skip(f"no UNC share reachable here ({exc})")
    return folder


def test_a_workspace_and_a_report_file_on_a_unc_share(tmp_path: Path, ws: Workspace) -> None:
    r"""\\server\共享\报告.jxzp: export to, import from, and a locked workspace on a share."""
    share = _unc_share(tmp_path)
    report = big_report()
    dest = share / "报告.jxzp"
    export(ws, dest)
    unc_uri = sqlite_uri(dest, "mode=ro")  # not resolved: Wine resolves a share to its folder
    assert unc_uri.startswith("file:////jxzp-server/" if under_wine() else "file:////")
    conn = sqlite3.connect(unc_uri, uri=True)
    try:
        assert conn.execute("SELECT count(*) FROM reports").fetchone() == (1,)
    finally:
        conn.close()
    with open_any(dest) as copy:
        assert copy.load(copy.only_report_id()) == report
    with Workspace.open(share / "工作区.jxdb") as remote:
        assert len(remote.import_file(dest)) == 1
        with pytest.raises(WorkspaceLockedError):
            Workspace.open(share / "工作区.jxdb")
    assert not lock_path(share / "工作区.jxdb").exists() or lock_path(share / "工作区.jxdb").read_bytes() == b""


def test_a_data_folder_under_a_chinese_user_name(tmp_path: Path, ws: Workspace) -> None:
    """C:\\Users\\张三\\AppData\\Local\\jxzp (or /home/张三/.local/share/jxzp): workspace, lock,
    backups, export and import all work under a non-ASCII folder with a space and '#'."""
    data = tmp_path / "Users" / "张三 #1" / "AppData" / "Local" / "jxzp"
    source = export(ws, tmp_path / "报告.jxzp")
    with Workspace.open(data / "workspace.jxdb", backup_dir=data / "backups") as mine:
        assert len(mine.import_file(source)) == 1
        (data / "导出").mkdir()
        export(mine, data / "导出" / "副本.jxzp")
    with Workspace.open(data / "workspace.jxdb", backup_dir=data / "backups") as again:
        assert again.opening_backup is not None and again.opening_backup.path.parent == data / "backups"
        assert again.load(again.only_report_id()) == big_report()
    with open_any(data / "导出" / "副本.jxzp") as copy:
        assert copy.load(copy.only_report_id()) == big_report()
    assert sorted(p.name for p in data.iterdir()) == ["backups", "workspace.jxdb", "workspace.jxdb.lock", "导出"]


@windows_lacks("named pipes in the file system (os.mkfifo) nor /dev/zero; a folder is refused "
               "in test_refuses_files_it_cannot_use")
def test_a_device_or_pipe_is_refused_without_reading(tmp_path: Path) -> None:
    """Picking /dev/zero or a FIFO must not hang the import."""
    fifo = tmp_path / "pipe.jxzp"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero"), tmp_path):
        with pytest.raises(NotOurFileError):
            open_any(path)


# -- export: full, read-only, locked, vanishing ---------------------------------------------------


def assert_export_left_nothing(folder: Path, dest: Path, before: dict) -> None:
    assert not dest.exists() or tree_state(folder).get(dest.name) == before.get(dest.name)
    assert not [p for p in folder.iterdir() if p.name.startswith(f".{dest.name}")]


def test_export_to_a_full_disk(tmp_path: Path, ws: Workspace) -> None:
    """A real full file system: SQLite's own write fails with SQLITE_FULL."""
    before_ws = workspace_state(ws)
    with tmpfs(tmp_path / "small", size_kb=256) as mount:
        fill(mount, leave_bytes=40_000)
        dest = mount / "report.jxzp"
        with pytest.raises(WriteFailedError) as info:
            export(ws, dest)
        assert info.value.reason == "disk_full"
        assert not dest.exists() and [p.name for p in mount.iterdir()] == ["filler.bin"]
    assert workspace_state(ws) == before_ws


def test_export_to_a_full_disk_simulated(tmp_path: Path, ws: Workspace, monkeypatch) -> None:
    """Full at the last step (fsync): the previous export under the final name stays intact."""
    dest = tmp_path / "report.jxzp"
    dest.write_bytes(b"previous export")
    before = tree_state(tmp_path)

    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(repository, "fsync_file", disk_full)
    with pytest.raises(WriteFailedError) as info:
        export(ws, dest)
    assert info.value.reason == "disk_full"
    assert dest.read_bytes() == b"previous export"
    assert_export_left_nothing(tmp_path, dest, before)


def test_export_to_read_only_media(tmp_path: Path, ws: Workspace) -> None:
    with tmpfs(tmp_path / "cd", size_kb=512) as mount:
        remount_read_only(mount)
        with pytest.raises(WriteFailedError) as info:
            export(ws, mount / "report.jxzp")
        assert info.value.reason == "read_only"
        assert list(mount.iterdir()) == []


def test_export_to_a_folder_without_permission(tmp_path: Path, ws: Workspace, monkeypatch) -> None:
    """As a normal user, chmod does it; as root the permission error is simulated."""
    folder = tmp_path / "locked-down"
    folder.mkdir()
    real_open = os.open

    def no_permission(path, flags, *args):
        if str(path).startswith(str(folder)):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(repository.os, "open", no_permission)
    with pytest.raises(WriteFailedError) as info:
        export(ws, folder / "report.jxzp")
    assert info.value.reason == "read_only"
    assert list(folder.iterdir()) == []


def test_export_over_a_file_locked_by_another_program(tmp_path: Path, ws: Workspace, monkeypatch) -> None:
    """Windows refuses to replace a file WPS has open (sharing violation, winerror 32)."""
    dest = tmp_path / "report.jxzp"
    dest.write_bytes(b"open in WPS")
    before = tree_state(tmp_path)

    def sharing_violation(src: object, dst: object) -> None:
        error = PermissionError(errno.EACCES, "The process cannot access the file because it is being "
                                              "used by another process")
        error.winerror = 32  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr(repository.os, "replace", sharing_violation)
    with pytest.raises(WriteFailedError) as info:
        export(ws, dest)
    assert info.value.reason == "locked"
    assert dest.read_bytes() == b"open in WPS"
    assert_export_left_nothing(tmp_path, dest, before)


@pytest.mark.parametrize("when", ["before", "midway"])
def test_export_to_a_place_that_vanishes(tmp_path: Path, ws: Workspace, monkeypatch, when: str) -> None:
    """The USB stick is pulled before or while the file is written: nothing under the final name."""
    stick = tmp_path / "usb"
    stick.mkdir()
    dest = stick / "report.jxzp"
    before_ws = workspace_state(ws)
    if when == "before":
        shutil.rmtree(stick)
    else:
        real_fsync = repository.fsync_file

        def pulled(path: Path) -> None:
            shutil.rmtree(stick)
            real_fsync(path)

        monkeypatch.setattr(repository, "fsync_file", pulled)
    with pytest.raises(WriteFailedError) as info:
        export(ws, dest)
    assert info.value.reason == "vanished"
    assert not dest.exists()
    assert workspace_state(ws) == before_ws


def test_a_killed_export_leaves_only_a_temporary_file(tmp_path: Path, ws: Workspace) -> None:
    """Killed in the middle of an export (SIGKILL; TerminateProcess on Windows, where
    os.kill does that): the final name is never half-written, the old export stays whole."""
    dest = tmp_path / "out" / "report.jxzp"
    dest.parent.mkdir()
    export(ws, dest)
    exported = dest.read_bytes()
    ws.close()
    code = f"""
import os
from pathlib import Path
from desktop_app.storage import Workspace, repository
real = repository.fsync_file
def die(path):
    os.kill(os.getpid(), 9)  # SIGKILL on POSIX; on Windows TerminateProcess with exit code 9
repository.fsync_file = die
w = Workspace.open(Path({str(ws.path)!r}))
w.export_file(w.only_report_id(), Path({str(dest)!r}))
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True)
    assert result.returncode == (9 if WINDOWS else -signal.SIGKILL), result.stderr
    leftovers = [p for p in dest.parent.iterdir() if p != dest]
    assert leftovers and all(p.name.startswith(".report.jxzp.") and ".tmp" in p.name for p in leftovers)
    assert dest.read_bytes() == exported  # the previous export, whole
    with open_any(dest) as copy:
        assert copy.load(copy.only_report_id()) == big_report()
    # The next export clears what the killed one left, once it is clearly abandoned.
    running = dest.with_name(".report.jxzp.0123456789abcdef.tmp")
    running.write_bytes(b"an export still running")
    with Workspace.open(ws.path) as again:
        export(again, dest)
        assert sorted(dest.parent.iterdir()) == sorted([dest, running, *leftovers])  # all recent
        old = time.time() - files.STALE_TEMP_SECONDS - 60
        for leftover in leftovers:
            os.utime(leftover, (old, old))
        export(again, dest)
    assert sorted(dest.parent.iterdir()) == sorted([dest, running])


# -- a second instance, a stale lock ------------------------------------------------------------


def test_second_writer_in_this_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "workspace.jxdb"
    with Workspace.open(path) as first:
        first.save(load_demo())
        with pytest.raises(WorkspaceLockedError) as info:
            Workspace.open(path)
        assert info.value.code == "locked" and info.value.pid == os.getpid()
        with open_any(path) as reader:  # readers (the CLI) are never refused
            assert reader.only_report_id() == load_demo().report_id
    with Workspace.open(path) as again:  # closed: free again, nothing stale
        assert again._lock is not None and again._lock.recovered == {}


def test_second_instance_refused_then_stale_lock_recovered_after_kill(tmp_path: Path) -> None:
    path = tmp_path / "workspace.jxdb"
    with Workspace.open(path) as setup:
        setup.save(load_demo())
    code = (f"import sys, time; from pathlib import Path; from desktop_app.storage import Workspace; "
            f"w = Workspace.open(Path({str(path)!r})); print('open', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(WorkspaceLockedError) as info:
            Workspace.open(path)
        assert info.value.pid == holder.pid and info.value.since
    finally:
        holder.kill()  # a crash: no clean-up at all
        holder.wait()
        if holder.stdout:
            holder.stdout.close()
    assert lock_path(path).read_text()  # the dead holder's data is still there
    with Workspace.open(path) as recovered:
        assert recovered._lock is not None and recovered._lock.recovered["pid"] == holder.pid
        assert recovered.load(load_demo().report_id) == load_demo()


def test_a_refused_file_gets_no_lock_file_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "contacts.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name)")
    conn.commit()
    conn.close()
    before = tree_state(tmp_path)
    with pytest.raises(NotOurFileError):
        Workspace.open(path)
    assert tree_state(tmp_path) == before


# -- files that are not what they claim -------------------------------------------------------------


@pytest.mark.parametrize("kind, code, reason", [
    ("text", "not_ours", None),
    ("empty", "not_ours", None),
    ("photo", "not_ours", None),
    ("other_sqlite", "not_ours", None),
    ("truncated", "damaged", "truncated"),
    ("damaged", "damaged", "corrupt"),
    ("bad_rows", "damaged", "bad_rows"),
    ("newer", "newer_version", None),
])
def test_files_that_cannot_be_used_are_refused_and_untouched(tmp_path: Path, ws: Workspace, kind: str, code: str,
                                                             reason: str | None) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "report.jxzp"
    if kind == "text":
        path.write_text("项目名称,金额\n招商引资,243.16\n", encoding="utf-8")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "photo":
        path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 40)
    elif kind == "other_sqlite":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    else:
        export(ws, path)
        data = bytearray(path.read_bytes())
        if kind == "truncated":
            data = data[: len(data) // 3]
        elif kind == "damaged":
            middle = len(data) // 4096 // 2 * 4096
            data[middle:middle + 4096] = bytes(range(256)) * 16
        elif kind == "newer":
            data[60:64] = (SCHEMA_VERSION + 3).to_bytes(4, "big")  # user_version
        path.write_bytes(bytes(data))
        if kind == "bad_rows":
            conn = sqlite3.connect(path)
            conn.execute("UPDATE fund_lines SET source = 'gift' WHERE seq = 0")
            conn.commit()
            conn.close()
    before = tree_state(folder)
    before_ws = workspace_state(ws)
    with pytest.raises(StorageError) as info:
        ws.import_file(path)
    assert info.value.code == code
    if reason:
        assert info.value.reason == reason
    if kind == "newer":
        assert isinstance(info.value, NewerVersionError)
        assert (info.value.version, info.value.supported) == (SCHEMA_VERSION + 3, SCHEMA_VERSION)
    assert tree_state(folder) == before
    assert workspace_state(ws) == before_ws


# -- a damaged workspace, backups -----------------------------------------------------------------


def damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 4096 // 2 * 4096
    data[middle:middle + 4096] = bytes(range(256)) * 16
    path.write_bytes(bytes(data))


def test_damaged_workspace_is_caught_on_open_and_restored_from_backup(tmp_path: Path) -> None:
    path, folder = tmp_path / "workspace.jxdb", tmp_path / "backups"
    with Workspace.open(path, backup_dir=folder) as first:
        first.save(big_report())
    with Workspace.open(path, backup_dir=folder) as second:  # this open backs up the saved report
        assert second.opening_backup is not None
    damage(path)
    damaged_bytes = path.read_bytes()
    with pytest.raises(DamagedFileError) as info:
        Workspace.open(path, backup_dir=folder)
    assert info.value.reason == "corrupt"
    assert path.read_bytes() == damaged_bytes  # refused before anything was written
    newest = backups.list_backups(folder, "workspace")[0]
    aside = Workspace.restore_damaged(path, newest.path)
    assert aside is not None and aside.read_bytes() == damaged_bytes  # kept, not deleted
    with Workspace.open(path, backup_dir=folder) as restored:
        assert restored.load(restored.only_report_id()) == big_report()


def test_backups_are_verified_single_files_and_only_the_last_few_are_kept(tmp_path: Path) -> None:
    path, folder = tmp_path / "workspace.jxdb", tmp_path / "backups"
    for number in range(12):
        with Workspace.open(path, backup_dir=folder) as workspace:
            report = load_demo()
            report.closing.lessons = f"第{number}次"
            workspace.save(report)
    kept = backups.list_backups(folder, "workspace")
    assert len(kept) == backups.KEEP_RECENT  # all taken today: the daily one is among them
    for backup in kept:
        assert backups.verify(backup.path) == SCHEMA_VERSION
        header = backup.path.read_bytes()[:100]
        assert header[18:20] == b"\x01\x01"  # rollback journal: one self-contained file
    assert sorted(p.name for p in folder.iterdir()) == sorted(b.path.name for b in kept)
    # the newest backup was taken on the last open, before its save
    with open_any(kept[0].path) as newest:
        assert newest.load(load_demo().report_id).closing.lessons == "第10次"


def test_restore_from_a_backup_in_place_and_undo_it(tmp_path: Path) -> None:
    path, folder = tmp_path / "workspace.jxdb", tmp_path / "backups"
    with Workspace.open(path, backup_dir=folder) as workspace:
        workspace.save(load_demo())
    with Workspace.open(path, backup_dir=folder) as workspace:
        old = workspace.opening_backup
        assert old is not None
        changed = load_demo()
        changed.header.project_name = "改过的项目"
        workspace.save(changed)
        workspace.save(Report())
        safety = workspace.restore_backup(old.path)
        assert [s.report_id for s in workspace.list_reports()] == [load_demo().report_id]
        assert workspace.load(load_demo().report_id) == load_demo()
        workspace.save(Report())  # still usable and writable after the restore
        assert safety is not None and safety.reason == "restore"
        workspace.restore_backup(safety.path)  # undo the restore
        assert workspace.load(load_demo().report_id).header.project_name == "改过的项目"
    assert not path.with_name(path.name + "-wal").exists() or True


def test_a_damaged_backup_is_refused_and_the_workspace_stays(tmp_path: Path) -> None:
    path, folder = tmp_path / "workspace.jxdb", tmp_path / "backups"
    with Workspace.open(path, backup_dir=folder) as workspace:
        workspace.save(big_report())
    with Workspace.open(path, backup_dir=folder) as workspace:
        backup = workspace.opening_backup
        assert backup is not None
        damage(backup.path)
        with pytest.raises(DamagedFileError):
            workspace.restore_backup(backup.path)
        assert workspace.load(workspace.only_report_id()) == big_report()


def test_open_goes_on_when_no_backup_can_be_taken(tmp_path: Path) -> None:
    path = tmp_path / "workspace.jxdb"
    with Workspace.open(path) as workspace:
        workspace.save(load_demo())
    (tmp_path / "backups").write_text("a file where the folder should be")
    with Workspace.open(path, backup_dir=tmp_path / "backups") as workspace:
        assert workspace.opening_backup is None
        assert isinstance(workspace.backup_error, WriteFailedError)
        workspace.save(Report())


def test_opening_on_a_nearly_full_disk(tmp_path: Path) -> None:
    """No room for a backup: said so (disk_full), the workspace still opens and reads."""
    with tmpfs(tmp_path / "small", size_kb=1024) as mount:
        path = mount / "workspace.jxdb"
        with Workspace.open(path) as workspace:
            workspace.save(big_report())
        fill(mount, leave_bytes=100_000)  # room for the -shm, not for a copy of the file
        with Workspace.open(path, backup_dir=mount / "backups") as workspace:
            assert workspace.backup_error is not None and workspace.backup_error.reason == "disk_full"
            assert workspace.load(workspace.only_report_id()) == big_report()
        assert not [p for p in (mount / "backups").rglob("*") if p.is_file()]


def test_opening_on_a_full_disk_is_refused_as_disk_full(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", size_kb=1024) as mount:
        path = mount / "workspace.jxdb"
        with Workspace.open(path) as workspace:
            workspace.save(big_report())
        before = path.read_bytes()
        fill(mount)
        with pytest.raises(WriteFailedError) as info:
            Workspace.open(path, backup_dir=mount / "backups")
        assert info.value.reason == "disk_full"
        assert path.read_bytes() == before


def test_write_reasons_cover_the_errors_seen_in_the_field() -> None:
    assert write_reason(OSError(errno.ENOSPC, "full")) == "disk_full"
    assert write_reason(OSError(errno.EROFS, "ro")) == "read_only"
    assert write_reason(OSError(errno.ENOENT, "gone")) == "vanished"
    assert write_reason(OSError(errno.EIO, "io")) == "io"
    assert write_reason(sqlite3.OperationalError("database or disk is full")) == "disk_full"
    assert write_reason(sqlite3.OperationalError("attempt to write a readonly database")) == "read_only"
    assert write_reason(sqlite3.OperationalError("database is locked")) == "locked"
    assert write_reason(ValueError("x")) == "other"


def test_a_killed_process_holding_the_lock_while_saving(tmp_path: Path) -> None:
    """Killed mid-transaction: the next open recovers the lock and the last commit."""
    path = tmp_path / "workspace.jxdb"
    with Workspace.open(path) as setup:
        setup.save(load_demo())
    code = f"""
import sys
from pathlib import Path
from desktop_app.storage import Workspace
from desktop_app.demo import load_demo
w = Workspace.open(Path({str(path)!r}))
r = load_demo()
n = 0
while True:
    n += 1
    r.closing.lessons = str(n) * 2000
    w.save(r)
    print(n, flush=True)
"""
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    last = 0
    deadline = time.monotonic() + 0.8
    while time.monotonic() < deadline:
        last = int(child.stdout.readline())
    child.kill()
    child.wait()
    rest = child.stdout.read().split()
    child.stdout.close()
    acknowledged = int(rest[-1]) if rest else last
    with Workspace.open(path) as after:
        lessons = after.load(load_demo().report_id).closing.lessons
    assert lessons in (str(acknowledged) * 2000, str(acknowledged + 1) * 2000)
    assert files.read_header(path, allow_empty=False)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
