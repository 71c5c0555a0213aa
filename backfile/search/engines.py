"""The two search engines: how a search matches and ranks on SQLite and on PostgreSQL.

A `Plan` is one search's conditions, parameters and ranking expression; each
backend builds it from a parsed query (`SqliteBackend` over the FTS5 tables,
`PostgresBackend` over the tsvector columns) and runs the statements that
backfile.search.backends writes from it, on the connection the database router
chooses for reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, connections, router

from backfile.search.models import SearchEntry
from backfile.search.query import Query, fts5_expression, plain_words_only
from backfile.search.tsquery import (
    SIDE_TABLES,
    loose_postgres,
    rank_tsquery,
    rank_vector,
    side_row,
    side_vector,
    to_postgres,
    vectors_of,
    words_tsquery,
)

# FTS5 bm25 weights, in the table's column order: a word in the headline counts ten
# times one in the body; kicker and standfirst three times; section and publication
# are for `section:`/`publication:` only and never rank.
BM25_WEIGHTS = "10.0, 3.0, 3.0, 2.0, 1.0, 1.0, 0.0, 0.0"
# ts_rank_cd weights for D, C, B, A (body, authors, kicker+standfirst, title).
PG_RANK_WEIGHTS = "{0.1, 0.2, 0.3, 1.0}"


@dataclass
class Plan:
    """How one search matches and ranks, and the filters on search_entry (`e`) it adds.

    On SQLite the words are matched in the FTS5 table and search_entry is joined
    only when a statement needs it (a filter, a date sort, facets), so counting
    and ranking cost what they cost straight against FTS5.
    """

    text_source: str | None = None  # the full-text table, if not search_entry itself
    text_id: str = "e.article_id"
    where: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)
    filters: list[str] = field(default_factory=list)
    filter_params: list = field(default_factory=list)
    rank: str | None = None
    rank_params: list = field(default_factory=list)
    # PostgreSQL: the same plan with its phrases as all their words (decided in the index
    # alone), where that differs; a large result is then counted from a sample of it.
    loose: Plan | None = None
    side: str | None = None  # PostgreSQL: the vector of the side table that is text_source

    def clause(self, entry: bool = False) -> tuple[str, list, str]:
        """FROM … WHERE …, its parameters, and the article id column, with or without `e`."""
        if self.text_source and not (entry or self.filters):
            return (
                f"FROM {self.text_source} WHERE {' AND '.join(self.where)}",
                self.params,
                self.text_id,
            )
        source = "search_entry e"
        if self.text_source:
            source = f"{self.text_source} JOIN search_entry e ON e.article_id = {self.text_id}"
        where = " AND ".join(self.where + self.filters) or "1 = 1"
        return f"FROM {source} WHERE {where}", self.params + self.filter_params, "e.article_id"


class SqliteBackend:
    id_list = "group_concat({})"
    sample_steps: tuple[int, ...] = ()  # facets come from the count's listing (`facets`)
    co_author_source = "json_each(m.co) AS a"
    co_author_value = "a.value"

    def rows(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def rank_tiers(self, tiers: list[Plan]) -> None:
        """Each tier keeps the whole query's bm25 (the first is the headline table's own)."""

    def headline_terms(self, ids: list[int]) -> dict[int, set[str]]:
        """Each article's headline terms, as the headline table already holds them."""
        placeholders = ", ".join(["%s"] * len(ids))
        rows = self.rows(
            f"SELECT rowid, title FROM search_headlines WHERE rowid IN ({placeholders})", ids
        )
        return {pk: set(title.split()) for pk, title in rows}

    def headline_plan(self, query: Query) -> Plan | None:
        """The first headline tier of a plain query, from the table of headlines alone.

        Its match and its bm25 involve only the headlines, not the article bodies
        the same words are also in: ranking `workers` at 250,000 articles reads 5,000
        short rows instead of the position lists of 140,000 long ones, and a headline
        that is just the query's words scores best.
        """
        if not plain_words_only(query):
            return None
        return Plan(
            text_source="search_headlines",
            text_id="search_headlines.rowid",
            where=["search_headlines MATCH %s"],
            params=[fts5_expression(query)],
            rank="bm25(search_headlines)",
        )

    def plan(self, query: Query) -> Plan:
        expression = fts5_expression(query)
        if expression is not None:
            return Plan(
                text_source="search_fts",
                text_id="search_fts.rowid",
                where=["search_fts MATCH %s"],
                params=[expression],
                rank=f"bm25(search_fts, {BM25_WEIGHTS})",
            )
        plan = Plan()
        if query.exclude is not None:
            excluded = fts5_expression(Query(text="", include=query.exclude))
            plan.where.append(
                "e.article_id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
            )
            plan.params.append(excluded)
        return plan


