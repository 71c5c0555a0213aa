"""The one loader: stores ArticleRecords idempotently, whichever reader made them.

Records are stored in batches, one transaction a batch, so an interrupted ingest
leaves whole articles or nothing; running the same command again skips every
article whose fingerprint is already stored and finishes the rest.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify

from backfile.archive.models import (
    Article,
    ArticleSource,
    Author,
    AuthorAlias,
    Byline,
    Issue,
    Publication,
    Review,
    ReviewedWork,
    issue_slug,
    name_key,
    unique_slug,
)
from backfile.archive.signals import PendingWork, articles_changed
from backfile.database import bulk_writes
from backfile.ingest.checks import record_path, record_problem
from backfile.ingest.records import ArticleRecord, Failure, IssueRecord, Notice
from backfile.ingest.rows import insert_rows, json_text
from backfile.replies.models import Reply

BATCH_SIZE = 250
FIRST_BATCH_SIZE = 100
GROWTH = 3  # a batch grows to this many times the batch size while the last one's indexing ends

# The columns the bulk path writes, in the order of `_article_row` and the tuples below.
ARTICLE_COLUMNS = (
    "publication_id",
    "issue_id",
    "key",
    "slug",
    "position",
    "section",
    "kicker",
    "title",
    "standfirst",
    "summary",
    "pages",
    "published",
    "language",
    "blocks",
    "subjects",
    "original_url",
    "attachments",
    "ingested_fingerprint",
    "edited",
    "modified",
)
SOURCE_COLUMNS = ("article_id", "path", "format", "sha256", "text")
BYLINE_COLUMNS = ("article_id", "author_id", "position", "as_printed")

STATUSES = ("added", "updated", "unchanged", "conflict", "failed", "noted")


@dataclass
class ReportEntry:
    path: str
    status: str
    reason: str = ""
    url: str = ""


@dataclass
class IngestReport:
    """What happened to every file and item: the summary line and `--report FILE`."""

    entries: list[ReportEntry] = field(default_factory=list)
    files_read: int = 0

    def add(self, path: str, status: str, reason: str = "", url: str = "") -> None:
        self.entries.append(ReportEntry(path, status, reason, url))

    def count(self, status: str) -> int:
        return sum(1 for e in self.entries if e.status == status)

    def summary(self) -> dict[str, int]:
        counts = {"read": self.files_read}
        counts.update({status: self.count(status) for status in STATUSES})
        return counts

    def summary_line(self) -> str:
        s = self.summary()
        line = (
            f"read {s['read']}, added {s['added']}, updated {s['updated']}, "
            f"unchanged {s['unchanged']}, failed {s['failed']}"
        )
        if s["conflict"]:
            line += f", conflicts {s['conflict']} (edited by an editor; not overwritten)"
        if s["noted"]:
            line += f", notes {s['noted']}"
        return line

    def write_json(self, path: Path) -> None:
        data = {
            "summary": self.summary(),
            "entries": [e.__dict__ for e in self.entries],
        }
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


class Encoded(NamedTuple):
    """A record's fingerprint and body, as stored, made once."""

    fingerprint: str
    body_json: str
    block_dicts: list[dict]


@dataclass
class Batch:
    """Records stored in one transaction, each with its body encoded and its fingerprint (by
    record id), made as the records are read: while the previous batch is being indexed."""

    records: list[ArticleRecord] = field(default_factory=list)
    encoded: dict[int, Encoded] = field(default_factory=dict)
    repeats: list[ReportEntry] = field(default_factory=list)  # later records of its articles

    def add(self, record: ArticleRecord) -> None:
        self.records.append(record)
        block_dicts = record.block_dicts()
        body_json = record.blocks_json(block_dicts)
        self.encoded[id(record)] = Encoded(record.fingerprint(body_json), body_json, block_dicts)


