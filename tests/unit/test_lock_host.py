"""The workspace lock names the computer without ``platform`` (WMI on Windows) or ``socket``."""

from __future__ import annotations

import json
import os
import platform
import socket

from desktop_app.storage.lock import WorkspaceLock, lock_path
from desktop_app.system.host import host_name


def test_the_lock_records_the_host_name_without_platform_or_socket(tmp_path, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("platform asks WMI on Windows; the app opens no socket")

    monkeypatch.setattr(platform, "uname", forbidden)
    monkeypatch.setattr(platform, "node", forbidden)
    monkeypatch.setattr(socket, "gethostname", forbidden)
    workspace = tmp_path / "workspace.jxdb"
    lock = WorkspaceLock.acquire(workspace)
    try:
        holder = json.loads(lock_path(workspace).read_text(encoding="utf-8"))
        assert holder["host"] == host_name() != ""
    finally:
        lock.release()


def test_host_name_on_both_systems():
    assert host_name(nt=True, environ={"COMPUTERNAME": "财政局-PC01"}) == "财政局-PC01"
    assert host_name(nt=True, environ={}) == ""
    if os.name != "nt":
        assert host_name(nt=False) == os.uname().nodename
