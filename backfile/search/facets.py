"""A search's facets: its matches counted by publication, decade, year, section and author.

A result of up to FACET_EXACT matches is counted exactly, by reading the match
again. A larger one is estimated from a sample of it, every n-th article by id,
and says so ("about"). The sample comes one of two ways:

- from the count: the statement that counts the match lists every SAMPLE_EVERY-th
  id on the way (`backends._matched_sample`), thinned to about FACET_SAMPLE ids,
  whose rows are then counted here (`facet_tallies`). This is SQLite's way, where
  the count and that listing come from FTS5's doclists.
- beside the count (PostgreSQL): a GIN match is counted by visiting every matching
  row of the table, so the count of a common word is most of a search's time, and
  facets counted after it add a third again. There the facets are counted from
  the articles whose id is a multiple of a step (`sample_steps`: 64, then 16 if
  that finds too few), which partial GIN indexes over just those articles find
  without reading the rest (migration search.0014). Where every 64th finds 500
  matches or more, the total too is estimated from them (`estimated`) and the
  match is not counted at all; otherwise the finer sample is counted on the
  helper connection while the request's thread counts (`SampledFacets`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from backfile.archive.models import Author, Publication
from backfile.search.engines import Plan, backend
from backfile.search.parallel import run_beside

if TYPE_CHECKING:
    from backfile.search.backends import Filters

FACET_TALLIES = ("publication", "year", "section", "author")  # what is counted (decades from years)
TOP_AUTHORS = 12
TOP_SECTIONS = 15
FACET_EXACT = 5_000  # results up to this size get exact facet counts; larger ones, estimates
FACET_SAMPLE = 2_000  # at most this many matches sampled for the estimates
SAMPLED_ENOUGH = 500  # a step's sample finding fewer matches than this tries a finer step
SAMPLED_AT_LEAST = 100  # fewer than this in the finest step: sampled from the count instead


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


Tallies = dict[str, Counter]


def no_tallies() -> Tallies:
    return {name: Counter() for name in FACET_TALLIES}


def id_list(ids: list[int]) -> str:
    return ", ".join(map(str, ids)) or "NULL"


def facet_tallies(plan: Plan, sample: list[int] | None, step: int) -> Tallies:
    """Matches by publication, year, section and (top) author: all of them (`sample` None)
    or the sample's, every step-th (by id) of a very large result, times `step`."""
    if sample is None:
        source, params, _article_id = plan.clause(entry=True)
    else:
        source, params = f"FROM search_entry e WHERE e.article_id IN ({id_list(sample)})", []
    return _tallied(source, params, step)


def _tallied(source: str, params: list, step: int) -> Tallies:
    tallies = no_tallies()
    for kind, number, label, n in facet_rows(source, params):
        tallies[FACET_TALLIES[kind]][label if number is None else number] += n * step
    return tallies


def facet_rows(source: str, params: list) -> list[tuple]:
    """One statement: the entries (`e`) of `source` counted by publication, year, section and
    author.

    Rows are (kind, number, label, count), kind an index into FACET_TALLIES;
    only the TOP_AUTHORS authors (first or co-author) come back.
    """
    co_author = backend().co_author_value
    sql = (
        "WITH m AS MATERIALIZED (SELECT e.publication_id, e.year, e.section, e.author, "
        f"e.co_authors AS co {source}), "
        "a AS (SELECT author AS who FROM m WHERE author IS NOT NULL "
        f"UNION ALL SELECT {co_author} FROM m, {backend().co_author_source} "
        "WHERE m.co IS NOT NULL) "
        "SELECT 0, publication_id, CAST(NULL AS varchar(200)), COUNT(*) FROM m "
        "GROUP BY publication_id "
        "UNION ALL SELECT 1, year, NULL, COUNT(*) FROM m GROUP BY year "
        "UNION ALL SELECT 2, NULL, section, COUNT(*) FROM m WHERE section <> '' GROUP BY section "
        "UNION ALL SELECT 3, who, NULL, n FROM (SELECT who, COUNT(*) AS n FROM a GROUP BY who "
        f"ORDER BY n DESC, who LIMIT {TOP_AUTHORS}) AS top"
    )
    return backend().rows(sql, params)


def counting(
    plan: Plan, sample: list[int] | None, step: int, helper_busy: bool
) -> Callable[[], Tallies]:
    """The facet tallies, to be had by a call: counted on the helper connection while this
    one ranks the page, or, if the helper is still ranking it, counted here meanwhile."""

    def count() -> Tallies:
        return facet_tallies(plan, sample, step)

    beside = None if helper_busy else run_beside(count)
    if beside is not None:
        return beside.result
    tallies = count()
    return lambda: tallies