class Loader:
    """Stores records; keeps small caches so a large ingest does not re-query per article."""

    def __init__(self, report: IngestReport | None = None, batch_size: int = BATCH_SIZE):
        self.report = report or IngestReport()
        self.batch_size = batch_size
        self._outputs: Iterator[ArticleRecord | Failure | Notice] = iter(())  # what `load` reads
        self._publications: dict[str, Publication] = {}
        self._issues: dict[tuple[int, str], Issue] = {}
        self._issues_read: set[int] = set()  # publications whose issues are all in _issues
        self._authors: dict[str, Author] = {}
        self._slugs: dict[int, set[str]] = {}  # issue id → article slugs taken in it
        self._written: dict[int, Article] = {}  # this batch's stored articles, by id
        self._encoded: dict[int, Encoded] = {}  # this batch's, by record id
        self._issue_urls: dict[int, str] = {}
        # identity → the path and fingerprint of its first record in this ingest
        self._first_sources: dict[tuple[str, str], tuple[str, str]] = {}

    def load(self, outputs: Iterable[ArticleRecord | Failure | Notice]) -> IngestReport:
        """Store the readers' outputs batch by batch. The first batches are smaller, so that
        storing (and indexing, in worker processes) begins while the readers get going."""
        self._outputs = iter(outputs)
        size = min(self.batch_size, FIRST_BATCH_SIZE)
        with bulk_writes():
            batch = self._next_batch(size)
            while batch is not None:
                size = min(self.batch_size, size * 2)
                batch = self._store_batch(batch, size)
        return self.report

    def _next_batch(self, size: int) -> Batch | None:
        """Up to `size` records read on, each with its fingerprint; None once all are read."""
        batch = Batch()
        while len(batch.records) < size and self._read_into(batch):
            pass
        return batch if batch.records or batch.repeats else None

    def _read_into(self, batch: Batch) -> bool:
        """Read on to the next record and add it to the batch, reporting the failures and
        notices on the way; False once the readers have nothing left."""
        for output in self._outputs:
            if isinstance(output, Failure):
                self.report.add(output.path, "failed", output.reason)
            elif isinstance(output, Notice):
                self.report.add(output.path, "noted", output.message)
            elif problem := record_problem(output):  # a record nothing could store or show
                self.report.add(record_path(output), "failed", f"not stored: {problem}")
            else:
                self._add_to(batch, output)
                return True
        return False

    def _add_to(self, batch: Batch, record: ArticleRecord) -> None:
        """Add the first record of an article in this ingest to the batch; set a later one
        aside. Were a later one to win, every re-run of the same command would write the
        article twice (the first source's version, then the later one's). It is reported
        with the batch: unchanged when it says what the first said, else noted as set aside."""
        where = identity(record)
        first = self._first_sources.get(where)
        if first is None:
            batch.add(record)
            self._first_sources[where] = (record.source.path, batch.encoded[id(record)].fingerprint)
            return
        path, fingerprint = first
        if record.fingerprint() == fingerprint:
            batch.repeats.append(
                ReportEntry(record.source.path, "unchanged", f"the same as {path}")
            )
        else:
            reason = (
                f"not stored: the same article (key {record.key}) as {path}, read earlier in "
                "this ingest, which is kept; ingest this source on its own to take its version"
            )
            batch.repeats.append(ReportEntry(record.source.path, "noted", reason))

    def _store_batch(self, batch: Batch, next_size: int) -> Batch | None:
        """Store a batch in one transaction and announce what was written, all at once;
        returns the next batch, read from the sources while the receivers finish their
        work (the search index analyses the batch's text in worker processes meanwhile).
        While that work is not ready, the next batch grows (up to GROWTH times)."""
        self._encoded = batch.encoded
        records = batch.records
        existing = self._existing_fingerprints(records)
        self._written = {}
        with transaction.atomic():
            added = self._add_new(records, existing)
            for record in records:
                if id(record) not in added:
                    self._store_one(record, existing.get(identity(record)))
            pending = self._announce(list(self._written.values()))
            following = self._next_batch(next_size)
            while (
                following is not None
                and len(following.records) < GROWTH * self.batch_size
                and not all(work.ready() for work in pending)
                and self._read_into(following)
            ):
                pass
            for work in pending:
                work.finish()
        self.report.entries.extend(batch.repeats)
        return following

    @staticmethod
    def _announce(articles: list[Article]) -> list[PendingWork]:
        """Send `articles_changed`; the work its receivers left to finish before the commit."""
        if not articles:
            return []
        responses = articles_changed.send(sender=Article, articles=articles, finish_later=True)
        return [response for _receiver, response in responses if isinstance(response, PendingWork)]

    def _add_new(self, batch: list[ArticleRecord], existing: dict) -> set[int]:
        """Insert the batch's new articles with a few bulk queries; ids of the records added.

        Only keys not stored yet qualify. If the bulk write fails, it is rolled back and those records take the one-by-one
        path, which reports each failure against its own file.
        """
        new = [r for r in batch if identity(r) not in existing]
        if len(new) < 2:
            return set()
        try:
            with transaction.atomic():
                articles = self._bulk_write(new)
        except (DatabaseError, ValueError):
            self._forget_cached_rows()
            return set()
        for record, article in zip(new, articles, strict=True):
            self._written[article.pk] = article
            for note in record.notes:
                self.report.add(record.source.path, "noted", note)
            self.report.add(record.source.path, "added", url=self._url(article))
        return {id(r) for r in new}

    def _bulk_write(self, records: list[ArticleRecord]) -> list[Article]:
        articles = [self._new_article(r) for r in records]
        ids = insert_rows(
            Article,
            ARTICLE_COLUMNS,
            [
                _article_row(a, self._encoded[id(r)].body_json)
                for r, a in zip(records, articles, strict=True)
            ],
        )
        for article, pk in zip(articles, ids, strict=True):
            article.pk = pk
            article._state.adding = False
        insert_rows(
            ArticleSource,
            SOURCE_COLUMNS,
            [
                (article.pk, r.source.path, r.source.format, r.source.sha256, r.source.text)
                for r, article in zip(records, articles, strict=True)
            ],
        )
        self._prefetch_authors(name for r in records for name in r.authors)
        insert_rows(
            Byline,
            BYLINE_COLUMNS,
            [
                (article.pk, author.pk, position, printed)
                for r, article in zip(records, articles, strict=True)
                for position, (author, printed) in enumerate(self._bylines(r.authors))
            ],
        )
        for record, article in zip(records, articles, strict=True):
            if record.reviewed_works:
                self._write_reviews(article, record)
            self._write_replies(article, record)
        return articles

    def _new_article(self, record: ArticleRecord) -> Article:
        publication = self._publication(record.publication)
        issue = self._issue(publication, record.issue)
        article = Article(publication=publication, key=record.key, issue=issue)
        article.slug = record.slug or unique_slug(record.title, self._taken_slugs(issue, article))
        self._slugs.setdefault(issue.id, set()).add(article.slug)
        self._fill(article, record, self._encoded[id(record)])
        return article

    def _existing_fingerprints(self, batch: list[ArticleRecord]) -> dict[tuple[str, str], tuple]:
        """One query for the whole batch: which keys exist, their fingerprints, edited flags."""
        found: dict[tuple[str, str], tuple] = {}
        by_publication: dict[str, list[str]] = {}
        names: dict[str, str] = {}
        for record in batch:
            slug, key = identity(record)
            by_publication.setdefault(slug, []).append(key)
            names[slug] = record.publication
        for slug, keys in by_publication.items():
            publication = self._publication(names[slug], create=False)
            if publication is None:
                continue
            for key, fingerprint, edited in Article.objects.filter(
                publication=publication, key__in=keys
            ).values_list("key", "ingested_fingerprint", "edited"):
                found[(slug, key)] = (fingerprint, edited)
        return found

    def _store_one(self, record: ArticleRecord, existing: tuple | None) -> None:
        """Store one record (unless unchanged, or corrected by an editor) and report it."""
        path = record.source.path
        fingerprint = self._encoded[id(record)].fingerprint
        if existing and existing[0] == fingerprint:
            self.report.add(path, "unchanged")
            return
        if existing and existing[1]:
            self.report.add(
                path,
                "conflict",
                "the source changed but an editor has corrected this article; "
                "review the change in the editors' desk",
            )
            return
        try:
            with transaction.atomic():
                article = self._write(record, new=existing is None)
        except (DatabaseError, ValueError) as error:
            self._forget_cached_rows()
            self.report.add(path, "failed", f"could not store: {error}")
            return
        self._written[article.pk] = article
        for note in record.notes:
            self.report.add(path, "noted", note)
        self.report.add(path, "updated" if existing else "added", url=self._url(article))

    def _url(self, article: Article) -> str:
        """The article's path on the site: its issue's path (reversed once per issue) and slug."""
        issue_url = self._issue_urls.get(article.issue_id)
        if issue_url is None:
            issue_url = self._issue_urls[article.issue_id] = article.issue.get_absolute_url()
        return f"{issue_url}{article.slug}/"

    def _forget_cached_rows(self) -> None:
        """A rolled-back write may have created publications, issues or authors now gone."""
        self._publications.clear()
        self._issues.clear()
        self._issues_read.clear()
        self._authors.clear()
        self._slugs.clear()
        self._issue_urls.clear()

    def _write(self, record: ArticleRecord, new: bool = False) -> Article:
        """Write one article; `new` (its key is known not to be stored) saves the lookups."""
        publication = self._publication(record.publication)
        issue = self._issue(publication, record.issue)
        article = None if new else self._stored_article(publication, record.key)
        if article is None:
            article = Article(publication=publication, key=record.key)
        if article.issue_id != issue.id or not article.slug or record.slug:
            article.slug = record.slug or unique_slug(
                record.title, self._taken_slugs(issue, article)
            )
            if article.pk is None:
                self._slugs.setdefault(issue.id, set()).add(article.slug)
        article.issue = issue
        self._fill(article, record, self._encoded[id(record)])
        article.skip_history_when_saving = True  # ingest is not an editorial revision
        article.save()
        del article.skip_history_when_saving
        self._write_bylines(article, record.authors, new)
        if record.reviewed_works or not new:
            self._write_reviews(article, record)
        source = {
            "path": record.source.path,
            "format": record.source.format,
            "sha256": record.source.sha256,
            "text": record.source.text,
        }
        if new:
            ArticleSource.objects.create(article=article, **source)
        else:
            ArticleSource.objects.update_or_create(article=article, defaults=source)
        self._write_replies(article, record)
        return article

    @staticmethod
    def _fill(article: Article, record: ArticleRecord, encoded: Encoded) -> None:
        """Copy the record's fields onto the article (not its issue, slug or related rows)."""
        article.position = record.position
        article.section = record.section
        article.kicker = record.kicker
        article.title = record.title
        article.standfirst = record.standfirst
        article.summary = record.summary
        article.pages = record.pages
        article.published = record.published
        article.language = record.language
        article.blocks = encoded.block_dicts
        article.subjects = list(record.subjects)
        article.original_url = record.original_url
        article.attachments = list(record.attachments)
        article.ingested_fingerprint = encoded.fingerprint
        article.modified = timezone.now()  # as saving would set it; the bulk path writes it

    @staticmethod
    def _stored_article(publication: Publication, key: str) -> Article | None:
        return Article.objects.filter(publication=publication, key=key).first()

    def _taken_slugs(self, issue: Issue, article: Article) -> set[str]:
        """Slugs of the issue's other articles; queried once per issue while only adding."""
        if article.pk is not None:
            return set(
                Article.objects.filter(issue=issue)
                .exclude(pk=article.pk)
                .values_list("slug", flat=True)
            )
        if issue.id not in self._slugs:
            self._slugs[issue.id] = set(
                Article.objects.filter(issue=issue).values_list("slug", flat=True)
            )
        return self._slugs[issue.id]

    def _publication(self, name: str, create: bool = True) -> Publication | None:
        """The publication a name stands for; names that slugify alike are one publication."""
        slug = publication_slug(name)
        if slug in self._publications:
            return self._publications[slug]
        publication = Publication.objects.filter(slug=slug).first()
        if publication is None:
            if not create:
                return None
            publication = Publication.objects.create(name=name, slug=slug)
        self._publications[slug] = publication
        return publication

    def _issue(self, publication: Publication, record: IssueRecord) -> Issue:
        slug = record.slug or issue_slug(record.number, record.year, record.month, record.day)
        cache_key = (publication.id, slug)
        if publication.id not in self._issues_read:
            self._read_issues(publication)
        issue = self._issues.get(cache_key)
        wanted = {
            "number": record.number,
            "volume": record.volume,
            "year": record.year,
            "month": record.month,
            "day": record.day,
            "title": record.title,
        }
        if issue is None:
            issue = Issue(publication=publication, slug=slug, **wanted)
            issue.skip_history_when_saving = True  # ingest is not an editorial revision
            issue.save()
            del issue.skip_history_when_saving
            self._slugs[issue.id] = set()  # a new issue has no articles yet
        elif any(getattr(issue, k) != v for k, v in wanted.items()) and not corrected(issue):
            for k, v in wanted.items():
                setattr(issue, k, v)
            issue.save()
            # Its other articles' dates changed too: announce them with this batch, and
            # mark them changed for harvesters.
            issue.articles.update(modified=timezone.now())
            for article in issue.articles.select_related("issue", "publication"):
                self._written.setdefault(article.pk, article)
        self._issues[cache_key] = issue
        return issue

    def _read_issues(self, publication: Publication) -> None:
        """Every stored issue of the publication into the cache, with one query (an archive
        has a few thousand at most), so that each new issue costs no lookup."""
        for issue in Issue.objects.filter(publication=publication):
            self._issues[(publication.id, issue.slug)] = issue
        self._issues_read.add(publication.id)

    def _prefetch_authors(self, names: Iterable[str]) -> None:
        """Find a batch's authors with one query and add the new ones with two bulk inserts.

        A new name whose slug is taken (or shared with another new name) is left
        to `_author`, which numbers the slug.
        """
        wanted: dict[str, str] = {}
        for name in names:
            key = name_key(name)
            if key not in self._authors:
                wanted.setdefault(key, name)
        for alias in AuthorAlias.objects.select_related("author").filter(key__in=list(wanted)):
            self._authors[alias.key] = alias.author
            del wanted[alias.key]
        slugs = {key: unique_slug(name, set(), fallback="author") for key, name in wanted.items()}
        taken = set(Author.objects.filter(slug__in=slugs.values()).values_list("slug", flat=True))
        counts = Counter(slugs.values())
        fresh = [key for key, slug in slugs.items() if slug not in taken and counts[slug] == 1]
        authors = Author.objects.bulk_create(
            Author(name=wanted[key], slug=slugs[key]) for key in fresh
        )
        AuthorAlias.objects.bulk_create(
            AuthorAlias(author=author, name=author.name, key=key)
            for key, author in zip(fresh, authors, strict=True)
        )
        self._authors.update(zip(fresh, authors, strict=True))

    def _author(self, name: str) -> Author:
        key = name_key(name)
        author = self._authors.get(key)
        if author is not None:
            return author
        alias = AuthorAlias.objects.select_related("author").filter(key=key).first()
        if alias is not None:
            author = alias.author
        else:
            taken = set(
                Author.objects.filter(slug__startswith=slugify(name)[:50] or "author").values_list(
                    "slug", flat=True
                )
            )
            author = Author.objects.create(
                name=name, slug=unique_slug(name, taken, fallback="author")
            )
            AuthorAlias.objects.create(author=author, name=name, key=key)
        self._authors[key] = author
        return author

    def _bylines(self, names: list[str]) -> list[tuple[Author, str]]:
        """The article's authors in order with their names as printed, each author once
        however often the name repeats; a byline's position is its index here."""
        bylines: list[tuple[Author, str]] = []
        for name in names:
            author = self._author(name)
            if all(author.pk != each.pk for each, _printed in bylines):
                bylines.append((author, name))
        return bylines

    def _write_bylines(self, article: Article, names: list[str], new: bool = False) -> None:
        wanted = self._bylines(names)
        if not new:
            current = list(
                article.bylines.values_list("author_id", "as_printed").order_by("position")
            )
            if current == [(author.pk, printed) for author, printed in wanted]:
                return
            article.bylines.all().delete()
        if wanted:
            Byline.objects.bulk_create(
                Byline(article=article, author=author, position=position, as_printed=printed)
                for position, (author, printed) in enumerate(wanted)
            )

    def _write_reviews(self, article: Article, record: ArticleRecord) -> None:
        article.reviews.all().delete()
        for position, work in enumerate(record.reviewed_works):
            fields = {
                "title": work.title,
                "author": work.author,
                "publisher": work.publisher,
                "place": work.place,
                "year": work.year,
                "price": work.price,
            }
            # An editor's corrections can leave two identical works: either will do.
            stored = ReviewedWork.objects.filter(**fields).order_by("pk").first()
            if stored is None:
                stored = ReviewedWork.objects.create(**fields)
            Review.objects.create(article=article, work=stored, position=position)

    def _write_replies(self, article: Article, record: ArticleRecord) -> None:
        """Imported replies are upserted by key; replies readers posted on the site are left alone.

        A reply's status is set when it first comes in and never again: a
        moderator's decision survives the re-import of a changed source.
        """
        stored: dict[str, Reply] = {}
        for reply in record.replies:
            content = {
                "author_name": reply.author_name,
                "author_email": reply.author_email,
                "author_url": reply.author_url,
                "text": reply.text,
                "created": reply.created or timezone.now(),
                "parent": None,
            }
            stored[reply.key], _ = Reply.objects.update_or_create(
                article=article,
                key=reply.key,
                defaults=content,
                create_defaults={**content, "status": reply.status},
            )
        for reply in record.replies:
            parent = stored.get(reply.parent_key)
            if parent is not None:
                Reply.objects.filter(pk=stored[reply.key].pk).update(parent=parent)


def _article_row(article: Article, blocks_json: str) -> tuple:
    return (
        article.publication_id,
        article.issue_id,
        article.key,
        article.slug,
        article.position,
        article.section,
        article.kicker,
        article.title,
        article.standfirst,
        article.summary,
        article.pages,
        article.published,
        article.language,
        blocks_json,
        json_text(article.subjects),
        article.original_url,
        json_text(article.attachments),
        article.ingested_fingerprint,
        article.edited,
        article.modified,
    )


def load(outputs: Iterable[ArticleRecord | Failure | Notice]) -> IngestReport:
    """Store everything a reader produced; the convenience most callers want."""
    return Loader().load(outputs)


def corrected(issue: Issue) -> bool:
    """Has an editor changed this issue? Then an ingest must not overwrite it."""
    return issue.history.exclude(history_user=None).exists()


@lru_cache(maxsize=1024)
def publication_slug(name: str) -> str:
    return slugify(name) or "publication"


def identity(record: ArticleRecord) -> tuple[str, str]:
    """What makes a record the same article: its publication (by slug) and its key."""
    return publication_slug(record.publication), record.key
