"""Running a search: match, filter, count facets, rank a page, and make snippets.

Each backend only says how to match and how to rank (`SqliteBackend` over the
FTS5 table, `PostgresBackend` over the tsvector columns); everything else is the
same SQL over `search_entry`. A search costs three statements whatever the size
of the result: the facet cells (publication × year × section counts, grouped once
over the matched rows, whose sum is the exact total), the top authors, and one
page of ranked ids. Snippets are made for that page only.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Prefetch
from django.utils.safestring import SafeString, mark_safe

from backfile.archive.models import Article, Author, Byline, Publication
from backfile.search.highlight import Highlighter, opening
from backfile.search.index import body_text
from backfile.search.query import (
    Query,
    clean,
    fts5_expression,
    parse,
    rank_tsquery,
    to_postgres,
)

PER_PAGE = 20
MAX_PER_PAGE = 100
SORTS = ("relevance", "newest", "oldest")
FACETS = ("publication", "decade", "year", "section", "author")
TOP_AUTHORS = 12
TOP_SECTIONS = 15
MAX_FILTER_LENGTH = 300

# FTS5 bm25 weights, in the table's column order: a word in the headline counts ten
# times one in the body; kicker and standfirst three times; section and publication
# are for `section:`/`publication:` only and never rank.
BM25_WEIGHTS = "10.0, 3.0, 3.0, 2.0, 1.0, 1.0, 0.0, 0.0"
# ts_rank_cd weights for D, C, B, A (body, authors, kicker+standfirst, title).
PG_RANK_WEIGHTS = "{0.1, 0.2, 0.3, 1.0}"


@dataclass
class Filters:
    """Facet choices from the URL; each narrows the search (publication and author by slug)."""

    publication: str = ""
    decade: int | None = None
    year: int | None = None
    section: str = ""
    author: str = ""

    def active(self) -> dict[str, str]:
        values = {name: getattr(self, name) for name in FACETS}
        return {k: str(v) for k, v in values.items() if v not in ("", None)}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Hit:
    article: Article
    title: SafeString
    snippet: SafeString


@dataclass
class SearchResults:
    query: Query
    filters: Filters
    sort: str
    page: int
    per_page: int
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_number(self) -> int:
        return min(self.total, self.page * self.per_page)


@dataclass
class Plan:
    """The FROM and WHERE every statement of one search shares, and how to rank."""

    source: str
    where: list[str]
    params: list
    rank: str | None
    rank_params: list

    def clause(self, join: str = "") -> tuple[str, list]:
        where = " AND ".join(self.where) or "1 = 1"
        return f"FROM {self.source} {join} WHERE {where}", self.params


class SqliteBackend:
    def plan(self, query: Query) -> Plan:
        expression = fts5_expression(query)
        if expression is not None:
            return Plan(
                source="search_fts JOIN search_entry e ON e.article_id = search_fts.rowid",
                where=["search_fts MATCH %s"],
                params=[expression],
                rank=f"bm25(search_fts, {BM25_WEIGHTS})",
                rank_params=[],
            )
        plan = Plan(source="search_entry e", where=[], params=[], rank=None, rank_params=[])
        if query.exclude is not None:
            excluded = fts5_expression(query.__class__(text="", include=query.exclude))
            plan.where.append(
                "e.article_id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
            )
            plan.params.append(excluded)
        return plan


class PostgresBackend:
    def plan(self, query: Query) -> Plan:
        plan = Plan(source="search_entry e", where=[], params=[], rank=None, rank_params=[])
        for node, negate in ((query.include, False), (query.exclude, True)):
            if node is None:
                continue
            sql, params = to_postgres(node)
            plan.where.append(f"NOT ({sql})" if negate else sql)
            plan.params.extend(params)
        ranked = rank_tsquery(query.include) if query.include is not None else None
        if ranked:
            plan.rank = f"-ts_rank_cd('{PG_RANK_WEIGHTS}', e.document, to_tsquery('simple', %s), 1)"
            plan.rank_params = [ranked]
        return plan


BACKENDS = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}


def backend():
    return BACKENDS[connection.vendor]()


def search(
    text: str,
    filters: Filters | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """The search a reader asked for; never raises on what the reader typed."""
    query = parse(text)
    filters = filters or Filters()
    results = SearchResults(
        query=query,
        filters=filters,
        sort=sort if sort in SORTS else "relevance",
        page=max(1, page),
        per_page=min(max(1, per_page), MAX_PER_PAGE),
        notices=list(query.notices),
    )
    if query.is_empty and not filters.active():
        return results
    plan = backend().plan(query)
    _apply_dates(plan, query)
    _apply_filters(plan, filters, results.notices)
    cells = _facet_cells(plan)
    results.total = sum(count for *_cell, count in cells)
    results.page = min(results.page, results.pages)
    results.facets = _facets(cells, _top_authors(plan), filters)
    ids = _ranked_ids(plan, results)
    results.hits = _hits(ids, query)
    return results


def _apply_dates(plan: Plan, query: Query) -> None:
    for ranges, negate in ((query.dates, False), (query.excluded_dates, True)):
        if not ranges:
            continue
        test = " OR ".join("e.year BETWEEN %s AND %s" for _ in ranges)
        plan.where.append(f"NOT ({test})" if negate else f"({test})")
        plan.params.extend(year for r in ranges for year in (r.start, r.end))


def _apply_filters(plan: Plan, filters: Filters, notices: list[str]) -> None:
    if filters.publication:
        publication = Publication.objects.filter(slug=filters.publication).first()
        if publication is None:
            notices.append(f"There is no publication “{filters.publication}” in the archive.")
        plan.where.append("e.publication_id = %s")
        plan.params.append(publication.pk if publication else -1)
    if filters.decade is not None:
        plan.where.append("e.decade = %s")
        plan.params.append(filters.decade)
    if filters.year is not None:
        plan.where.append("e.year = %s")
        plan.params.append(filters.year)
    if filters.section:
        plan.where.append("e.section = %s")
        plan.params.append(filters.section)
    if filters.author:
        author = Author.objects.filter(slug=filters.author).first()
        if author is None:
            notices.append(f"There is no author “{filters.author}” in the archive.")
        plan.where.append(
            "EXISTS (SELECT 1 FROM archive_byline b "
            "WHERE b.article_id = e.article_id AND b.author_id = %s)"
        )
        plan.params.append(author.pk if author else -1)


def _facet_cells(plan: Plan) -> list[tuple[int, int, str, int]]:
    clause, params = plan.clause()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.publication_id, e.year, e.section, COUNT(*) {clause} "
            "GROUP BY e.publication_id, e.year, e.section",
            params,
        )
        return cursor.fetchall()


def _top_authors(plan: Plan) -> list[tuple[int, int]]:
    clause, params = plan.clause(join="JOIN archive_byline ab ON ab.article_id = e.article_id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ab.author_id, COUNT(*) {clause} GROUP BY ab.author_id "
            f"ORDER BY COUNT(*) DESC, ab.author_id LIMIT {TOP_AUTHORS}",
            params,
        )
        return cursor.fetchall()


def _ranked_ids(plan: Plan, results: SearchResults) -> list[int]:
    if results.total == 0:
        return []
    clause, params = plan.clause()
    order = {
        "newest": "e.sort_key DESC, e.article_id DESC",
        "oldest": "e.sort_key, e.article_id",
    }.get(results.sort)
    rank_params: list = []
    if order is None:  # relevance: best first; without words to rank by, oldest first
        order = "e.sort_key, e.article_id"
        if plan.rank:
            order = f"{plan.rank}, e.sort_key DESC, e.article_id"
            rank_params = plan.rank_params
    offset = (results.page - 1) * results.per_page
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.article_id {clause} ORDER BY {order} LIMIT %s OFFSET %s",
            [*params, *rank_params, results.per_page, offset],
        )
        return [row[0] for row in cursor.fetchall()]


def _facets(
    cells: list[tuple[int, int, str, int]], authors: list[tuple[int, int]], filters: Filters
) -> dict[str, list[FacetValue]]:
    by_publication: Counter = Counter()
    by_decade: Counter = Counter()
    by_year: Counter = Counter()
    by_section: Counter = Counter()
    for publication_id, year, section, count in cells:
        by_publication[publication_id] += count
        by_decade[year // 10 * 10] += count
        by_year[year] += count
        if section:
            by_section[section] += count
    publications = Publication.objects.in_bulk(list(by_publication))
    people = Author.objects.in_bulk([a for a, _ in authors])
    return {
        "publication": [
            FacetValue(p.slug, p.name, n, p.slug == filters.publication)
            for pk, n in by_publication.most_common()
            if (p := publications.get(pk))
        ],
        "decade": [
            FacetValue(str(d), f"{d}s", n, d == filters.decade)
            for d, n in sorted(by_decade.items())
        ],
        "year": [
            FacetValue(str(y), str(y), n, y == filters.year) for y, n in sorted(by_year.items())
        ],
        "section": [
            FacetValue(s, s, n, s == filters.section)
            for s, n in by_section.most_common(TOP_SECTIONS)
        ],
        "author": [
            FacetValue(a.slug, a.name, n, a.slug == filters.author)
            for pk, n in authors
            if (a := people.get(pk))
        ],
    }


def _hits(ids: list[int], query: Query) -> list[Hit]:
    articles = Article.objects.select_related("issue", "publication").prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("author"))
    )
    found = articles.in_bulk(ids)
    highlighter = Highlighter(query)
    hits = []
    for pk in ids:
        article = found.get(pk)
        if article is None:
            continue
        hits.append(
            Hit(
                article=article,
                title=mark_safe(highlighter.mark(article.title)),
                snippet=mark_safe(_snippet(article, highlighter)),
            )
        )
    return hits


def _snippet(article: Article, highlighter: Highlighter) -> str:
    body = body_text(article.blocks)
    lead = article.standfirst or article.summary
    if highlighter:
        for text in (body, lead):
            if text and (found := highlighter.snippet(text)):
                return found
    return opening(lead or body)


def filters_from(params) -> tuple[Filters, list[str]]:
    """Facet choices from URL parameters; anything malformed is dropped with a notice."""
    notices: list[str] = []

    def text(name: str) -> str:
        return clean(str(params.get(name) or ""))[:MAX_FILTER_LENGTH].strip()

    def number(name: str) -> int | None:
        value = text(name).lower().removesuffix("s")
        if not value:
            return None
        if value.isascii() and value.isdigit() and len(value) <= 4:
            return int(value)
        notices.append(f"The {name} “{text(name)}” is not a year like 1937, so it was ignored.")
        return None

    filters = Filters(
        publication=text("publication"),
        decade=number("decade"),
        year=number("year"),
        section=text("section"),
        author=text("author"),
    )
    if filters.decade is not None:
        filters.decade = filters.decade // 10 * 10
    return filters, notices
