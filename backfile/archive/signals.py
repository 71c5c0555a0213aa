"""Signals other apps listen to, so the archive never has to know about them."""

from django.dispatch import Signal

# Sent with `articles` (a list) once those articles and their bylines, reviews and
# sources are all written, inside the transaction that wrote them. The loader
# sends it once per batch, the editors' desk once per correction; the search
# index listens so it stays in step, indexing a whole batch at once.
articles_changed = Signal()
