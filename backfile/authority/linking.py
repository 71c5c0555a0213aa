"""Mentions: which entries of the authority file each article mentions, kept current.

An article's text is what search reads of it (`search.index.field_texts`: headline,
kicker, standfirst with its summary and reviewed works, and the body with its
quotations and notes), less the bylines (an author writes an article, and is not
thereby mentioned in it). It is matched by `matcher` and its Mention rows rewritten:
how often each entry is named, the sentence around the first time, and the issue's
date key (`search.index.issue_date_key`), so an entry's page lists its articles by date.

`link_articles` does many articles in a handful of statements. The receivers
(`authority.receivers`) call it for articles as they are written, and, when the
authority file changes, for the articles that may be concerned: those that mention
the entry now and those the search index finds holding the name (`articles_naming`),
never the whole archive; `link_all` is for the command. An ingest's articles have
their mentions found ahead in its worker processes (`find_ahead`, `MentionsAhead`), so
its write transaction only looks them up.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass

from django.db import connection, transaction

from backfile.archive.models import Article
from backfile.archive.signals import ArticlePreview, PendingWork
from backfile.authority import matcher
from backfile.authority.models import Mention
from backfile.authority.names import name_key
from backfile.authority.signals import mentions_relinked
from backfile.search.engines import backend
from backfile.search.index import Related, field_texts, issue_date_key, related_rows
from backfile.search.query import Lowering, Match, Query
from backfile.search.query_syntax import Or, Term, combine
from backfile.search.text import words

SENTENCE_LENGTH = 300  # characters at most; a longer sentence is cut around the mention
LINK_BATCH = 500
AHEAD_PARTS = 2  # a batch is cut in this many parts, one for each worker process
INSERT_MENTION = (
    f"INSERT INTO {Mention._meta.db_table} (article_id, entry_id, count, sentence, sort_key) "
    "VALUES (%s, %s, %s, %s, %s)"
)
DELETE_MENTIONS = f"DELETE FROM {Mention._meta.db_table} WHERE article_id IN ({{}})"
# Where a sentence ends: a stop (and any closing quotes or brackets) then space, or a line break
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z0-9])|\n+")
SEPARATOR = "\n\n"  # between an article's texts (a sentence never runs from one to the next)


def article_text(article: Article, related: Related) -> str:
    """The text of an article that names are sought in (see the module's docstring)."""
    title, kicker, standfirst, _authors, body, _section, _publication, _language = field_texts(
        article, Related(works=related.works)
    )
    return SEPARATOR.join(filter(None, (title, kicker, standfirst, body)))


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end], cut to SENTENCE_LENGTH around it with `…`."""
    begin = max(0, start - 2 * SENTENCE_LENGTH)  # (further back would be cut off anyway)
    # (a stop whose next capital is the name's own is not seen: `W. Bush` is no sentence's end)
    for stop in SENTENCE_END.finditer(text, begin, start):
        begin = stop.end()
    after = SENTENCE_END.search(text, end, end + 2 * SENTENCE_LENGTH)
    finish = after.start() + (1 if text[after.start()] in ".!?" else 0) if after else len(text)
    sentence = text[begin:finish]
    start, end = start - begin, end - begin
    if len(sentence) > SENTENCE_LENGTH:
        room = max(0, SENTENCE_LENGTH - (end - start)) // 2
        left, right = max(0, start - room), min(len(sentence), end + room)
        cut = sentence[left:right]
        if left > 0:
            cut = "…" + cut.split(" ", 1)[-1] if " " in cut[: start - left] else "…" + cut
        if right < len(sentence):
            cut = cut.rsplit(" ", 1)[0] + "…" if " " in cut[end - left :] else cut + "…"
        sentence = cut
    return " ".join(sentence.split())


@dataclass
class Counted:
    count: int
    sentence: str


def mentions_in(text: str, found: Iterable[matcher.Found]) -> dict[int, Counted]:
    """Each entry's count and the sentence of its first mention."""
    mentions: dict[int, Counted] = {}
    for each in found:
        if each.entry_id in mentions:
            mentions[each.entry_id].count += 1
        else:
            mentions[each.entry_id] = Counted(1, sentence_around(text, each.start, each.end))
    return mentions