class PostgresBackend:
    """Words matched in the tsvector columns through their GIN indexes, ranked by ts_rank_cd.

    An article's `document` is several KB and lies out of line (TOAST): reading it
    is the cost of a PostgreSQL search. Two rules keep a search to the index and
    the row where they suffice. Every statement runs with sequential scans off:
    PostgreSQL does not count the reading of TOAST in a plan's cost, so for a
    common word it would rather read every document than the GIN index's list of
    the rows holding it (seconds instead of milliseconds at 250,000 articles).
    And the headline tiers of a large result are matched and ranked on `head`,
    the headline words alone, kept in the narrow tables search_title and
    search_head (migrations 0008–0010); only a page past them ranks the rest of the match on `document`.
    """

    id_list = "string_agg(CAST({} AS text), ',')"
    # samples of a match, the articles whose id is a multiple of 64 (or 16), which partial GIN
    # indexes find (migration search.0014): a large result's facets and estimated total
    # (`facets`), and a phrase's candidates (`backends._estimated_sample`)
    sample_steps: tuple[int, ...] = (64, 16)
    co_author_source = "jsonb_array_elements_text(m.co) AS a(value)"
    co_author_value = "a.value::bigint"

    def rows(self, sql: str, params: list) -> list[tuple]:
        """On a read replica where there are any (backfile.routers), as the ORM's reads.

        One round trip: the statements of one query string run as one transaction, so
        `SET LOCAL` holds for the search's statement and ends with it.
        """
        alias = router.db_for_read(SearchEntry)
        with connections[alias].cursor() as cursor:
            cursor.execute(f"SET LOCAL enable_seqscan = off; {sql}", params)
            cursor.nextset()
            return cursor.fetchall()

    def rank_tiers(self, tiers: list[Plan]) -> None:
        """The headline tiers ranked by their words' ts_rank_cd in `title` (the first,
        as SQLite ranks it on its headlines alone) and `head`, not `document`."""
        for i, tier in enumerate(tiers[:-1]):
            if tier.rank:
                vector = "title" if i == 0 else "head"
                side = f"h.{vector}" if tier.side == vector else side_row(vector)
                tier.rank = tier.rank.replace("e.document", side)

    def headline_terms(self, ids: list[int]) -> dict[int, set[str]]:
        """Each article's headline terms, as search_title already holds them (its lexemes
        are the analysed headline's terms, its words folded and stemmed in its language).

        Read from that narrow table, which the headline tier has just ranked, rather
        than analysing the headlines of archive_article's rows: 200 rows looked up
        there cost about 20 ms at 250,000 articles, here 2–4 ms.
        """
        rows = self.rows(
            "SELECT article_id, tsvector_to_array(title) FROM search_title "
            "WHERE article_id = ANY(%s)",
            [list(ids)],
        )
        return {pk: set(terms) for pk, terms in rows}

    def headline_plan(self, query: Query) -> Plan | None:
        """None: the title's weight in `head` confines the first tier well enough here."""
        return None

    def plan(self, query: Query) -> Plan:
        """The query's conditions on `e`; what it excludes as an anti-join, matched in the
        index alone (a NOT on `e` would read the document of every match to test it), or,
        for words without words (`_words_without`), in the same tsquery.

        A query all of whose terms are on `title` or all on `head` (`title:`, `author:`,
        and the headline tiers of plain words) is matched and ranked in search_title or
        search_head (`h`) alone, joined to search_entry only for a filter, a date sort
        or facets.
        """
        include, exclude = query.include, query.exclude
        side = side_vector(include) if include is not None else None
        if side:
            return self._side_plan(side, include, exclude)
        if (words := self._words_without(include, exclude)) is not None:
            plan = Plan(where=["e.document @@ to_tsquery('simple', %s)"], params=[words])
            self._rank(plan, include)
            return plan
        plan = Plan()
        if include is not None:
            sql, params = to_postgres(include)
            plan.where.append(sql)
            plan.params.extend(params)
            if (loose := loose_postgres(include)) is not None:
                plan.loose = Plan(where=[loose[0]], params=list(loose[1]))
        if exclude is not None:
            if excluded_side := side_vector(exclude):
                sql, params = to_postgres(exclude, table="x", side=excluded_side)
                source = f"{SIDE_TABLES[excluded_side]} x"
            else:
                sql, params = to_postgres(exclude, table="x")
                source = "search_entry x"
            excluded = f"e.article_id NOT IN (SELECT x.article_id FROM {source} WHERE {sql})"
            for each in (plan, plan.loose):
                if each is not None:
                    each.where.append(excluded)
                    each.params.extend(params)
        if include is not None:
            self._rank(plan, include)
        return plan

    def _words_without(self, include, exclude) -> str | None:
        """Words with words excluded (`socialism -stalin`), all in `document`: one tsquery,
        `(socialism) & !(stalin)`, which the GIN index decides alone, as it decides the
        words themselves. (An anti-join reads the heap rows of every excluded match to
        learn their ids: 25.3 → 18.1 ms of the server's CPU for that query at 250,000
        articles, where counting `socialism` alone takes 17.4.)"""
        if include is None or exclude is None:
            return None
        # (what is wanted holds no NOT: the index finds the articles from its words)
        wanted, unwanted = words_tsquery(include, negations=False), words_tsquery(exclude)
        if wanted is None or unwanted is None:
            return None
        return f"{wanted} & !{unwanted}"

    def _rank(self, plan: Plan, include) -> None:
        if ranked := rank_tsquery(include):
            vector = rank_vector(include)
            column = "e.document" if vector == "document" else side_row(vector)
            plan.rank = f"-ts_rank_cd('{PG_RANK_WEIGHTS}', {column}, to_tsquery('simple', %s), 1)"
            plan.rank_params = [ranked]

    def _side_plan(self, side: str, include, exclude) -> Plan:
        """Matched and ranked in the side table of `side` (as `h`) alone; what it excludes
        there, in the other side table (the headline tiers after the first), or as an
        anti-join on search_entry."""
        sql, params = to_postgres(include, table="h", side=side)
        plan = Plan(
            text_source=f"{SIDE_TABLES[side]} h",
            text_id="h.article_id",
            where=[sql],
            params=params,
            side=side,
        )
        if exclude is not None and vectors_of(exclude) <= SIDE_TABLES.keys():
            sql, params = to_postgres(exclude, table="h", side=side)
            plan.where.append(f"NOT ({sql})")
            plan.params.extend(params)
        elif exclude is not None:
            sql, params = to_postgres(exclude, table="x")
            plan.where.append(
                f"h.article_id NOT IN (SELECT x.article_id FROM search_entry x WHERE {sql})"
            )
            plan.params.extend(params)
        if ranked := rank_tsquery(include):
            plan.rank = f"-ts_rank_cd('{PG_RANK_WEIGHTS}', h.{side}, to_tsquery('simple', %s), 1)"
            plan.rank_params = [ranked]
        return plan


BACKENDS = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}


def backend():
    return BACKENDS[connection.vendor]()
