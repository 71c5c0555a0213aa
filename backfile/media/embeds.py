"""Audio, video and embed blocks as HTML: a card with a plain link, never a player.

An embedded YouTube film, a tweet or a sound file on the source's own server would
make the reader's browser ask a third party for it, on every page view, and show
whatever that party serves today. So the page shows a card instead: what it is
(`Video`, `Audio`, `Embed`), its caption or title, the service (`YouTube`) and the
address, as an ordinary link that loads nothing until the reader follows it. The
template is `media/embed.html`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

KINDS = {"audio": "Audio", "video": "Video", "embed": "Embed"}


def render_media(block: dict) -> SafeString:
    url = str(block.get("url") or "")
    kind = block.get("type", "embed")
    parts = urlsplit(url) if url else None
    linkable = parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)
    return render_to_string(
        "media/embed.html",
        {
            "kind": kind,
            "kind_label": KINDS.get(kind, "Embed"),
            "title": str(block.get("text") or ""),
            "provider": str(block.get("provider") or ""),
            "url": url,
            "href": url if linkable else "",
            "host": parts.netloc.removeprefix("www.") if linkable else "",
        },
    )