Mentions = dict[int, Counted]


def mentions_of_texts(generation: tuple, names: list, texts: list[str]) -> list[Mentions]:
    """Each text's mentions, by a worker process (given the authority file's names)."""
    found = matcher.in_worker(generation, names)
    return [mentions_in(text, found.find(text)) for text in texts]


@dataclass
class MentionsAhead:
    """Mentions found before a write, by the text they were found in, and the state of the
    authority file they were found against: taken only if both are still so."""

    generation: tuple
    found: dict[str, Mentions]


def find_ahead(texts: list[str], workers: Executor | None) -> PendingWork | None:
    """Begin finding the mentions in these texts in the worker processes (None without any:
    the write then matches in its own thread)."""
    texts = list(dict.fromkeys(texts))
    if workers is None or not texts:
        return None
    generation, names, _found = matcher.state()
    step = math.ceil(len(texts) / AHEAD_PARTS)
    parts = [
        workers.submit(mentions_of_texts, generation, names, texts[i : i + step])
        for i in range(0, len(texts), step)
    ]
    return PendingWork(
        finish=lambda: MentionsAhead(
            generation, dict(zip(texts, [m for part in parts for m in part.result()], strict=True))
        ),
        ready=lambda: all(part.done() for part in parts),
    )


def preview_text(preview: ArticlePreview) -> str:
    """The text of an article about to be written, as `article_text` will read it."""
    works = [f"{title} {author}" for title, author in preview.works]
    return article_text(preview.article, Related(works=works))


def link_articles(articles: Iterable[Article | int], ahead: Iterable[MentionsAhead] = ()) -> int:
    """Rewrite the Mention rows of these articles (instances as written, or ids) from their
    text as it is now; returns how many mentions they have. A few statements in all:
    the articles (where ids are given), their reviewed works, a delete and a bulk insert.
    Mentions found `ahead` (by worker processes) are taken where the text and the authority
    file are still what they were found in."""
    given = list(articles)
    ids = [a if isinstance(a, int) else a.pk for a in given]
    ids = [pk for pk in ids if pk is not None]
    if not ids:
        return 0
    generation, _names, found = matcher.state()
    instances = []
    if not found.empty:  # (an authority file naming nothing is mentioned nowhere: no text read)
        instances = [a for a in given if not isinstance(a, int) and a.pk is not None]
        if wanted := [a for a in given if isinstance(a, int)]:
            instances += Article.objects.select_related("issue", "publication").filter(
                pk__in=wanted
            )
    found_ahead = [each.found for each in ahead if each.generation == generation]
    related = related_rows([a.pk for a in instances]) if instances else {}
    rows = []
    for article in instances:
        text = article_text(article, related[article.pk])
        _year, sort_key = issue_date_key(article.issue)
        mentions = next((each[text] for each in found_ahead if text in each), None)
        if mentions is None:
            mentions = mentions_in(text, found.find(text))
        for entry_id, counted in mentions.items():
            rows.append((article.pk, entry_id, counted.count, counted.sentence, sort_key))
    with transaction.atomic(), connection.cursor() as cursor:
        # (plain statements: the ORM's query building and instances cost more than the matching)
        for start in range(0, len(ids), LINK_BATCH):
            chunk = ids[start : start + LINK_BATCH]
            cursor.execute(DELETE_MENTIONS.format(", ".join(["%s"] * len(chunk))), chunk)
        if rows:
            cursor.executemany(INSERT_MENTION, rows)
    return len(rows)


