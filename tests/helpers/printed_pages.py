"""Printed pages of an invented periodical, as a print reader would yield them: page images
made with Pillow (grey paper, dark bars where the words are) and PageRecords whose words
have boxes on them."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from backfile.ingest.page_records import PageRecord, TextBlock, TextLine, Word
from backfile.ingest.records import ArticleRecord, AssetRecord, Block, IssueRecord, Region, Source

PUBLICATION = "The Lamplighter"
WIDTH, HEIGHT = 600, 800


def lamplighter_issue(**fields) -> IssueRecord:
    return IssueRecord(year=1916, number=12, month=3, day=4, **fields)


def page_image(lines: list[str], seed: int = 0, size: tuple[int, int] = (WIDTH, HEIGHT)) -> bytes:
    """A PNG of a page: a bar for every word of `lines` (different pages, different bytes)."""
    image = Image.new("L", size, 235 - seed % 20)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        x = 40
        for word in line.split():
            draw.rectangle([x, 60 + number * 30, x + 12 * len(word), 80 + number * 30], fill=30)
            x += 12 * len(word) + 12
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def text_block(lines: list[str], top: int = 60, role: str = "text", zone: str = "") -> TextBlock:
    """A block of the lines, each word boxed as `page_image` draws it, confidence 90."""
    made = []
    for number, line in enumerate(lines):
        x, words = 40, []
        for word in line.split():
            words.append(Word(word, x, top + number * 30, 12 * len(word), 20, 90.0))
            x += 12 * len(word) + 12
        made.append(TextLine(words))
    return TextBlock(role, 40, top, WIDTH - 80, 30 * len(lines), made, zone)


def printed_page(
    sequence: int,
    lines: list[str] | None = None,
    label: str | None = None,
    issue: IssueRecord | None = None,
    **fields,
) -> PageRecord:
    """Page `sequence` of the Lamplighter's issue 12, with its image as bytes and its text."""
    lines = lines or [f"Page {sequence} of the Lamplighter", "the lamps are lit at dusk"]
    image = fields.pop("image_bytes", None) or page_image(lines, seed=sequence)
    asset = AssetRecord.of_bytes(image, media_type="image/png", filename=f"page-{sequence}.png")
    fields.setdefault("blocks", [text_block(lines)])
    fields.setdefault("text_source", "ocr")
    fields.setdefault("language", "en")
    return PageRecord(
        publication=PUBLICATION,
        issue=issue or lamplighter_issue(),
        sequence=sequence,
        source=Source.of(f"lamplighter/1916-03-04.pdf#page={sequence}", "pdf", ""),
        label=str(sequence) if label is None else label,
        image=asset.sha256,
        assets=[asset, *fields.pop("more_assets", [])],
        **fields,
    )


def lamplighter_article(title: str, pages: str = "", **fields) -> ArticleRecord:
    """An article of the same issue, its printed `pages` as given."""
    key = fields.pop("key", f"lamplighter:{title}")
    fields.setdefault("blocks", [Block("paragraph", f"The words of {title}.")])
    return ArticleRecord(
        publication=PUBLICATION,
        key=key,
        issue=fields.pop("issue", None) or lamplighter_issue(),
        title=title,
        pages=pages,
        source=Source.of(f"lamplighter/{key}.txt", "test", title),
        **fields,
    )


def region(sequence: int, x: int, y: int, w: int, h: int, **fields) -> Region:
    return Region(sequence, x, y, w, h, **fields)
