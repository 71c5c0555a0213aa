"""WordPress exports (WXR): published posts become articles, comments their replies.

What comes across, and what an archivist should expect:

- Published posts (`wp:post_type` post, `wp:status` publish) become articles:
  title, content (to blocks; classic posts without `<p>` tags are split into
  paragraphs the way WordPress's `wpautop` does), excerpt as standfirst,
  `dc:creator` (and co-authors filed as `author` terms by the Co-Authors Plus
  plugin) as display names from the channel's `wp:author` records, the first category as section, further categories and the tags as
  subjects, the post date, the original link, and the URLs of its attachments
  (listed, never downloaded). Its pictures, galleries, featured image, audio, video
  and embeds become figure and media blocks (`wxr_media`), their files read from the
  site's uploads folder (`media_root`, or beside the export) where it is given.
- Pages are a site's furniture (About, Contact, Donate), not articles of the
  periodical: each is named in the report as a note and not imported. Drafts,
  scheduled, pending, private, password-protected and trashed posts were never
  public, and the archive has no place to hide an article, so they too are
  named in the report and not imported. Menus and other WordPress machinery
  are counted in one note per file.
- Comments become replies (their text as readers saw it: WordPress's entities
  such as `&#039;` decoded, markup left for the replies' own sanitiser) with
  their moderation state: approved (`1`) shown,
  held (`0`) kept pending for moderation, spam kept out of sight; trashed
  comments, pingbacks and trackbacks are left out and noted on the article.
- Issues: by month of publication unless `issue_from` says a category
  (`category:PREFIX`, e.g. a category "Issue 42") or a custom field
  (`meta:KEY`) names the issue; posts without one fall back to their month.
- Each post is keyed by the site's address and its WordPress id (its GUID when
  the id is missing), so two posts with the same title stay two articles and a
  re-import updates instead of duplicating.

The file is parsed safely (no DTD, no entity expansion, no network) and as a
stream: each item is dropped once read, so memory stays flat however long the
export. Attachments may come before or after their post, so a first, cheap pass
collects them (their URL, file, alt text and caption: a few hundred bytes each)
before the posts are read. A malformed
file keeps every item before the XML error and yields a Failure naming the
line, the column and the item that could not be read.
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from django.utils.text import slugify
from lxml import etree

from backfile.ingest.language import normalise_tag
from backfile.ingest.limits import LimitExceeded
from backfile.ingest.readers.base import Output, Reader
from backfile.ingest.readers.bylines import body_credits
from backfile.ingest.readers.html_blocks import html_to_blocks, html_to_text
from backfile.ingest.readers.wxr_items import (
    Item,
    drop,
    original_url,
    post_date,
    read_item,
    replies_of,
    short_name,
)
from backfile.ingest.readers.wxr_library import MediaItem, MediaLibrary
from backfile.ingest.readers.wxr_media import PostMedia
from backfile.ingest.readers.wxr_mending import mended, mending_notices
from backfile.ingest.records import (
    ArticleRecord,
    Failure,
    IssueRecord,
    Notice,
    Source,
    sha256_text,
)
from backfile.ingest.sources import SourceFile

WXR_NAMESPACE = re.compile(rb"""xmlns:\w+\s*=\s*["']https?://wordpress\.org/export/1\.\d+/["']""")
SAFE_PARSING = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": True,  # long posts; safe because no entity is ever expanded
    "remove_comments": True,
    "remove_pis": True,
}
# The children of <channel> the reader needs; iterparse reports only these.
CHANNEL_TAGS = [
    "item", "title", "link", "language", "{*}author", "{*}base_site_url", "{*}base_blog_url",
]  # fmt: skip
NOT_PUBLIC = {
    "draft": "a draft",
    "auto-draft": "an automatic draft",
    "pending": "awaiting review",
    "future": "scheduled, not yet published",
    "private": "private",
    "trash": "in WordPress's trash",
}
SKIPPED_TYPE_REASONS = {
    "nav_menu_item": "menu entries, not articles",
    "revision": "earlier revisions of posts",
}
TAG_DOMAINS = {"post_tag", "tag"}  # WXR 1.1 and later; WXR 1.0 (WordPress 2.x)
ISSUE_NUMBER = re.compile(r"(?:(?:no|issue|number|#)\.?\s*)?(\d+)", re.IGNORECASE)
# Field limits of the archive's models, so a long value is clipped, not refused.
LIMITS = {"title": 1000, "section": 200, "author": 300, "url": 1000, "key": 500}


