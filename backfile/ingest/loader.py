"""The one loader: stores ArticleRecords idempotently, whichever reader made them.

Records are stored in batches, each written in short transactions that hold the
articles with everything that goes with them (bylines, sources, their search
index rows), so an interrupted ingest leaves whole articles or nothing; running
the same command again skips every article whose fingerprint is already stored
and finishes the rest.

A write transaction only writes. SQLite has one writer at a time: while the
loader holds the lock, a reader's reply waits. So a batch is read and parsed,
announced with `articles_coming` (the search index analyses its text, in the
ingest's worker processes while the loader reads the next batch), and only then
written, 25 to 250 articles a transaction (about a tenth of a second), with the
lock left free between two long enough for a waiting writer to take it. Printed pages
(PageRecords) are stored after each batch's articles (`backfile.ingest.page_loader`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from backfile.archive.models import (
    Article,
    ArticleSource,
    Byline,
    Publication,
    Review,
    ReviewedWork,
    name_key,
    unique_slug,
)
from backfile.archive.signals import (
    ArticlePreview,
    PendingWork,
    articles_changed,
    articles_coming,
)
from backfile.database import bulk_writes
from backfile.database_users import others_use
from backfile.ingest import authority_records, publication_meta
from backfile.ingest.batches import (
    ARTICLE_COLUMNS,
    BYLINE_COLUMNS,
    SOURCE_COLUMNS,
    Batch,
    Encoded,
    article_row,
)
from backfile.ingest.checks import record_path, record_problem
from backfile.ingest.directory import Directory, identity, publication_slug
from backfile.ingest.imported_replies import add_replies, update_replies
from backfile.ingest.language import Languages
from backfile.ingest.pacing import WritePacing
from backfile.ingest.page_loader import PAGE_BATCH, PageWriter
from backfile.ingest.page_records import PageRecord
from backfile.ingest.people import People, credited
from backfile.ingest.records import (
    ArticleRecord,
    AuthorityRecord,
    Failure,
    Notice,
    PublicationRecord,
)
from backfile.ingest.report import IngestReport, ReportEntry
from backfile.ingest.rows import insert_rows
from backfile.media.store import AssetStore

BATCH_SIZE = 250
FIRST_BATCH_SIZE = 100
GROWTH = 3  # a batch grows to this many times the batch size while the last one's analysis ends


def lock_shared() -> bool:
    """Whether another process may be waiting for the database's write lock: SQLite's one
    lock, with a site or another command using the file (PostgreSQL has no one lock)."""
    return connection.vendor == "sqlite" and others_use(connection.settings_dict["NAME"])


class Loader:
    """Stores records; keeps small caches so a large ingest does not re-query per article."""

    def __init__(
        self,
        report: IngestReport | None = None,
        batch_size: int = BATCH_SIZE,
        workers: Executor | None = None,
    ):
        """`workers`: processes the caller owns (and shuts down) that the receivers of
        `articles_coming` may use; without them, they work in this process."""
        self.report = report or IngestReport()
        self.batch_size = batch_size
        self.workers = workers
        self._outputs: Iterator[ArticleRecord | Failure | Notice] = iter(())  # what `load` reads
        # publications and issues, read or made once (the page writer uses it too)
        self.directory = Directory()
        self._languages: Languages | None = None  # for records that come without one
        self._people = People()  # authors, by the key of their name
        self._written: dict[int, Article] = {}  # this batch's stored articles, by id
        self._encoded: dict[int, Encoded] = {}  # this batch's, by record id
        self._previewed: dict[int, Article] = {}  # this batch's, by record id
        self._issue_urls: dict[int, str] = {}
        # identity → the path and fingerprint of its first record in this ingest
        self._first_sources: dict[tuple[str, str], tuple[str, str]] = {}
        self._pacing = WritePacing()  # write transactions' sizes, the lock left free between
        self._assets = AssetStore(workers)  # pictures, stored as records are read (backfile.media)
        self._facsimiles = PageWriter(self)  # printed pages, and articles' links to them

    def load(
        self, outputs: Iterable[ArticleRecord | PageRecord | Failure | Notice]
    ) -> IngestReport:
        """Store the readers' outputs batch by batch. The first batches are smaller, so that
        storing (and indexing, in worker processes) begins while the readers get going.

        Each batch is announced before it is written (`articles_coming`); the next one
        is read while the receivers' work (the search analysis) is pending, growing (up
        to GROWTH times the batch size) while it is not ready. Then the batch is written
        in short transactions that only write, and between two of them the loader reads
        on, leaving SQLite's write lock free for a writer waiting to take it.
        """
        self._outputs = iter(outputs)
        size = min(self.batch_size, FIRST_BATCH_SIZE)
        with bulk_writes():
            batch = self._read_batch(Batch(), size)
            while batch.records or batch.repeats or batch.pages:
                size = min(self.batch_size, size * 2)
                pending = self._announce_coming(batch)
                following = Batch()
                while not all(work.ready() for work in pending) and self._read_on(
                    following, GROWTH * self.batch_size
                ):
                    pass
                self._store_batch(batch, [work.finish() for work in pending], following, size)
                batch = self._read_batch(following, size)
            for notice in self._assets.finish():  # pictures still in the workers' hands
                self.report.add(notice.path, "noted", notice.message)
            self._facsimiles.finish()
        return self.report

    def _read_batch(self, batch: Batch, size: int) -> Batch:
        """Read on until the batch holds `size` records or the readers have no more."""
        while self._read_on(batch, size):
            pass
        return batch

    def _read_on(self, batch: Batch, size: int) -> bool:
        """Read one more record into the batch, if it holds fewer than `size`; False when
        it is full or the readers have nothing left."""
        return (
            len(batch.records) < size and len(batch.pages) < PAGE_BATCH and self._read_into(batch)
        )

    def _read_into(self, batch: Batch) -> bool:
        """Read on to the next record and add it to the batch, reporting the failures and
        notices on the way; False once the readers have nothing left."""
        for output in self._outputs:
            if isinstance(output, Failure):
                self.report.add(output.path, "failed", output.reason)
            elif isinstance(output, Notice):
                self.report.add(output.path, "noted", output.message, kind=output.kind)
            elif isinstance(output, PageRecord):
                if self._facsimiles.read(output, self._assets):
                    batch.pages.append(output)
                return True
            elif isinstance(output, PublicationRecord):  # a catalogue record: stored at once
                if problem := publication_meta.store(output):
                    self.report.add(output.name, "failed", problem)
            elif isinstance(output, AuthorityRecord):  # an entry: stored at once, before articles
                if problem := authority_records.store(output):
                    self.report.add(output.name, "failed", problem)
            elif problem := self._problem(output):  # a record nothing could store or show
                self.report.add(record_path(output), "failed", f"not stored: {problem}")
            else:
                for notice in self._assets.store(output) if output.assets else ():
                    self.report.add(notice.path, "noted", notice.message)
                self._add_to(batch, output)
                return True
        return False

    def _problem(self, record: ArticleRecord) -> str:
        """`record_problem`; first, a record handed over without a language (not through the
        ingest pipeline, which settles every record's) gets it, the same way."""
        if record.language == "":
            if self._languages is None:
                self._languages = Languages(settings.LANGUAGE_CODE)
            self._languages.settle(record)
        return record_problem(record)

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

    def _store_batch(self, batch: Batch, prepared: list, following: Batch, size: int) -> None:
        """Write a batch in short transactions, each announced with `articles_changed` in
        the transaction that wrote it (with what the receivers of `articles_coming`
        `prepared`). Between two, the lock is left free (`lock_free_after`) while the loader
        reads on into the following batch: a writer waiting for it (a reply) gets it."""
        self._encoded = batch.encoded
        self._previewed = batch.previewed
        done = 0
        while done < len(batch.records):
            self._leave_the_lock_free(following)
            records = batch.records[done : done + self._pacing.size]
            started = time.perf_counter()
            self._write_records(records, prepared)
            committed = time.perf_counter()
            self._pacing.wrote(len(records), started, committed, lock_shared())
            done += len(records)
        self.report.entries.extend(batch.repeats)
        self._facsimiles.write(batch.pages)

    def _leave_the_lock_free(self, following: Batch) -> None:
        """For a while after the last commit (`lock_free_after`), read on (up to GROWTH
        batch sizes ahead); sleep the rest, if any."""
        until = self._pacing.free_until
        while time.perf_counter() < until and self._read_on(following, GROWTH * self.batch_size):
            pass
        rest = until - time.perf_counter()
        if rest > 0:
            time.sleep(rest)

    def _write_records(self, records: list[ArticleRecord], prepared: list) -> None:
        """Store records in one transaction that only writes (and reads what it writes over)."""
        self._written = {}
        with transaction.atomic():
            existing = self._existing_fingerprints(records)
            added = self._add_new(records, existing)
            for record in records:
                if id(record) not in added:
                    self._store_one(record, existing.get(identity(record)))
            self._facsimiles.link_articles(records, self._written)
            articles = list(self._written.values())
            if articles:
                articles_changed.send(sender=Article, articles=articles, prepared=prepared)

    def _announce_coming(self, batch: Batch) -> list[PendingWork]:
        """Before writing, outside any transaction: send `articles_coming` with previews of
        the batch's articles that will be written; the work its receivers began."""
        if not articles_coming.has_listeners(Article):
            return []
        existing = self._existing_fingerprints(batch.records)
        coming = [
            r
            for r in batch.records
            if will_write(batch.encoded[id(r)].fingerprint, existing.get(identity(r)))
        ]
        if not coming:
            return []
        self._people.known(name for r in coming for name in r.authors)
        previews = [self._preview(r, batch.encoded[id(r)]) for r in coming]
        batch.previewed = {id(r): p.article for r, p in zip(coming, previews, strict=True)}
        responses = articles_coming.send(sender=Article, previews=previews, workers=self.workers)
        return [response for _receiver, response in responses if isinstance(response, PendingWork)]

    def _preview(self, record: ArticleRecord, encoded: Encoded) -> ArticlePreview:
        """The article as it will be written (read-only: no row is made for it)."""
        publication = self.directory.publication(record.publication, create=False) or Publication(
            name=record.publication, slug=publication_slug(record.publication)
        )
        article = Article(publication=publication, key=record.key)
        self._fill(article, record, encoded)
        bylines: list[tuple[str, str]] = []
        seen: set = set()
        for name in record.authors:
            key = name_key(name)
            author = self._people.by_key.get(key)
            same = author.pk if author else key
            if same not in seen:
                seen.add(same)
                bylines.append((name, author.name if author else name))
        works = [(work.title, work.author) for work in record.reviewed_works]
        return ArticlePreview(article=article, bylines=bylines, works=works)

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
            self.forget_cached_rows()
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
                article_row(a, self._encoded[id(r)].body_json)
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
        self._people.prefetch(name for r in records for name in credited(r))
        insert_rows(
            Byline,
            BYLINE_COLUMNS,
            [
                (article.pk, author.pk, position, printed, role)
                for r, article in zip(records, articles, strict=True)
                for position, (author, printed, role) in enumerate(self._people.bylines(r))
            ],
        )
        self._write_new_reviews(
            [(a, r) for a, r in zip(articles, records, strict=True) if r.reviewed_works]
        )
        add_replies(zip(articles, records, strict=True))
        return articles

    def _new_article(self, record: ArticleRecord) -> Article:
        publication = self.directory.publication(record.publication)
        issue = self.directory.issue(publication, record.issue, self._written)
        article = self._previewed.pop(id(record), None)  # already filled
        if article is None:
            article = Article(key=record.key)
            self._fill(article, record, self._encoded[id(record)])
        article.publication = publication
        article.issue = issue
        article.slug = record.slug or unique_slug(
            record.title, self.directory.taken_slugs(issue, article)
        )
        self.directory.take(issue, article.slug)
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
            publication = self.directory.publication(names[slug], create=False)
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
            reason = (
                "the source changed but an editor has corrected this article; "
                "review the change in the editors' desk"
            )
            self.report.add(path, "conflict", reason)
            slug, key = identity(record)
            self.report.incoming[(path, reason)] = {
                "publication": slug,
                "key": key,
                "title": record.title,
                "blocks": self._encoded[id(record)].block_dicts,
                "fingerprint": fingerprint,
            }
            return
        try:
            with transaction.atomic():
                article = self._write(record, new=existing is None)
        except (DatabaseError, ValueError) as error:
            self.forget_cached_rows()
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

    def forget_cached_rows(self) -> None:
        """A rolled-back write may have created publications, issues or authors now gone."""
        self.directory.clear()
        self._people.clear()
        self._issue_urls.clear()

    def _write(self, record: ArticleRecord, new: bool = False) -> Article:
        """Write one article; `new` (its key is known not to be stored) saves the lookups."""
        publication = self.directory.publication(record.publication)
        issue = self.directory.issue(publication, record.issue, self._written)
        article = None if new else self._stored_article(publication, record.key)
        if article is None:
            article = Article(publication=publication, key=record.key)
        if article.issue_id != issue.id or not article.slug or record.slug:
            article.slug = record.slug or unique_slug(
                record.title, self.directory.taken_slugs(issue, article)
            )
            if article.pk is None:
                self.directory.take(issue, article.slug)
        article.issue = issue
        self._fill(article, record, self._encoded[id(record)])
        article.skip_history_when_saving = True  # ingest is not an editorial revision
        article.save()
        del article.skip_history_when_saving
        self._people.write(article, record, new)
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
        update_replies(article, record)
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

    def _write_reviews(self, article: Article, record: ArticleRecord) -> None:
        article.reviews.all().delete()
        for position, work in enumerate(record.reviewed_works):
            fields = work_fields(work)
            # An editor's corrections can leave two identical works: either will do.
            stored = ReviewedWork.objects.filter(**fields).order_by("pk").first()
            if stored is None:
                stored = ReviewedWork.objects.create(**fields)
            Review.objects.create(article=article, work=stored, position=position)

    def _write_new_reviews(self, reviews: list[tuple[Article, ArticleRecord]]) -> None:
        """`_write_reviews` for new articles (no review of theirs is stored yet): the works
        they name looked up with one query, the missing ones made (in the order they are
        named, as one by one), and the reviews inserted together."""
        if not reviews:
            return
        named = [work_fields(w) for _, record in reviews for w in record.reviewed_works]
        stored: dict[tuple, ReviewedWork] = {}
        # (the lowest pk first: of two identical works an editor left, the first is taken)
        for work in ReviewedWork.objects.filter(
            title__in={fields["title"] for fields in named}
        ).order_by("pk"):
            stored.setdefault(tuple(work_fields(work).values()), work)
        links = []
        for article, record in reviews:
            for position, work in enumerate(record.reviewed_works):
                fields = work_fields(work)
                found = stored.get(tuple(fields.values()))
                if found is None:
                    found = stored[tuple(fields.values())] = ReviewedWork.objects.create(**fields)
                links.append(Review(article=article, work=found, position=position))
        Review.objects.bulk_create(links)


def work_fields(work) -> dict:
    """What makes two reviewed works the same one (a record's or a stored one's)."""
    return {
        "title": work.title,
        "author": work.author,
        "publisher": work.publisher,
        "place": work.place,
        "year": work.year,
        "price": work.price,
    }


def will_write(fingerprint: str, existing: tuple | None) -> bool:
    """Would a record with this fingerprint be written over what is stored (`existing`: the
    stored fingerprint and edited flag, or None)? Not if unchanged or corrected by an editor."""
    return not existing or (existing[0] != fingerprint and not existing[1])


def load(outputs: Iterable[ArticleRecord | Failure | Notice]) -> IngestReport:
    """Store everything a reader produced; the convenience most callers want."""
    return Loader().load(outputs)
