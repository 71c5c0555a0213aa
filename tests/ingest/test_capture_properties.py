"""Page captures written out from a known article, in every variation, read back to that article."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from backfile.ingest.readers.capture import parse_capture
from backfile.ingest.records import Block, ReviewedWork

WORDS = [
    "wage",
    "mill",
    "coal",
    "rent",
    "union",
    "strike",
    "market",
    "loom",
    "pit",
    "dock",
    "council",
    "price",
    "shift",
    "hall",
]
NAMES = ["Ada Brook", "Ian Moor", "Kay de Vries", "E. B.", "J.D.", "Tom O’Hara"]
SECTIONS = ["", "Editorial", "Book Review", "Letter", "Obituary", "Features", "Notes by the Way"]
INDENTS = ["\u00a0\u00a0\u00a0 ", "    ", "\t", "\u00a0 \u00a0 \u00a0"]


@dataclass
class Article:
    """What the capture says, as the reader should find it."""

    section: str
    title: str
    standfirst: str
    authors: list[str]
    works: list[ReviewedWork]
    blocks: list[Block] = field(default_factory=list)


sentences = st.lists(st.sampled_from(WORDS), min_size=4, max_size=14).map(
    lambda words: " ".join(words).capitalize() + "."
)
title_words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(
    lambda words: " ".join(w.capitalize() for w in words)
)


@st.composite
def quotations(draw, depth: int = 1) -> Block:
    """A quotation whose nested quotations never touch (touching ones would read as one)."""
    children: list[Block] = []
    for _ in range(draw(st.integers(1, 4))):
        nest = depth < 3 and children and children[-1].type == "paragraph" and draw(st.booleans())
        children.append(
            draw(quotations(depth + 1)) if nest else Block("paragraph", draw(sentences))
        )
    return Block("quotation", blocks=children)


@st.composite
def bodies(draw) -> list[Block]:
    """Paragraphs with quotations between them; two quotations never touch."""
    blocks = [Block("paragraph", draw(sentences))]
    for _ in range(draw(st.integers(0, 5))):
        quote = blocks[-1].type == "paragraph" and draw(st.booleans())
        blocks.append(draw(quotations()) if quote else Block("paragraph", draw(sentences)))
    return blocks


@st.composite
def articles(draw) -> Article:
    section = draw(st.sampled_from(SECTIONS))
    works = []
    if section == "Book Review":
        works = [
            ReviewedWork(
                title=draw(title_words),
                author=draw(st.sampled_from(NAMES[:3])),
                publisher="Fenner Press",
                place=draw(st.sampled_from(["", "Hull"])),
                year=draw(st.sampled_from([None, 1938])),
                price=draw(st.sampled_from(["", "3s. 6d."])),
            )
        ]
    return Article(
        section=section,
        title=draw(title_words),
        standfirst=draw(st.sampled_from(["", "A look at the facts", "What the mills earn"])),
        authors=draw(st.lists(st.sampled_from(NAMES), max_size=3, unique=True)),
        works=works,
        blocks=draw(bodies()),
    )


def byline(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def review_line(work: ReviewedWork) -> str:
    imprint = [work.publisher, work.place, str(work.year or ""), work.price]
    return f"‘{work.title}’, by {work.author}. ({', '.join(i for i in imprint if i)})"


def paragraphs(block: Block, indent: str, depth: int) -> list[str]:
    if block.type == "paragraph":
        return [indent * depth + block.text]
    return [line for inner in block.blocks for line in paragraphs(inner, indent, depth + 1)]


@st.composite
def captures(draw) -> tuple[str, Article]:
    article = draw(articles())
    indent = draw(st.sampled_from(INDENTS))
    wrap = draw(st.sampled_from(["‘{}’", "“{}”", "'{}'", '"{}"', "{}"]))
    title = wrap.format(article.title)
    parts = ["1930s >> 1938 >> no-52-april-1938", f"{article.section}: {title}".lstrip(": ")]
    parts += [article.standfirst] if article.standfirst else []
    parts += [review_line(w) for w in article.works]
    parts += [line for block in article.blocks for line in paragraphs(block, indent, 0)]
    parts += [byline(article.authors)] if article.authors else []
    parts += ["Leave a Reply"] if draw(st.booleans()) else []
    trailing = draw(st.sampled_from(["", " ", "\u00a0", " \t"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = (newline * 2).join(part + trailing for part in parts) + newline
    return ("\ufeff" if draw(st.booleans()) else "") + text, article


@settings(max_examples=200, deadline=None)
@given(captures())
def test_a_capture_reads_back_as_the_article_it_was_written_from(capture):
    text, expected = capture

    record = parse_capture(text, "the-lantern/generated.txt", "The Lantern")

    assert record.section == expected.section
    assert record.title == expected.title
    assert record.standfirst == expected.standfirst
    assert record.authors == expected.authors
    assert record.reviewed_works == expected.works
    assert record.blocks == expected.blocks
    assert (record.issue.number, record.issue.month, record.issue.year) == (52, 4, 1938)
    assert record.source.text == text
