"""Operating-system file locks that vanish with the process: ``fcntl.flock`` on POSIX,
``msvcrt.locking`` on Windows.

``msvcrt`` locks are mandatory byte-range locks: one byte far past the data is locked, so
another instance can still read the file (who holds the lock). A file system that cannot
lock at all (some network shares) is reported, and the caller works unlocked rather than
not at all; only "someone else holds it" refuses.
"""

from __future__ import annotations

import errno
import logging
import os

log = logging.getLogger(__name__)

_NT = os.name == "nt"
#: The byte locked on Windows (past any holder data written at the start).
LOCK_OFFSET = 1 << 20
#: POSIX: errno values of flock meaning "another holder has it" (others, such as ENOLCK on a
#: share without locks, mean the file system cannot lock).
_HELD_POSIX = frozenset({errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES})
#: Windows: errno values of the MSVC runtime meaning "this file system cannot lock" (EINVAL,
#: ENOSYS). Anything else counts as held: the runtime says EACCES for a lock held elsewhere,
#: and Wine's says 0; refusing a second writer is the safe reading of an unknown error.
_UNLOCKABLE_WINDOWS = frozenset({22, 40})


def held_elsewhere(exc: OSError, *, nt: bool = _NT) -> bool:
    """Whether a failed lock attempt means another holder (not a file system without locks)."""
    if nt:
        return exc.errno not in _UNLOCKABLE_WINDOWS
    return exc.errno in _HELD_POSIX


def _lock_call(fd: int) -> None:
    if _NT:  # pragma: no cover - exercised on Windows (and under Wine)
        import msvcrt

        os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def try_lock(fd: int) -> bool:
    """Take the exclusive lock of the open file ``fd`` without waiting; False when held elsewhere.

    A file system without locks gives True (with a warning in the log).
    """
    try:
        _lock_call(fd)
    except OSError as exc:
        if held_elsewhere(exc):
            return False
        log.warning("cannot lock the file (%s); continuing without a lock", exc.strerror)
    return True


def unlock(fd: int) -> None:
    """Give up the lock taken by :func:`try_lock` (raises OSError when it was not held)."""
    if _NT:  # pragma: no cover - exercised on Windows (and under Wine)
        import msvcrt

        os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)
