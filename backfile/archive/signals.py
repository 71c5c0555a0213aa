"""Signals other apps listen to, so the archive never has to know about them."""

from django.dispatch import Signal

# Sent with `article` once an article and its bylines, reviews and source are all
# written, inside the transaction that wrote them (the loader and the editors'
# desk both send it). The search index listens so it stays in step.
article_changed = Signal()

# Sent with `article_ids` just before articles are deleted, inside the transaction.
articles_deleting = Signal()
