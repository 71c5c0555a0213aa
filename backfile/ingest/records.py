"""Plain records: what every reader produces and the one loader stores.

Readers never touch the database. They turn a source (a page capture, a legacy
HTML page, a WordPress item, a JSONL line) into these dataclasses; the loader
(`backfile.ingest.loader`) stores them idempotently. The JSONL export is these
records serialised with `record_to_dict`, so the public format and the internal
contract are the same thing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime

BLOCK_TYPES = (
    "paragraph", "quotation", "section_break", "heading", "list", "list_item", "table",
    "table_row", "table_header", "table_cell", "notes", "note", "figure", "audio", "video", "embed",
)  # fmt: skip
# Media that play or show from elsewhere (a sound file, a film, a YouTube or Twitter embed):
# kept by their `url` (and `provider`), shown as plain links so a page loads nothing from afar.
MEDIA_TYPES = frozenset(("audio", "video", "embed"))
# What a block may hold in its `blocks`: the body's flow (paragraphs, quotations, lists,
# tables …) inside quotations, list items and notes; items in lists, rows in tables, cells
# in rows, notes in the one notes block at the end of the body. Other blocks hold none.
FLOW_TYPES = (
    frozenset(("paragraph", "quotation", "section_break", "heading", "list", "table", "figure"))
    | MEDIA_TYPES
)
BLOCK_CHILDREN = {
    "quotation": FLOW_TYPES,
    "list": frozenset(("list_item",)),
    "list_item": FLOW_TYPES,
    "table": frozenset(("table_row",)),
    "table_row": frozenset(("table_header", "table_cell")),
    "notes": frozenset(("note",)),
    "note": FLOW_TYPES,
}
REPLY_STATUSES = ("approved", "pending", "spam")


@dataclass
class AssetUse:
    """One picture as a figure block shows it: the asset (by the SHA-256 of its bytes; empty
    where the file is not among the sources) with what this use says about it. `url` is where
    the source had it, kept so that a figure whose file is missing can still name it."""

    sha256: str = ""
    alt: str = ""
    caption: str = ""
    credit: str = ""
    url: str = ""

    def __reduce__(self):
        return (AssetUse, (self.sha256, self.alt, self.caption, self.credit, self.url))


@dataclass
class Block:
    """One unit of an article's body, in reading order.

    `text` is always plain text. `html` is set only when the source had inline
    markup worth keeping (italics for titles, bold, links), as a small sanitised
    fragment; readers of the body that do not care about markup use `text`.
    A quotation has no text of its own: its paragraphs (and any quotation nested
    inside it) are in `blocks`.

    Structure (docs/jsonl-format.md has each shape): a `list` holds `list_item`s and
    has a `start` when it is numbered; a `list_item` or a `note` has its first
    paragraph's words as its own text and anything further (a nested list, more
    paragraphs) in `blocks`; a `table` has its caption as its text and `table_row`s
    holding `table_header` and `table_cell` blocks; `notes`, the last block of a
    body, holds the `note`s, each with the `label` its marker printed (`1`, `*`), and
    a marker in the text links to its note as `<a href="#note-N">` in `html`, N
    counting the notes from 1.
    A figure's pictures (one, or several for a gallery) are in `assets`, in order; its
    `text` (and `html`) is the caption of the whole, `credit` its credit line.
    An `audio`, `video` or `embed` block has the address it plays or shows from as `url`,
    the service that serves it as `provider` (`YouTube`; empty for a plain file) and its
    caption or title as `text`.
    """

    type: str
    text: str = ""
    html: str = ""
    blocks: list[Block] = field(default_factory=list)
    start: int | None = None  # a numbered list's first number; None for a bulleted list
    label: str = ""  # a note's marker as printed
    assets: list[AssetUse] = field(default_factory=list)
    credit: str = ""
    url: str = ""  # an audio, video or embed block's address
    provider: str = ""  # an embed's service, as it names itself (`YouTube`)

    def __reduce__(self):
        """Pickled as a constructor call: a reader's worker process sends blocks by the
        hundred thousand, and this unpickles in half the time of a dataclass's default."""
        if self.assets or self.credit or self.url or self.provider:
            return (
                Block,
                (self.type, self.text, self.html, self.blocks, self.start, self.label)
                + (self.assets, self.credit, self.url, self.provider),
            )
        if self.start is None and not self.label:
            return (Block, (self.type, self.text, self.html, self.blocks))
        return (Block, (self.type, self.text, self.html, self.blocks, self.start, self.label))


