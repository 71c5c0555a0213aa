"""Signals other apps listen to, so the archive never has to know about them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.dispatch import Signal

# Sent with `articles` (a list) once those articles and their bylines, reviews and
# sources are all written, inside the transaction that wrote them. The loader
# sends it once per batch, the editors' desk once per correction; the search
# index listens so it stays in step, indexing a whole batch at once.
#
# A sender that passes `finish_later=True` (the loader) lets a receiver return
# PendingWork, and finishes it before the transaction commits: the search index
# analyses a batch's text in worker processes while the loader reads on.
articles_changed = Signal()


@dataclass
class PendingWork:
    """What a receiver of `articles_changed` began and its sender finishes before the commit.

    Until `ready()` says the work would finish without waiting, the sender may
    do its own (the loader reads further ahead, so its next batch grows).
    """

    finish: Callable[[], object]
    ready: Callable[[], bool] = lambda: True
