"""Articles from a zoned print source: a METS logical structure map over ALTO blocks.

The METS/ALTO newspaper profile (Europeana Newspapers, the Dutch, Austrian and Luxembourg
libraries, many vendors) describes each article as a div of `TYPE="ARTICLE"` whose `area`s
name the ALTO blocks it is made of (`FILEID` the page's ALTO, `BEGIN` the block's id),
across pages, in reading order. Each such article becomes an `ArticleRecord`:

- its title is the div's `LABEL`, else its first heading block (one the METS puts in a
  `HEADING`/`TITLE` div), else the start of its first paragraph;
- its body is a paragraph per text block (lines joined, hyphenated words whole), a
  heading for each heading block but the title;
- its `regions` are its blocks' boxes on their pages, `pages` the pages' printed labels;
- its key is the issue's and the div's ids, so a re-ingest updates it;
- its blocks on the pages are marked with its id as their `zone`.

Blocks the METS names that are not on the pages read are noted on the article; an
article none of whose blocks are here is a notice, not a record.
"""

from __future__ import annotations

from collections.abc import Iterator

from backfile.ingest.page_records import TextBlock
from backfile.ingest.readers.mets import MetsIssue
from backfile.ingest.readers.ocr_files import OcrPage
from backfile.ingest.records import ArticleRecord, Block, IssueRecord, Notice, Region, Source

TITLE_WORDS = 12  # an untitled article's title: the first words of its first paragraph
MAX_TITLE = 1000


def zoned_articles(
    mets: MetsIssue,
    mets_path: str,
    issue_key: str,
    publication: str,
    issue: IssueRecord,
    pages: dict[str, tuple[int, OcrPage]],
    labels: dict[int, str],
) -> Iterator[ArticleRecord | Notice]:
    """The articles the METS zones, from the pages read (`pages`: a METS file id → the
    page's sequence and OCR; `labels`: a sequence → the page's printed label)."""
    for position, article in enumerate(mets.articles, start=1):
        name = f"article {article.id}" + (f" “{article.label}”" if article.label else "")
        found: list[tuple[TextBlock, int, bool]] = []
        notes: list[str] = []
        for area in article.areas:
            page = pages.get(area.file_id)
            if page is None:
                notes.append(f"its block {area.begin} is on a page not read ({area.file_id})")
                continue
            sequence, ocr = page
            block = ocr.ids.get(area.begin)
            if block is None:
                label = labels.get(sequence) or sequence
                notes.append(f"its block {area.begin} is not in the OCR of page {label}")
                continue
            block.zone = article.id
            found.append((block, sequence, area.heading))
        if not found:
            yield Notice(mets_path, f"{name}: none of its blocks are on the pages read; not made")
            continue
        body = [
            Block("heading" if heading else "paragraph", text)
            for block, _, heading in found
            if (text := paragraph_text(block))
        ]
        title = article.label or next((b.text for b in body if b.type == "heading"), "")
        if body and body[0].type == "heading" and body[0].text == title:
            body.pop(0)
        if not title and body:
            title = " ".join(body[0].text.split()[:TITLE_WORDS])
        sequences = list(dict.fromkeys(sequence for _, sequence, _ in found))
        first_page = pages[next(a.file_id for a in article.areas if a.file_id in pages)][1]
        yield ArticleRecord(
            publication=publication,
            key=f"{issue_key}#{article.id}",
            issue=issue,
            title=(title or f"Untitled ({article.id})")[:MAX_TITLE],
            source=Source.of(f"{mets_path}#{article.id}", "ndnp", article.xml),
            pages=page_range([labels.get(s) or str(s) for s in sequences]),
            position=position,
            language=first_page.language,
            blocks=body,
            notes=notes,
            regions=[Region(s, b.x, b.y, b.w, b.h) for b, s, _ in found if b.w and b.h],
        )


def paragraph_text(block: TextBlock) -> str:
    """A block's lines as one paragraph (a line break in print is a space)."""
    return " ".join(text for line in block.lines if (text := line.text))


def page_range(labels: list[str]) -> str:
    """`["3"]` → `3`; `["3", "4"]` → `3-4`; `["1", "5"]` → `1, 5`: as a contents page prints."""
    if len(labels) == 1:
        return labels[0]
    numbers = [int(label) for label in labels if label.isdigit()]
    if len(numbers) == len(labels) and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]}-{numbers[-1]}"
    return ", ".join(labels)
