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

from backfile.media.rendering import web_address

KINDS = {"audio": "Audio", "video": "Video", "embed": "Embed"}
# What an embed of these services is, so its card says `Video · YouTube`, not `Embed`.
SERVICES = {
    "Video": {"YouTube", "Vimeo", "Dailymotion", "VideoPress", "WordPress.tv", "TED", "TikTok"},
    "Audio": {"SoundCloud", "Spotify", "Mixcloud", "Pocket Casts", "Anghami", "ReverbNation"},
    "Post": {"Twitter", "Facebook", "Instagram", "Tumblr", "Reddit"},
    "Slides": {"SlideShare", "Speaker Deck"},
    "Photo": {"Flickr", "SmugMug", "Imgur"},
}


def render_media(block: dict) -> SafeString:
    url = str(block.get("url") or "")
    kind = block.get("type", "embed")
    provider = str(block.get("provider") or "")
    label = KINDS.get(kind, "Embed")
    if kind == "embed":
        label = next((name for name, names in SERVICES.items() if provider in names), label)
    href = web_address(url)
    host = urlsplit(href).netloc.removeprefix("www.") if href else ""
    return render_to_string(
        "media/embed.html",
        {
            "kind": kind,
            "kind_label": label,
            "title": str(block.get("text") or ""),
            "provider": provider,
            "url": url,
            "href": href,
            "host": host,
        },
    )
