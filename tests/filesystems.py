"""Real file systems for the file-situation tests: a full disk, read-only media.

When the tests run as root on Linux (CI does) a small ``tmpfs`` is mounted for the test
and unmounted after it: a full disk then fails with a real ``ENOSPC`` inside SQLite's own
C code, a read-only medium with a real ``EROFS`` — no monkeypatching. Elsewhere the tests
using these skip, and the simulated variants next to them still run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


def can_mount() -> bool:
    """Whether this process may mount a tmpfs (root on Linux with mount(8))."""
    return sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0 and bool(
        shutil.which("mount"))


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True)


@contextlib.contextmanager
def tmpfs(where: Path, *, size_kb: int = 1024) -> Iterator[Path]:
    """A fresh tmpfs of ``size_kb`` mounted at ``where`` (created) for the block."""
    if os.name == "nt":
        pytest.skip("Windows has no tmpfs to mount: a full or read-only medium is simulated in the "
                    "tests beside this one (the real one runs on Linux as root)")
    if not can_mount():
        pytest.skip("needs root to mount a small file system")
    where.mkdir(parents=True, exist_ok=True)
    try:
        _run("mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0777", "tmpfs", str(where))
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc}")
    try:
        yield where
    finally:
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            _run("umount", "-l", str(where))


def remount_read_only(where: Path) -> None:
    """Make a mounted tmpfs read-only (as a write-protected USB stick or a CD)."""
    _run("mount", "-o", "remount,ro", str(where))


def fill(where: Path, *, leave_bytes: int = 0) -> None:
    """Fill the file system at ``where`` until at most ``leave_bytes`` are free."""
    filler = where / "filler.bin"
    with filler.open("ab") as handle:
        chunk = b"\0" * 4096
        while shutil.disk_usage(where).free > leave_bytes + len(chunk):
            try:
                handle.write(chunk)
                handle.flush()
            except OSError:
                break


def tree_state(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Name → (size, mtime_ns, sha256) of every file under ``folder``: '0 bytes changed' checks."""
    import hashlib

    state = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            state[str(path.relative_to(folder))] = (
                info.st_size, info.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
    return state
