"""The check every record passes before it is stored: types and real dates.

Readers build records from what sources say, and a source can say anything
(`"title": 7` in a JSONL line, `month: 13`, a capture dated `february-30`). A
record that fails here is reported as a Failure of its own source and nothing
of it is stored, while every other record goes in; nothing the database or the
pages would choke on gets that far. The check is cheap: types and ranges, no
queries.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from backfile.archive.dates import date_problem
from backfile.ingest.page_records import BLOCK_ROLES, TEXT_SOURCES, PageRecord, TextBlock
from backfile.ingest.records import (
    BLOCK_CHILDREN,
    BLOCK_TYPES,
    FLOW_TYPES,
    MEDIA_TYPES,
    REPLY_STATUSES,
    ArticleRecord,
    AssetRecord,
    AssetUse,
    Block,
    Contributor,
    IssueRecord,
    Region,
    ReplyRecord,
    ReviewedWork,
    Source,
)

TEXT_FIELDS = (
    "slug", "section", "kicker", "standfirst", "summary", "pages", "language", "original_url",
)  # fmt: skip
REQUIRED_TEXT = ("publication", "key", "title")
TEXT_LISTS = ("authors", "subjects", "attachments", "notes")
SHA256 = re.compile(r"[0-9a-f]{64}")
MUST_HOLD = frozenset(("list", "table", "table_row", "notes"))  # never stored empty
PIXELS = range(0, 2**31)  # a box's numbers, as the database keeps them


def record_problem(record: ArticleRecord) -> str:
    """Why this record cannot be stored (`title is 7, not text`), or "" when it can."""
    for name in REQUIRED_TEXT:
        value = getattr(record, name)
        if not isinstance(value, str):
            return f"{name} is {value!r}, not text"
        if not value.strip():
            return f"{name} is empty"
    for name in TEXT_FIELDS:
        if not isinstance(getattr(record, name), str):
            return f"{name} is {getattr(record, name)!r}, not text"
    for name in TEXT_LISTS:
        values = getattr(record, name)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return f"{name} must be a list of texts, not {values!r}"
    for contributor in record.contributors if isinstance(record.contributors, list) else [None]:
        if not isinstance(contributor, Contributor) or not all(
            isinstance(v, str) and v.strip() for v in (contributor.name, contributor.role)
        ):
            return f"contributors must be a list of names with roles, not {record.contributors!r}"
    if record.position is not None and not _whole(record.position):
        return f"position is {record.position!r}, not a whole number"
    if record.published is not None and (
        not isinstance(record.published, date) or isinstance(record.published, datetime)
    ):
        return f"published is {record.published!r}, not a date"
    return (
        _issue_problem(record.issue)
        or _source_problem(record.source)
        or blocks_problem(record.blocks)
        or _works_problem(record.reviewed_works)
        or _replies_problem(record.replies)
        or assets_problem(record.assets)
        or _cover_problem(record)
        or regions_problem(record.regions)
    )


def record_path(record: ArticleRecord) -> str:
    """Where a record came from, for the report, however broken the record."""
    path = getattr(record.source, "path", "")
    return path if isinstance(path, str) and path else f"(record {record.key!r})"


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _issue_problem(issue: object) -> str:
    if not isinstance(issue, IssueRecord):
        return f"issue is {issue!r}, not an issue"
    problem = date_problem(issue.year, issue.month, issue.day)
    if problem:
        return f"the issue's date is impossible: {problem}"
    for name in ("number", "volume"):
        value = getattr(issue, name)
        if value is not None and not _whole(value):
            return f"the issue's {name} is {value!r}, not a whole number"
    for name in ("slug", "title", "cover", "pdf"):
        if not isinstance(getattr(issue, name), str):
            return f"the issue's {name} is {getattr(issue, name)!r}, not text"
    if issue.pdf and not SHA256.fullmatch(issue.pdf):
        return f"the issue's pdf is {issue.pdf!r}, not 64 lower-case hex digits"
    return ""


def _cover_problem(record: ArticleRecord) -> str:
    """The issue's cover names one of the record's assets (which brings its file)."""
    cover = record.issue.cover
    if not cover:
        return ""
    if not SHA256.fullmatch(cover):
        return f"the issue's cover is {cover!r}, not 64 lower-case hex digits"
    if all(asset.sha256 != cover for asset in record.assets):
        return f"the issue's cover {cover} is not among the record's assets"
    return ""


def _source_problem(source: object) -> str:
    if not isinstance(source, Source):
        return f"source is {source!r}, not a source"
    for name in ("path", "format", "sha256", "text"):
        if not isinstance(getattr(source, name), str):
            return f"the source's {name} is not text"
    return ""


def blocks_problem(blocks: object, depth: int = 0, parent: str = "") -> str:
    """Why the body cannot be stored, naming the block (`block 3 (list), block 2: …`)."""
    if not isinstance(blocks, list):
        return f"blocks is {blocks!r}, not a list"
    allowed = BLOCK_CHILDREN.get(parent, FLOW_TYPES | {"notes"}) if parent else None
    for number, block in enumerate(blocks, start=1):
        problem = _block_problem(block, depth, parent, allowed, last=number == len(blocks))
        if problem:
            kind = getattr(block, "type", None)
            named = f" ({kind})" if isinstance(kind, str) and kind in BLOCK_TYPES else ""
            return (
                f"block {number}{named}: {problem}"
                if not problem.startswith("block")
                else (f"block {number}{named}, {problem}")
            )
    return ""


def _block_problem(block: object, depth: int, parent: str, allowed, last: bool) -> str:
    if not isinstance(block, Block):
        return f"{block!r} is not a block"
    if not (isinstance(block.type, str) and isinstance(block.text, str)):
        return f"type and text must be text, not {block.type!r} and {block.text!r}"
    if block.type not in BLOCK_TYPES:
        return f"type {block.type!r} is not one of {', '.join(BLOCK_TYPES)}"
    if allowed is not None and block.type not in allowed:
        where = f"a {parent}" if parent else "the body"
        return f"{where} may not hold a {block.type} (only {', '.join(sorted(allowed))})"
    if block.type == "notes" and not last:
        return "the notes must be the body's last block"
    if not isinstance(block.html, str):
        return f"html is {block.html!r}, not text"
    if (block.assets or block.credit) and (problem := _figure_problem(block)):
        return problem
    if (block.type in MEDIA_TYPES or block.url or block.provider) and (
        problem := _media_problem(block)
    ):
        return problem
    if block.start is not None and (block.type != "list" or not _whole(block.start)):
        return f"start {block.start!r} belongs only to a list, as a whole number"
    if not isinstance(block.label, str) or (block.label and block.type != "note"):
        return f"label {block.label!r} belongs only to a note, as text"
    if block.type == "note" and not block.label.strip():
        return "a note needs the label its marker printed"
    if block.type in MUST_HOLD and not block.blocks:
        return f"a {block.type} holds nothing"
    if block.blocks:
        if block.type not in BLOCK_CHILDREN:
            return f"a {block.type} holds no blocks"
        if depth >= 50:
            return "blocks nested more than 50 deep"
        return blocks_problem(block.blocks, depth + 1, block.type)
    return ""


def _works_problem(works: object) -> str:
    if not isinstance(works, list):
        return f"reviewed_works is {works!r}, not a list"
    for work in works:
        if not isinstance(work, ReviewedWork):
            return f"a reviewed work is {work!r}"
        for name in ("title", "author", "publisher", "place", "price"):
            if not isinstance(getattr(work, name), str):
                return f"a reviewed work's {name} is {getattr(work, name)!r}, not text"
        if work.year is not None and not _whole(work.year):
            return f"a reviewed work's year is {work.year!r}, not a whole number"
    return ""


def _replies_problem(replies: object) -> str:
    if not isinstance(replies, list):
        return f"replies is {replies!r}, not a list"
    for reply in replies:
        if not isinstance(reply, ReplyRecord):
            return f"a reply is {reply!r}"
        for name in ("key", "author_name", "text", "author_email", "author_url", "parent_key"):
            if not isinstance(getattr(reply, name), str):
                return f"reply {reply.key!r}: {name} is {getattr(reply, name)!r}, not text"
        if reply.status not in REPLY_STATUSES:
            return f"reply {reply.key!r}: status {reply.status!r} is not one of {REPLY_STATUSES}"
        if reply.created is not None and not isinstance(reply.created, datetime):
            return f"reply {reply.key!r}: created is {reply.created!r}, not a date and time"
    return ""


def _figure_problem(block: Block) -> str:
    if block.type != "figure":
        return "assets and credit belong only to a figure"
    if not isinstance(block.credit, str):
        return f"a figure's credit is {block.credit!r}, not text"
    if not isinstance(block.assets, list):
        return f"a figure's assets is {block.assets!r}, not a list"
    for use in block.assets:
        if not isinstance(use, AssetUse):
            return f"a figure's picture is {use!r}, not a picture"
        if not all(isinstance(getattr(use, n), str) for n in ("alt", "caption", "credit", "url")):
            return "a figure's picture has alt, caption, credit and url that are not all text"
        if use.sha256 and not (isinstance(use.sha256, str) and SHA256.fullmatch(use.sha256)):
            return f"a figure's sha256 is {use.sha256!r}, not 64 lower-case hex digits"
    return ""


def _media_problem(block: Block) -> str:
    if block.type not in MEDIA_TYPES:
        return f"url and provider belong only to {', '.join(sorted(MEDIA_TYPES))} blocks"
    if not isinstance(block.url, str) or not isinstance(block.provider, str):
        return f"the {block.type} block's url and provider must be text"
    if not block.url.strip():
        return f"the {block.type} block needs the url it plays or shows from"
    return ""


def assets_problem(assets: object) -> str:
    """Why a record's asset list cannot be stored: each names its bytes by SHA-256 and has
    whole pixel sizes (or none)."""
    if not isinstance(assets, list):
        return f"assets is {assets!r}, not a list"
    for asset in assets:
        if not isinstance(asset, AssetRecord):
            return f"an asset is {asset!r}, not an asset"
        if not (isinstance(asset.sha256, str) and SHA256.fullmatch(asset.sha256)):
            return f"an asset's sha256 is {asset.sha256!r}, not 64 lower-case hex digits"
        for name in ("width", "height"):
            value = getattr(asset, name)
            if value is not None and not (_whole(value) and value > 0):
                return f"an asset's {name} is {value!r}, not a whole number of pixels"
        for name in ("media_type", "filename", "source_url", "alt", "caption", "credit"):
            if not isinstance(getattr(asset, name), str):
                return f"an asset's {name} is {getattr(asset, name)!r}, not text"
    return ""


def page_problem(page: PageRecord) -> str:
    """Why this page cannot be stored (`sequence is 0, not a page's number from 1`), or ""."""
    if not isinstance(page.publication, str) or not page.publication.strip():
        return f"publication is {page.publication!r}, not a name"
    if not _whole(page.sequence) or not 0 < page.sequence < PIXELS.stop:
        return f"sequence is {page.sequence!r}, not a page's number from 1"
    for name, longest in (("label", 40), ("language", 35)):
        value = getattr(page, name)
        if not isinstance(value, str) or len(value) > longest:
            return f"{name} is {value!r}, not text of at most {longest} characters"
    if page.text_source not in (*TEXT_SOURCES, ""):
        return f"text_source is {page.text_source!r}, not one of {', '.join(TEXT_SOURCES)}"
    for name in ("width", "height"):
        value = getattr(page, name)
        if value is not None and not (_whole(value) and 0 < value < PIXELS.stop):
            return f"{name} is {value!r}, not a whole number of pixels"
    if not isinstance(page.notes, list) or not all(isinstance(n, str) for n in page.notes):
        return f"notes must be a list of texts, not {page.notes!r}"
    return (
        _issue_problem(page.issue)
        or _source_problem(page.source)
        or assets_problem(page.assets)
        or _image_problem(page)
        or _text_blocks_problem(page.blocks)
        or regions_problem(page.figures, "a figure")
    )


def _image_problem(page: PageRecord) -> str:
    if not isinstance(page.image, str) or not page.image:
        return "" if page.image == "" else f"image is {page.image!r}, not a SHA-256"
    if not SHA256.fullmatch(page.image):
        return f"image is {page.image!r}, not 64 lower-case hex digits"
    if all(asset.sha256 != page.image for asset in page.assets):
        return f"the page image {page.image} is not among the page's assets"
    return ""


def _text_blocks_problem(blocks: object) -> str:
    if not isinstance(blocks, list):
        return f"blocks is {blocks!r}, not a list"
    for number, block in enumerate(blocks, start=1):
        if not isinstance(block, TextBlock):
            return f"block {number} is {block!r}, not a block of lines"
        if block.role not in BLOCK_ROLES:
            return f"block {number}'s role is {block.role!r}, not one of {', '.join(BLOCK_ROLES)}"
        if not all(
            _whole(n) and abs(n) < PIXELS.stop for n in (block.x, block.y, block.w, block.h)
        ):
            return f"block {number}'s box is not whole numbers of pixels"
        if not isinstance(block.zone, str) or not isinstance(block.lines, list):
            return f"block {number}'s zone must be text and its lines a list"
        for line in block.lines:
            words = getattr(line, "words", None)
            if not isinstance(words, list):
                return f"block {number} has a line {line!r} that is not a line of words"
            for word in words:
                if problem := _word_problem(word):
                    return f"block {number}: {problem}"
    return ""


def _word_problem(word: object) -> str:
    text = getattr(word, "text", None)
    if not isinstance(text, str):
        return f"a word is {word!r}, not a word"
    if not all(_whole(getattr(word, n)) and abs(getattr(word, n)) < PIXELS.stop for n in "xywh"):
        return f"the word {text!r} has a box that is not whole numbers of pixels"
    confidence = word.confidence
    if confidence is not None and (
        isinstance(confidence, bool)
        or not isinstance(confidence, (int, float))
        or not math.isfinite(confidence)
    ):
        return f"the word {text!r} has a confidence {confidence!r} that is not a number"
    return ""


def regions_problem(regions: object, what: str = "a region") -> str:
    """Why a list of regions (an article's on its pages, a page's figures) cannot be stored."""
    if not isinstance(regions, list):
        return f"{what}s must be a list, not {regions!r}"
    for region in regions:
        if not isinstance(region, Region):
            return f"{what} is {region!r}, not a region"
        if not _whole(region.sequence) or not 0 < region.sequence < PIXELS.stop:
            return f"{what}'s page is {region.sequence!r}, not a page's number from 1"
        if not all(_whole(n) and n in PIXELS for n in (region.x, region.y, region.w, region.h)):
            return f"{what}'s box is not whole numbers of pixels from 0"
        if not isinstance(region.caption, str) or not isinstance(region.article, str):
            return f"{what}'s caption and article must be text"
    return ""
