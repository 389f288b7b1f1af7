"""One writer per workspace: an operating-system lock on ``<workspace>.lock``.

Two windows editing the same workspace would each save their own copy of a report over
the other's, so a second instance is refused (it may still read: the CLI opens
workspaces read-only and takes no lock). The lock is an advisory lock the operating
system holds for the process — ``fcntl.flock`` on POSIX, ``msvcrt.locking`` on
Windows — so it vanishes with the process, however that ends: after a crash, a
``kill -9`` or a power cut the next start simply gets it (a *stale* lock needs no
clean-up, and no guess based on a PID that may have been reused).

The lock file also records who holds it (PID, computer, since when) so the refusal can
say so; on a clean close it is emptied, so finding old holder data when taking the lock
means the previous holder did not close cleanly (logged as a recovered stale lock).

SQLite's own ``locking_mode=EXCLUSIVE`` would also keep a second writer out, but it
would keep every reader out as well (the CLI reading a workspace while the app has it
open) and cannot say who holds the file.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..system.files import delete_after_close
from ..system.host import host_name
from ..system.locks import try_lock as _try_lock
from ..system.locks import unlock as _unlock
from .errors import WorkspaceLockedError, WriteFailedError
from .files import remove_quietly

log = logging.getLogger(__name__)

def lock_path(workspace: Path) -> Path:
    """The lock file of the workspace at ``workspace``."""
    return workspace.with_name(workspace.name + ".lock")


def _holder(fd: int) -> dict[str, Any]:
    """The holder data written in the lock file, or {} when empty or unreadable."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = os.read(fd, 4096)
        holder = json.loads(data.decode("utf-8")) if data.strip() else {}
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


class WorkspaceLock:
    """The exclusive lock of one workspace, held from :meth:`acquire` to :meth:`release`.

    Attributes:
        path: the lock file.
        recovered: holder data left by a previous holder that did not close cleanly
            (``{}`` when the lock was free and clean).
    """

    def __init__(self, path: Path, fd: int, recovered: dict[str, Any]) -> None:
        self.path = path
        self._fd: int | None = fd
        self.recovered = recovered

    @classmethod
    def acquire(cls, workspace: Path) -> WorkspaceLock:
        """Take the lock of ``workspace`` or raise at once (never waits).

        Raises:
            WorkspaceLockedError: another process (or another open in this one) holds it.
            WriteFailedError: the lock file cannot be created (read-only folder…).
        """
        path = lock_path(workspace)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
        except OSError as exc:
            raise WriteFailedError(f"cannot create the lock file {path}: {exc}", path=workspace) from exc
        try:
            if not _try_lock(fd):
                holder = _holder(fd)
                raise WorkspaceLockedError(
                    f"{workspace} is open in another instance (pid {holder.get('pid', '?')})",
                    path=workspace,
                    pid=int(holder.get("pid") or 0) if str(holder.get("pid", "")).isdigit() else 0,
                    host=str(holder.get("host", "")),
                    since=str(holder.get("since", "")),
                )
            recovered = _holder(fd)
            if recovered:
                log.warning("recovered a stale workspace lock (previous pid %s did not close cleanly)",
                            recovered.get("pid"))
            me = {"pid": os.getpid(), "host": host_name(),
                  "since": datetime.now(timezone.utc).isoformat(timespec="seconds")}
            try:
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                os.write(fd, json.dumps(me).encode("utf-8"))
            except OSError as exc:  # a full disk: refuse, with the reason, rather than half-lock
                _unlock(fd)
                raise WriteFailedError(f"cannot write the lock file {path}: {exc}", path=workspace) from exc
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd, recovered)

    @property
    def held(self) -> bool:
        """Whether this object still holds the lock."""
        return self._fd is not None

    def release(self, *, discard: bool = False) -> None:
        """Empty the holder data and give the lock up (idempotent).

        Args:
            discard: also delete the lock file (a refused file gets nothing left beside it).
                POSIX deletes it while still holding the lock, so the name deleted is surely
                ours; Windows cannot delete an open file, so there it goes after the close
                (a second instance that opened it meanwhile keeps it: the delete then fails).
        """
        fd, self._fd = self._fd, None
        if fd is None:
            return
        after_close = delete_after_close()
        if discard and not after_close:
            remove_quietly(self.path)
        try:
            os.ftruncate(fd, 0)  # a clean close: the next holder finds nothing stale
        except OSError:
            pass
        try:
            _unlock(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
        if discard and after_close:
            remove_quietly(self.path)
