"""Articles, pages, or both: what a search lists (`kind`), for the search page, the API and
the command alike.

- `articles`: articles only, as ever.
- `pages`: printed pages only (`page_search`), with their own facets and pages of results.
- `all`: the articles, and beside them the number of matching pages and the best
  PREVIEW_PAGES of them (on the first page of results), with a link to all of them.
  Where no article matches but pages do, the pages are listed instead.

A page and the article printed on it often hold the same words, so the two are not
interleaved into one list: each kind is ranked on its own index, and a reader switches
between them. The default is `all` where the archive has printed pages indexed, and
`articles` where it has none (an archive of transcribed articles alone looks as before).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backfile.search.backends import PER_PAGE, Filters, SearchResults, search
from backfile.search.models import PageEntry
from backfile.search.page_search import NOT_ON_PAGES, PageHit, search_pages

KINDS = ("all", "articles", "pages")
PREVIEW_PAGES = 3


@dataclass
class Found:
    kind: str  # what was asked for: all, articles or pages
    listed: str  # what `results` lists: articles or pages
    results: SearchResults
    counts: dict[str, int] = field(default_factory=dict)  # matches of each kind searched
    preview: list[PageHit] = field(default_factory=list)  # kind all: the best pages
    archive_has_pages: bool = True


def has_pages() -> bool:
    return PageEntry.objects.exists()


def kind_from(value: str | None, notices: list[str]) -> str:
    """The kind asked for; "" (the archive's default) when none or not one of KINDS."""
    value = (value or "").strip().lower()
    if value and value not in KINDS:
        notices.append(f"“{value[:40]}” is not articles, pages or all; the default was used.")
        return ""
    return value


def find(
    text: str,
    filters: Filters | None = None,
    kind: str = "",
    sort: str = "relevance",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Found:
    """The search, of the kind asked for (see the module's doc); never raises on input."""
    with_pages = has_pages()
    kind = kind if kind in KINDS else ("all" if with_pages else "articles")
    if kind == "pages":
        results = search_pages(text, filters, sort, page, per_page)
        return Found(kind, "pages", results, {"pages": results.total}, [], with_pages)
    articles = search(text, filters, sort=sort, page=page, per_page=per_page)
    if kind == "articles":
        return Found(kind, "articles", articles, {"articles": articles.total}, [], with_pages)
    if articles.total:
        best = search_pages(text, filters, sort, 1, PREVIEW_PAGES, facets=False)
    else:  # no article: the pages, if any, are what is listed
        best = search_pages(text, filters, sort, page, per_page)
    counts = {"articles": articles.total, "pages": best.total}
    if not articles.total and best.total:
        return Found(kind, "pages", best, counts, [], with_pages)
    articles.notices += [n for n in best.notices if n not in articles.notices + [NOT_ON_PAGES]]
    preview = best.hits if articles.page == 1 else []
    return Found(kind, "articles", articles, counts, preview, with_pages)
