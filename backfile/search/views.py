"""The search page: a form, the results with snippets, facets that narrow, and pages."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from backfile.archive.paging import page_number
from backfile.caching.http import cached_page
from backfile.replies.models import approved_reply_counts
from backfile.search.backends import FACETS, SORTS, Filters, filters_from
from backfile.search.kinds import Found, find, kind_from
from backfile.search.query import clean
from backfile.search.serialize import article_link

KEPT_PARAMS = ("q", "sort", "kind", *FACETS)
FACET_TITLES = {
    "publication": "Publication",
    "decade": "Decade",
    "year": "Year",
    "section": "Section",
    "author": "Author",
}


@cached_page(query_strings=True)  # a query asked again is served from the page cache
def search_page(request: HttpRequest) -> HttpResponse:
    if "within" in request.GET:  # from an issue's page: the search as if typed in full
        return HttpResponseRedirect(within_address(request.GET))
    q = clean(request.GET.get("q", ""))
    filters, notices = filters_from(request.GET)
    kind = kind_from(request.GET.get("kind"), notices)
    found = find(
        q,
        filters,
        kind,
        sort=request.GET.get("sort", ""),
        page=page_number(request.GET.get("page")),
    )
    results = found.results
    results.notices = notices + results.notices
    params = current_params(q, filters, results.sort, kind)
    articles = found.listed == "articles"
    return render(
        request,
        "search/search.html",
        {
            "q": q,
            "results": results,
            "found": found,
            "kind_asked": kind,
            "kinds": kind_tabs(found, params),
            "pages_url": url_with(params, kind="pages"),
            "hits": [(hit, article_link(hit.article.get_absolute_url(), q)) for hit in results.hits]
            if articles
            else [],
            "page_hits": [] if articles else results.hits,
            "reply_counts": approved_reply_counts(
                hit.article.pk for hit in results.hits if articles
            ),
            "facets": facet_groups(results.facets, params),
            "active_filters": [
                (FACET_TITLES[name], value, url_with(params, **{name: None}))
                for name, value in filters.active().items()
            ],
            "sorts": [(s, s.capitalize(), url_with(params, sort=s)) for s in SORTS],
            "pages": page_links(results.page, results.pages, params),
            "previous_url": url_with(params, page=results.page - 1) if results.page > 1 else None,
            "next_url": url_with(params, page=results.page + 1)
            if results.page < results.pages
            else None,
            "hidden_filters": filters.active().items(),
        },
    )


WITHIN = re.compile(r"^issue:[\w-]{1,200}$")


def within_address(params) -> str:
    """The search of an issue's page (`search/_within.html`): its `issue:` filter written
    before the reader's words, so the box, the address and the feed all hold the search."""
    q = clean(params.get("q", ""))
    within = params.get("within", "").strip()
    if WITHIN.match(within) and within not in q.split():
        q = f"{within} {q}".strip()
    rest = {k: v for k, v in params.items() if k not in ("q", "within")}
    return "?" + urlencode({"q": q, **rest})


def current_params(q: str, filters: Filters, sort: str, kind: str = "") -> dict[str, str]:
    params = {"q": q, **filters.active(), "kind": kind}
    if sort != "relevance":
        params["sort"] = sort
    return {k: v for k, v in params.items() if v}


KIND_LABELS = {"all": "All", "articles": "Articles", "pages": "Pages"}


def kind_tabs(found: Found, params: dict[str, str]) -> list[tuple[str, str, bool]]:
    """Links to the search of each kind (label with its count where known, url, current);
    none where the archive has no printed pages."""
    if not found.archive_has_pages:
        return []
    tabs = []
    for kind, label in KIND_LABELS.items():
        if kind in found.counts:
            label = f"{label} ({found.counts[kind]})"
        tabs.append((label, url_with(params, kind=kind), kind == found.kind))
    return tabs


def url_with(params: dict[str, str], **changes) -> str:
    """This search's address with some parameters set or (given None) removed; page resets."""
    merged = {k: v for k, v in params.items() if k != "page"}
    for name, value in changes.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = str(value)
    if merged.get("page") == "1":
        del merged["page"]
    return "?" + urlencode(merged)


MAX_YEARS_SHOWN = 15


def facet_groups(facets: dict, params: dict[str, str]) -> list[tuple[str, list]]:
    """Each facet's values with the link that narrows to it (or, if chosen, widens again).

    Years are listed when there are few of them or a decade is chosen; otherwise
    the decades stand for them, so a century of results does not list a hundred years.
    """
    groups = []
    for name, values in facets.items():
        if name == "year" and len(values) > MAX_YEARS_SHOWN and "decade" not in params:
            continue
        links = [
            (value, url_with(params, **{name: None if value.selected else value.value}))
            for value in values
        ]
        if links:
            groups.append((FACET_TITLES[name], links))
    return groups


def page_links(page: int, pages: int, params: dict[str, str]) -> list[tuple[int, str | None]]:
    """Page numbers around the current one, first and last; None marks a gap."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links: list[tuple[int, str | None]] = []
    for previous, number in zip([0, *shown], shown, strict=False):
        if number - previous > 1:
            links.append((0, None))
        links.append((number, url_with(params, page=number)))
    return links
