"""Running a search: match, filter, count facets, rank a page, and make snippets.

Each backend only says how to match and how to rank (`engines.SqliteBackend` over
the FTS5 table, `engines.PostgresBackend` over the tsvector columns); everything
else is the same SQL over `search_entry`. Whatever the size of the result, a search reads
the match once to count it, counts its facets (`facets`: exactly, or for a large result
from a sample taken with the count or beside it), and ranks one page. A large result
(over TIER_FROM matches) is ranked tier by tier, headline matches first, so its
first page costs the ranking of its headline matches, not of every match; that
ranking runs beside the count on a second connection (see `parallel`).
Snippets are made for the page only.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.safestring import SafeString, mark_safe

from backfile.archive.models import Article, Author, Byline, Issue, Publication
from backfile.search import facets
from backfile.search.engines import (  # the weights: for the benches
    BM25_WEIGHTS,  # noqa: F401
    PG_RANK_WEIGHTS,  # noqa: F401
    Plan,
    backend,
)
from backfile.search.facets import FacetValue
from backfile.search.highlight import Highlighter, opening
from backfile.search.index import body_text
from backfile.search.mentions import apply_mentions, with_sentences
from backfile.search.parallel import run_beside
from backfile.search.query import (
    Query,
    clean,
    headline_tiers,
    parse,
)

PER_PAGE = 20
MAX_PER_PAGE = 100
SORTS = ("relevance", "newest", "oldest")
FACETS = ("publication", "decade", "year", "section", "author")
RERANK_DEPTH = 200  # how many of the best bm25 matches the headline boost reorders
SAMPLE_EVERY = 8  # the finest sample: every 8th id
TIER_FROM = 1_000  # results larger than this are ranked headline matches first (`_tier_plans`)
MAX_FILTER_LENGTH = 300
# PostgreSQL: a query with phrases whose words alone match more than ESTIMATE_FROM articles
# is counted from a sample of about ESTIMATE_SAMPLE of those, if ESTIMATE_MIN or more of the
# sample match (`_estimated_sample`).
ESTIMATE_FROM = 2_000
ESTIMATE_SAMPLE = 250
ESTIMATE_MIN = 25


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
    facet_sample: int = 1  # facet counts come from every n-th match (1: exact)
    total_estimated: bool = False  # the total, too, is counted from that sample

    @property
    def facets_estimated(self) -> bool:
        return self.facet_sample > 1

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_number(self) -> int:
        return min(self.total, self.page * self.per_page)


def empty_results(
    text: str, filters: Filters | None, sort: str, page: int, per_page: int
) -> tuple[Query, Filters, SearchResults]:
    """The query parsed and a search's results before any is found (sort, page and page size
    brought into range), for the article and page searches alike."""
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
    return query, filters, results


def search(
    text: str,
    filters: Filters | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """The search a reader asked for; never raises on what the reader typed."""
    query, filters, results = empty_results(text, filters, sort, page, per_page)
    if query.is_empty and not filters.active():
        return results
    plan = backend().plan(query)
    _apply_dates(plan, query)
    _apply_issues(plan, query, results.notices, ARTICLE_IN_ISSUES)
    named = apply_mentions(plan, query, results.notices)
    _apply_filters(plan, filters, results.notices)
    tiers = _tier_plans(plan, query) if results.sort == "relevance" and plan.rank else [plan]
    counted = threading.Event()
    ahead, whole = _rank_ahead(tiers, results, counted)
    matched = _count_result(plan, results)
    counted.set()
    if not results.total:
        matched.drop()
        return results
    requested, results.page = results.page, min(results.page, results.pages)
    large = results.total > TIER_FROM
    wanted = ahead is not None and (large or whole) and results.page == requested
    tallies = _facet_counting(plan, results, matched, wanted and not ahead.done())
    ids, hits = ahead.result() if wanted else ([], None)
    if len(ids) < results.per_page and not (wanted and whole):
        ids, hits = _page_ids(plan, tiers if large else [plan], results), None
    results.hits = _hits(ids, query) if hits is None else hits
    with_sentences(results.hits, named, query)
    results.facets = facets.facet_values(tallies(), filters)
    return results


@dataclass
class _Counted:
    """What a search's count leaves for its facets: the ids it listed (SQLite's sample;
    None for all), PostgreSQL's sample counted beside it, or the tallies of the sample
    its total was estimated from."""

    sample: list[int] | None = None
    sampler: facets.SampledFacets | None = None
    tallies: facets.Tallies | None = None

    def drop(self) -> None:
        if self.sampler is not None:
            self.sampler.drop()


def _count_result(plan: Plan, results: SearchResults) -> _Counted:
    """The match counted (or estimated) into `results` (total, whether estimated, the facets'
    sample step); on PostgreSQL, a plain match is first sampled (`facets.estimated`), and
    counted only where the sample is too small to tell, the facets sampled beside it."""
    if facets.sampled_beside(plan):
        estimate = facets.estimated(plan)
        if estimate is not None:
            results.total, tallies, results.facet_sample = estimate
            results.total_estimated = True
            return _Counted(tallies=tallies)
        sampler = facets.SampledFacets(plan)
        results.total = _count(plan)
        return _Counted(sampler=sampler)
    results.total, sample, results.facet_sample, results.total_estimated = _matched_sample(plan)
    return _Counted(sample=sample)


def _facet_counting(
    plan: Plan, results: SearchResults, counted: _Counted, helper_busy: bool
) -> Callable[[], facets.Tallies]:
    """The facet tallies of the counted result, to be had by a call (see `facets`): those
    of the estimate's sample; from the sample beside the count where one was taken and
    the result is large; else from the count's sample or the whole match (on the
    helper if it is free)."""
    if counted.tallies is not None:
        return lambda: counted.tallies
    sample, sampler = counted.sample, counted.sampler
    if sampler is not None:
        if results.total > facets.FACET_EXACT:
            found = sampler.result()
            if found is not None:
                tallies, results.facet_sample = found
                return lambda: tallies
            # too few in the finest step to tell: sampled from a count that lists ids
            _total, sample, results.facet_sample, _ = _matched_sample(plan)
        elif not sampler.drop():
            helper_busy = True  # still counting its sample: this small result is counted here
    return facets.counting(plan, sample, results.facet_sample, helper_busy)


def _rank_ahead(
    tiers: list[Plan], results: SearchResults, counted: threading.Event
) -> tuple[Future[tuple[list[int], list[Hit] | None]] | None, bool]:
    """The page's ids, ranked on the helper connection (see `parallel`) while this one
    counts, with their hits if this one was still counting (`counted` not yet set) once
    they were ranked; and whether they are the page whatever the count says (True) or
    only if the result turns out large and its headline tiers fill the page (False).

    Whether a result is large is known only once counted, so a tiered query's page is
    ranked from its headline and kicker/standfirst tiers meanwhile. That work is
    dropped for a small result (ranked exactly instead) and for a page that reaches
    the last tier, the rest of the matches, whose ranking costs as much as exact
    ranking would. A query ranked but not tiered (`title:`, `author:`: no plain
    words) is ranked whole meanwhile, as it would be after the count.
    """
    offset = (results.page - 1) * results.per_page
    query, size = results.query, results.per_page
    if len(tiers) == 1 and results.sort == "relevance" and tiers[0].rank:
        return run_beside(lambda: _page_ahead(tiers, query, offset, size, counted)), True
    if len(tiers) < 2:
        return None, False
    return run_beside(lambda: _page_ahead(tiers[:-1], query, offset, size, counted)), False


def _page_ahead(
    tiers: list[Plan], query: Query, offset: int, limit: int, counted: threading.Event
) -> tuple[list[int], list[Hit] | None]:
    """On the helper: the page's ids over `tiers`, and their hits (articles and snippets)
    where the request's thread is still counting, so that they are made meanwhile
    (most of a large result's time on PostgreSQL is its count); None where the count
    is done, as the ids may not be the page (then that thread makes the hits)."""
    ids = _relevance_ids(tiers, query, offset, limit)
    return ids, None if counted.is_set() or not ids else _hits(ids, query)


def _count(plan: Plan) -> int:
    clause, params, _id = plan.clause()
    return _rows(f"SELECT COUNT(*) {clause}", params)[0][0]


def _matched_sample(plan: Plan) -> tuple[int, list[int] | None, int, bool]:
    """The exact total, and the ids of the matches facets count: every step-th, or None for all.

    The match is read once to count it, as FTS5 (or PostgreSQL) counts, listing
    every SAMPLE_EVERY-th id on the way. A result of up to FACET_EXACT is small
    enough for its facets to read the match again; a larger one's sample is
    thinned by halves (every 16th id, 32nd …) to about FACET_SAMPLE ids.

    PostgreSQL's phrases (`plan.loose`) are tested on each candidate's document, so
    reading the match again would read those documents again: there the count lists
    every id, and the facets of a small result count those ids.
    """
    if plan.loose is not None and (estimate := _estimated_sample(plan)) is not None:
        return estimate
    clause, params, article_id = plan.clause()
    in_order = plan.text_id if plan.text_source else article_id
    every_id = plan.loose is not None
    listed_ids = backend().id_list.format(in_order)
    if not every_id:
        listed_ids += f" FILTER (WHERE {in_order} %% {SAMPLE_EVERY} = 0)"
    total, listed = _rows(f"SELECT COUNT(*), {listed_ids} {clause}", params)[0]
    ids = list(map(int, listed.split(","))) if listed else []
    if every_id:
        if total <= facets.FACET_EXACT:
            return total, ids, 1, False
        ids = [pk for pk in ids if pk % SAMPLE_EVERY == 0]
    if total <= facets.FACET_EXACT:
        return total, None, 1, False
    sample, step = _thinned(ids, facets.FACET_SAMPLE)
    return total, sample, step, False


def _thinned(sample: list[int], size: int, every: int = SAMPLE_EVERY) -> tuple[list[int], int]:
    """Ids listed every `every`-th, thinned by halves (every 16th, 32nd … of every 8th) to
    about `size`, and the step they are taken at."""
    halvings = max(0, math.ceil(math.log2(len(sample) / size))) if sample else 0
    step = every * 2**halvings
    return [pk for pk in sample if pk % step == 0] if halvings else sample, step


def _estimated_sample(plan: Plan) -> tuple[int, list[int], int, bool] | None:
    """PostgreSQL, a query with phrases or proximity whose words alone match more than
    ESTIMATE_FROM articles: the total estimated from a sample, or None to count exactly.

    The GIN index knows which articles hold words, not where: testing a phrase reads
    each candidate's whole document. So the candidates (`plan.loose`) are sampled in
    the index, those whose id is a multiple of a step (the partial indexes of
    `sample_steps`, 64 then 16, as for the facets), thinned by halves to about
    ESTIMATE_SAMPLE; the sample is tested, and the total is the step times the
    matches found there (the facets count the same sample). Where fewer than
    ESTIMATE_MIN of the sample match, the estimate would be rough, or nothing: the
    result is counted exactly instead.
    """
    loose = Plan(
        where=plan.loose.where,
        params=plan.loose.params,
        filters=plan.filters,
        filter_params=plan.filter_params,
    )
    clause, params, article_id = loose.clause(entry=True)
    listing = backend().id_list.format(article_id)
    ids: list[int] = []
    step = SAMPLE_EVERY
    for step in backend().sample_steps or (SAMPLE_EVERY,):  # coarsest first
        sql = f"SELECT {listing} {clause} AND {facets.in_sample(article_id, step)}"
        listed = _rows(sql, params)[0][0]
        ids = list(map(int, listed.split(","))) if listed else []
        if len(ids) >= ESTIMATE_SAMPLE:
            break
    if len(ids) * step <= ESTIMATE_FROM:
        return None
    sample, step = _thinned(ids, ESTIMATE_SAMPLE, step)
    exact, exact_params, _id = plan.clause(entry=True)
    sql = f"SELECT e.article_id {exact} AND e.article_id IN ({facets.id_list(sample)})"
    matched = [row[0] for row in _rows(sql, exact_params)]
    if len(matched) < ESTIMATE_MIN:
        return None
    return len(matched) * step, matched, step, True


def _page_ids(plan: Plan, tiers: list[Plan], results: SearchResults) -> list[int]:
    """This page's article ids, by date or by relevance over the tiers (see `_relevance_ids`)."""
    offset = (results.page - 1) * results.per_page
    if results.sort != "relevance" or not plan.rank:
        descending = " DESC" if results.sort == "newest" else ""
        clause, params, _id = plan.clause(entry=True)
        sql = (
            f"SELECT e.article_id {clause} "
            f"ORDER BY e.sort_key{descending}, e.article_id{descending} LIMIT %s OFFSET %s"
        )
        return [row[0] for row in _rows(sql, [*params, results.per_page, offset])]
    return _relevance_ids(tiers, results.query, offset, results.per_page)


def _tier_plans(plan: Plan, query: Query) -> list[Plan]:
    """The headline tiers a large result is ranked by (see `headline_tiers`), with its filters.

    Each tier is ranked by the backend's own score: on SQLite bm25 over the
    tier's match (so headline words only, in the first tier); on PostgreSQL
    the query's ts_rank_cd over the headline words for the headline tiers, over
    the whole article for the rest. A query with no plain words has one tier.
    """
    tiers = []
    for tier_query in headline_tiers(query):
        tier = backend().plan(tier_query)
        tier.rank, tier.rank_params = plan.rank, plan.rank_params
        tiers.append(tier)
    backend().rank_tiers(tiers)
    if tiers and (headlines := backend().headline_plan(query)) is not None:
        tiers[0] = headlines
    for tier in tiers:
        tier.filters, tier.filter_params = plan.filters, plan.filter_params
    return tiers or [plan]


def _relevance_ids(tiers: list[Plan], query: Query, offset: int, limit: int) -> list[int]:
    """Ids `offset` to `offset + limit` of the tiers' matches, tier after tier.

    A tier's matches are in score order, its best RERANK_DEPTH reordered by the
    headline rerank. A later tier is only read once the page runs past the
    earlier ones, so a first page filled by headline matches ranks nothing else.
    """
    ids: list[int] = []
    for plan in tiers:
        found, size = _tier_slice(plan, query, offset, limit - len(ids))
        ids += found
        if len(ids) == limit:
            break
        offset = max(0, offset - size)
    return ids


def _tier_slice(plan: Plan, query: Query, offset: int, limit: int) -> tuple[list[int], int]:
    """One tier's ids from `offset`, at most `limit`, and the tier's size (exact when short)."""
    if offset < RERANK_DEPTH:
        depth = max(RERANK_DEPTH, offset + limit)
        top = _ranked(plan, depth, 0)
        ids = rerank_by_headline(top[:RERANK_DEPTH], query)
        ids += [pk for pk, _score in top[RERANK_DEPTH:]]
        return ids[offset : offset + limit], len(top)
    ids = [pk for pk, _score in _ranked(plan, limit, offset)]
    return ids, offset + len(ids) if ids else _count(plan)


def _ranked(plan: Plan, limit: int, offset: int) -> list[tuple[int, float]]:
    """(article id, score) best first: the same statement as the raw FTS5 floor's."""
    clause, params, article_id = plan.clause()
    sql = (
        f"SELECT {article_id}, {plan.rank} AS score {clause} "
        f"ORDER BY score, {article_id} LIMIT %s OFFSET %s"
    )
    return _rows(sql, [*plan.rank_params, *params, limit, offset])


def _rows(sql: str, params: list) -> list[tuple]:
    return backend().rows(sql, params)


def _apply_dates(plan: Plan, query: Query) -> None:
    for ranges, negate in ((query.dates, False), (query.excluded_dates, True)):
        if not ranges:
            continue
        tests = []
        for r in ranges:
            tests.append("e.year BETWEEN %s AND %s")
            plan.filter_params.extend((r.start, r.end))
            if r.days:  # the years, for the index on year, then the days within them
                tests[-1] = f"({tests[-1]} AND e.sort_key BETWEEN %s AND %s)"
                plan.filter_params.extend(r.days)
        test = " OR ".join(tests)
        plan.filters.append(f"NOT ({test})" if negate else f"({test})")


# What `issue:` adds to an article search, the issues' ids in place of {}.
ARTICLE_IN_ISSUES = "e.article_id IN (SELECT a.id FROM archive_article a WHERE a.issue_id IN ({}))"


def issue_ids(values: list[str], notices: list[str]) -> list[int]:
    """The issues `issue:` names, by id or by slug (a slug may name an issue of each of
    several publications: all of them); a notice for each that names none."""
    ids: list[int] = []
    for value in values:
        found = list(Issue.objects.filter(slug=value[:200]).values_list("pk", flat=True))
        if value.isascii() and value.isdigit() and len(value) < 12:
            found += Issue.objects.filter(pk=int(value)).values_list("pk", flat=True)
        if not found:
            notice = f"There is no issue “{value}” in the archive."
            if notice not in notices:
                notices.append(notice)
        ids += found
    return ids


def _apply_issues(plan, query: Query, notices: list[str], within: str) -> None:
    """`issue:` (any of the issues named) and `-issue:` as filters; `within` is the
    condition with a `{}` for the issues' ids."""
    for values, negate in ((query.issues, False), (query.excluded_issues, True)):
        if not values:
            continue
        test = within.format(", ".join(map(str, issue_ids(values, notices))) or "-1")
        plan.filters.append(f"NOT ({test})" if negate else test)


def _apply_filters(plan: Plan, filters: Filters, notices: list[str]) -> None:
    if filters.publication:
        publication = Publication.objects.filter(slug=filters.publication).first()
        if publication is None:
            notices.append(f"There is no publication “{filters.publication}” in the archive.")
        plan.filters.append("e.publication_id = %s")
        plan.filter_params.append(publication.pk if publication else -1)
    if filters.decade is not None:
        plan.filters.append("e.decade = %s")
        plan.filter_params.append(filters.decade)
    if filters.year is not None:
        plan.filters.append("e.year = %s")
        plan.filter_params.append(filters.year)
    if filters.section:
        plan.filters.append("e.section = %s")
        plan.filter_params.append(filters.section)
    if filters.author:
        author = Author.objects.filter(slug=filters.author).first()
        if author is None:
            notices.append(f"There is no author “{filters.author}” in the archive.")
        plan.filters.append(
            "EXISTS (SELECT 1 FROM archive_byline b "
            "WHERE b.article_id = e.article_id AND b.author_id = %s)"
        )
        plan.filter_params.append(author.pk if author else -1)


def rerank_by_headline(scored: list[tuple[int, float]], query: Query) -> list[int]:
    """The best-ranked articles reordered so that headlines made of the query's words come first.

    FTS5's bm25 normalises by the length of the whole row, so a headline that is
    exactly what the reader typed loses to a long body that repeats the words. The
    score (larger is better) is multiplied by 1 + share of the query's words in
    the headline + twice that share times the share of the headline they make up:
    up to ×4 for a headline that is the query itself.
    """
    wanted = query.words_wanted()
    if not wanted:
        return [pk for pk, _score in scored]
    headlines = backend().headline_terms([pk for pk, _ in scored])

    def boosted(item: tuple[int, float]) -> float:
        pk, score = item
        headline = query.as_words(headlines.get(pk, set()))
        shared = len(wanted & headline)
        query_share = shared / len(wanted)
        headline_share = shared / len(headline) if headline else 0.0
        return -score * (1 + query_share + 2 * query_share * headline_share)

    return [pk for pk, _score in sorted(scored, key=boosted, reverse=True)]


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
