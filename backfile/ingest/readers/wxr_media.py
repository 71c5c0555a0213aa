"""WordPress's pictures and media: attachments, captions, galleries, featured images, embeds.

A WordPress post shows pictures and media in many ways, each read here the way
WordPress itself renders it, into `figure` blocks (one picture, or a gallery) and
`audio`, `video` and `embed` blocks:

- `[caption id="attachment_N" …]<img …> Caption text[/caption]` (and the older
  `caption="…"` attribute); `[gallery ids="1,2,3"]`, and `[gallery]` alone meaning
  the post's attached images in menu order; an `<img>` anywhere else, with its alt
  text (an emoji or smiley image is its alt text);
- block-editor blocks: `<!-- wp:image {"id":N} -->`, `<!-- wp:gallery -->` (both the
  older list of images and the nested image blocks), `wp:audio`, `wp:video`,
  `wp:embed` and the older `wp:core-embed/PROVIDER`;
- `[audio]`, `[video]`, `[embed]URL[/embed]`, `[playlist ids=…]`, the `<audio>`,
  `<video>`, `<iframe>`, `<embed>` and `<object>` elements, and a URL alone on its
  line (or alone in a paragraph) that WordPress would auto-embed: one of a known
  service (its oEmbed providers) or of a sound or video file;
- the featured image (`_thumbnail_id`) becomes the article's lead picture, at the
  head of its body; a post of the image or gallery format (`post-format-image`,
  `post-format-gallery`) that shows none in its text shows its attached images.

Attachments are the export's `attachment` items: `wp:attachment_url`,
`_wp_attached_file` (the path under the uploads folder), `_wp_attachment_metadata`
(the pixel size and the credit WordPress read from the file), the title, the
excerpt as the caption, and `_wp_attachment_image_alt`. Their files are looked for
in the uploads folder given with the export (`--media-root DIR`, the folder holding
`2003/05/march.jpg` or a site's folder holding `wp-content/uploads/`) and beside the
export (`uploads/` or `wp-content/uploads/` next to it). A picture whose file is not
found is kept all the same by its URL, alt text and caption (a figure's picture with
no SHA-256: the page shows a placeholder and a link to where it was).

How it is done: each construct is cut out of the post's HTML and replaced by a
token paragraph before `html_to_blocks` reads the text, then each token is put back
as its block (`PostMedia.place`), so the words around a picture keep their place.
"""

from __future__ import annotations

import html
import json
import mimetypes
import re

import lxml.html
from lxml import etree

from backfile.ingest.readers.html_blocks import html_to_blocks
from backfile.ingest.readers.wxr_items import Item
from backfile.ingest.readers.wxr_library import (
    PROVIDER_SLUGS,
    MediaItem,
    MediaLibrary,
    media_kind,
    provider_of,
    split_url,
    upload_paths,
    url_key,
)
from backfile.ingest.records import AssetRecord, AssetUse, Block

