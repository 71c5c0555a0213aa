"""Pages of pictures (a photograph, a chart, a gallery) and picture files: not articles.

They are for the pictures' own ingest, not this one; but a file given to an
ingest never vanishes without a word, and such a file is no unknown format
either. So a page that is mostly its images (a few words of caption each), or
an image file, is reported as what it is, with its images named.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

IMAGE = re.compile(rb"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
WORDS_PER_PICTURE = 40  # a caption's words; a page with more text per image is not a gallery
WORDS_BESIDE = 60  # a title, a credit, a line of navigation
IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)
SITE_CHROME = re.compile(r"(?:spacer|blank|pixel|logo|banner|button|arrow|line|dot)\w*\.\w+$", re.I)


def picture_file(head: bytes) -> str:
    """`a JPEG image …` for an image file, else ""."""
    for magic, name in IMAGE_MAGIC:
        if head.startswith(magic):
            return f"a {name} image, not an article: stored with the figures that show it"
    return ""


def picture_page(text: str | bytes) -> str:
    """A sentence saying what pictures the page shows, or "" when it is not a page of pictures."""
    data = text.encode("utf-8", "replace") if isinstance(text, str) else text
    sources = [s.decode("ascii", "replace") for s in IMAGE.findall(data)]
    pictures = [s for s in sources if not SITE_CHROME.search(s)]
    if not pictures:
        return ""
    try:
        root = lxml_html.fromstring(data)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return ""
    for hidden in root.xpath("//script|//style|//title|//head"):
        hidden.drop_tree()
    words = len(root.text_content().split())
    if words > WORDS_BESIDE + WORDS_PER_PICTURE * len(pictures):
        return ""
    names = ", ".join(s.rsplit("/", 1)[-1] for s in pictures[:3])
    more = f" and {len(pictures) - 3} more" if len(pictures) > 3 else ""
    return (
        f"picture page ({len(pictures)} image{'s' if len(pictures) != 1 else ''}: {names}{more}; "
        f"{words} words of text): not an article, left for the ingest of pictures"
    )
