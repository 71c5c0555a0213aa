"""Whether another Backfile process uses this SQLite archive: a site serving it, the desk's
worker, another command.

Every process that connects to a SQLite archive holds a shared lock (`flock`) on a file
beside it, `NAME-users.lock`, for as long as it runs. An ingest asks whether anyone
besides itself holds one (`others_use`): only then can a reader's reply be waiting for
SQLite's one write lock, and only then does the loader leave that lock free between its
writes (`backfile.ingest.pacing`). Alone, it writes on without those pauses.

A worker process forked by a command shares its parent's lock: it is not another user.
Where the lock file cannot be made or locked (a read-only folder, a file system without
locks), the ingest counts the archive as shared and paces its writes as it always did.
"""

from __future__ import annotations

import fcntl
import os
import threading

_held: dict[str, int] = {}  # database file → the descriptor of this process's shared lock
_guard = threading.Lock()


def lock_path(database: str) -> str:
    return f"{database}-users.lock"


def attach(sender=None, connection=None, **kwargs) -> None:
    """On a new connection (`connection_created`): this process now uses the database file,
    and holds its shared lock until it ends."""
    if connection is None or connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    database = connection.settings_dict["NAME"]
    with _guard:
        if database in _held:
            return
        try:
            descriptor = os.open(lock_path(database), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError:
            return
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH)
        except OSError:  # a file system without locks (some network mounts)
            os.close(descriptor)
            return
        _held[database] = descriptor


def others_use(database: str) -> bool:
    """Whether a process other than this one (and its forked workers) uses the database."""
    with _guard:
        descriptor = _held.get(database)
        if descriptor is None:
            return True  # no lock of our own to compare with: assume company
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            alone = True
        except OSError:  # held by another (or the lock failed): pace, as before
            alone = False
        try:  # back to shared (a failed conversion may already have dropped it: take it again)
            fcntl.flock(descriptor, fcntl.LOCK_SH)
        except OSError:
            return True
        return not alone