def sampled_beside(plan: Plan) -> bool:
    """Whether this search's facets, if its result is large, come from `SampledFacets`: on a
    backend with sample steps, for a plan matched on search_entry's own document (not
    a `title:` or `author:` table, nor phrases tested one candidate at a time)."""
    return bool(backend().sample_steps) and plan.loose is None and not plan.text_source


def in_sample(article_id: str, step: int) -> str:
    """The condition that an article is in the sample of `step`, for a statement's WHERE: the
    step written out, as the partial indexes' predicates are (search.0014), so that
    PostgreSQL can use them."""
    return f"{article_id} %% {int(step)} = 0"


def sampled(plan: Plan, step: int) -> tuple[Tallies, int]:
    """The facet tallies of the plan's matches whose id is a multiple of `step` (times the
    step), and how many such matches there are."""
    clause, params, article_id = plan.clause(entry=True)
    tallies = _tallied(f"{clause} AND {in_sample(article_id, step)}", params, step)
    return tallies, sum(tallies["publication"].values()) // step  # every entry has one


def estimated(plan: Plan) -> tuple[int, Tallies, int] | None:
    """A result so large that the coarsest sample finds SAMPLED_ENOUGH of its matches
    (32,000 or more at a step of 64): (its total estimated from that sample, to three
    significant figures, the facet tallies counted there, the step); None where the
    match is to be counted.

    Counting such a match on PostgreSQL visits every matching row (`workers` at
    250,000 articles: 142,851 rows, 40 ms), while a sample of 500 or more is within
    about 5% of it, which is all a reader learns from "about 143,000 results"; the
    estimate comes from the very sample the facets are counted from, and the phrase
    searches' totals were estimated this way already (`backends._estimated_sample`).
    """
    step = backend().sample_steps[0]
    tallies, found = sampled(plan, step)
    if found < SAMPLED_ENOUGH:
        return None
    total = found * step
    figures = 10 ** max(0, len(str(total)) - 3)
    return round(total / figures) * figures, tallies, step


class SampledFacets:
    """A large result's facets from the articles whose id is a multiple of a sample step
    finer than the estimate's (`estimated` found too few at the coarsest), started on the
    helper connection (after the page's ranking, which is queued first) as soon as the
    search is planned, so that they are counted while this thread counts the match; or
    here, when asked, where no helper is lent (inside a transaction).
    """

    def __init__(self, plan: Plan):
        self.plan = plan
        self.beside = run_beside(self._tallies)

    def result(self) -> tuple[Tallies, int] | None:
        """(tallies, step), or None where even the finest step found too few matches to tell."""
        return self.beside.result() if self.beside is not None else self._tallies()

    def drop(self) -> bool:
        """Not wanted after all (a small result): True unless it is being counted already."""
        return self.beside is None or self.beside.cancel() or self.beside.done()

    def _tallies(self) -> tuple[Tallies, int] | None:
        tallies, step, found = no_tallies(), 1, 0
        for step in backend().sample_steps[1:]:  # coarsest first
            tallies, found = sampled(self.plan, step)
            if found >= SAMPLED_ENOUGH:
                return tallies, step
        return (tallies, step) if found >= SAMPLED_AT_LEAST else None


def facet_values(tallies: Tallies, filters: Filters) -> dict[str, list[FacetValue]]:
    """The facets as offered: publications and sections by count, decades and years in order,
    the top authors; each value marked where it is the filter chosen."""
    by_decade: Counter = Counter()
    for year, count in tallies["year"].items():
        by_decade[year // 10 * 10] += count
    publications = Publication.objects.in_bulk(list(tallies["publication"]))
    authors = sorted(tallies["author"].items(), key=lambda item: (-item[1], item[0]))
    people = Author.objects.in_bulk([pk for pk, _n in authors])
    return {
        "publication": [
            FacetValue(p.slug, p.name, n, p.slug == filters.publication)
            for pk, n in tallies["publication"].most_common()
            if (p := publications.get(pk))
        ],
        "decade": [
            FacetValue(str(d), f"{d}s", n, d == filters.decade)
            for d, n in sorted(by_decade.items())
        ],
        "year": [
            FacetValue(str(y), str(y), n, y == filters.year)
            for y, n in sorted(tallies["year"].items())
        ],
        "section": [
            FacetValue(s, s, n, s == filters.section)
            for s, n in tallies["section"].most_common(TOP_SECTIONS)
        ],
        "author": [
            FacetValue(a.slug, a.name, n, a.slug == filters.author)
            for pk, n in authors
            if (a := people.get(pk))
        ],
    }
