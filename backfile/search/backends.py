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
from backfile.search.text import term_set

PER_PAGE = 20
MAX_PER_PAGE = 100
SORTS = ("relevance", "newest", "oldest")
FACETS = ("publication", "decade", "year", "section", "author")
TOP_AUTHORS = 12
TOP_SECTIONS = 15
RERANK_DEPTH = 200  # how many of the best bm25 matches the headline boost reorders
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
    author_source = "json_each(m.authors) AS a"
    author_value = "a.value"

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
    author_source = "jsonb_array_elements_text(m.authors) AS a(value)"
    author_value = "a.value::bigint"

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
    limit, offset = _window(results)
    cells, authors, ranked = _run(plan, results.sort, limit, offset)
    results.total = sum(count for *_cell, count in cells)
    if results.page > results.pages:  # past the last page: show the last one
        results.page = results.pages
        limit, offset = _window(results)
        ranked = _run(plan, results.sort, limit, offset, with_facets=False)[2]
    results.facets = _facets(cells, authors, filters)
    results.hits = _hits(_page_ids(ranked, results), query)
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


ORDERS = {
    "relevance": ("score, sort_key DESC, id", lambda row: (row[2], -row[1], row[0])),
    "newest": ("sort_key DESC, id DESC", lambda row: (-row[1], -row[0])),
    "oldest": ("sort_key, id", lambda row: (row[1], row[0])),
}


def _window(results: SearchResults) -> tuple[int, int]:
    """Which ranked rows to fetch: from the top, enough to rerank, for early relevance pages."""
    offset = (results.page - 1) * results.per_page
    if results.sort == "relevance" and offset < RERANK_DEPTH:
        return max(RERANK_DEPTH, offset + results.per_page), 0
    return results.per_page, offset


def _run(plan: Plan, sort: str, limit: int, offset: int, with_facets: bool = True):
    """One statement: match once, then facet cells, top authors and a window of ranked rows.

    The matched rows are materialised once and read three times, so a large result
    costs one pass of the full-text match (with its ranking) and one seek per row
    into search_entry, whatever is counted. Returns (cells, authors, ranked) where
    ranked rows are (article id, sort key, score).
    """
    clause, params = plan.clause()
    score, score_params = (plan.rank, plan.rank_params) if plan.rank else ("0", [])
    order, key = ORDERS[sort]
    if not plan.rank and sort == "relevance":  # nothing to rank by: oldest first
        order, key = ORDERS["oldest"]
    author = backend().author_value
    parts = []
    if with_facets:
        parts = [
            "SELECT 0, pub, year, section, COUNT(*) FROM m GROUP BY pub, year, section",
            f"SELECT * FROM (SELECT 1, {author}, CAST(NULL AS integer), CAST(NULL AS varchar(200)), COUNT(*) "
            f"FROM m, {backend().author_source} GROUP BY {author} "
            f"ORDER BY COUNT(*) DESC, {author} LIMIT {TOP_AUTHORS}) AS top_authors",
        ]
    parts.append(
        f"SELECT * FROM (SELECT 2, id, sort_key, CAST(NULL AS varchar(200)), score FROM m "
        f"ORDER BY {order} LIMIT %s OFFSET %s) AS ranked"
    )
    sql = (
        "WITH m AS MATERIALIZED (SELECT e.article_id AS id, e.publication_id AS pub, "
        "e.year AS year, e.section AS section, e.sort_key AS sort_key, e.authors AS authors, "
        f"{score} AS score {clause}) " + " UNION ALL ".join(parts)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*score_params, *params, limit, offset])
        rows = cursor.fetchall()
    cells = [(pub, year, section, int(n)) for kind, pub, year, section, n in rows if kind == 0]
    authors = [(int(pk), int(n)) for kind, pk, _y, _s, n in rows if kind == 1]
    ranked = sorted(((pk, sk, sc) for kind, pk, sk, _s, sc in rows if kind == 2), key=key)
    return cells, authors, ranked


def _page_ids(ranked: list[tuple[int, int, float]], results: SearchResults) -> list[int]:
    """This page's article ids; on early relevance pages, after the headline rerank."""
    if results.sort == "relevance" and _window(results)[1] == 0 and results.query.include:
        top = rerank_by_headline(
            [(pk, score) for pk, _sk, score in ranked[:RERANK_DEPTH]], results.query
        )
        ids = top + [pk for pk, _sk, _score in ranked[RERANK_DEPTH:]]
        offset = (results.page - 1) * results.per_page
        return ids[offset : offset + results.per_page]
    return [pk for pk, _sk, _score in ranked]


def rerank_by_headline(scored: list[tuple[int, float]], query: Query) -> list[int]:
    """The best-ranked articles reordered so that headlines made of the query's words come first.

    FTS5's bm25 normalises by the length of the whole row, so a headline that is
    exactly what the reader typed loses to a long body that repeats the words. The
    score (larger is better) is multiplied by 1 + share of the query's words in
    the headline + twice that share times the share of the headline they make up:
    up to ×4 for a headline that is the query itself.
    """
    wanted, _prefixes = query.terms()
    if not wanted:
        return [pk for pk, _score in scored]
    titles = dict(
        Article.objects.filter(pk__in=[pk for pk, _ in scored]).values_list("pk", "title")
    )

    def boosted(item: tuple[int, float]) -> float:
        pk, score = item
        headline = term_set(titles.get(pk, ""))
        shared = len(wanted & headline)
        query_share = shared / len(wanted)
        headline_share = shared / len(headline) if headline else 0.0
        return -score * (1 + query_share + 2 * query_share * headline_share)

    return [pk for pk, _score in sorted(scored, key=boosted, reverse=True)]


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
    articles = Article.objects.select_related("issue__publication", "publication").prefetch_related(
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
