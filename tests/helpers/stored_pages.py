"""Printed pages for tests, made here: a page image drawn with Pillow (real words in Pillow's
own font, each word's box measured as it is drawn), stored through the media store like any
picture, and Page rows with a layout of those words, in an issue of their own.

`stored_issue()` gives an issue of three pages whose words and boxes the tests know exactly;
`pages_stored` is sent for them, so their tiles are made as the loader's pages' are.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from backfile.archive.models import Article, Issue, Publication
from backfile.facsimiles.models import ArticlePage, Page
from backfile.facsimiles.signals import pages_stored
from backfile.ingest.records import AssetRecord
from backfile.media.images import examine
from backfile.media.models import Asset
from backfile.media.store import AssetStore

WIDTH, HEIGHT = 1200, 1700
MARGIN = 80
FONT_SIZE = 40
LINE_GAP = 22

# Three pages of an invented weekly: words the tests search for, on lines of their own.
PAGES = [
    [
        ["The Harbour Gazette"],
        ["Dockers vote to strike", "at the Ferry Street depot"],
        ["The tram strike goes on", "into its second week."],
        ["A meeting at the Café Royal", "heard the tramway men."],
    ],
    [
        ["Letters to the editor"],
        ["Sir, the price of coal", "is a scandal to the town."],
        ["The TRAM STRIKE is no", "holiday for the workers."],
    ],
    [
        ["Shipping news"],
        ["The steamer Mercia sailed", "for Lisbon on Tuesday."],
    ],
]


@dataclass
class DrawnPage:
    data: bytes
    blocks: list[dict] = field(default_factory=list)
    text: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def draw_page(paragraphs: list[list[str]], width: int = WIDTH, height: int = HEIGHT) -> DrawnPage:
    """A page image with `paragraphs` (each a list of lines) in black on paper, and its layout:
    a block for each paragraph, a line for each line, a word box for each word as drawn."""
    image = Image.new("RGB", (width, height), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=FONT_SIZE)
    space = draw.textlength(" ", font=font)
    y = MARGIN
    blocks = []
    for paragraph in paragraphs:
        lines = []
        for line in paragraph:
            x = MARGIN
            words = []
            for word in line.split():
                left, top, right, bottom = (
                    round(n) for n in draw.textbbox((x, y), word, font=font)
                )
                draw.text((x, y), word, font=font, fill=(20, 20, 20))
                words.append([word, left, top, right - left, bottom - top, 91.5])
                x = right + space
            lines.append(words)
            y += FONT_SIZE + LINE_GAP
        y += FONT_SIZE
        blocks.append({"role": "text", "lines": lines})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    text = "\n\n".join("\n".join(paragraph) for paragraph in paragraphs)
    return DrawnPage(out.getvalue(), blocks, text)


def store_picture(data: bytes, filename: str = "page.jpg") -> Asset:
    """Store picture bytes as the loader does (original and display sizes); the Asset."""
    sha256 = hashlib.sha256(data).hexdigest()
    stored = Asset.objects.filter(sha256=sha256).first()
    if stored is not None:
        return stored
    record = AssetRecord(sha256=sha256, media_type="image/jpeg", filename=filename)
    picture = examine(data, settings.BACKFILE_MEDIA_MAX_PIXELS)
    AssetStore().save_examined(record, None, data, picture)
    return Asset.objects.get(sha256=sha256)


def stored_issue(
    slug: str = "harbour-gazette", pages: list[list[list[str]]] | None = None, announce=True
) -> Issue:
    """An issue of the pages drawn from `pages` (PAGES), their images stored, an article on
    its first page; `pages_stored` sent for them (their tiles made) if `announce`."""
    publication, _ = Publication.objects.get_or_create(
        slug=slug, defaults={"name": "The Harbour Gazette"}
    )
    issue = Issue.objects.create(publication=publication, number=12, year=1911, month=5, day=6)
    stored = []
    for sequence, paragraphs in enumerate(pages or PAGES, start=1):
        drawn = draw_page(paragraphs)
        store_picture(drawn.data, f"page-{sequence}.jpg")
        stored.append(
            Page.objects.create(
                issue=issue,
                sequence=sequence,
                label=str(sequence),
                image=drawn.sha256,
                width=WIDTH,
                height=HEIGHT,
                text=drawn.text,
                source_text=drawn.text,
                layout=drawn.blocks,
                text_source="ocr",
                confidence=91.5,
                language="en",
            )
        )
    article = Article.objects.create(
        publication=publication,
        issue=issue,
        key=f"{slug}-strike",
        slug="dockers-vote-to-strike",
        title="Dockers vote to strike",
        pages="1",
        blocks=[{"type": "paragraph", "text": "Dockers vote to strike."}],
    )
    ArticlePage.objects.create(article=article, page=stored[0], how="printed")
    if announce:
        pages_stored.send(sender=Page, pages=stored)
    return issue


def word_box(issue: Issue, sequence: int, word: str, occurrence: int = 0) -> list[int]:
    """The box `[x, y, w, h]` of `word` as drawn on that page (its `occurrence`-th)."""
    page = issue.pages.get(sequence=sequence)
    found = [
        w[1:5] for block in page.layout for line in block["lines"] for w in line if w[0] == word
    ]
    return found[occurrence]
