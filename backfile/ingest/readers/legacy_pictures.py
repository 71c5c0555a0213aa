"""Pictures in a hand-made site's pages: figures in place, with their captions and credits.

`legacy_page` reads a page as lines of text; this module reads the same page's
`<img>` elements (only pages that have one pay for it) and puts a `figure` block
where each picture stood in the body:

- chrome is left out: spacers, rules, bullets, logos, banners, buttons and
  advertisements (by the words of the file's name), pictures a few pixels across,
  and pictures that link to another site (an advertisement's banner);
- the caption is the text of the picture's own table cell, `<div>`, `<p>` or
  `<figure>` where that holds only this picture and a few lines (`<img><br>Dockers
  at the gate`, a chart's cell with its source line), else the line right after it
  when that is set small or in italics;
- a credit is a caption line, or the tail of one, in the shape `Photo: X`,
  `Picture by X`, `Foto: X`, `Fuente: X` … (the words are in CREDIT_WORDS, English
  and Spanish), kept as printed;
- the caption's lines leave the body's paragraphs, and the figure goes before the
  first line of text after the picture (after the last one before it, at the end).

Where the picture's file is is settled later (`legacy_picture_files.LegacyPictures`, in the reading
process): the figure keeps the address as the page wrote it (`AssetUse.url`) and
its alt text; the file is looked for among the run's sources (`SourcePictures`)
and, where it is not there, the figure stays without one (`sha256` empty) and the
page shows a placeholder. The onward links of a page (`<--Previous | Next-->`)
are kept for `legacy_galleries`, which makes a photo essay one gallery.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from html import escape

from lxml import html as lxml_html

from backfile.ingest.pictures import IMAGE
from backfile.ingest.readers.datelines import parse_dateline
from backfile.ingest.readers.legacy_page import PAGE_NAME
from backfile.ingest.records import AssetUse, Block

IMG = re.compile(r"<img\b", re.I)
BREAKS = frozenset((
    "p", "div", "blockquote", "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "dl", "dt", "dd", "hr", "center", "form", "caption", "br", "figure",
    "figcaption",
))  # fmt: skip
HIDDEN = frozenset(("script", "style", "noscript", "title", "head", "select", "option"))
CONTAINERS = ("td", "th", "div", "p", "center", "figure", "dd", "li")
CAPTION_WORDS = 80  # a picture's cell with more words than this holds prose, not a caption
NEXT_LINE_WORDS = 60
DEFAULT_SIZE = 3  # <font size> a browser sets text in, where a page says none
SMALL_SIZE = 2  # <font size="2"> and smaller: a caption's type on such sites
PROSE_WORDS = 150  # a region with fewer words is no measure of the page's usual type
# Words that name a file as the page's chrome: anywhere in its name (`nav_arrow.gif`,
# `sw_logo.gif`), or, for words a photograph's name may hold too (`picket_line.jpg`,
# `Clear_Lake.jpg`, `banner-drop.jpg`), only where the name has no other word (`dot.gif`).
CHROME_WORDS = frozenset((
    "spacer", "spc", "pixel", "logo", "button", "btn", "arrow", "bullet", "icon", "nav",
    "ad", "ads", "advert", "advertisement", "masthead", "divider", "shim",
))  # fmt: skip
CHROME_ALONE = frozenset((
    "blank", "clear", "transparent", "trans", "banner", "dot", "line", "rule", "hr", "header",
))  # fmt: skip
MIN_SIDE = 20  # pixels: a picture declared this small is a bullet or a spacer
# Credit lines and their words, by language: `Photo: X`, `Photo by X`, `(Foto: X)`. A word
# of COLON_WORDS credits with a colon (`Source: X`, `Fuente: X`); one of BY_WORDS also with
# `by`/`por`/`de` and a name (`Foto de Juan Pérez`, not `Foto de la marcha`).
CREDIT_WORDS = {
    "en": {
        "colon": "photo photos photograph photographs photographer picture pictures image images "
        "cartoon illustration illustrations drawing graphic graphics chart map source sources",
        "by": "photo photos photograph photographs picture pictures cartoon illustration "
        "illustrations drawing graphic graphics",
        "courtesy": "courtesy of",
    },
    "es": {
        "colon": "foto fotos fotografía fotografías fotógrafo fotógrafa imagen imágenes caricatura "
        "ilustración ilustraciones dibujo gráfico gráfica gráficos mapa fuente fuentes",
        "by": "foto fotos fotografía fotografías caricatura ilustración ilustraciones dibujo",
        "courtesy": "cortesía de|cortesia de",
    },
}


def _alternatives(kind: str) -> str:
    words = {w for table in CREDIT_WORDS.values() for w in table[kind].split()}
    return "|".join(sorted(words, key=len, reverse=True))


_NAME_START = r"(?-i:[A-Z\u00c0-\u00de])(?!(?i:a|an|the|la|el|los|las|un|una)\b)"
# after `de` a name of two words or more (`Foto de Juan Pérez`): `Foto de Barcelona tras el
# bombardeo` names a place, and is a caption
_NAME_REST = r"(?-i:[\w'’.-]+\s+(?:(?:de|del|la|las|los|y)\s+){0,2}[A-ZÀ-Þ])"
_LEAD = (
    rf"(?:(?:{_alternatives('colon')})\s*:"
    rf"|(?:{_alternatives('by')})\s+(?:by|por)\s+(?={_NAME_START})"
    rf"|(?:{_alternatives('by')})\s+de\s+(?={_NAME_START}{_NAME_REST})"
    rf"|(?:{'|'.join(t['courtesy'] for t in CREDIT_WORDS.values())})\s+)"
)
CREDIT = re.compile(
    rf"(?:^|(?<=[.!?)]\s)|(?<=[(\[|–—-])|(?<=[|–—-]\s))\(?\[?{_LEAD}\s*[^\s:].{{0,120}}?[)\]]?\s*$",
    re.I,
)
# Onward navigation between the pages of a sequence, in any language the tables know.
PREVIOUS = re.compile(r"<-|«|‹|←|<<|\b(?:previous|prev|back|anterior|atr[aá]s|regresar)\b", re.I)
NEXT = re.compile(
    r"->|»|›|→|>>|\b(?:next|forward|siguiente|adelante|continuar|pr[oó]xim[ao])\b", re.I
)
LETTER = re.compile(r"[^\W\d_]")
FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")
ANCHORS = 5  # lines of text either side of a picture that may place it in the body
PICTURE_HREF = re.compile(r"\.(?:jpe?g|png|gif|webp|tiff?|bmp)$", re.I)


@dataclass
class Found:
    """One picture of a page, as the page shows it."""

    src: str
    alt: str = ""
    caption: str = ""
    credit: str = ""
    caption_html: str = ""  # where its lines had links or italics
    caption_lines: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)  # the first lines of text after it
    after: list[str] = field(default_factory=list)  # the last lines before it, nearest first


@dataclass
class PagePictures:
    """What `legacy_galleries` needs of a page's pictures: how many, and its onward links."""

    count: int = 0
    previous: list[str] = field(default_factory=list)
    next: list[str] = field(default_factory=list)


