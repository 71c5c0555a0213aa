"""What the facsimiles app tells others.

`pages_stored` is sent by the loader once a batch of pages is committed, with the pages
(`pages`: a list of `Page`) whose image or text changed: the IIIF tiles, the search index and
the page cache act on it.
"""

from django.dispatch import Signal

pages_stored = Signal()
