"""The items of a WordPress export as plain values: fields, dates and comments.

`read_item` turns an `<item>` element into an `Item` of strings; the functions
here read its date as WordPress's importer would and its comments as replies.
Split from `wxr.py`, which reads the export as a whole.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache

from lxml import etree

from backfile.ingest.readers.html_blocks import html_to_text
from backfile.ingest.records import ReplyRecord

REPLY_STATUS = {
    "1": "approved",
    "approve": "approved",
    "0": "pending",
    "hold": "pending",
    "spam": "spam",
}
TRASHED_REPLIES = {"trash", "post-trashed"}
NOT_REPLIES = {"pingback", "trackback"}
# WordPress writes `0000-00-00 00:00:00` for no date, and a pubDate of 30 November -0001
# (or the epoch) for a post that has none.
WORDPRESS_DATE = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?\S*)?\s*$"
)
NO_PUBDATE = re.compile(r"\s-0*1\s|\b1970\s+00:00:00\b|\b01 Jan 1970 00:00:00")
REPLY_LIMITS = {"name": 200, "email": 254, "url": 500, "key": 200}


@dataclass
class Item:
    """The fields of one `<item>` that the reader uses, as plain strings."""

    fields: dict[str, str] = field(default_factory=dict)
    permalink_guid: bool = True
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # domain, nicename, name
    meta: list[tuple[str, str]] = field(default_factory=list)
    comments: list[dict[str, str]] = field(default_factory=list)
    source: str = ""

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    @property
    def post_id(self) -> str:
        return self.get("wp:post_id").strip()

    @property
    def title(self) -> str:
        return html_to_text(self.get("title"))

    def meta_value(self, key: str) -> str:
        return next((value for k, value in self.meta if k == key), "")


def read_item(element: etree._Element, with_source: bool) -> Item:
    """The fields of an `<item>` element (complete or, after an XML error, partial)."""
    item = Item()
    for child in element:
        name = short_name(child.tag)
        if name == "category":
            item.categories.append(
                (child.get("domain", "category"), child.get("nicename", ""), child.text or "")
            )
        elif name == "wp:postmeta":
            values = {short_name(c.tag): c.text or "" for c in child}
            item.meta.append((values.get("wp:meta_key", ""), values.get("wp:meta_value", "")))
        elif name == "wp:comment":
            item.comments.append({short_name(c.tag): c.text or "" for c in child})
        else:
            item.fields[name] = _unwrapped(child.text or "")
            if name == "guid":
                item.permalink_guid = child.get("isPermaLink", "true") != "false"
    if with_source:
        item.source = etree.tostring(element, encoding="unicode")
    return item


def _unwrapped(text: str) -> str:
    """A value exported with its CDATA markers escaped once too often (`<![CDATA[…]]>` as
    text, which WordPress's importer would strip), without them."""
    if text[:32].lstrip().startswith("<![CDATA[") and text.rstrip().endswith("]]>"):
        inner = text.strip()[9:-3]
        if "]]>" not in inner.replace("]]]]><![CDATA[>", ""):
            return inner.replace("]]]]><![CDATA[>", "]]>")
    return text


@lru_cache(maxsize=256)
def short_name(tag) -> str:
    """`{http://wordpress.org/export/1.2/}post_id` → `wp:post_id`, whatever the WXR version."""
    if not isinstance(tag, str):
        return ""
    if not tag.startswith("{"):
        return tag
    namespace, _, local = tag[1:].partition("}")
    if "wordpress.org/export/" in namespace:
        prefix = "excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"
    elif "purl.org/rss/1.0/modules/content" in namespace:
        prefix = "content"
    elif "purl.org/dc/elements" in namespace:
        prefix = "dc"
    else:
        prefix = namespace
    return f"{prefix}:{local}"


def drop(element: etree._Element) -> None:
    """Free a finished element and everything before it, so memory stays flat."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def post_date(item: Item) -> date | None:
    """The date WordPress's importer would give the post: `wp:post_date`, else
    `wp:post_date_gmt`, else the RSS `pubDate`; WordPress's zero dates count as none."""
    for name in ("wp:post_date", "wp:post_date_gmt"):
        moment = _wordpress_datetime(item.get(name))
        if moment is not None:
            return moment.date()
    return _pubdate(item.get("pubDate"))


def _pubdate(value: str) -> date | None:
    value = value.strip()
    if not value or NO_PUBDATE.search(f" {value} "):
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        moment = _wordpress_datetime(value)
    return moment.date() if moment is not None and moment.year >= 1 else None


def _wordpress_datetime(value: str) -> datetime | None:
    """`2024-06-05 16:04:48` (or `2024-6-5 16:04`, ISO's `T`); None for WordPress's
    `0000-00-00 00:00:00` and for anything the calendar does not have."""
    match = WORDPRESS_DATE.match(value)
    if match is None:
        return None
    parts = [int(part) for part in match.groups(default="0")]
    try:
        return datetime(*parts)
    except ValueError:
        return None


def original_url(item: Item) -> str:
    link = item.get("link").strip()
    if link:
        return link
    guid = item.get("guid").strip()
    return guid if item.permalink_guid and guid.startswith(("http://", "https://")) else ""


def replies_of(item: Item, notes: list[str]) -> list[ReplyRecord]:
    replies: list[ReplyRecord] = []
    left_out: Counter[str] = Counter()
    for comment in item.comments:
        kind = comment.get("wp:comment_type", "").strip()
        approved = comment.get("wp:comment_approved", "").strip()
        if kind in NOT_REPLIES:
            left_out[f"{kind}s (notices from other sites, not readers' replies)"] += 1
        elif approved in TRASHED_REPLIES:
            left_out["comments in WordPress's trash"] += 1
        else:
            replies.append(_reply(comment, approved))
    notes.extend(f"{count} {what} left out" for what, count in sorted(left_out.items()))
    return replies


def _reply(comment: dict[str, str], approved: str) -> ReplyRecord:
    created = _wordpress_datetime(comment.get("wp:comment_date_gmt", "")) or _wordpress_datetime(
        comment.get("wp:comment_date", "")
    )
    parent = comment.get("wp:comment_parent", "").strip()
    return ReplyRecord(
        key=comment.get("wp:comment_id", "").strip()[: REPLY_LIMITS["key"]],
        author_name=comment.get("wp:comment_author", "").strip()[: REPLY_LIMITS["name"]]
        or "Anonymous",
        text=html.unescape(comment.get("wp:comment_content", "")),  # as the reader saw it
        status=REPLY_STATUS.get(approved, "pending"),
        created=created.replace(tzinfo=UTC) if created else None,
        author_email=comment.get("wp:comment_author_email", "").strip()[: REPLY_LIMITS["email"]],
        author_url=comment.get("wp:comment_author_url", "").strip()[: REPLY_LIMITS["url"]],
        parent_key="" if parent in ("", "0") else parent,
    )
