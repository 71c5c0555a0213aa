"""A figure block as HTML: `<picture>` with WebP and JPEG `srcset`s, width and height.

Called by the article body's block rendering (`backfile.archive.templatetags.reading`)
for each `figure` block, through the template `media/figure.html`. Every picture
declares its width and height (no layout shift when it arrives), loads lazily and
decodes off the main thread; the browser picks the size it needs from `srcset`.
A picture whose file is missing or could not be read shows a placeholder saying so
(not in the archive, or cannot be shown), with its alt text (or its caption) and,
where the source gave one, a link to where it was (an address that is no web
address, as a legacy page's `../../images/x.jpg`, as text).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from backfile.media.images import FORMATS
from backfile.media.models import Asset
from backfile.media.storage import media_storage

# The body is at most 37em wide (site.css --measure, about 40rem), the whole width below that.
SIZES = "(max-width: 42rem) 100vw, 40rem"
GALLERY_SIZES = "(max-width: 30rem) 100vw, 14rem"  # the gallery's grid: columns of 12rem or more
FALLBACK_WIDTH = 1024  # the `src` for browsers without srcset: the widest JPEG up to this


@dataclass
class Shown:
    """One picture of a figure as the template shows it."""

    alt: str
    caption: str
    credit: str
    url: str  # where the source had it
    original: str = ""  # the address as the source wrote it, where it is no web address
    asset: Asset | None = None
    sources: list[dict] | None = None  # [{"type": "image/webp", "srcset": "…"}]
    src: str = ""
    srcset: str = ""
    width: int | None = None
    height: int | None = None
    problem: str = ""

    @property
    def ready(self) -> bool:
        return bool(self.src)


def render_figure(block: dict) -> SafeString:
    """The figure block's HTML (see the module's docstring)."""
    uses = [u for u in block.get("assets", []) if isinstance(u, dict)]
    hashes = [u["sha256"] for u in uses if u.get("sha256")]
    stored = {a.sha256: a for a in Asset.objects.filter(sha256__in=hashes)} if hashes else {}
    pictures = [shown(use, stored.get(use.get("sha256", ""))) for use in uses]
    single = len(pictures) == 1
    if single:  # the figure's own caption and credit, else the picture's
        only = pictures[0]
        caption_text = block.get("text") or only.caption
        credit = block.get("credit") or only.credit
    else:
        caption_text, credit = block.get("text", ""), block.get("credit", "")
    return render_to_string(
        "media/figure.html",
        {
            "pictures": pictures,
            "gallery": not single,
            "caption": caption(block) if block.get("text") else caption_text,
            "credit": credit,
            "sizes": SIZES if single else GALLERY_SIZES,
        },
    )


def caption(block: dict) -> SafeString:
    from backfile.archive.templatetags.reading import inline_content

    return inline_content(block)


def shown(use: dict, asset: Asset | None) -> Shown:
    picture = Shown(
        alt=use.get("alt") or (asset.alt if asset else ""),
        caption=use.get("caption") or (asset.caption if asset else ""),
        credit=use.get("credit") or (asset.credit if asset else ""),
        url=web_address(use.get("url") or (asset.source_url if asset else "")),
        asset=asset,
    )
    if not picture.url:
        picture.original = use.get("url") or ""
        if picture.original.lower().lstrip().startswith(("javascript:", "data:", "vbscript:")):
            picture.original = ""
    if asset is None or not asset.derivatives:
        picture.problem = asset.problem if asset else ""
        return picture
    storage = media_storage()
    by_format = {
        extension: sorted(asset.sizes(extension), key=lambda d: d["width"])
        for extension, _type in FORMATS
    }
    fallback_extension, _fallback_type = FORMATS[-1]
    fallback = by_format[fallback_extension]
    if not fallback:
        return picture
    picture.sources = [
        {"type": media_type, "srcset": srcset(by_format[extension], storage)}
        for extension, media_type in FORMATS[:-1]
        if by_format[extension]
    ]
    picture.srcset = srcset(fallback, storage)
    widest = fallback[-1]
    picture.width, picture.height = widest["width"], widest["height"]
    src = [d for d in fallback if d["width"] <= FALLBACK_WIDTH] or fallback[:1]
    picture.src = storage.url(src[-1]["name"])
    return picture


def web_address(url: str) -> str:
    """The URL if it is an http(s) address with a host, one a reader may follow; else ""
    (also for an address `urlsplit` refuses, so stored data never breaks a page)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def srcset(sizes: list[dict], storage) -> str:
    return ", ".join(f"{storage.url(d['name'])} {d['width']}w" for d in sizes)