@dataclass(frozen=True)
class IssuePlan:
    """How posts are grouped into issues: `month`, `category:PREFIX` or `meta:KEY`."""

    by: str = "month"
    name: str = ""

    @classmethod
    def parse(cls, value: str) -> IssuePlan:
        by, _, name = value.partition(":")
        if by == "month" and not name:
            return cls()
        if by in ("category", "meta") and name.strip():
            return cls(by, name if by == "category" else name.strip())
        raise ValueError(
            f"--issue-from {value!r}: expected month, category:PREFIX "
            "(a category such as “Issue 42”) or meta:KEY (a custom field naming the issue)"
        )

    @classmethod
    def from_argument(cls, value: str) -> IssuePlan:
        """`--issue-from` on the command line: a bad value is a usage error, not a crash."""
        try:
            return cls.parse(value)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from error


@dataclass
class Channel:
    """What the export says about the site as a whole."""

    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    language: str = ""
    authors: dict[str, str] = field(default_factory=dict)  # login → display name

    @property
    def address(self) -> str:
        """The blog's own address (a multisite network's blogs share the site address)."""
        return (self.base_blog_url or self.base_site_url or self.link).strip().rstrip("/")


class WxrReader(Reader):
    format = "wxr"
    description = "WordPress export (WXR)"
    priority = 20
    options = ("issue_from", "media_root")
    streamed = True  # item by item, each at most BACKFILE_INGEST_MAX_MEMBER_BYTES

    def __init__(
        self,
        publication: str | None = None,
        issue_from: IssuePlan | str | None = None,
        media_root: str | Path | None = None,
    ) -> None:
        super().__init__(publication)
        # Where the site's uploads are (`--media-root`); else looked for beside each export.
        self.media_root = Path(media_root) if media_root else None
        if isinstance(issue_from, IssuePlan):
            self.issue_plan = issue_from
        elif issue_from is None or isinstance(issue_from, str):
            self.issue_plan = IssuePlan.parse(issue_from or "month")
        else:  # a plan for other formats (print sources' filename:PATTERN)
            self.issue_plan = IssuePlan()
        # An issue named by a category or custom field takes the date of its first post.
        self.issue_dates: dict[tuple[str, str], tuple[int, int]] = {}
        # Each post id key of this ingest: the GUID it came with (hashed) and where.
        self.guids_by_key: dict[str, tuple[str, str]] = {}

    @classmethod
    def sniff(cls, file: SourceFile) -> bool:
        return b"<rss" in file.head and WXR_NAMESPACE.search(file.head) is not None

    def feed(self, file: SourceFile) -> Iterator[Output]:
        """Two passes over the same bytes: the file reopened, or an archive member spooled once."""
        item_bytes = file.limits.member_bytes
        if Path(file.path).is_file():
            with open(file.path, "rb") as first:
                attachments = _attachments_by_parent(first, item_bytes)
            yield from _ExportFile(self, file, attachments).read(file.stream)
            return
        with tempfile.TemporaryFile() as spool:
            shutil.copyfileobj(file.stream, spool)
            spool.seek(0)
            attachments = _attachments_by_parent(spool, item_bytes)
            spool.seek(0)
            yield from _ExportFile(self, file, attachments).read(spool)


def _attachments_by_parent(raw: BinaryIO, item_bytes: int) -> dict[str, list[MediaItem]]:
    """Every attachment by its parent post's id (and by its own id, for featured images)."""
    found: dict[str, list[MediaItem]] = defaultdict(list)
    limited, stream = mended(raw, item_bytes)
    try:
        for _, element in etree.iterparse(
            stream, events=("end",), tag="item", encoding="utf-8", **SAFE_PARSING
        ):
            item = read_item(element, with_source=False)
            if item.get("wp:post_type") == "attachment":
                attachment = MediaItem.of(item)
                if attachment is not None:
                    found[attachment.parent].append(attachment)
                    found[f"id:{item.post_id}"].append(attachment)
            drop(element)
            limited.item_done()
    except (etree.XMLSyntaxError, LimitExceeded):
        pass  # the main pass names the error and keeps what comes before it
    return found