def link_all(
    progress: Callable[[int, int], None] | None = None, workers: Executor | None = None
) -> int:
    """Link every article of the archive again, batch by batch (each in a transaction of its
    own, so the site reads on); returns how many mentions there are. Given worker processes
    (the command's), each batch is matched there while the one before is written: an ingest
    uses two cores, and linking in one would take a third of its time."""
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    batches = [ids[start : start + LINK_BATCH] for start in range(0, len(ids), LINK_BATCH)]

    def begin(batch: list[int]) -> tuple[list[Article | int], PendingWork | None]:
        if workers is None:
            return batch, None
        found = list(Article.objects.select_related("issue", "publication").filter(pk__in=batch))
        related = related_rows(batch)
        return found, find_ahead([article_text(a, related[a.pk]) for a in found], workers)

    linked = done = 0
    pending = begin(batches[0]) if batches else None
    for n, batch in enumerate(batches):
        (read, work), pending = pending, begin(batches[n + 1]) if n + 1 < len(batches) else None
        with transaction.atomic():
            linked += link_articles(as_they_are(batch, read), [work.finish()] if work else [])
        done += len(batch)
        if progress:
            progress(done, len(ids))
    if ids:
        mentions_relinked.send(sender=None, article_ids=ids)
    return linked  # (a deleted article's mentions went with it: CASCADE)


def as_they_are(ids: list[int], read: list[Article | int]) -> list[Article | int]:
    """Articles read before this transaction where they are still as read (`modified` the
    same), and the ids of the rest, to be read again."""
    now = dict(Article.objects.filter(pk__in=ids).values_list("pk", "modified"))
    kept = [a for a in read if not isinstance(a, int) and now.get(a.pk) == a.modified]
    return [*kept, *sorted(set(now) - {a.pk for a in kept})]


# ---- which articles may name a name: asked of the search index --------------------------------


def name_query(name: str) -> object | None:
    """A search (query.Match nodes) for the articles that may hold `name` as the matcher
    finds it: its words as a phrase, the last as a prefix (for `Trotskyists`), under every
    analysis the index keeps (`search.text.QUERY_LANGUAGES`: a Spanish article is indexed
    with Spanish stems), as the search box lowers `name*`; an initialism also with its
    letters apart (the index holds `U.S.S.R.` as u s s r)."""
    key = name_key(name)
    if not key:
        return None
    found = list(words(key))
    if not any(w.terms for w in found):
        return None
    alternatives = [Lowering(Query(text=key)).lower_term(Term(key, prefix=True))]
    if len(found) == 1 and 2 <= len(key) <= 8 and key.isalpha():
        alternatives.append(Match(None, (tuple(key),)))  # u s s r
    return combine(Or, [a for a in alternatives if a is not None])


def articles_naming(names: Iterable[str]) -> set[int]:
    """Ids of the articles whose indexed text holds any of these names (or more: the
    matcher decides), found through the search index on either backend, in this
    transaction, without reading the archive's text."""
    nodes = [node for node in map(name_query, dict.fromkeys(names)) if node is not None]
    ids: set[int] = set()
    for start in range(0, len(nodes), 20):
        include = combine(Or, nodes[start : start + 20])
        plan = backend().plan(Query(text="", include=include))
        clause, params, article_id = plan.clause()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {article_id} {clause}", params)
            ids.update(pk for (pk,) in cursor.fetchall())
    return ids


def articles_mentioning(entry_ids: Iterable[int]) -> set[int]:
    return set(
        Mention.objects.filter(entry_id__in=list(entry_ids)).values_list("article_id", flat=True)
    )


def relink(article_ids: Iterable[int]) -> None:
    """Link these articles again, in batches (all in the caller's transaction)."""
    ids = sorted(set(article_ids))
    for start in range(0, len(ids), LINK_BATCH):
        link_articles(ids[start : start + LINK_BATCH])
    if ids:
        mentions_relinked.send(sender=None, article_ids=ids)
