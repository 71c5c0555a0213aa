"""What the authority file tells other apps, so that it never has to know them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `article_ids` (a list) when those articles' mentions were linked again for a
# change that is not in their text (an entry or alias saved, merged or deleted; `backfile
# link-mentions`), once they are written. Related articles listen: the lists of those
# articles are made again by their next refresh, with the entries they now mention.
mentions_relinked = Signal()