AUDIO_SOURCES = ("src", "mp3", "ogg", "m4a", "wav", "wma", "flac")  # [audio] and [video] attributes
VIDEO_SOURCES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov")
# The token a construct leaves in the text until its block takes its place.
TOKEN = re.compile("\ue000(\\d+)\ue001")
RESERVED = re.compile("[\ue000\ue001]")
# WordPress's get_shortcode_regex() for the media shortcodes: [name attrs], [name attrs/],
# [name attrs]content[/name]; [[name]] is an escaped shortcode, written as it is.
SHORTCODE = re.compile(
    r"\[(\[?)(caption|wp_caption|gallery|audio|video|embed|playlist)(?![\w-])"
    r"([^\]/]*(?:/(?!\])[^\]/]*)*?)"
    r"(?:(/)\]|\](?:([^\[]*(?:\[(?!/\2\])[^\[]*)*)\[/\2\])?)(\]?)",
    re.S | re.I,
)
# shortcode_parse_atts(): name="value", name='value', name=value, "value", 'value', value.
SHORTCODE_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|"""
    r"""([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
# What is left of them (a closing tag alone, a shortcode WordPress would not have read) goes.
LEFTOVER_SHORTCODE = re.compile(
    r"\[/?(?:caption|wp_caption|gallery|embed|audio|video|playlist)\b[^\]]*\]", re.I
)
BLOCK_OPENING = re.compile(
    r"<!--\s+wp:(gallery|image|audio|video|embed|core-embed/[a-z0-9-]+)"
    r"(\s+\{.*?\})?\s+(/)?-->",
    re.S,
)
HTML_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
LINKED_IMAGE = re.compile(r"<a\b[^>]*>\s*(<img\b[^>]*>)\s*</a>|<img\b[^>]*>", re.I)
PLAYER = re.compile(
    r"<(object|iframe|video|audio)\b([^>]*)>(.*?)</\1\s*>|<(embed|iframe|video|audio)\b([^>]*?)/?>",
    re.S | re.I,
)
# autoembed(): a URL alone on its line, or alone in a paragraph.
LONE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.M | re.I)
LONE_URL_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>\s*(https?://[^\s<>\"]+)\s*</p>", re.I)
ATTACHMENT_ID = re.compile(r"(?:^|\s)wp-image-(\d+)(?:\s|$)")
SMILEY = re.compile(r"(?:^|\s)(?:wp-smiley|emoji)(?:\s|$)")
FORMAT_TERMS = {"post-format-image": "image", "post-format-gallery": "gallery"}


class PostMedia:
    """One post's pictures and media: its body's blocks with them in place, and the assets
    the figures show."""

    def __init__(self, library: MediaLibrary, item: Item):
        self.library = library
        self.post_id = item.post_id
        self.formats = {
            FORMAT_TERMS[nicename]
            for domain, nicename, _ in item.categories
            if domain == "post_format" and nicename in FORMAT_TERMS
        }
        self.featured = item.meta_value("_thumbnail_id").strip()
        self.media: list[Block] = []
        self.assets: dict[str, AssetRecord] = {}

    # The body

    def blocks(self, content: str, notes: list[str] | None = None) -> list[Block]:
        autop = "<!-- wp:" not in content
        text = self._tokenised(RESERVED.sub("", content))
        blocks = html_to_blocks(text, autop=autop, notes=notes)
        placed, left = self._place(blocks, holds_flow=True)
        return self._with_lead(placed + left)

    def _tokenised(self, content: str) -> str:
        # Each pass only where its construct can be: most posts have none of them.
        if "<!-- wp:" in content:
            content = self._editor_blocks(content)
        if "[" in content:
            content = SHORTCODE.sub(self._shortcode, content)
        if "<" in content:
            content = PLAYER.sub(self._player, content)
            content = LINKED_IMAGE.sub(self._image_element, content)
        if "http" in content or "HTTP" in content:
            content = LONE_URL_PARAGRAPH.sub(self._lone_url, content)
            content = LONE_URL_LINE.sub(self._lone_url, content)
        return LEFTOVER_SHORTCODE.sub("", content) if "[" in content else content

    def _token(self, block: Block | None) -> str:
        if block is None:
            return ""
        self.media.append(block)
        return f"\n\n<p>\ue000{len(self.media) - 1}\ue001</p>\n\n"

    def _place(self, blocks: list[Block], holds_flow: bool) -> tuple[list[Block], list[Block]]:
        """The blocks with each token replaced by its block; where a block cannot hold it (a
        table cell), it is given back to go after the nearest block that can."""
        placed: list[Block] = []
        left: list[Block] = []
        for block in blocks:
            found = [self.media[int(n)] for n in TOKEN.findall(block.text)]
            if found:
                block.text = TOKEN.sub("", block.text).strip()
                block.html = TOKEN.sub("", block.html).strip() if block.html else ""
                if block.type == "paragraph" and not block.text:
                    if holds_flow:
                        placed.extend(found)
                    else:
                        left.extend(found)
                    continue
            inner_left: list[Block] = []
            if block.blocks:
                flow = block.type in ("quotation", "list_item", "note")
                block.blocks, inner_left = self._place(block.blocks, holds_flow=flow)
            if block.type == "list_item" and found:
                block.blocks[:0] = found
                found = []
            placed.append(block)
            if holds_flow:
                placed.extend(found + inner_left)
            else:
                left.extend(found + inner_left)
        return placed, left

    def _with_lead(self, blocks: list[Block]) -> list[Block]:
        """The featured image at the head, and the attached pictures of an image or gallery
        post that shows none in its text."""
        lead: list[Block] = []
        featured = self.library.find(id=self.featured) if self.featured else None
        if featured is not None and featured.kind == "image":
            first = next((b for b in blocks if b.type == "figure"), None)
            shown = first is not None and blocks and blocks[0] is first
            if not (shown and first.assets and _same_picture(first.assets[0], featured)):
                lead.append(self._figure([self._picture(featured)]))
        if self.formats and not any(b.type == "figure" for b in blocks):
            attached = [
                m for m in self.library.attached(self.post_id) if featured is None or m != featured
            ]
            if "gallery" in self.formats and attached:
                lead.append(self._figure([self._picture(m) for m in attached]))
            elif "image" in self.formats and attached and not lead:
                lead.append(self._figure([self._picture(attached[0])]))
        return lead + blocks

    # Pictures

    def _picture(
        self, item: MediaItem | None, src: str = "", alt: str | None = None, caption: str = ""
    ) -> AssetUse:
        """One picture: its file stored where found (the attachment's original, else the file
        the `src` names), or its URL, alt text and caption kept without it."""
        url = (item.url if item is not None else src)[:2000]
        paths = [item.file, *upload_paths(item.url)] if item is not None else []
        if src:
            paths += upload_paths(src)
        found = self.library.file_for(paths)
        own_alt = item.alt if item is not None else ""
        own_caption = item.caption if item is not None else ""
        alt = own_alt if alt is None else alt
        if found is not None:
            path, relative = found
            record = self.library.asset(
                path,
                media_type=mimetypes.guess_type(path.name)[0] or "",
                width=item.width if item is not None else None,
                height=item.height if item is not None else None,
                filename=relative,
                source_url=url[:2000],
                alt=own_alt or alt,
                caption=own_caption,
                credit=item.credit if item is not None else "",
            )
            if record is not None:
                self.assets.setdefault(record.sha256, record)
                return AssetUse(
                    sha256=record.sha256,
                    alt="" if alt == record.alt else alt,
                    caption="" if caption == own_caption else caption,
                    url=url,
                )
        return AssetUse(alt=alt, caption=caption or own_caption, url=url)

    def _figure(self, pictures: list[AssetUse], caption: str = "", caption_html: str = "") -> Block:
        if len(pictures) == 1 and caption and pictures[0].caption == caption:
            pictures[0].caption = ""
        return Block("figure", caption, caption_html, assets=pictures)

    def _image(self, tag: str, caption: str = "") -> AssetUse | None:
        attributes = _attributes(tag)
        # A lazy-loading plugin's picture has its address in a data- attribute and a
        # placeholder (often a data: URI) as its src; its <noscript> copy is left out.
        src = next(
            (
                value.strip()
                for name in ("data-lazy-src", "data-src", "data-orig-file", "src")
                if (value := attributes.get(name, "")).strip()
                and not value.strip().startswith("data:")
            ),
            "",
        )
        classes = attributes.get("class", "")
        if SMILEY.search(classes) or not src:
            return None
        number = ATTACHMENT_ID.search(classes)
        item = self.library.find(
            id=attributes.get("data-id", "") or (number.group(1) if number else ""), url=src
        )
        return self._picture(item, src=src, alt=attributes.get("alt"), caption=caption)

    def _image_element(self, match: re.Match) -> str:
        tag = match.group(1) or match.group(0)
        attributes = _attributes(tag)
        if SMILEY.search(attributes.get("class", "")):
            return html.escape(attributes.get("alt", ""))
        picture = self._image(tag)
        return self._token(self._figure([picture]) if picture else None)

    # Shortcodes

    def _shortcode(self, match: re.Match) -> str:
        if match.group(1) == "[" and match.group(6) == "]":
            return "&#91;" + match.group(0)[2:-1]  # [[gallery]]: written as it is
        name = match.group(2).lower()
        attributes, positional = _shortcode_attributes(match.group(3))
        content = match.group(5) or ""
        if name in ("caption", "wp_caption"):
            return self._token(self._caption(attributes, content))
        if name == "gallery":
            return self._token(self._gallery(attributes))
        if name == "playlist":
            kind = "video" if attributes.get("type") == "video" else "audio"
            items = [self.library.find(id=i) for i in _ids(attributes.get("ids", ""))]
            items = [i for i in items if i] or self.library.attached(self.post_id, kind)
            return "".join(self._token(Block(kind, i.title, url=i.url)) for i in items)
        if name == "embed":
            url = html.unescape((content or " ".join(positional)).strip())
            return self._token(self._embed(url)) if url else ""
        sources = AUDIO_SOURCES if name == "audio" else VIDEO_SOURCES
        url = next((attributes[s] for s in sources if attributes.get(s)), "")
        url = url or " ".join(positional) or content.strip()
        if not url:  # the post's first attached file of its kind, as WordPress does
            attached = self.library.attached(self.post_id, name)
            url = attached[0].url if attached else ""
        return self._token(self._media(name, url)) if url else ""

    def _caption(self, attributes: dict[str, str], content: str) -> Block | None:
        image = LINKED_IMAGE.search(content)
        text = attributes.get("caption", "")
        if not text:  # the words after the picture (all of them, where it has none)
            text = content[image.end() :] if image is not None else content
        text_blocks = html_to_blocks(text) if text.strip() else []
        caption = " ".join(b.text for b in text_blocks)
        caption_html = " ".join(b.html or html.escape(b.text, quote=False) for b in text_blocks)
        if not any(b.html for b in text_blocks):
            caption_html = ""
        picture = self._image(image.group(1) or image.group(0)) if image else None
        if picture is None:
            number = re.fullmatch(r"attachment_(\d+)", attributes.get("id", ""))
            item = self.library.picture(number.group(1)) if number else None
            picture = self._picture(item) if item is not None else None
        if picture is None:
            return Block("paragraph", caption, caption_html) if caption else None
        return self._figure([picture], caption, caption_html)

    def _gallery(self, attributes: dict[str, str]) -> Block | None:
        ids = _ids(attributes.get("ids", "") or attributes.get("include", ""))
        if ids:
            items = [i for i in map(self.library.picture, ids) if i is not None]
        else:
            parent = attributes.get("id", "").strip() or self.post_id
            excluded = set(_ids(attributes.get("exclude", "")))
            items = [m for m in self.library.attached(parent) if m.id not in excluded]
        if not items:
            return None
        return self._figure([self._picture(i) for i in items])

    # Block-editor blocks

    def _editor_blocks(self, content: str) -> str:
        out: list[str] = []
        position = 0
        while match := BLOCK_OPENING.search(content, position):
            name = match.group(1)
            out.append(content[position : match.start()])
            try:
                attributes = json.loads(match.group(2) or "{}")
            except ValueError:
                attributes = {}
            if not isinstance(attributes, dict):
                attributes = {}
            if match.group(3):  # a block with no content of its own
                inner, position = "", match.end()
            else:
                closing = re.compile(rf"<!--\s+/wp:{re.escape(name)}\s+-->").search(
                    content, match.end()
                )
                if closing:
                    inner, position = content[match.end() : closing.start()], closing.end()
                else:  # never closed: its own part unknown, what follows stays the post's
                    inner, position = "", match.end()
            out.append(self._token(self._editor_block(name, attributes, inner)))
        out.append(content[position:])
        return "".join(out)

    def _editor_block(self, name: str, attributes: dict, inner: str) -> Block | None:
        root = _fragment(inner)
        caption, caption_html = _figcaption(root, gallery=name == "gallery")
        if name == "image":
            image = root.find(".//img") if root is not None else None
            if image is None:
                item = self.library.picture(str(attributes.get("id", "")))
                return self._figure([self._picture(item)], caption) if item else None
            tag = etree.tostring(image, encoding="unicode", with_tail=False)
            picture = self._image(tag)
            return self._figure([picture], caption, caption_html) if picture else None
        if name == "gallery":
            pictures = []
            for image in root.iter("img") if root is not None else ():
                own = _own_caption(image, root)
                tag = etree.tostring(image, encoding="unicode", with_tail=False)
                if (picture := self._image(tag, caption=own)) is not None:
                    pictures.append(picture)
            if not pictures:
                ids = attributes.get("ids", [])
                ids = _ids(ids) if isinstance(ids, str) else ids if isinstance(ids, list) else []
                items = [
                    m
                    for i in ids
                    if isinstance(i, (int, str)) and (m := self.library.picture(str(i)))
                ]
                pictures = [self._picture(m) for m in items]
            return Block("figure", caption, caption_html, assets=pictures) if pictures else None
        if name in ("audio", "video"):
            player = root.find(f".//{name}") if root is not None else None
            url = _player_source(player) if player is not None else ""
            if not url and (item := self.library.find(id=str(attributes.get("id", "")))):
                url = item.url
            return self._media(name, url, caption) if url else None
        url = str(attributes.get("url", "")) or (
            " ".join(root.text_content().split()) if root is not None else ""
        )
        if not url.startswith(("http://", "https://")):
            return None
        slug = str(attributes.get("providerNameSlug", "")) or name.partition("/")[2]
        return self._embed(url, caption, slug)

    # Players and embeds

    def _player(self, match: re.Match) -> str:
        tag = (match.group(1) or match.group(4)).lower()
        attributes = _attributes(match.group(2) if match.group(1) else match.group(5))
        inner = match.group(3) or ""
        if tag == "object":
            movie = re.search(r"""<param\b[^>]*name=["']?(?:movie|src)["']?[^>]*>""", inner, re.I)
            url = attributes.get("data", "") or (
                _attributes(movie.group(0)).get("value", "") if movie else ""
            )
            if not url and (embed := re.search(r"<embed\b[^>]*>", inner, re.I)):
                url = _attributes(embed.group(0)).get("src", "")
            return self._token(self._embed(url)) if url else ""
        url = attributes.get("src", "")
        if not url and tag in ("audio", "video"):
            source = re.search(r"<source\b[^>]*>", inner, re.I)
            url = _attributes(source.group(0)).get("src", "") if source else ""
        if not url:
            return ""
        if tag in ("audio", "video"):
            return self._token(self._media(tag, url))
        return self._token(self._embed(_watch_url(url), attributes.get("title", "")))

    def _lone_url(self, match: re.Match) -> str:
        url = html.unescape(match.group(1))
        kind = media_kind(url)
        if kind in ("audio", "video"):
            return self._token(self._media(kind, url))
        if kind == "image" and "image" in self.formats:
            return self._token(self._figure([self._picture(self.library.find(url=url), src=url)]))
        if provider_of(url):
            return self._token(self._embed(url))
        return match.group(0)

    def _media(self, kind: str, url: str, caption: str = "") -> Block:
        url = html.unescape(url.strip())
        item = self.library.find(url=url)
        title = caption or (item.title if item is not None else "")
        return Block(kind, title, url=url[:2000], provider=provider_of(url))

    def _embed(self, url: str, caption: str = "", slug: str = "") -> Block | None:
        url = html.unescape(url.strip())
        if not url.startswith(("http://", "https://")):
            return None
        kind = media_kind(url)
        if kind in ("audio", "video"):
            return self._media(kind, url, caption)
        provider = provider_of(url) or PROVIDER_SLUGS.get(
            slug.lower(), slug.replace("-", " ").title()
        )
        return Block("embed", caption, url=url[:2000], provider=provider)


def _same_picture(use: AssetUse, item: MediaItem) -> bool:
    return url_key(use.url) == url_key(item.url)


def _ids(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip().isdecimal()]


def _attributes(tag: str) -> dict[str, str]:
    """An HTML start tag's attributes, names lower-cased, values with entities decoded."""
    body = re.sub(r"^<\w+", "", tag.strip()).rstrip(">").rstrip("/")
    found: dict[str, str] = {}
    for match in HTML_ATTRIBUTE.finditer(body):
        name = match.group(1).lower()
        value = next((g for g in match.groups()[1:] if g is not None), "")
        found.setdefault(name, html.unescape(value))
    return found


def _shortcode_attributes(text: str) -> tuple[dict[str, str], list[str]]:
    """shortcode_parse_atts(): named attributes (names lower-cased) and positional values."""
    named: dict[str, str] = {}
    positional: list[str] = []
    text = re.sub(r"[\u00a0\u200b]", " ", html.unescape(text))
    for match in SHORTCODE_ATTRIBUTE.finditer(text):
        groups = match.groups()
        for name_index in (0, 2, 4):
            if groups[name_index]:
                named[groups[name_index].lower()] = groups[name_index + 1]
                break
        else:
            value = next((g for g in groups[6:] if g is not None), "")
            if value:
                positional.append(value)
    return named, positional


def _fragment(inner: str) -> etree._Element | None:
    if not inner.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(inner, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def _figcaption(root: etree._Element | None, gallery: bool) -> tuple[str, str]:
    """A block's caption as text and, where it has markup, as sanitised inline HTML: an
    image block's figcaption, or a gallery's own (beside its pictures, not one of theirs)."""
    if root is None:
        return "", ""
    for caption in root.iter("figcaption"):
        if gallery and _picture_holder(caption, root) is not None:
            continue
        return _caption_content(caption)
    return "", ""


def _own_caption(image: etree._Element, root: etree._Element) -> str:
    """A gallery picture's caption: the figcaption of the figure (or list item) holding it."""
    holder = next(
        (a for a in image.iterancestors() if a is not root and a.tag in ("figure", "li")), None
    )
    caption = holder.find(".//figcaption") if holder is not None else None
    return _caption_content(caption)[0] if caption is not None else ""


def _picture_holder(caption: etree._Element, root: etree._Element) -> etree._Element | None:
    """The figure or list item of one picture that a figcaption belongs to, if any."""
    for ancestor in caption.iterancestors():
        if ancestor is root or ancestor.getparent() is root:  # the gallery's own figure
            return None
        if ancestor.tag in ("figure", "li") and len(list(ancestor.iter("img"))) == 1:
            return ancestor
    return None


def _caption_content(caption: etree._Element) -> tuple[str, str]:
    source = etree.tostring(caption, encoding="unicode", with_tail=False)
    inner = re.sub(r"^<figcaption\b[^>]*>|</figcaption>$", "", source)
    blocks = html_to_blocks(inner)
    text = " ".join(b.text for b in blocks)
    markup = " ".join(b.html or html.escape(b.text, quote=False) for b in blocks)
    return text, markup if any(b.html for b in blocks) else ""


def _player_source(player: etree._Element) -> str:
    src = player.get("src", "")
    if not src:
        source = player.find(".//source")
        src = source.get("src", "") if source is not None else ""
    return src


def _watch_url(url: str) -> str:
    """A player's address as the page a reader would open: YouTube's and Vimeo's embed
    players to their watch pages; any other as it is."""
    if url.startswith("//"):
        url = "https:" + url
    parts = split_url(url)
    host = (parts.hostname or "").lower()
    if "youtube" in host and (match := re.match(r"/embed/([\w-]{6,})", parts.path)):
        return f"https://www.youtube.com/watch?v={match.group(1)}"
    if host == "player.vimeo.com" and (match := re.match(r"/video/(\d+)", parts.path)):
        return f"https://vimeo.com/{match.group(1)}"
    return url