@dataclass
class IssueRecord:
    """One number of a publication, as far as the source tells it."""

    year: int
    number: int | None = None
    month: int | None = None
    day: int | None = None
    volume: int | None = None
    slug: str = ""  # empty: the loader derives `no-397-september-1937`
    title: str = ""  # a label the source gives the issue, if any
    # The SHA-256 of the issue's cover picture, one of the record's `assets`; empty where
    # the source gives none (a stored cover is then kept as it is)
    cover: str = ""
    # The SHA-256 of the issue as one PDF (an asset of one of its records: a page's, for a
    # print source); empty where the source has none (a stored one is then kept)
    pdf: str = ""


@dataclass
class Region:
    """A part of a page: where an article runs, or a figure printed on it. `sequence` is the
    page's within its issue; the box is in that page image's pixels. A figure's `caption` is
    what is printed with it (or what an editor wrote); `article` the key of the article a
    figure belongs to, where one is marked (a page's figures only)."""

    sequence: int
    x: int
    y: int
    w: int
    h: int
    caption: str = ""
    article: str = ""


@dataclass
class ReviewedWork:
    """A book (or pamphlet, film) that a review discusses."""

    title: str
    author: str = ""
    publisher: str = ""
    place: str = ""
    year: int | None = None
    price: str = ""


@dataclass
class Contributor:
    """Someone credited who is not a writer: `Translated by X` is X with the role `translator`.

    Roles: `translator`, `contributor` (additional reporting), `photographer`,
    `illustrator`; a reader may use another plain word.
    """

    name: str
    role: str


@dataclass
class ReplyRecord:
    """A reader's reply to an article, as brought in from a source (WordPress comments)."""

    key: str  # stable within the article, e.g. the WordPress comment id
    author_name: str
    text: str
    status: str = "pending"
    created: datetime | None = None
    author_email: str = ""
    author_url: str = ""
    parent_key: str = ""


@dataclass
class Source:
    """Where a record came from, kept whole so a better parser can re-derive everything."""

    path: str
    format: str
    sha256: str
    text: str

    @classmethod
    def of(cls, path: str, format: str, text: str) -> Source:
        return cls(path=path, format=format, sha256=sha256_text(text), text=text)


