"""The attachments of a WordPress export, and where their files are on this machine.

An attachment (`wp:post_type` attachment) is a file of the site's media library:
`wp:attachment_url`, `_wp_attached_file` (its path under the uploads folder),
`_wp_attachment_metadata` (a PHP-serialised array: the pixel size and the credit
WordPress read from the file), its title, its excerpt (the caption) and
`_wp_attachment_image_alt`. `MediaLibrary` finds an attachment by its id or its URL
(with or without WordPress's size suffix, `-300x200`) and its file under the uploads
folders given (`--media-root`, or beside the export). Used by `wxr_media`.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import SplitResult, unquote, urlsplit

from backfile.ingest.readers.html_blocks import html_to_text
from backfile.ingest.readers.wxr_items import Item
from backfile.ingest.records import AssetRecord

IMAGE_EXTENSIONS = {"jpg", "jpeg", "jpe", "png", "gif", "webp", "avif", "bmp", "tif", "tiff", "ico"}
AUDIO_EXTENSIONS = {"mp3", "m4a", "ogg", "oga", "wav", "wma", "flac", "aac", "mka"}
VIDEO_EXTENSIONS = {"mp4", "m4v", "webm", "ogv", "mov", "wmv", "flv", "avi", "3gp", "mkv", "mpg"}
# WordPress's oEmbed providers (wp-includes/class-wp-oembed.php), by the host of the URL.
PROVIDERS = (
    (r"(?:[\w-]+\.)?youtube\.com|youtu\.be|youtube-nocookie\.com", "YouTube"),
    (r"(?:[\w-]+\.)?vimeo\.com", "Vimeo"),
    (r"(?:www\.)?dailymotion\.com|dai\.ly", "Dailymotion"),
    (r"(?:www\.)?flickr\.com|flic\.kr", "Flickr"),
    (r"(?:[\w-]+\.)?smugmug\.com", "SmugMug"),
    (r"(?:www\.)?scribd\.com", "Scribd"),
    (r"wordpress\.tv", "WordPress.tv"),
    (r"(?:[\w-]+\.)?videopress\.com|v\.wordpress\.com", "VideoPress"),
    (r"(?:www\.|mobile\.)?twitter\.com|(?:www\.)?x\.com", "Twitter"),
    (r"(?:www\.)?instagram\.com|instagr\.am", "Instagram"),
    (r"(?:www\.|m\.)?facebook\.com|fb\.watch", "Facebook"),
    (r"(?:www\.)?soundcloud\.com", "SoundCloud"),
    (r"(?:open|play)\.spotify\.com", "Spotify"),
    (r"(?:www\.)?mixcloud\.com", "Mixcloud"),
    (r"(?:[\w-]+\.)?slideshare\.net", "SlideShare"),
    (r"(?:www\.|embed\.)?ted\.com", "TED"),
    (r"(?:www\.)?tiktok\.com", "TikTok"),
    (r"(?:[\w-]+\.)?tumblr\.com", "Tumblr"),
    (r"(?:www\.)?reddit\.com", "Reddit"),
    (r"(?:[\w-]+\.)?imgur\.com", "Imgur"),
    (r"(?:www\.)?issuu\.com", "Issuu"),
    (r"(?:www\.)?kickstarter\.com|kck\.st", "Kickstarter"),
    (r"(?:www\.)?speakerdeck\.com", "Speaker Deck"),
    (r"(?:www\.)?reverbnation\.com", "ReverbNation"),
    (r"(?:[\w-]+\.)?pinterest\.[a-z.]+", "Pinterest"),
    (r"(?:www\.)?animoto\.com|video\.[\w-]+\.animoto\.com", "Animoto"),
    (r"(?:[\w-]+\.)?cloudup\.com", "Cloudup"),
    (r"(?:[\w-]+\.)?(?:polldaddy|crowdsignal)\.(?:com|net)|poll\.fm", "Crowdsignal"),
    (r"(?:www\.)?screencast\.com", "Screencast"),
    (r"(?:www\.)?amazon\.[a-z.]+|a\.co|amzn\.to", "Amazon"),
    (r"(?:www\.)?someecards\.com|some\.ly", "Someecards"),
    (r"(?:www\.)?meetup\.com|meetu\.ps", "Meetup"),
    (r"(?:www\.)?wolframcloud\.com", "Wolfram Cloud"),
    (r"pca\.st", "Pocket Casts"),
    (r"play\.anghami\.com", "Anghami"),
)
PROVIDER_HOSTS = tuple((re.compile(rf"(?:{pattern})\Z", re.I), name) for pattern, name in PROVIDERS)
PROVIDER_SLUGS = {name.lower().replace(" ", "").replace(".", "-"): name for _, name in PROVIDERS}
UNSIZED = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.\w+$)")
UPLOADS_PATH = re.compile(r"/(?:wp-content/uploads|wp-content/blogs\.dir/\d+/files|files)/(.+)$")
PHP_INT = r's:{n}:"{key}";i:(\d+);'
UPLOAD_FOLDERS = ("", "uploads", "wp-content/uploads")


@dataclass(slots=True)
class MediaItem:
    """An attachment of the export (a picture, a sound or video file, a document)."""

    id: str
    url: str
    parent: str = "0"
    title: str = ""
    caption: str = ""  # its excerpt, as plain text
    alt: str = ""
    file: str = ""  # its path under the uploads folder (`_wp_attached_file`)
    order: int = 0
    width: int | None = None
    height: int | None = None
    credit: str = ""

    @classmethod
    def of(cls, item: Item) -> MediaItem | None:
        url = (item.get("wp:attachment_url") or item.get("guid")).strip()
        if not url:
            return None
        metadata = item.meta_value("_wp_attachment_metadata")
        width, height = _php_int(metadata, "width"), _php_int(metadata, "height")
        try:
            order = int(item.get("wp:menu_order").strip() or 0)
        except ValueError:
            order = 0
        return cls(
            id=item.post_id,
            url=url,
            parent=item.get("wp:post_parent").strip() or "0",
            title=item.title,
            caption=html_to_text(item.get("excerpt:encoded")),
            alt=html_to_text(item.meta_value("_wp_attachment_image_alt")),
            file=item.meta_value("_wp_attached_file").strip(),
            order=order,
            width=width,
            height=height,
            credit=html_to_text(_php_string(metadata, "credit")),
        )

    @property
    def kind(self) -> str:
        return media_kind(self.file or self.url)


def split_url(url: str) -> SplitResult:
    """A URL's parts; an address `urlsplit` refuses (`http://[bad/x.jpg`, an unclosed IPv6
    bracket) has none, so one bad address in an export costs only itself."""
    try:
        return urlsplit(url)
    except ValueError:
        return urlsplit("")


def media_kind(address: str) -> str:
    """`image`, `audio`, `video` or "" from a file name's or URL's extension."""
    extension = PurePosixPath(split_url(address).path).suffix.lower().lstrip(".")
    if extension in IMAGE_EXTENSIONS:
        return "image"
    if extension in AUDIO_EXTENSIONS:
        return "audio"
    if extension in VIDEO_EXTENSIONS:
        return "video"
    return ""


def _php_int(serialised: str, key: str) -> int | None:
    """A whole number at the top of a PHP-serialised array (`_wp_attachment_metadata`)."""
    match = re.search(PHP_INT.format(n=len(key), key=key), serialised)
    value = int(match.group(1)) if match else 0
    return value if 0 < value < 1_000_000 else None


def _php_string(serialised: str, key: str) -> str:
    """A string value of a PHP-serialised array; its length is counted in bytes."""
    match = re.search(f's:{len(key)}:"{key}";s:(\\d+):"', serialised)
    if not match:
        return ""
    data = serialised[match.end() :].encode("utf-8")
    return data[: int(match.group(1))].decode("utf-8", "replace")


def provider_of(url: str) -> str:
    host = (split_url(url).hostname or "").lower()
    return next((name for pattern, name in PROVIDER_HOSTS if pattern.match(host)), "")


def url_key(url: str) -> str:
    """A URL as attachments are matched: its path alone (the site may have moved host or
    scheme)."""
    return unquote(split_url(html.unescape(url.strip())).path)


class MediaLibrary:
    """The export's attachments, and where their files are on this machine."""

    def __init__(self, items: Iterable[MediaItem], roots: Iterable[Path]):
        self.by_id: dict[str, MediaItem] = {}
        self.by_parent: dict[str, list[MediaItem]] = defaultdict(list)
        self.by_url: dict[str, MediaItem] = {}
        for item in items:
            self.by_id.setdefault(item.id, item)
            self.by_parent[item.parent].append(item)
            self.by_url.setdefault(url_key(item.url), item)
        for attached in self.by_parent.values():
            attached.sort(key=lambda m: (m.order, int(m.id) if m.id.isdigit() else 0))
        self.roots = [root for root in dict.fromkeys(roots) if root.is_dir()]
        self.hashes: dict[Path, str] = {}  # each file hashed once an ingest

    def find(self, id: str = "", url: str = "") -> MediaItem | None:
        if id and id in self.by_id:
            return self.by_id[id]
        if not url:
            return None
        key = url_key(url)  # the file itself, else the original of a size WordPress made
        return self.by_url.get(key) or self.by_url.get(UNSIZED.sub("", key))

    def picture(self, id: str) -> MediaItem | None:
        """The attachment of this id if it is a picture (a gallery or a caption by id shows
        only pictures, as WordPress's does: never a PDF or a film attached beside them)."""
        item = self.find(id=id)
        return item if item is not None and item.kind == "image" else None

    def attached(self, parent: str, kind: str = "image") -> list[MediaItem]:
        return [m for m in self.by_parent.get(parent, []) if m.kind == kind]

    def file_for(self, paths: Iterable[str]) -> tuple[Path, str] | None:
        """The first of the upload paths (`2003/05/march.jpg`) found under a root, and it."""
        for relative in dict.fromkeys(p for p in paths if p):
            parts = PurePosixPath(relative.lstrip("/")).parts
            if not parts or ".." in parts:
                continue
            for root in self.roots:
                for folder in UPLOAD_FOLDERS:
                    candidate = root.joinpath(folder, *parts)
                    if candidate.is_file():
                        return candidate, "/".join(parts)
        return None

    def asset(self, path: Path, **fields) -> AssetRecord | None:
        sha256 = self.hashes.get(path)
        if sha256 is None:
            try:
                record = AssetRecord.of_file(str(path), **fields)
            except OSError:
                return None
            self.hashes[path] = record.sha256
            return record
        return AssetRecord(sha256=sha256, location=str(path), **fields)


def upload_paths(url: str) -> list[str]:
    """Where a URL's file would be under an uploads folder: the path after
    `wp-content/uploads/` (or a network's `files/`), and the path's last three parts
    (`2003/05/march.jpg`), each as it is and without a size suffix."""
    path = unquote(split_url(html.unescape(url.strip())).path)
    found = []
    if match := UPLOADS_PATH.search(path):
        found.append(match.group(1))
    parts = [p for p in path.split("/") if p]
    if parts:
        found.append("/".join(parts[-3:]))
        found.append(parts[-1])
    return found + [UNSIZED.sub("", p) for p in found]
