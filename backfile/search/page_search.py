"""Searching printed pages: the same query language and filters as articles, over the page
index (`page_index`), with results that open the page view with the words marked.

A page has text, an issue, a publication and a date, but no headline, section or author:
a query that asks for those (`author:`, `title:`, `section:`, or the section and author
facets) finds no pages, and says so. Everything else works as for articles: words,
phrases, proximity, OR, exclusions, prefixes, `publication:`, `year:`/`decade:` and
`issue:`; the publication, decade and year facets; sorting by relevance or date; and
pages of results. Pages are fewer than articles by an order of magnitude or two, so a
page search is ranked in one step, without the article search's tiers and estimates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from backfile.facsimiles.models import Page
from backfile.media.models import Asset
from backfile.media.storage import media_storage
from backfile.search.backends import (
    PER_PAGE,
    Filters,
    SearchResults,
    _apply_dates,
    _apply_filters,
    _apply_issues,
    empty_results,
)
from backfile.search.engines import backend
from backfile.search.facets import facet_values
from backfile.search.highlight import Highlighter, opening
from backfile.search.query import And, Match, Near, Not, Or, Query, fts5_expression
from backfile.search.serialize import article_link
from backfile.search.tsquery import PG_FIELD_VECTORS, _leaf, rank_tsquery

# FTS5 bm25 weights, in search_page_fts's column order: text, source text, joined forms,
# publication (for `publication:` only, never ranked).
PAGE_BM25_WEIGHTS = "1.0, 1.0, 0.5, 0.0"
PAGE_FIELDS = (None, "publication")  # the query fields a page has
PAGE_IN_ISSUES = "e.issue_id IN ({})"
NOT_ON_PAGES = (
    "Printed pages have no headline, section or author, so pages were not searched; "
    "search articles for those."
)


@dataclass
class PagePlan:
    """How one page search matches and ranks, over search_page_entry (`e`)."""

    source: str = "search_page_entry e"
    where: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)
    filters: list[str] = field(default_factory=list)
    filter_params: list = field(default_factory=list)
    rank: str | None = None
    rank_params: list = field(default_factory=list)

    def clause(self) -> tuple[str, list]:
        where = " AND ".join(self.where + self.filters) or "1 = 1"
        return f"FROM {self.source} WHERE {where}", self.params + self.filter_params


def sqlite_plan(query: Query) -> PagePlan:
    expression = fts5_expression(query)
    if expression is not None:
        return PagePlan(
            source="search_page_fts f JOIN search_page_entry e ON e.page_id = f.rowid",
            where=["search_page_fts MATCH %s"],
            params=[expression],
            rank=f"bm25(search_page_fts, {PAGE_BM25_WEIGHTS})",
        )
    plan = PagePlan()
    if query.exclude is not None:
        excluded = fts5_expression(Query(text="", include=query.exclude))
        plan.where.append(
            "e.page_id NOT IN (SELECT rowid FROM search_page_fts WHERE search_page_fts MATCH %s)"
        )
        plan.params.append(excluded)
    return plan


def postgres_condition(node, table: str = "e") -> tuple[str, list]:
    """A SQL condition on search_page_entry (`table`): each leaf an `@@` test (and the
    proximity check) on the page's `document`, or on `labels` for `publication:`, as
    `tsquery.to_postgres` writes them for articles."""
    if isinstance(node, (Match, Near)):
        vector = "labels" if node.field == "publication" else "document"
        return _leaf(node, f"{table}.{vector}", PG_FIELD_VECTORS[node.field][1])
    if isinstance(node, Not):
        sql, params = postgres_condition(node.child, table)
        return f"NOT ({sql})", params
    parts = [postgres_condition(child, table) for child in node.children]
    joiner = " OR " if isinstance(node, Or) else " AND "
    return "(" + joiner.join(p[0] for p in parts) + ")", [x for p in parts for x in p[1]]


def postgres_plan(query: Query) -> PagePlan:
    """The query's `@@` tests on the page's own `document` and `labels`; what it excludes,
    as an anti-join decided in the index."""
    plan = PagePlan()
    if query.include is not None:
        sql, params = postgres_condition(query.include)
        plan.where.append(sql)
        plan.params.extend(params)
        if ranked := rank_tsquery(query.include):
            plan.rank = "-ts_rank_cd(e.document, to_tsquery('simple', %s), 1)"
            plan.rank_params = [ranked]
    if query.exclude is not None:
        sql, params = postgres_condition(query.exclude, table="x")
        plan.where.append(
            f"e.page_id NOT IN (SELECT x.page_id FROM search_page_entry x WHERE {sql})"
        )
        plan.params.extend(params)
    return plan


PLANS = {"sqlite": sqlite_plan, "postgresql": postgres_plan}


def _fields(node, found: set) -> set:
    if isinstance(node, (Match, Near)):
        found.add(node.field)
    elif isinstance(node, Not):
        _fields(node.child, found)
    elif isinstance(node, (And, Or)):
        for child in node.children:
            _fields(child, found)
    return found


def pages_apply(query: Query, filters: Filters) -> bool:
    """Whether the query and filters can find pages at all (no headline, section, author
    or entry mentioned: those are an article's)."""
    fields = _fields(query.include, set()) | _fields(query.exclude, set())
    return (
        fields <= set(PAGE_FIELDS)
        and not (filters.section or filters.author)
        and not (query.entities or query.excluded_entities)
    )


@dataclass
class PageHit:
    page: Page
    snippet: SafeString
    url: str  # the page view, carrying the query so that it marks the words there too
    thumbnail: dict | None = None  # the page image's smallest display size: url, width, height


def page_url(page: Page) -> str:
    """The page view of a page (facsimiles:page), or where it will be."""
    issue = page.issue
    args = [issue.publication.slug, issue.decade_label, issue.year, issue.slug, page.sequence]
    try:
        return reverse("facsimiles:page", args=args)
    except NoReverseMatch:
        return f"{issue.get_absolute_url()}page/{page.sequence}/"


def search_pages(
    text: str,
    filters: Filters | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = PER_PAGE,
    facets: bool = True,
) -> SearchResults:
    """Pages for what the reader asked, as `backends.search` gives articles (its hits are
    `PageHit`s); never raises on what the reader typed. `facets=False` skips the counting
    by facet (for the few best pages shown beside article results)."""
    query, filters, results = empty_results(text, filters, sort, page, per_page)
    if query.is_empty and not filters.active():
        return results
    if not pages_apply(query, filters):
        results.notices.append(NOT_ON_PAGES)
        return results
    plan = PLANS[connection.vendor](query)
    _apply_dates(plan, query)
    _apply_issues(plan, query, results.notices, PAGE_IN_ISSUES)
    _apply_filters(plan, filters, results.notices)
    clause, params = plan.clause()
    results.total = _rows(f"SELECT COUNT(*) {clause}", params)[0][0]
    if not results.total:
        return results
    results.page = min(results.page, results.pages)
    results.hits = _hits(_page_ids(plan, results), query)
    if facets:
        results.facets = facet_values(_tallies(plan), filters)
    return results


def _rows(sql: str, params: list) -> list[tuple]:
    return backend().rows(sql, params)


def _page_ids(plan: PagePlan, results: SearchResults) -> list[int]:
    clause, params = plan.clause()
    offset = (results.page - 1) * results.per_page
    if results.sort == "relevance" and plan.rank:
        sql = f"SELECT e.page_id, {plan.rank} AS score {clause} ORDER BY score, e.page_id"
        params = [*plan.rank_params, *params]
    else:
        down = " DESC" if results.sort == "newest" else ""
        order = f"e.sort_key{down}, e.issue_id{down}, e.page_id"
        sql = f"SELECT e.page_id {clause} ORDER BY {order}"
    rows = _rows(f"{sql} LIMIT %s OFFSET %s", [*params, results.per_page, offset])
    return [row[0] for row in rows]


def _tallies(plan: PagePlan) -> dict[str, Counter]:
    """Matching pages by publication and year (decades are counted from the years)."""
    clause, params = plan.clause()
    sql = (
        f"WITH m AS MATERIALIZED (SELECT e.publication_id, e.year {clause}) "
        "SELECT 0, publication_id, COUNT(*) FROM m GROUP BY publication_id "
        "UNION ALL SELECT 1, year, COUNT(*) FROM m GROUP BY year"
    )
    tallies: dict[str, Counter] = {name: Counter() for name in ("publication", "year")}
    for kind, value, n in _rows(sql, params):
        tallies["year" if kind else "publication"][value] += n
    return tallies | {"section": Counter(), "author": Counter()}


def _hits(ids: list[int], query: Query) -> list[PageHit]:
    found = Page.objects.select_related("issue__publication").in_bulk(ids)
    thumbnails = _thumbnails([p.image for p in found.values() if p.image])
    highlighter = Highlighter(query)
    hits = []
    for pk in ids:
        page = found.get(pk)
        if page is None:
            continue
        hits.append(
            PageHit(
                page=page,
                snippet=mark_safe(_snippet(page, highlighter)),
                url=article_link(page_url(page), query.text),
                thumbnail=thumbnails.get(page.image),
            )
        )
    return hits


def _snippet(page: Page, highlighter: Highlighter) -> str:
    """A passage with the matched words marked: from the current text, or from the text as
    the source gave it where only that holds them (a word a correction changed)."""
    if highlighter:
        for text in (page.text, page.source_text):
            if text and (found := highlighter.snippet(text)):
                return found
    return opening(page.text or page.source_text)


def _thumbnails(images: list[str]) -> dict[str, dict]:
    """The smallest display size of each page image that has one (its url, width and height),
    by the image's SHA-256."""
    if not images:
        return {}
    storage = media_storage()
    urls = {}
    for sha256, asset in Asset.objects.in_bulk(images, field_name="sha256").items():
        try:
            small = asset.thumbnail
            if small is not None:
                urls[sha256] = {
                    "url": storage.url(small["name"]),
                    "width": int(small["width"]),
                    "height": int(small["height"]),
                }
        except (KeyError, TypeError, ValueError):  # a damaged list of sizes: no thumbnail
            continue
    return urls