@dataclass
class AssetRecord:
    """A picture (or other file) an article's figures use, stored once by the SHA-256 of its
    bytes. `media_type`, `width` and `height` are what the source or an earlier export said;
    the loader measures the bytes themselves where it has them. `filename` is the file's name
    or path in the source (`wp-content/uploads/2003/05/march.jpg`), `source_url` where it was
    published. `alt`, `caption` and `credit` are the picture's own, which a figure's use of it
    may override.

    Readers give the bytes as `content`, or `location`, a file on this machine to read them
    from when the loader stores the asset; neither is part of the record format."""

    sha256: str
    media_type: str = ""
    width: int | None = None
    height: int | None = None
    filename: str = ""
    source_url: str = ""
    alt: str = ""
    caption: str = ""
    credit: str = ""
    location: str = ""
    content: bytes | None = None

    @classmethod
    def of_bytes(cls, data: bytes, **fields) -> AssetRecord:
        """An asset for bytes a reader holds (a picture inside an archive)."""
        return cls(sha256=hashlib.sha256(data).hexdigest(), content=data, **fields)

    @classmethod
    def of_file(cls, path: str, **fields) -> AssetRecord:
        """An asset for a file on this machine (an uploads folder), hashed as it is read; the
        loader reads it again only if the asset is not stored yet. OSError if unreadable."""
        digest = hashlib.sha256()
        with open(path, "rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
        return cls(sha256=digest.hexdigest(), location=str(path), **fields)


ASSET_FIELDS = (
    "sha256",
    "media_type",
    "width",
    "height",
    "filename",
    "source_url",
    "alt",
    "caption",
    "credit",
)


@dataclass
class ArticleRecord:
    """One article with everything known about it.

    `key` identifies the article within its publication across re-ingests: the
    reader chooses something stable (the capture's issue and title slug, the legacy
    page's path, the WordPress post id). Re-ingesting a record with the same key
    updates that article instead of adding another.
    """

    publication: str
    key: str
    issue: IssueRecord
    title: str
    source: Source
    slug: str = ""  # empty: the loader derives it from the title
    section: str = ""
    kicker: str = ""
    standfirst: str = ""
    summary: str = (
        ""  # the contents page's or excerpt's teaser, where it differs from the standfirst
    )
    authors: list[str] = field(default_factory=list)
    contributors: list[Contributor] = field(default_factory=list)  # credited, not as writers
    pages: str = ""  # as printed: "8", "6-7", "6 and 7"
    position: int | None = None  # order within the issue's contents
    published: date | None = None  # the article's own date where it differs from the issue's
    language: str = ""  # BCP 47; empty: settled at ingest (backfile.ingest.language)
    reviewed_works: list[ReviewedWork] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    original_url: str = ""
    attachments: list[str] = field(default_factory=list)
    assets: list[AssetRecord] = field(default_factory=list)  # the pictures its figures use
    replies: list[ReplyRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader noticed but could not place
    # Where it runs on the issue's page images (a zoned print source: METS/ALTO articles);
    # empty where the source does not say (its printed `pages` then link it to whole pages)
    regions: list[Region] = field(default_factory=list)

    def fingerprint(self, blocks_json: str | None = None) -> str:
        """A hash of everything the loader would store; equal fingerprints mean nothing to do.

        The source's text is represented by its sha256, so it is not hashed twice.
        `blocks_json` (this record's `blocks_json()`, which the loader stores too)
        saves encoding the body a second time; the hash is the same either way.
        """
        data = {name: _plain(getattr(self, name)) for name in FINGERPRINTED_FIELDS}
        if not self.contributors:  # as before the field existed: stored articles stay unchanged
            del data["contributors"]
        data["source"]["text"] = None
        if not data["assets"]:  # records without pictures keep the fingerprints they had
            del data["assets"]
        if not self.issue.cover:  # nor do records of issues without a cover
            del data["issue"]["cover"]
        if not self.issue.pdf:  # or a PDF
            del data["issue"]["pdf"]
        if not self.regions:  # or regions on page images
            del data["regions"]
        data["blocks"] = []
        text = SORTED_JSON.encode(data)
        # The first `"blocks": []` is the record's own: the keys sorted before it hold
        # only lists of strings, in which a quote would be escaped.
        body = self.blocks_json() if blocks_json is None else blocks_json
        return sha256_text(text.replace('"blocks": []', f'"blocks": {body}', 1))

    def block_dicts(self) -> list[dict]:
        """The body as the loader stores it: JSON-ready dicts, their keys in sorted order."""
        return [_sorted_block(b) for b in self.blocks]

    def blocks_json(self, block_dicts: list[dict] | None = None) -> str:
        """The body as JSON text, keys sorted: what the loader stores and the fingerprint hashes
        (`block_dicts`, this record's own, saves making them again)."""
        return PLAIN_JSON.encode(self.block_dicts() if block_dicts is None else block_dicts)


# What a publication's catalogue record holds besides its name (docs/publications.md).
CATALOGUE_FIELDS = (
    "full_title", "issn", "eissn", "publisher", "place", "languages", "frequency", "rights",
    "description", "first_issue", "last_issue",
)  # fmt: skip


@dataclass
class PublicationRecord:
    """A publication's catalogue record (ISSNs, publisher, rights …), as the JSONL export's
    `{"record": "publication", …}` line and `--publication-meta` give it: `catalogue` maps
    the fields of CATALOGUE_FIELDS it sets to their values."""

    name: str
    catalogue: dict[str, str] = field(default_factory=dict)


# The authority file's kinds of entry (`backfile.authority`), as records name them
AUTHORITY_TYPES = ("person", "place", "organisation")


@dataclass
class AuthorityRecord:
    """One entry of the authority file: a person, place or organisation under its preferred
    name, with its other spellings, as the JSONL export's `{"record": "authority", …}` line
    and `backfile authority import FILE.csv` give it. `capitalised`: linked only where
    written with a capital (a gazetteer's `Reading`)."""

    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    note: str = ""
    dates: str = ""
    capitalised: bool = False


@dataclass
class Failure:
    """A source (or one item inside it) that could not be read, and why."""

    path: str
    reason: str


@dataclass
class Notice:
    """Something a reader recognised but could not place; it goes into the report.

    `kind` says what the file is when it is no article (`contents page`, `navigation
    page`, `picture page`), for the report's account of every file. `link` (an href as
    the page at `path` wrote it) makes the notice conditional: the ingest reports it only
    if, once the run is stored, no article of the archive is that link's target.
    """

    path: str
    message: str
    kind: str = ""
    link: str = ""


FINGERPRINTED_FIELDS = tuple(
    name for name in ArticleRecord.__dataclass_fields__ if name != "blocks"
)


# `json.dumps` with any option makes a new encoder at every call, which an ingest of
# thousands of records notices; these are what it would make.
PLAIN_JSON = json.JSONEncoder(ensure_ascii=False)
SORTED_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
SCALARS = (str, int, float, type(None))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value):
    """A record's value as JSON-ready data: dataclasses to dicts, dates to ISO strings.

    Written out rather than `dataclasses.asdict`, which deep-copies every block
    and was a tenth of a large ingest's time.
    """
    if isinstance(value, SCALARS):  # most values: strings
        return value
    if isinstance(value, Block):
        return block_to_dict(value)
    if isinstance(value, AssetRecord):
        return {name: getattr(value, name) for name in ASSET_FIELDS}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    return value


def block_to_dict(block: Block) -> dict:
    data: dict = {"type": block.type, "text": block.text}
    if block.html:
        data["html"] = block.html
    if block.blocks:
        data["blocks"] = [block_to_dict(b) for b in block.blocks]
    if block.start is not None:
        data["start"] = block.start
    if block.label:
        data["label"] = block.label
    if block.assets:
        data["assets"] = [asset_use_to_dict(a) for a in block.assets]
    if block.credit:
        data["credit"] = block.credit
    if block.url:
        data["url"] = block.url
    if block.provider:
        data["provider"] = block.provider
    return data


def asset_use_to_dict(use: AssetUse) -> dict:
    """A figure's picture, its keys in sorted order."""
    return {
        "alt": use.alt,
        "caption": use.caption,
        "credit": use.credit,
        "sha256": use.sha256,
        "url": use.url,
    }


def _sorted_block(block: Block) -> dict:
    """`block_to_dict` with its keys already in sorted order (no sorting while encoding)."""
    data: dict = {}
    if block.assets:
        data["assets"] = [asset_use_to_dict(a) for a in block.assets]
    if block.blocks:
        data["blocks"] = [_sorted_block(b) for b in block.blocks]
    if block.credit:
        data["credit"] = block.credit
    if block.html:
        data["html"] = block.html
    if block.label:
        data["label"] = block.label
    if block.provider:
        data["provider"] = block.provider
    if block.start is not None:
        data["start"] = block.start
    data["text"] = block.text
    data["type"] = block.type
    if block.url:
        data["url"] = block.url
    return data


def block_from_dict(data: dict) -> Block:
    if not isinstance(data, dict):
        raise TypeError(f"a block is {data!r}, not an object")
    if not isinstance(data.get("blocks", []), list):
        raise TypeError(f"a {data.get('type')!r} block's blocks is {data['blocks']!r}, not a list")
    return Block(
        type=data["type"],
        text=data.get("text", ""),
        html=data.get("html", ""),
        blocks=[block_from_dict(b) for b in data.get("blocks", [])],
        start=data.get("start"),
        label=data.get("label", ""),
        assets=[asset_use_from_dict(a) for a in data.get("assets", [])],
        credit=data.get("credit", ""),
        url=data.get("url", ""),
        provider=data.get("provider", ""),
    )


def asset_use_from_dict(data: dict) -> AssetUse:
    if not isinstance(data, dict):
        raise ValueError(f"a figure's asset is {data!r}, not an object")
    return AssetUse(
        sha256=data.get("sha256", ""),
        alt=data.get("alt", ""),
        caption=data.get("caption", ""),
        credit=data.get("credit", ""),
        url=data.get("url", ""),
    )


def asset_from_dict(data: dict) -> AssetRecord:
    """An asset record of the JSONL format (its bytes are found beside the file)."""
    if not isinstance(data, dict):
        raise ValueError(f"an asset is {data!r}, not an object")
    unknown = data.keys() - set(ASSET_FIELDS)
    if unknown:
        raise ValueError(f"an asset has unknown keys: {', '.join(sorted(unknown))}")
    return AssetRecord(**data)


def record_to_dict(record: ArticleRecord) -> dict:
    """The record as plain JSON-ready data (dates as ISO strings, blocks compacted); an issue
    without a cover has no `cover` (nor `pdf` without a PDF), an article without regions on
    page images no `regions`."""
    data = _plain(record)
    if isinstance(data.get("issue"), dict):
        for name in ("cover", "pdf"):
            if not data["issue"].get(name):
                data["issue"].pop(name, None)
    if not data.get("regions"):
        data.pop("regions", None)
    for region in data.get("regions", ()):  # an article's boxes have no caption of their own
        for name in ("caption", "article"):
            if isinstance(region, dict) and not region.get(name):
                region.pop(name, None)
    return data
