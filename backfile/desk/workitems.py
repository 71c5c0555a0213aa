"""Conflicts and notices as work items: when an ingest run ends (`ingest_finished`, from
the command or the desk), each conflict and notice of its report is kept as a WorkItem,
linked to the article, printed page or issue it concerns; an editor then handles it at the desk
(`backfile.desk.workitem_views`).

A notice that is only a file's account of itself (what a file that is no article is, read
as expected: `contents page of No. 5: 12 articles placed`, a navigation page, a picture
stored with the records that use it, a page's text read with its image) is left to the
run's report: it says what was read, and asks nothing of an editor. A picture that could
not be kept, a page that is neither an article nor a contents page, a file skipped, and
every notice without a kind (a misprinted issue number) are work items.

The same conflict or notice reported again (a re-ingest) is the same item: its key is
the kind, the source's path and the message, hashed. A conflict handled by keeping the
editor's version opens again only when the source changes once more.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from backfile.archive.models import Article, ArticleSource
from backfile.archive.signals import ingest_finished
from backfile.desk.models import IngestJob, WorkItem
from backfile.facsimiles.models import Page
from backfile.ingest.accounting import ARTICLE_STATUSES, PAGE

BATCH = 500  # work items written in one transaction
KINDS = {"conflict": WorkItem.Kind.CONFLICT, "noted": WorkItem.Kind.NOTICE}
# the report entries' kinds (what a file that is no article is) of files read as expected
FILE_ACCOUNTS = frozenset(
    {"contents page", "series page", "navigation page", "picture", "picture page"}
    | {"page text", "issue sidecar", "METS issue"}
)
NOT_KEPT = "a picture not kept"  # how the ingest begins a picture's notice when it is


def informational(entry) -> bool:
    """A notice that only says what a file is (see the module's docstring)."""
    return (
        entry.status == "noted"
        and entry.kind in FILE_ACCOUNTS
        and not entry.reason.startswith(NOT_KEPT)
    )


def item_key(kind: str, path: str, message: str) -> str:
    return hashlib.sha256(f"{kind}\0{path}\0{message}".encode()).hexdigest()


@receiver(ingest_finished, dispatch_uid="backfile.desk.workitems")
def keep_work_items(sender, report=None, progress=None, **kwargs) -> int:
    """The run's conflicts and notices kept (or brought up to date) as work items, a
    batch at a time, each batch in a transaction of its own; `progress` told how far."""
    if report is None:
        return 0
    run_id = getattr(report, "job_id", None)
    run = IngestJob.objects.filter(pk=run_id).first() if run_id else None
    reported = {}  # one item for what a run reports twice
    for e in report.entries:
        if e.status in KINDS and not informational(e):
            incoming = report.incoming.get((e.path, e.reason))
            key = item_key(KINDS[e.status], e.path, e.reason)
            reported[key] = (KINDS[e.status], e.path, e.reason, incoming)
    unique = list(reported.items())
    folders = issues_by_folder(report, [path for _, path, _, _ in reported.values()])
    for start in range(0, len(unique), BATCH):
        with transaction.atomic():
            keep_batch(unique[start : start + BATCH], run, folders)
        if progress:
            progress("conflicts and notices", min(start + BATCH, len(unique)), len(unique))
    return len(unique)


def keep_batch(batch: list, run, folders: dict) -> None:
    """Items for `batch` ((key, (kind, path, message, incoming)), …): new ones created,
    those reported before brought up to date, with a few queries for the whole batch."""
    existing = WorkItem.objects.in_bulk([key for key, _ in batch], field_name="key")
    paths = [path for _, (_, path, _, _) in batch]
    read_from = dict(ArticleSource.objects.filter(path__in=paths).values_list("path", "article_id"))
    articles = Article.objects.in_bulk(set(read_from.values()))
    named = Concerned([incoming for _, (_, _, _, incoming) in batch])
    now = timezone.now()
    new, changed = [], []
    for key, (kind, path, message, incoming) in batch:
        item = existing.get(key)
        if item is None:
            item = WorkItem(key=key, kind=kind, message=message, source_path=path)
            new.append(item)
        else:
            changed.append(item)
            reopen = item.status == WorkItem.Status.HANDLED and incoming != item.incoming
            if incoming and reopen:
                # the source changed again since the editor chose: a new decision is needed
                item.status, item.handled_by, item.handled_at, item.how = "open", None, None, ""
        if incoming is not None:
            item.incoming = incoming
        item.page = named.page(incoming)
        item.article = None
        if item.page is None:
            item.article = named.article(incoming) or articles.get(read_from.get(path))
        if item.page or item.article:
            item.issue_id = (item.page or item.article).issue_id
        else:
            item.issue_id = folders.get(str(PurePosixPath(path).parent))
        item.run = run or item.run
        item.reported = now
    WorkItem.objects.bulk_create(new)
    WorkItem.objects.bulk_update(
        changed,
        ["status", "handled_by", "handled_at", "how", "incoming", "page", "article", "issue"]
        + ["run", "reported"],
    )


class Concerned:
    """The printed pages and articles a batch's conflicts name (a page's conflict its
    page's pk; an article's its publication and key), read in two queries for the batch."""

    def __init__(self, incomings: list[dict | None]):
        incomings = [i for i in incomings if isinstance(i, dict)]
        self.pages = Page.objects.in_bulk(
            {i["page"] for i in incomings if isinstance(i.get("page"), int)}
        )
        keys = {i["key"] for i in incomings if isinstance(i.get("key"), str)}
        slugs = {i.get("publication") for i in incomings if isinstance(i.get("key"), str)}
        # (keys like `post-12` repeat across publications: only the conflicts' publications,
        # and not the articles' bodies)
        found = (
            Article.objects.filter(key__in=keys, publication__slug__in=slugs)
            .select_related("publication")
            .only("pk", "key", "title", "slug", "issue_id", "publication__slug")
        )
        self.articles = (
            {(article.publication.slug, article.key): article for article in found} if keys else {}
        )

    def page(self, incoming: dict | None) -> Page | None:
        if isinstance(incoming, dict) and isinstance(incoming.get("page"), int):
            return self.pages.get(incoming["page"])
        return None

    def article(self, incoming: dict | None) -> Article | None:
        if not isinstance(incoming, dict) or not isinstance(incoming.get("key"), str):
            return None
        return self.articles.get((incoming.get("publication"), incoming["key"]))


def issues_by_folder(report, paths: list[str]) -> dict[str, int]:
    """For files that are no article (a contents page): the issue of the articles the run
    read from the same folder, by folder, where they are all of one issue."""
    wanted = {str(PurePosixPath(path).parent) for path in paths} - {"", "."}
    read_in: dict[str, str] = {}  # an article's source path → its folder
    for entry in report.entries:
        if entry.status in ARTICLE_STATUSES and entry.kind != PAGE:
            folder = str(PurePosixPath(entry.path).parent)
            if folder in wanted:
                read_in[entry.path] = folder
    issues: dict[str, set] = {}
    sources = list(read_in)
    for start in range(0, len(sources), BATCH):
        for path, issue_id in ArticleSource.objects.filter(
            path__in=sources[start : start + BATCH]
        ).values_list("path", "article__issue_id"):
            issues.setdefault(read_in[path], set()).add(issue_id)
    return {folder: ids.pop() for folder, ids in issues.items() if len(ids) == 1}