@dataclass
class _Line:
    text: str
    element: object
    small: bool  # set smaller than the region's usual type (see `_walk`)
    italic: bool
    links: list[str]


def add_figures(page, text: str) -> None:
    """Figure blocks for the page's pictures, in place in `page.blocks`; their caption lines
    leave the body. Sets `page.pictures` where the page shows any or links onward."""
    if not IMG.search(text):
        return
    try:
        root = lxml_html.document_fromstring(text)
    except (ValueError, lxml_html.etree.ParserError):
        return
    region = next(iter(root.xpath("//td[@width='480']")), None)
    lines, images = _walk(region if region is not None else root)
    found = [_found(image, lines, region, page.title) for image in images]
    onward = _onward(root)
    if not found and not (onward.previous or onward.next):
        return
    onward.count = len(found)
    page.pictures = onward
    blocks = page.blocks
    for picture in found:
        removed = [_remove_line(blocks, line) for line in picture.caption_lines]
        marked = [b for b in removed if b is not None and b.html]
        if marked and not picture.credit and all(b is not None for b in removed):
            picture.caption_html = " ".join(
                b.html or escape(b.text, quote=False) for b in removed if b is not None
            )
    for picture in found:
        _insert(blocks, figure_block(picture), picture)


def figure_block(picture: Found) -> Block:
    use = AssetUse(alt=picture.alt, url=picture.src)
    return Block(
        "figure",
        text=picture.caption,
        html=picture.caption_html,
        credit=picture.credit,
        assets=[use],
    )


# Recognising a page of pictures


HEAD_HTML = re.compile(rb"<(?:html|body|table|p|div|center)\b", re.I)
HEAD_ONWARD = re.compile(
    rb"<a\b[^>]*\bhref[^>]*>[^<]{0,40}(?:next|previous|prev\b|siguiente|anterior|-->|<--|"
    rb"&lt;-|-&gt;|&raquo;|&laquo;|\xc2\xbb|\xc2\xab)",
    re.I,
)


def picture_head(path: str, head: bytes) -> bool:
    """Whether a page without the site's headline type is one of its pages of pictures: HTML
    showing a picture that is not chrome, with a mark of the family (its page names, its
    480-pixel column, <font> type, or links onward to a previous or next page)."""
    if not HEAD_HTML.search(head):
        return False
    if not any(_content_name(src.decode("latin-1")) for src in IMAGE.findall(head)):
        return False
    name = posixpath.basename(path.replace("\\", "/"))
    return bool(
        PAGE_NAME.match(name)  # `569_12_Photos.php`: the site's page names
        or b'width="480"' in head
        or b"<font" in head.lower()
        or HEAD_ONWARD.search(head)
    )


