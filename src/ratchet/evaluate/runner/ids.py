"""Random ids for suite runs, read from the OS in blocks rather than one system call each.

A replay takes five or so ids (trace, root, one per span). ``RandomIds``
asks the OS for each, and on virtual machines a system call costs far more
than its own microsecond (in a 10k-fixture run, 13 µs of the runner's 110
µs per fixture went to ids). These are the same OS random bytes, fetched
4 KiB at a time: as unpredictable, a hundredth of the system calls.
"""

from __future__ import annotations

import os
import secrets
import threading
import weakref

_BLOCK = 4096
_LIVE: weakref.WeakSet[BufferedRandomIds] = weakref.WeakSet()


class BufferedRandomIds:
    """An :class:`~ratchet.core.ids.IdSource` of OS random bytes, fetched in blocks.

    Safe across threads (sync agents record spans from worker threads) and
    across ``fork`` (a child starts with an empty buffer, never its parent's).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buffer = b""
        self._at = 0
        _LIVE.add(self)

    def _forget(self) -> None:
        self._lock = threading.Lock()
        self._buffer, self._at = b"", 0

    def hex(self, nbytes: int) -> str:
        with self._lock:
            at = self._at
            end = at + nbytes
            if end > len(self._buffer):
                self._buffer = os.urandom(max(_BLOCK, nbytes))
                at, end = 0, nbytes
            self._at = end
            return self._buffer[at:end].hex()

    def token(self, nbytes: int) -> str:
        # Tokens are secrets (keys), rare, and handed out: straight from the OS.
        return secrets.token_urlsafe(nbytes)


def _after_fork() -> None:
    for ids in list(_LIVE):
        ids._forget()


os.register_at_fork(after_in_child=_after_fork)
