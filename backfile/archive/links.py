"""Links between articles, as their source pages wrote them, to the articles' archive URLs.

An article's body keeps its links as the source wrote them (`458_05_Strike.shtml`,
`../457/457_02_Rally.php`): the record stays lossless, and an article ingested
later is found by the links already stored. The site rewrites them when it
renders a page: an href is resolved against the path of the page it was on
(the article's source path, which for a legacy site is also its key), and the
article whose key is that path, under any of the page suffixes a hand-made
site mixes (a link to `.shtml` whose file was saved as `.php`), is its target.
"""

from __future__ import annotations

import html
import posixpath
import re
import urllib.parse
from collections.abc import Callable, Iterable

PAGE_SUFFIXES = (".php", ".shtml", ".shmtl", ".html", ".htm")
HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")', re.I)
QUERY_CHUNK = 500  # keys a query asks for at once (SQLite's limit on parameters)


def link_targets(base: str, href: str) -> list[str]:
    """The keys the page at `base` may mean by `href`, most likely first; [] for a link
    that leaves the site (another host, mail) or names no page."""
    href = html.unescape(href).strip()
    parts = urllib.parse.urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return []
    path = urllib.parse.unquote(parts.path)
    if path.startswith("/"):
        joined = posixpath.normpath(path.lstrip("/"))
    else:
        folder = posixpath.dirname(base.split("#", 1)[0].replace("\\", "/"))
        joined = posixpath.normpath(posixpath.join(folder, path))
    while joined.startswith("../"):  # above the site's root: the root is as high as it goes
        joined = joined[3:]
    stem, suffix = posixpath.splitext(joined)
    if suffix.lower() not in PAGE_SUFFIXES or joined.startswith(".."):
        return []
    return [joined] + [stem + other for other in PAGE_SUFFIXES if other != suffix.lower()]


def hrefs(blocks: Iterable[dict]) -> list[str]:
    """Every href in the blocks' markup, nested blocks included, in order."""
    found: list[str] = []
    for block in blocks:
        if block.get("html"):
            found += [match.group(2) for match in HREF.finditer(block["html"])]
        if block.get("blocks"):
            found += hrefs(block["blocks"])
    return found


def rewrite(blocks: list[dict], url_of: Callable[[str], str | None]) -> list[dict]:
    """The blocks with each href `url_of` knows replaced by its URL (copies; the stored
    blocks are left as they are)."""
    rewritten = []
    for block in blocks:
        copy = dict(block)
        if copy.get("html"):
            copy["html"] = HREF.sub(
                lambda m: m.group(1) + html.escape(url_of(m.group(2)) or m.group(2)) + m.group(3),
                copy["html"],
            )
        if copy.get("blocks"):
            copy["blocks"] = rewrite(copy["blocks"], url_of)
        rewritten.append(copy)
    return rewritten


def stored_keys(keys: Iterable[str], **where) -> dict:
    """The articles among `keys` (filtered by `where`), by key, with what their URLs need."""
    from backfile.archive.models import Article

    wanted = list(dict.fromkeys(keys))
    found: dict = {}
    for start in range(0, len(wanted), QUERY_CHUNK):
        chunk = wanted[start : start + QUERY_CHUNK]
        for article in (
            Article.objects.filter(key__in=chunk, **where)
            .select_related("issue", "publication")
            .only("key", "slug", "issue__slug", "issue__year", "issue__decade", "publication__slug")
        ):
            found[article.key] = article
    return found


def with_archive_links(article) -> list[dict]:
    """The article's blocks with its links to other articles of the archive pointing at
    their pages here; other links as they were."""
    blocks = article.blocks or []
    written = [href for href in hrefs(blocks) if link_targets("", href)]  # pages, not sites
    if not written:
        return blocks
    from backfile.archive.models import ArticleSource

    base = (
        ArticleSource.objects.filter(article=article).values_list("path", flat=True).first()
        or article.key
    )
    targets = {href: link_targets(base, href) for href in written}
    found = stored_keys(
        (key for keys in targets.values() for key in keys), publication_id=article.publication_id
    )

    def url_of(href: str) -> str | None:
        for key in targets.get(href, ()):
            if key in found and found[key].pk != article.pk:
                return found[key].get_absolute_url()
        return None

    return rewrite(blocks, url_of)