class _ExportFile:
    """One WXR file read item by item."""

    def __init__(
        self, reader: WxrReader, file: SourceFile, attachments: dict[str, list[MediaItem]]
    ):
        self.reader = reader
        self.path = file.path
        self.limits = file.limits
        self.attachments = attachments
        self.library = MediaLibrary(
            (a[0] for key, a in attachments.items() if key.startswith("id:")),
            _upload_roots(reader.media_root, file.path),
        )
        self.placed: set[str] = set()
        self.channel = Channel()
        self.items_read = 0
        self.skipped_types: Counter[str] = Counter()
        self.types: Counter[str] = Counter()  # every item by its post type
        self.articles = 0  # posts that became records
        self.current: etree._Element | None = None

    def read(self, raw: BinaryIO) -> Iterator[Output]:
        limited, stream = mended(raw, self.limits.member_bytes)
        events = etree.iterparse(
            stream, events=("start", "end"), tag=CHANNEL_TAGS, encoding="utf-8", **SAFE_PARSING
        )
        try:
            for event, element in events:
                parent = element.getparent()
                if parent is None or parent.tag != "channel":
                    continue  # an item's own <title> or <link>
                if event == "start":
                    if element.tag == "item":
                        self.current = element
                    continue
                yield from self._channel_child(element)
                drop(element)
                limited.item_done()
        except etree.XMLSyntaxError as error:
            yield Failure(self.path, self._syntax_error_reason(error))
        except LimitExceeded:
            yield Failure(self.path, self._too_large_reason())
        yield from mending_notices(self.path, stream, limited)
        yield from self._file_notices()

    def _channel_child(self, element: etree._Element) -> Iterator[Output]:
        name = short_name(element.tag)
        if name == "item":
            self.current = None
            self.items_read += 1
            yield from self._outputs_for(read_item(element, with_source=True))
        elif name == "wp:author":
            self._author(element)
        elif name in ("title", "link", "language") and not getattr(self.channel, name):
            setattr(self.channel, name, (element.text or "").strip())
        elif name in ("wp:base_site_url", "wp:base_blog_url"):
            setattr(self.channel, name[3:], (element.text or "").strip())

    def _author(self, element: etree._Element) -> None:
        values = {short_name(child.tag): (child.text or "").strip() for child in element}
        login = values.get("wp:author_login", "")
        full_name = " ".join(
            part for part in (values.get("wp:author_first_name"), values.get("wp:author_last_name"))
            if part
        )  # fmt: skip
        display = values.get("wp:author_display_name") or full_name or login
        if login:
            self.channel.authors[login] = html_to_text(display)

    def _outputs_for(self, item: Item) -> Iterator[Output]:
        post_type = item.get("wp:post_type").strip() or "post"
        self.types[post_type] += 1
        for output in self._item_outputs(item, post_type):
            if isinstance(output, ArticleRecord):
                self.articles += 1
            yield output

    def _item_outputs(self, item: Item, post_type: str) -> Iterator[Output]:
        where = self._where(item)
        if post_type == "attachment":
            return
        if post_type != "post":
            if post_type == "page":
                yield Notice(where, _page_notice(item))
            else:
                self.skipped_types[post_type] += 1
            return
        status = item.get("wp:status").strip() or "publish"
        if status != "publish":
            reason = NOT_PUBLIC.get(status, f"status “{status}”")
            yield Notice(where, f"post “{item.title}” not imported: {reason}, never public")
            return
        if item.get("wp:post_password"):
            yield Notice(
                where,
                f"post “{item.title}” not imported: password-protected, its text was never public",
            )
            return
        published = post_date(item)
        if published is None:
            yield Failure(
                where,
                f"post “{item.title}” has no usable date (wp:post_date, wp:post_date_gmt or "
                "pubDate), so it cannot be placed in an issue",
            )
            return
        key = self._key(item)
        if key is None:
            yield Failure(where, f"post “{item.title}” has neither a wp:post_id nor a guid")
            return
        record = self._record(item, where, key, published)
        if (earlier := self._same_id_other_guid(item, key, where)) is not None:
            record.key = self._guid_key(item.get("guid").strip())
            record.notes.append(
                f"post id {item.post_id} is also the id of {earlier}, a post with another "
                "guid, earlier in this ingest: both are kept, this one keyed by its guid"
            )
        yield record

    def _record(self, item: Item, where: str, key: str, published: date) -> ArticleRecord:
        notes: list[str] = []
        title = item.title
        if not title:
            title = "(no title)"
            notes.append("the post has no title; it is shown as “(no title)”, as WordPress does")
        issue, issue_category = self._issue(item, published)
        categories = [
            html_to_text(name)
            for domain, nicename, name in item.categories
            if domain == "category" and name != issue_category and nicename != "uncategorized"
        ]
        tags = [html_to_text(name) for domain, _, name in item.categories if domain in TAG_DOMAINS]
        media = PostMedia(self.library, item)
        blocks = media.blocks(item.get("content:encoded"), notes)
        writers, contributors, blocks = body_credits(blocks)
        return ArticleRecord(
            publication=self._publication(),
            key=key,
            issue=issue,
            title=_clip(title, "title"),
            source=Source.of(where, WxrReader.format, item.source),
            section=_clip(categories[0], "section") if categories else "",
            standfirst="\n\n".join(b.text for b in html_to_blocks(item.get("excerpt:encoded"))),
            authors=writers or self._authors(item),
            contributors=contributors,
            published=published,
            language=_language(self.channel.language),
            blocks=blocks,
            subjects=_unique([*categories[1:], *tags]),
            original_url=_clip(original_url(item), "url"),
            attachments=self._attachment_urls(item),
            assets=list(media.assets.values()),
            replies=replies_of(item, notes),
            notes=notes,
        )

    def _where(self, item: Item) -> str:
        return f"{self.path}#post-{item.post_id or f'item-{self.items_read}'}"

    def _key(self, item: Item) -> str | None:
        if item.post_id:
            return _clip(f"wxr:{self.channel.address}:{item.post_id}", "key")
        guid = item.get("guid").strip()
        return self._guid_key(guid) if guid else None

    def _guid_key(self, guid: str) -> str:
        key = f"wxr:{self.channel.address}:guid:{guid}"
        return key if len(key) <= LIMITS["key"] else f"wxr:guid-sha256:{sha256_text(guid)}"

    def _same_id_other_guid(self, item: Item, key: str, where: str) -> str | None:
        """Where an earlier post of this ingest had this post id key but another guid.

        Two exports of one site (or of two sites at one address) can reuse a post id
        for different posts, which their guids tell apart; the later post then keeps
        its own article, keyed by its guid, instead of overwriting the earlier one
        and being overwritten by it again on every re-run of the same command.
        """
        guid = item.get("guid").strip()
        if not item.post_id or not guid:
            return None
        hashed = sha256_text(guid)
        first_guid, first_where = self.reader.guids_by_key.setdefault(key, (hashed, where))
        return None if first_guid == hashed else first_where

    def _publication(self) -> str:
        return (
            self.reader.publication
            or html_to_text(self.channel.title)
            or Path(self.path.rpartition("!")[2]).stem
        )

    def _authors(self, item: Item) -> list[str]:
        """`dc:creator`, then any co-authors (Co-Authors Plus files them as `author` terms)."""
        logins = [item.get("dc:creator").strip()]
        logins += [
            nicename.removeprefix("cap-") or name.strip()
            for domain, nicename, name in item.categories
            if domain == "author"
        ]
        names = [
            self.channel.authors.get(login) or html_to_text(login) for login in logins if login
        ]
        return _unique([_clip(name, "author") for name in names])

    def _issue(self, item: Item, published: date) -> tuple[IssueRecord, str]:
        """The post's issue, and the category that named it (kept out of section and subjects)."""
        plan = self.reader.issue_plan
        category, label = "", ""
        if plan.by == "category":
            category = next(
                (
                    name
                    for domain, _, name in item.categories
                    if domain == "category"
                    and html_to_text(name).casefold().startswith(plan.name.casefold())
                ),
                "",
            )
            label = html_to_text(category)[len(plan.name) :].strip()
        elif plan.by == "meta":
            label = html_to_text(item.meta_value(plan.name))
        if not label:
            return IssueRecord(year=published.year, month=published.month), category
        year, month = self.reader.issue_dates.setdefault(
            (self._publication(), label), (published.year, published.month)
        )
        number = ISSUE_NUMBER.fullmatch(label)
        if number:
            return IssueRecord(year=year, month=month, number=int(number.group(1))), category
        slug = slugify(label) or f"issue-{sha256_text(label)[:12]}"
        return IssueRecord(year=year, month=month, title=label, slug=slug), category

    def _attachment_urls(self, item: Item) -> list[str]:
        attachments = list(self.attachments.get(item.post_id, [])) if item.post_id else []
        featured = item.meta_value("_thumbnail_id").strip()
        if featured:
            attachments.extend(self.attachments.get(f"id:{featured}", []))
        urls: list[str] = []
        for attachment in attachments:
            self.placed.add(attachment.id)
            if attachment.url not in urls:
                urls.append(attachment.url)
        return urls

    def _nothing_imported(self) -> str:
        """Why an export gave no article: what it holds instead, counted."""
        counted = ", ".join(
            _counted(n, TYPE_NAMES.get(kind, f"item(s) of type “{kind}”"))
            for kind, n in sorted(self.types.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        if not self.types:
            return "no articles from this export: it holds no items at all (no posts or pages)"
        if not self.types["post"] and not self.types["page"]:
            return f"no posts or pages in this export ({counted})"
        return (
            f"no articles from this export ({counted}): its posts were not imported, "
            "for the reasons noted for each"
        )

    def _syntax_error_reason(self, error: etree.XMLSyntaxError) -> str:
        line, column = error.position
        reason = f"not well-formed XML at line {line}, column {column}: {error.msg}."
        if self.current is not None:
            item = read_item(self.current, with_source=False)
            named = f"post {item.post_id}" if item.post_id else "an item"
            if item.title:
                named += f" “{item.title}”"
            reason += (
                f" The item starting at line {self.current.sourceline} ({named}) "
                "and anything after it could not be read;"
            )
        else:
            reason += " Nothing after that point could be read;"
        return reason + f" items read before it: {self.items_read}."

    def _too_large_reason(self) -> str:
        if self.current is not None:
            where = f"the item starting at line {self.current.sourceline}"
        else:
            where = f"what follows item {self.items_read}"
        return (
            f"{self.limits.member_refusal(where)}; it and anything after it were not read; "
            f"items read before it: {self.items_read}."
        )

    def _file_notices(self) -> Iterator[Output]:
        if not self.articles:
            yield Notice(self.path, self._nothing_imported())
        for post_type, count in sorted(self.skipped_types.items()):
            why = SKIPPED_TYPE_REASONS.get(post_type, "not posts")
            yield Notice(self.path, f"{count} items of type “{post_type}” not imported ({why})")
        unplaced = {
            attachment.id
            for parent, attachments in self.attachments.items()
            if not parent.startswith("id:")
            for attachment in attachments
        } - self.placed
        if unplaced:
            yield Notice(
                self.path,
                f"{len(unplaced)} attachments belong to no imported post (media library items, "
                "or attachments of pages and unpublished posts); they are not listed",
            )


TYPE_NAMES = {
    "post": "post(s)",
    "page": "page(s)",
    "attachment": "attachment(s)",
    "nav_menu_item": "nav menu item(s)",
    "revision": "revision(s)",
}


def _counted(n: int, name: str) -> str:
    """`3 attachments`, `1 attachment` from `attachment(s)`."""
    return f"{n} {name.replace('(s)', '' if n == 1 else 's')}"


def _page_notice(item: Item) -> str:
    return (
        f"page “{item.title}” not imported: pages are the site's standing pages "
        "(About, Contact…), not articles of the periodical"
    )


def _upload_roots(media_root: Path | None, path: str) -> list[Path]:
    """Where an export's uploads are looked for: the folder given, then beside the export."""
    roots = [media_root] if media_root else []
    if "!" not in path:  # an export on disk, not inside an archive
        beside = Path(path).parent
        roots += [beside / "uploads", beside / "wp-content" / "uploads"]
    return roots


def _language(tag: str) -> str:
    """The channel's declared language as a BCP 47 tag, "" when it declares none (the
    ingest then detects each post's)."""
    return normalise_tag(tag)


def _clip(value: str, kind: str) -> str:
    return value[: LIMITS[kind]]


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for value in values:
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            kept.append(value)
    return kept
