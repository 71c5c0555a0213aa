"""Photo essays and pages of pictures in a hand-made site's issue folder.

A photo essay on such a site is a run of pages, each a picture with its caption
and a line of onward links (`<--Previous | Next-->`, `« Anterior | Siguiente »`),
sometimes dozens in one issue. Read page by page, each would be a headline-less
"article" of one caption, or no article at all. Here a folder's pages of pictures
(pictures and a few words: `PICTURE_PAGE_WORDS` a picture at most) that link to
one another onward are put in order, following their `Next` links from the page
none leads to, and become ONE gallery (a `figure` block of their pictures, each
with its caption and credit, the words of its page beside the picture becoming
its caption where it had none):

- attached to the article that links to the essay's first page (or that the
  first page's `Previous` link leads back to), after the paragraph with that link
  (which leaves its `<a>`: the gallery is there now), else at the article's end;
- otherwise an article of its own, from the first page (its key, so a contents
  page's link to it places it), titled by the essay's headline or `<title>`.

The essay's pages are reported as picture pages of that gallery, and the record's
source holds them all, one after another. A single page of several pictures and
few words (a page of photographs from the quay) is one gallery too, in its place.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from html import unescape

from backfile.ingest.language import NOT_DETECTED
from backfile.ingest.readers.legacy_picture_files import figure_uses
from backfile.ingest.readers.legacy_pictures import CREDIT
from backfile.ingest.records import AssetUse, Block, Notice, sha256_text

PICTURE_PAGE_WORDS = 150  # words a picture, besides its caption: more is an article's text
HREF = re.compile(r"""\bhref\s*=\s*["']?([^"'\s>]+)""", re.I)
LINK = re.compile(r"""<a href="([^"]*)">(.*?)</a>""", re.S)
SOURCE_SEPARATOR = "\n<!-- backfile: the next page of the photo essay, {key} -->\n"


def photo_essays(pages: list) -> tuple[list, list[Notice]]:
    """The folder's pages with each photo essay made one gallery (its pages but the one it
    became, if any, taken out), and the notices accounting for the pages taken out."""
    by_name = {_stem(page.name): page for page in pages}
    candidates = [
        page
        for page in pages
        if is_picture_page(page) and (page.pictures.previous or page.pictures.next)
    ]
    singles = [page for page in pages if is_picture_page(page) and not _prose(page)]
    keys = {page.key for page in candidates}
    following: dict[str, list] = {page.key: [] for page in candidates}
    leading: dict[str, set] = {page.key: set() for page in candidates}
    for page in candidates:
        for href in page.pictures.next:
            target = _resolve(by_name, href)
            if target is not None and target.key in keys and target is not page:
                following[page.key].append(target)
                leading[target.key].add(page.key)
        for href in page.pictures.previous:
            target = _resolve(by_name, href)
            if target is not None and target.key in keys and target is not page:
                following[target.key].append(page)
                leading[page.key].add(target.key)
    removed: set[str] = set()
    notices: list[Notice] = []
    for essay in _sequences(candidates, following, leading):
        host = _host(pages, essay, by_name)
        removed |= _make_gallery(essay, host, notices)
    for page in singles:
        if page.key not in removed and page.pictures.count > 1:
            _one_gallery(page)
    return [page for page in pages if page.key not in removed], notices


def is_picture_page(page) -> bool:
    """Pictures and a few words about each (`legacy_pictures` found them)."""
    pictures = getattr(page, "pictures", None)
    if pictures is None or not pictures.count:
        return False
    words = sum(len(b.text.split()) for b in _flat(page.blocks) if b.type != "figure")
    return words <= PICTURE_PAGE_WORDS * pictures.count


def _prose(page) -> bool:
    """Paragraphs besides the pictures' captions: an article with pictures, not a page of them."""
    return any(b.type == "paragraph" for b in page.blocks)


def _sequences(candidates: list, following: dict, leading: dict) -> list[list]:
    """Runs of pages linked onward, in order: from each page no other leads to, by `Next`."""
    seen: set[str] = set()
    runs = []
    for start in sorted(candidates, key=lambda p: (bool(leading[p.key]), p.key)):
        if start.key in seen or not (following[start.key] or leading[start.key]):
            continue
        run, page = [], start
        while page is not None and page.key not in seen:
            seen.add(page.key)
            run.append(page)
            page = next((p for p in following[page.key] if p.key not in seen), None)
        if len(run) > 1:
            runs.append(run)
        elif not leading[start.key]:
            seen.discard(start.key)  # links only to pages already in a run: left as it is
    return runs


def _host(pages: list, essay: list, by_name: dict):
    """The article that links to the essay's first page, else the one its `Previous` link
    leads back to; None when no article does."""
    first = essay[0]
    inside = {page.key for page in essay}
    for page in pages:
        if page.key in inside or not page.is_article:
            continue
        if any(_resolve(by_name, href) is first for href in HREF.findall(page.text or "")):
            return page
    for href in first.pictures.previous:
        target = _resolve(by_name, href)
        if target is not None and target.key not in inside and target.is_article:
            return target
    return None


def _make_gallery(essay: list, host, notices: list[Notice]) -> set[str]:
    first = essay[0]
    title = _essay_title(essay)
    uses = [use for page in essay for use in _page_uses(page, title)]
    gallery = Block("figure", text=title if host is not None else "", assets=uses)
    owner = host if host is not None else first
    if host is not None:
        _place_in(host, gallery, {page.key for page in essay}, essay)
    else:
        first.blocks = [gallery]
        first.entries = []  # its onward links are the essay's, not a contents page's
        first.title = first.title or title
        first.detected = NOT_DETECTED  # its language is told from the whole gallery's words
    sources = [owner.text or ""]
    for page in essay:
        if page is not owner:
            sources.append(SOURCE_SEPARATOR.format(key=page.key) + (page.text or ""))
    owner.text = "".join(sources)
    owner.sha256 = sha256_text(owner.text)
    label = f"the photo essay {title!r}" if title else "a photo essay"
    kept = f"in the gallery of {owner.key}" + (", an article of its own" if host is None else "")
    taken = set()
    for number, page in enumerate(essay, 1):
        if page is owner:
            continue
        taken.add(page.key)
        notices.append(
            Notice(
                page.key,
                f"page {number} of {len(essay)} of {label} (a picture and its caption, with "
                f"onward links): its picture is {kept}",
                kind="picture page",
            )
        )
    return taken


def _essay_title(essay: list) -> str:
    for page in essay:
        if page.title:
            return page.title
        heading = next((b.text for b in _flat(page.blocks) if b.type == "heading"), "")
        if heading:
            return heading
    return essay[0].html_title or ""


def _page_uses(page, title: str) -> list[AssetUse]:
    """The page's pictures, each with its caption; the page's own words about it (not its
    title) make the caption of a picture that had none, and follow one that had."""
    words = " ".join(
        b.text
        for b in _flat(page.blocks)
        if b.type in ("paragraph", "heading", "list_item") and b.text and b.text != title
    )
    uses = []
    for block, use in figure_uses(page.blocks):
        caption = use.caption or (block.text if len(block.assets) == 1 else "")
        credit = use.credit or (block.credit if len(block.assets) == 1 else "")
        uses.append(AssetUse(use.sha256, use.alt, caption, credit, use.url))
    if uses and words:  # the page's words are about its (first) picture
        first = uses[0]
        credit = CREDIT.search(words)
        if credit and not first.credit:
            words, first.credit = (
                words[: credit.start()].rstrip(" (|–—-"),
                credit.group().strip(" ()[]"),
            )
        if words != first.caption:
            first.caption = f"{first.caption} {words}".strip()
    return uses


def _place_in(host, gallery: Block, keys: set[str], essay: list) -> None:
    """The gallery after the host's paragraph that links to the essay (its link unwrapped),
    else at the end of its body, before any notes."""
    names = {_stem(page.name) for page in essay}
    for index, block in enumerate(host.blocks):
        links = [m for m in LINK.finditer(block.html) if _link_stem(m.group(1)) in names]
        if links:
            block.html = LINK.sub(
                lambda m: m.group(2) if _link_stem(m.group(1)) in names else m.group(0),
                block.html,
            )
            host.blocks.insert(index + 1, gallery)
            return
    blocks = host.blocks
    blocks.insert(
        len(blocks) - 1 if blocks and blocks[-1].type == "notes" else len(blocks), gallery
    )


def _one_gallery(page) -> None:
    """A single page of several pictures: its figures one gallery, where the first stood."""
    figures = [b for b in page.blocks if b.type == "figure"]
    if len(figures) < 2:
        return
    uses = []
    for block in figures:
        for use in block.assets:
            caption = use.caption or (block.text if len(block.assets) == 1 else "")
            credit = use.credit or (block.credit if len(block.assets) == 1 else "")
            uses.append(AssetUse(use.sha256, use.alt, caption, credit, use.url))
    at = page.blocks.index(figures[0])
    page.blocks = [b for b in page.blocks if b.type != "figure"]
    page.blocks.insert(at, Block("figure", assets=uses))


def _flat(blocks: list[Block]):
    for block in blocks:
        yield block
        if block.blocks:
            yield from _flat(block.blocks)


def _resolve(by_name: dict, href: str):
    path = urllib.parse.unquote(href.split("#", 1)[0].split("?", 1)[0])
    if not path or "/" in path.strip("./") or urllib.parse.urlsplit(href).netloc:
        return None
    return by_name.get(_stem(path))


def _link_stem(href: str) -> str:
    return _stem(unescape(href).split("#", 1)[0].split("?", 1)[0])


def _stem(name: str) -> str:
    return posixpath.splitext(posixpath.basename(name.strip().lower()))[0]
