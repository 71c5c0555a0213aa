"""Related articles kept in step with the archive, at ingest and never when a page is read.

1. As the loader writes each batch (`articles_changed`, in its transaction), each
   article's salient terms are stored (`record_terms`) at stage NEW, counted from the
   search index's analysis of the batch, in the ingest's worker processes that made it
   (passed as `prepared`): the text is analysed once, and its terms counted there. An
   editor's correction stores its article's the same way (analysed here: one article).
2. When an ingest run ends (`ingest_finished`), or on `backfile related`, `refresh`
   takes every article not at stage RELATED: counts its terms into TermFrequency,
   picks its key terms, and as key terms too the rarer entries of the authority file
   it mentions (its Mention rows, stored by linking as the batch was written), scores
   it against every article sharing one, and stores its best RELATED_PER_ARTICLE
   (`candidates`: text and entities in one score). An older article that a new one
   now beats in its list takes the new one in (its list is merged, not recomputed).

What lags until `backfile related --rebuild`: older articles' key terms and weights
keep the term frequencies of their time; an article changed or deleted stays in
older articles' lists with its old score (a deleted one leaves them, one shorter);
a deleted article's terms stay counted; an older article's key entities are those it
was related with until its mentions are linked again without its text changing (an
entry added or merged: the authority file's `mentions_relinked`, on which `relate_again`
marks it for the next refresh). What never lags is what those lists show:
the pages listing an article changed or deleted, in any publication, are retired
from the page cache with it (`retire_pages_listing`).

Each step writes in short transactions of its own, and the stages make a run that
stops midway resume where it stopped.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from backfile.archive.models import Article
from backfile.authority.models import Mention
from backfile.caching.generation import bump
from backfile.database import insert_values
from backfile.related.apps import SALIENT
from backfile.related.candidates import (
    KeyTerms,
    key_entities,
    key_terms,
    merged,
    most_alike,
    rare_limit,
    rarity,
)
from backfile.related.models import (
    RELATED_PER_ARTICLE,
    ArticleTerms,
    KeyTerm,
    RelatedArticle,
    TermFrequency,
)
from backfile.related.terms import salient_of_articles

Progress = Callable[[str, int, int], None]  # (what, done, total)
CHUNK = 500  # ids or terms in one IN (…) list
WRITE_BATCH = 1000  # articles whose rows are written in one transaction
# the term frequencies are read whole when the articles to relate are more than this
# fraction of the archive's (1/READ_WHOLE_AFTER), else term by term
READ_WHOLE_AFTER = 10
# Articles related at once: what refresh holds in memory is one batch's terms and pairs
RELATE_BATCH = 5000


def search_analysis(prepared: Iterable) -> dict[tuple[str, ...], tuple[str, str]]:
    """TEXT_FIELDS texts → salient (terms, counts), as counted with the search index's
    analysis of the batch, where it was made (`search.index.AnalysedAhead`: in the
    ingest's worker processes, before the write): the text is neither analysed nor
    counted here."""
    from backfile.search.index import AnalysedAhead

    found: dict[tuple[str, ...], tuple[str, str]] = {}
    for ahead in prepared:
        if isinstance(ahead, AnalysedAhead):
            found |= getattr(ahead, "alongside", {}).get(SALIENT, {})
    return found


def record_terms(articles: list[Article], prepared: Iterable = ()) -> None:
    """Store these articles' salient terms, to be related at the end of the run (stage NEW),
    read from the texts the search index reads (`search.index.field_texts`), as counted
    with its analysis where the sender passed it, else analysed here; terms of theirs
    already counted leave the term frequencies."""
    from backfile.search.index import field_texts, related_rows

    if not articles:
        return
    related = related_rows([a.pk for a in articles])
    texts = [field_texts(a, related[a.pk]) for a in articles]
    salient = salient_of_articles(texts, search_analysis(prepared))
    rows = [
        (article.pk, terms, counts, ArticleTerms.NEW)
        for article, (terms, counts) in zip(articles, salient, strict=True)
    ]
    sql = f"SELECT terms FROM {_table(ArticleTerms)} WHERE article_id IN ({{}}) AND stage > %s"
    counted = _where_in(sql, [row[0] for row in rows], [ArticleTerms.NEW])
    _add_frequencies(Counter(" ".join(terms for (terms,) in counted).split()), -1)
    insert_values(ArticleTerms, ("article_id", "terms", "counts", "stage"), rows, "article_id")


def _add_frequencies(terms: Counter, sign: int = 1) -> None:
    rows = [(term, sign * n) for term, n in terms.items()]
    insert_values(TermFrequency, ("term", "articles"), rows, "term", add="articles")


def _chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def refresh(progress: Progress | None = None) -> int:
    """Relate every article not yet related (see the module's docstring); how many."""
    with _collector_paused():
        return _refresh(progress)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off: relating a whole archive makes hundreds of thousands of
    small objects, none in a cycle, and the collector would walk every live one, again and
    again, as they are made (a sixth of the time)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _refresh(progress: Progress | None) -> int:
    waiting = [pk for (pk,) in _rows(
        f"SELECT article_id FROM {_table(ArticleTerms)} WHERE stage < %s ORDER BY article_id",
        [ArticleTerms.RELATED],
    )]  # fmt: skip
    if not waiting:
        return 0
    show = progress or (lambda what, done, total: None)
    _count_new_terms(show, len(waiting))
    total = _rows(
        f"SELECT COUNT(*) FROM {_table(ArticleTerms)} WHERE stage > %s", [ArticleTerms.NEW]
    )[0][0]
    # Key terms first, all of them, so that each batch is scored against every other;
    # then the lists, a batch at a time: what is held at once is one batch's, whatever
    # the size of the run.
    batches = list(_chunks(waiting, RELATE_BATCH))
    for done, batch in enumerate(batches):
        keys = _store_key_terms(batch, total)
        show("related: key terms", min((done + 1) * RELATE_BATCH, len(waiting)), len(waiting))
    if len(batches) > 1:
        keys = None  # (each batch's are read back as it is related: not held)
    everyone = set(waiting)
    for done, batch in enumerate(batches):
        # (a run of one batch has its key terms at hand still: they are not read back)
        _relate(batch, everyone, keys)
        show("related: scoring", min((done + 1) * RELATE_BATCH, len(waiting)), len(waiting))
    return len(waiting)


def _count_new_terms(show: Progress, waiting: int) -> None:
    """Count the terms of articles not counted yet into TermFrequency."""
    new = [pk for (pk,) in _rows(
        f"SELECT article_id FROM {_table(ArticleTerms)} WHERE stage = %s ORDER BY article_id",
        [ArticleTerms.NEW],
    )]  # fmt: skip
    show("related: counting terms", 0, waiting)
    for chunk in _chunks(new, WRITE_BATCH):
        counted: Counter = Counter()
        for (terms,) in _select_in(ArticleTerms, "terms", "article_id", chunk):
            counted.update(terms.split())
        with transaction.atomic():
            _add_frequencies(counted)
            _set_stage(chunk, ArticleTerms.COUNTED)
    show("related: counting terms", waiting, waiting)


def _store_key_terms(batch: list[int], total: int) -> dict[int, KeyTerms]:
    """Store the key terms of these articles; them, by article."""
    rows = _select_in(ArticleTerms, "article_id, terms, counts", "article_id", batch)
    terms = {pk: each.split() for pk, each, _counts in rows}
    rare = rarity(_frequencies(terms, total), total)
    keys = {
        pk: key_terms(zip(terms[pk], counts.split(), strict=True), rare)
        for pk, _terms, counts in rows
    }
    for pk, entities in _key_entities(batch, total).items():
        keys[pk] = keys.get(pk, []) + entities
    for chunk in _chunks(sorted(keys), WRITE_BATCH):
        with transaction.atomic():
            _where_in(f"DELETE FROM {_table(KeyTerm)} WHERE article_id IN ({{}})", chunk)
            insert_values(
                KeyTerm,
                ("article_id", "term", "weight"),
                _postings(chunk, keys),
            )
    return keys


def _postings(articles: list[int], keys: dict[int, KeyTerms]) -> list[tuple[int, str, float]]:
    """(article id, term, weight) of these articles' key terms, in their order: as KeyTerm
    rows are stored, and read (by article)."""
    return [(pk, term, weight) for pk in articles for term, weight in keys[pk]]


def _key_entities(batch: list[int], total: int) -> dict[int, list[tuple[str, float]]]:
    """The entries of the authority file these articles mention, as key terms
    (`candidates.key_entities`): by the time a run ends, linking has stored the
    mentions of its articles (`authority.models.Mention`, in the write transactions)."""
    mentions = _select_in(Mention, "article_id, entry_id, count", "article_id", batch)
    if not mentions:
        return {}
    sql = (
        f"SELECT entry_id, COUNT(*) FROM {_table(Mention)} WHERE entry_id IN ({{}}) "
        "GROUP BY entry_id"
    )
    frequencies = dict(_where_in(sql, sorted({entry for _pk, entry, _n in mentions})))
    return key_entities(mentions, frequencies, total)


def _relate(batch: list[int], everyone: set[int], keys: dict[int, KeyTerms] | None = None) -> None:
    """Score `batch` against every article sharing a key term; store its lists and merge
    it into the lists of older articles (those of this run get theirs in their batch).
    The batch's key terms are read, unless given (`keys`: as just stored)."""
    fresh = set(batch)
    if keys is None:
        postings = _select_in(KeyTerm, "article_id, term, weight", "article_id", batch)
    else:
        postings = _postings(sorted(keys), keys)
    if _more_key_terms_than(len(postings)):
        # (not when the batch's are all there are: a run into an empty archive)
        postings += _others_postings({term for _pk, term, _w in postings}, fresh)
    found = most_alike(postings, fresh, RELATED_PER_ARTICLE)
    del postings
    lists = {pk: found.get(pk, []) for pk in batch}
    lists |= _merged_older({pk: v for pk, v in found.items() if pk not in everyone}, fresh)
    for chunk in _chunks(sorted(lists), WRITE_BATCH):
        with transaction.atomic():
            _write_lists(chunk, lists, fresh)
            _announce(chunk)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _more_key_terms_than(count: int) -> bool:
    """Does the archive hold more than `count` key terms? (Counting at most one more: a
    large archive's are not all counted for each batch.)"""
    sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {_table(KeyTerm)} LIMIT %s) AS counted"
    return _rows(sql, [count + 1])[0][0] > count


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _where_in(sql: str, values: list, params: Iterable = ()) -> list[tuple]:
    """Run `sql` (its `{}` an IN list) for CHUNK `values` at a time; the rows it returned."""
    found: list[tuple] = []
    with connection.cursor() as cursor:
        for chunk in _chunks(values):
            cursor.execute(sql.format(", ".join(["%s"] * len(chunk))), [*chunk, *params])
            if cursor.description:
                found.extend(cursor.fetchall())
    return found


def _select_in(model, columns: str, column: str, values: Iterable) -> list[tuple]:
    """Rows of `SELECT columns FROM model's table WHERE column IN values`, CHUNK values a
    query, in plain SQL (the ORM took longer to build such queries than to run them)."""
    return _where_in(
        f"SELECT {columns} FROM {_table(model)} WHERE {column} IN ({{}})", sorted(values)
    )


def _set_stage(ids: list[int], stage: int) -> None:
    sql = f"UPDATE {_table(ArticleTerms)} SET stage = {int(stage)} WHERE article_id IN ({{}})"
    _where_in(sql, ids)


def _frequencies(terms: dict[int, list[str]], total: int) -> dict[str, int]:
    """In how many articles each of these articles' `terms` is salient, of those terms that
    may be key terms (`candidates.rarity`). When the articles are many, their terms are
    most of the archive's: the table is read whole, in one query."""
    rare = "articles >= 2 AND articles <= %s"
    limit = [rare_limit(total)]
    if len(terms) * READ_WHOLE_AFTER >= total:
        sql = f"SELECT term, articles FROM {_table(TermFrequency)} WHERE {rare}"
        return dict(_rows(sql, limit))
    sql = f"SELECT term, articles FROM {_table(TermFrequency)} WHERE term IN ({{}}) AND {rare}"
    return dict(_where_in(sql, sorted({t for each in terms.values() for t in each}), limit))


def _others_postings(terms: set[str], fresh: set[int]) -> list[tuple[int, str, float]]:
    """Key terms of articles already related that share one of `terms`."""
    rows = _select_in(KeyTerm, "article_id, term, weight", "term", terms)
    return [row for row in rows if row[0] not in fresh]


def _merged_older(found: dict[int, list], fresh: set[int]) -> dict[int, list[tuple[int, float]]]:
    """Lists of older articles that a fresh one enters, merged with what they had."""
    older = sorted(pk for pk in found if pk not in fresh)
    stored: dict[int, list[tuple[int, float]]] = {pk: [] for pk in older}
    rows = _select_in(RelatedArticle, "article_id, related_id, score, rank", "article_id", older)
    for pk, other, score, _rank in sorted(rows, key=lambda row: (row[0], row[3])):
        stored[pk].append((other, score))
    changed = {}
    for pk in older:
        new = merged(stored[pk], found[pk], RELATED_PER_ARTICLE)
        if new != stored[pk]:
            changed[pk] = new
    return changed


def _write_lists(chunk: list[int], lists: dict[int, list], fresh: set[int]) -> None:
    _where_in(f"DELETE FROM {_table(RelatedArticle)} WHERE article_id IN ({{}})", chunk)
    insert_values(
        RelatedArticle,
        ("article_id", "related_id", "score", "rank"),
        [
            (pk, other, score, rank)
            for pk in chunk
            for rank, (other, score) in enumerate(lists[pk], start=1)
        ],
    )
    _set_stage([pk for pk in chunk if pk in fresh], ArticleTerms.RELATED)


def _announce(chunk: list[int]) -> None:
    """The pages of these articles change: their publications' generations move on."""
    sql = f"SELECT DISTINCT publication_id FROM {_table(Article)} WHERE id IN ({{}})"
    publications = {pk for (pk,) in _where_in(sql, chunk)}
    if publications:
        bump(publications=publications)


def relate_again(article_ids: Iterable[int]) -> None:
    """These articles' key terms and lists are made again by the next `refresh` (at a run's
    end, or `backfile related`), their terms as counted: for a change that is not in
    their text, such as the entries they mention."""
    sql = (
        f"UPDATE {_table(ArticleTerms)} SET stage = {int(ArticleTerms.COUNTED)} "
        f"WHERE stage = {int(ArticleTerms.RELATED)} AND article_id IN ({{}})"
    )
    _where_in(sql, sorted(set(article_ids)))


def retire_pages_listing(
    article_ids: Iterable[int], publications_bumped: Iterable[int] = ()
) -> None:
    """These articles changed or are being deleted: the pages of the articles that list
    them as related show their old headline and address, and are retired (their
    publications' generations move on), in the caller's transaction. Those of
    `publications_bumped` already are (`caching.receivers` moves the changed articles'
    own publications on): here, the other publications' pages."""
    sql = (
        f"SELECT DISTINCT a.publication_id FROM {_table(RelatedArticle)} r "
        f"JOIN {_table(Article)} a ON a.id = r.article_id WHERE r.related_id IN ({{}})"
    )
    listing = {pk for (pk,) in _where_in(sql, sorted(set(article_ids)))}
    if others := listing - set(publications_bumped):
        bump(publications=others)


# what `search.index.field_texts` reads of an article
READ_FIELDS = ("title", "kicker", "standfirst", "summary", "blocks", "language", "section")


def rebuild(progress: Progress | None = None) -> int:
    """Everything again from the articles' text: terms, frequencies, key terms, lists."""
    with transaction.atomic():
        RelatedArticle.objects.all().delete()
        KeyTerm.objects.all().delete()
        TermFrequency.objects.all().delete()
        ArticleTerms.objects.all().delete()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    show = progress or (lambda what, done, total: None)
    for done, chunk in enumerate(_chunks(ids, WRITE_BATCH)):
        articles = (
            Article.objects.filter(pk__in=chunk)
            .select_related("publication")
            .only(*READ_FIELDS, "publication__name")
        )
        with transaction.atomic():
            record_terms(list(articles))
        show("related: reading articles", min((done + 1) * WRITE_BATCH, len(ids)), len(ids))
    return refresh(progress)
