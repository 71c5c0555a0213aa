"""Signals other apps listen to, so the archive never has to know about them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from backfile.archive.models import Article

# Sent with `articles` (a list) once those articles and their bylines, reviews and
# sources are all written, inside the transaction that wrote them. The loader
# sends it once per write, the editors' desk once per correction; the search
# index listens so it stays in step, writing the articles' rows there and then,
# in the sender's thread and transaction (never in worker processes: a web
# request must not fork).
#
# A sender that announced the articles beforehand with `articles_coming` passes
# `prepared`: a list of what that signal's receivers began, finished. It is a
# hint; each receiver takes what it recognises of it and checks it against the
# articles as written.
articles_changed = Signal()

# Sent by a sender about to write many articles (the loader), BEFORE it opens the
# transaction that writes them, with `previews` (a list of ArticlePreview) and
# `workers` (a concurrent.futures Executor the sender owns and shuts down, or
# None: then a receiver works in this process). A receiver may begin slow work
# that depends only on what the articles will say, and return PendingWork; the
# sender reads on while it is not ready, finishes it outside any transaction, and
# passes the results to `articles_changed` as `prepared`. Nothing in the database
# may be written here: the write transaction stays short, so that a reader's
# reply posted during an ingest gets SQLite's one write lock promptly.
articles_coming = Signal()


@dataclass
class ArticlePreview:
    """An article as it is about to be written: unsaved, with its fields (its publication
    possibly unsaved too), the names of its bylines and its reviewed works."""

    article: Article
    # (the name as printed, the name the authority file has for the author)
    bylines: list[tuple[str, str]] = field(default_factory=list)
    works: list[tuple[str, str]] = field(default_factory=list)  # (title, author)


@dataclass
class PendingWork:
    """What a receiver of `articles_coming` began and its sender finishes before writing.

    Until `ready()` says the work would finish without waiting, the sender may
    do its own (the loader reads further ahead, so its next batch grows).
    """

    finish: Callable[[], object]
    ready: Callable[[], bool] = lambda: True


# Sent by an ingest run (`backfile.ingest.pipeline.ingest`) once every batch it stored
# is committed, outside any transaction, with `report` (the run's RunReport: its entries,
# and `incoming`, the versions its conflicts did not apply) and `progress` (a
# callable(what, done, total) for long work, or None). Receivers do what needs the whole
# run's articles in place (related articles; the desk's conflicts and notices), in
# transactions of their own. Not sent for a run that stopped.
ingest_finished = Signal()
