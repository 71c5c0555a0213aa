"""Signals other apps listen to, so the archive never has to know about them."""

from django.dispatch import Signal

# Sent with `articles` (a list) once those articles and their bylines, reviews and
# sources are all written, inside the transaction that wrote them. The loader
# sends it once per batch, the editors' desk once per correction; the search
# index listens so it stays in step, indexing a whole batch at once.
#
# A sender that passes `finish_later=True` (the loader) lets a receiver return a
# callable with the rest of its work, and calls it before the transaction commits:
# the search index analyses a batch's text in a worker process while the loader
# reads its next batch of sources.
articles_changed = Signal()
