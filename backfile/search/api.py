"""`GET /api/search?q=…`: the search page's results as JSON."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.decorators import decorate_view

from backfile.caching.http import cached_page
from backfile.search.backends import MAX_PER_PAGE, PER_PAGE, filters_from, search
from backfile.search.query import clean
from backfile.search.serialize import results_to_dict
from backfile.search.views import page_number
from backfile.site_url import absolute_url

router = Router(tags=["search"])


class FacetOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class ResultOut(Schema):
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


class SearchOut(Schema):
    query: str
    total: int
    page: int
    pages: int
    per_page: int
    sort: str
    notices: list[str]
    facets_estimated: bool
    facets: dict[str, list[FacetOut]]
    results: list[ResultOut]


@router.get("/search", response=SearchOut, summary="Search the archive")
@decorate_view(cached_page(page_cache=False))  # ETag, Last-Modified and 304s
def search_archive(
    request: HttpRequest,
    q: str = "",
    sort: str = "relevance",
    page: str = "1",
    per_page: str = str(PER_PAGE),
    publication: str = "",
    decade: str = "",
    year: str = "",
    section: str = "",
    author: str = "",
):
    """Results (url, title, issue, date, authors, snippet), the exact total, and facet counts.

    `q` takes the search language of the site's search page; the other parameters
    narrow by facet, as the page's facet links do.
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
    results = search(
        clean(q),
        filters,
        sort=sort,
        page=page_number(page),
        per_page=min(page_number(per_page), MAX_PER_PAGE),
    )
    results.notices = notices + results.notices
    found = results_to_dict(results)
    for result in found["results"]:  # absolute, on the canonical origin (BACKFILE_BASE_URL)
        result["url"] = absolute_url(request, result["url"])
    return found
