"""The workspace lock names the computer without asking ``platform`` (WMI on Windows)."""

from __future__ import annotations

import json
import platform
import socket

from desktop_app.storage.lock import WorkspaceLock, lock_path


def test_the_lock_records_the_host_name_without_platform(tmp_path, monkeypatch):
    def no_wmi(*args, **kwargs):
        raise AssertionError("platform.uname() asks WMI on Windows: slow, and it aborts under Wine")

    monkeypatch.setattr(platform, "uname", no_wmi)
    monkeypatch.setattr(platform, "node", no_wmi)
    workspace = tmp_path / "workspace.jxdb"
    lock = WorkspaceLock.acquire(workspace)
    try:
        holder = json.loads(lock_path(workspace).read_text(encoding="utf-8"))
        assert holder["host"] == socket.gethostname()
    finally:
        lock.release()
