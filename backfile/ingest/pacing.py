"""The pace of the loader's writes: how many articles a write transaction holds, and how
long SQLite's one write lock is left free after it, so a reader's reply posted during an
ingest gets it between two transactions."""

from __future__ import annotations

# How long one write transaction should hold SQLite's one write lock: a reply posted
# meanwhile waits that long. Articles cost a quarter of a millisecond to a few milliseconds
# each to write (a WordPress post with its comments), more on a machine busy with other
# work, so the number written in one transaction follows the time the last one took,
# between these bounds. Each transaction also costs some 5 ms of its own (its queries, the
# commit, a new full-text segment): at 10 articles a transaction the corpus's ingest spent
# twice the CPU in its writes, hence the least size.
WRITE_SECONDS = 0.1
# A writer waiting for SQLite's lock (a reader's reply) does not queue: its busy handler
# sleeps and retries, after these many milliseconds (sqlite3.c, sqliteDefaultBusyCallback),
# then every 100 ms. A gap between two write transactions shorter than the waiter's
# current interval is mostly missed, and back-to-back transactions would keep a reply
# waiting for seconds; so after each the loader leaves the lock free for as long as a
# writer that began waiting during it takes between two retries (`lock_free_after`),
# reading on meanwhile, and sleeping only if it has read as far ahead as it may.
BUSY_RETRY_DELAYS = (1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100)
LEAST_FREE_SECONDS = 0.025
FIRST_WRITE_SIZE = 50
MIN_WRITE_SIZE = 25
MAX_WRITE_SIZE = 250


class WritePacing:
    """The size of the next write transaction and when the lock may be taken again."""

    def __init__(self) -> None:
        self.size = FIRST_WRITE_SIZE  # articles in the next write transaction
        self.committed = float("-inf")  # when the last write transaction ended
        self.free_for = 0.0  # how long the lock is to be left free after it

    @property
    def free_until(self) -> float:
        """Until when the lock is to be left free after the last commit."""
        return self.committed + self.free_for

    def wrote(self, written: int, started: float, committed: float, one_writer: bool) -> None:
        """A transaction of `written` articles ran from `started` to `committed`
        (`time.perf_counter`); `one_writer`: the database has one write lock (SQLite) that
        another process may be waiting for (`backfile.database_users`)."""
        self.committed = committed
        self.free_for = lock_free_after(committed - started) if one_writer else 0.0
        self.size = next_write_size(written, committed - started)


def next_write_size(written: int, seconds: float) -> int:
    """As many articles as the last transaction wrote in WRITE_SECONDS (at most twice as
    many as it wrote, so one quick write does not make the next a long one)."""
    fitting = int(WRITE_SECONDS * written / max(seconds, 1e-6))
    return max(MIN_WRITE_SIZE, min(MAX_WRITE_SIZE, 2 * written, fitting))


def lock_free_after(held: float) -> float:
    """Seconds to leave SQLite's write lock free after holding it `held` seconds: the
    interval between two retries of a writer that began waiting for it meanwhile (a
    writer that began waiting earlier in the transaction retries less often)."""
    waited = 0.0
    for delay in BUSY_RETRY_DELAYS:
        if waited + delay / 1000 > held:
            return max(LEAST_FREE_SECONDS, delay / 1000)
        waited += delay / 1000
    return BUSY_RETRY_DELAYS[-1] / 1000