def _split(url: str) -> urllib.parse.SplitResult:
    """An address's parts; none for one `urlsplit` refuses (`http://[bad/x.jpg`)."""
    try:
        return urllib.parse.urlsplit(url.strip())
    except ValueError:
        return urllib.parse.urlsplit("")


def _content_name(src: str) -> bool:
    """Whether a picture's file name may be content: not the page's chrome (`CHROME_WORDS`)."""
    path = _split(src).path
    stem = posixpath.splitext(posixpath.basename(path))[0]
    words = {w.casefold() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", stem)}
    return bool(stem) and not words & CHROME_WORDS and not (words and words <= CHROME_ALONE)


# Reading the page


def _walk(top) -> tuple[list[_Line], list[tuple[object, int]]]:
    """The region's lines (split where a browser breaks them) and its pictures, each with the
    index of the first line after it."""
    lines: list[_Line] = []
    images: list[tuple[object, int]] = []
    runs: list[tuple[str, object, int, bool, str]] = []
    sizes: list[int] = []  # each line's type size (3 is a browser's usual), for `small`

    def flush() -> None:
        if runs:
            text = " ".join("".join(r[0] for r in runs).split())
            inked = [r for r in runs if r[0].strip()]
            if text and inked:
                sizes.append(max(r[2] for r in inked))
                lines.append(
                    _Line(
                        text,
                        inked[0][1],
                        False,
                        all(r[3] for r in inked),
                        [r[4] for r in inked if r[4]],
                    )
                )
            runs.clear()

    def visit(element, size: int, italic: bool, href: str) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in HIDDEN:
            return
        if tag in BREAKS:
            flush()
        if tag == "font":
            given = (element.get("size") or "").strip()
            if given[:1] in ("-", "+") and given[1:].isdecimal():
                size = DEFAULT_SIZE + int(given)  # relative to the page's type
            elif given.isdecimal():
                size = int(given)
        elif tag == "small":
            size = min(size, DEFAULT_SIZE) - 1
        elif tag in ("i", "em", "cite"):
            italic = True
        elif tag == "a" and element.get("href"):
            href = element.get("href").strip()
        elif tag == "img":
            flush()
            if _is_content(element, href):
                images.append((element, len(lines)))
        if tag and element.text:
            runs.append((element.text, element, size, italic, href))
        for child in element:
            visit(child, size, italic, href)
            if child.tail:
                runs.append((child.tail, element, size, italic, href))
        if tag in BREAKS:
            flush()

    visit(top, DEFAULT_SIZE, False, "")
    flush()
    # small: a caption's type (size 2 or less) that is smaller than the type most of the
    # region's words are set in, where it has the words of an article (a site that sets its
    # text in <font size="2"> sets its captions in italics); on a page of a few words (a page
    # of pictures, whose words are mostly captions), smaller than a browser's usual type
    words: Counter = Counter()
    for line, size in zip(lines, sizes, strict=True):
        words[size] += len(line.text.split())
    usual = words.most_common(1)[0][0] if words.total() >= PROSE_WORDS else DEFAULT_SIZE
    for line, size in zip(lines, sizes, strict=True):
        line.small = size <= SMALL_SIZE and size < usual
    return lines, images


def _is_content(image, href: str) -> bool:
    """A picture of the page's content, not its chrome (see the module's docstring)."""
    src = (image.get("src") or "").strip()
    if not src or src.startswith("data:"):
        return False
    for side in ("width", "height"):
        value = (image.get(side) or "").strip().removesuffix("px")
        if value.isdecimal() and int(value) <= MIN_SIDE:
            return False
    if not _content_name(src):
        return False
    if href and not PICTURE_HREF.search(_split(href).path):
        target = _split(href)
        if target.netloc or target.scheme in ("mailto", "javascript"):
            return False  # a banner to another site, an advertisement
    return True


def _found(item: tuple[object, int], lines: list[_Line], region, title: str) -> Found:
    image, at = item
    picture = Found(
        src=(image.get("src") or "").strip(),
        alt=" ".join((image.get("alt") or image.get("title") or "").split()),
    )
    captions = _cell_caption(image, lines, region, title)
    if captions is None:
        captions = []
        following = lines[at] if at < len(lines) else None
        if (
            following is not None
            and len(following.text.split()) <= NEXT_LINE_WORDS
            and (following.small or following.italic or CREDIT.fullmatch(following.text))
        ):
            captions.append(following)
            after = lines[at + 1] if at + 1 < len(lines) else None
            if after is not None and CREDIT.fullmatch(after.text) and not following.links:
                captions.append(after)
    captions = [line for line in captions if _may_caption(line)]
    texts, credits = [], []
    for line in captions:
        match = CREDIT.search(line.text)
        if match and match.start() == 0:
            credits.append(line.text)
        elif match:
            texts.append(line.text[: match.start()].rstrip(" (|–—-"))
            credits.append(match.group().strip(" ()[]"))
        else:
            texts.append(line.text)
    picture.caption = " ".join(t for t in texts if t)
    picture.credit = " ".join(credits)
    picture.caption_lines = [line.text for line in captions]
    taken = {id(line) for line in captions}
    later = [line for line in lines[at:] if id(line) not in taken and not _is_onward(line)]
    earlier = [line for line in lines[:at] if id(line) not in taken and not _is_onward(line)]
    picture.before = [line.text for line in later[:ANCHORS]]
    picture.after = [line.text for line in earlier[::-1][:ANCHORS]]
    return picture


def _cell_caption(image, lines: list[_Line], region, title: str) -> list[_Line] | None:
    """The lines of the picture's own cell, where it holds this picture and a caption's words;
    None where it has none such (the picture sits in the running text, or the cell is the
    article's own: it holds its headline or dateline)."""
    for cell in image.iterancestors(*CONTAINERS):
        if cell is region:
            return None
        pictures = [i for i in cell.iter("img") if _is_content(i, "")]
        if len(pictures) > 1:
            return None
        inside = [line for line in lines if _within(line.element, cell)]
        if not inside:
            continue  # a cell of the picture alone: its caption may be in the cell around it
        if sum(len(line.text.split()) for line in inside) > CAPTION_WORDS:
            return None
        if any(line.text == title or _dateline(line) for line in inside):
            return None
        return inside
    return None


def _within(element, cell) -> bool:
    return element is cell or any(a is cell for a in element.iterancestors())


def _may_caption(line: _Line) -> bool:
    """Words (not a rule of dashes), not onward links, not the page's dateline."""
    if not LETTER.search(line.text) or _is_onward(line):
        return False
    return not _dateline(line)


def _dateline(line: _Line) -> bool:
    return bool(FOUR_DIGITS.search(line.text)) and parse_dateline(line.text) is not None


def _is_onward(line: _Line) -> bool:
    return (
        bool(line.links)
        and len(line.text.split()) <= 8
        and bool(PREVIOUS.search(line.text) or NEXT.search(line.text))
    )


def _onward(root) -> PagePictures:
    """The page's links to the previous and next page of a sequence."""
    found = PagePictures()
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        target = _split(href)
        if not href or href.startswith("#") or target.netloc or target.scheme:
            continue
        words = " ".join(link.text_content().split()) or " ".join(
            (i.get("alt") or "") for i in link.iter("img")
        )
        if not words or len(words.split()) > 4:
            continue
        if PREVIOUS.search(words) and not NEXT.search(words):
            found.previous.append(href)
        elif NEXT.search(words) and not PREVIOUS.search(words):
            found.next.append(href)
    return found


# Placing the figures in the body


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _same(line: str, block_text: str) -> bool:
    a, b = _norm(line), _norm(block_text)
    if not a or not b:
        return False
    if len(a) < 12 or len(b) < 12:
        return a == b
    return a[:40] == b[:40]


def _remove_line(blocks: list[Block], line: str) -> Block | None:
    """Take the first paragraph or heading saying `line` out of the body (a caption)."""
    wanted = _norm(line)
    for index, block in enumerate(blocks):
        if block.type in ("paragraph", "heading") and _norm(block.text) == wanted:
            return blocks.pop(index)
        if block.type in ("quotation", "list_item", "note") and (
            found := _remove_line(block.blocks, line)
        ):
            return found
    return None


def _insert(blocks: list[Block], figure: Block, picture: Found) -> None:
    """Before the block the line after the picture begins, else after the one the line
    before it ends, else at the end of the body (before its notes)."""
    for line in picture.before:
        for index, block in enumerate(blocks):
            if block.type != "figure" and _same(line, block.text or _first(block)):
                blocks.insert(index, figure)
                return
    for line in picture.after:
        wanted = _norm(line)
        for index in range(len(blocks) - 1, -1, -1):
            if (
                wanted
                and blocks[index].type != "figure"
                and wanted in _norm(_all_text(blocks[index]))
            ):
                blocks.insert(index + 1, figure)
                return
    at = len(blocks) - 1 if blocks and blocks[-1].type == "notes" else len(blocks)
    blocks.insert(at, figure)


def _first(block: Block) -> str:
    return block.blocks[0].text if block.blocks else ""


def _all_text(block: Block) -> str:
    return " ".join([block.text, *(_all_text(b) for b in block.blocks)])
