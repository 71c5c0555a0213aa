"""`GET /api/search?q=…`: the search page's results as JSON."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view

from backfile.caching.http import cached_page
from backfile.search.backends import MAX_PER_PAGE, PER_PAGE, filters_from
from backfile.search.kinds import find, kind_from
from backfile.search.query import clean
from backfile.search.serialize import found_to_dict
from backfile.site_url import absolute_url

router = Router(tags=["search"])
# A page number past any result set (a page is 20 to 100 results): refused, not searched for
MAX_PAGE = 100_000


class FacetOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class ResultOut(Schema):
    kind: Literal["article"]
    url: str
    title: str
    title_html: str
    publication: str
    issue: str
    date: str | None
    year: int
    section: str
    authors: list[str]
    snippet: str
    replies: int  # approved readers' replies


class PageResultOut(Schema):
    kind: Literal["page"]
    url: str  # the page view, with `q` so that it marks the words
    publication: str
    issue: str
    issue_url: str
    date: str | None
    year: int
    page: str  # the page number as printed ("" where none)
    sequence: int  # its place in the issue, from 1
    thumbnail: str | None
    snippet: str


class SearchOut(Schema):
    query: str
    total: int
    total_estimated: bool  # PostgreSQL, a large result of phrases: counted from a sample
    page: int
    pages: int
    per_page: int
    sort: str
    notices: list[str]
    facets_estimated: bool
    facets: dict[str, list[FacetOut]]
    kind: str  # what was asked for: all, articles or pages
    listed: str  # what `results` holds: articles or pages
    counts: dict[str, int]  # the matches of each kind searched
    results: list[ResultOut | PageResultOut]
    more_pages: list[PageResultOut]  # kind=all: the best pages beside the articles


@router.get("/search", response=SearchOut, summary="Search the archive")
@decorate_view(cached_page(query_strings=True))  # a query is stored like a page
def search_archive(
    request: HttpRequest,
    q: str = "",
    sort: Literal["relevance", "newest", "oldest"] = "relevance",
    page: int = Query(1, ge=1, le=MAX_PAGE),
    per_page: int = Query(PER_PAGE, ge=1, le=MAX_PER_PAGE),
    publication: str = "",
    decade: str = Query("", pattern=r"^([0-9]{3,4}0s)?$", description="`1990s`"),
    year: str = Query("", pattern=r"^([0-9]{1,4})?$"),
    section: str = "",
    author: str = "",
    kind: Literal["", "all", "articles", "pages"] = "",
):
    """Results (url, title, issue, date, authors, snippet), the total (exact unless
    `total_estimated`), and facet counts.

    `q` takes the search language of the site's search page; the other parameters
    narrow by facet, as the page's facet links do. A parameter that is not what this document
    says (`page=abc`, `per_page=0`, `sort=sideways`) is a 400 problem naming it. `kind` is `articles`, `pages` (printed
    pages: results with `kind` "page") or `all` (the default where the archive has pages:
    articles, with the best pages in `more_pages`); see docs/search.md.
    """
    filters, notices = filters_from(
        {
            "publication": publication,
            "decade": decade,
            "year": year,
            "section": section,
            "author": author,
        }
    )
    kind = kind_from(kind, notices)
    found = find(
        clean(q),
        filters,
        kind,
        sort=sort,
        page=page,
        per_page=per_page,
    )
    found.results.notices = notices + found.results.notices
    data = found_to_dict(found)
    for result in data["results"] + data["more_pages"]:  # absolute, on BACKFILE_BASE_URL
        result["url"] = absolute_url(request, result["url"])
        for name in ("issue_url", "thumbnail"):
            if result.get(name):
                result[name] = absolute_url(request, result[name])
    return data
