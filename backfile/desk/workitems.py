"""Conflicts and notices as work items: when an ingest run ends (`ingest_finished`, from
the command or the desk), each conflict and notice of its report is kept as a WorkItem,
linked to the article, printed page or issue it concerns; an editor then handles it at the desk
(`backfile.desk.workitem_views`).

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

BATCH = 500  # work items written in one transaction
KINDS = {"conflict": WorkItem.Kind.CONFLICT, "noted": WorkItem.Kind.NOTICE}


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
        if e.status in KINDS:
            incoming = report.incoming.get((e.path, e.reason))
            key = item_key(KINDS[e.status], e.path, e.reason)
            reported[key] = (KINDS[e.status], e.path, e.reason, incoming)
    unique = list(reported.items())
    folders: dict[str, int | None] = {}
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
        item.page = concerned_page(incoming)
        item.article = None
        if item.page is None:
            item.article = concerned_article(incoming) or articles.get(read_from.get(path))
        if item.page or item.article:
            item.issue_id = (item.page or item.article).issue_id
        else:
            folder = str(PurePosixPath(path).parent)
            if folder not in folders:
                folders[folder] = concerned_issue(folder)
            item.issue_id = folders[folder]
        item.run = run or item.run
        item.reported = now
    WorkItem.objects.bulk_create(new)
    WorkItem.objects.bulk_update(
        changed,
        ["status", "handled_by", "handled_at", "how", "incoming", "page", "article", "issue"]
        + ["run", "reported"],
    )


def concerned_page(incoming: dict | None) -> Page | None:
    """The printed page a page's conflict names."""
    if incoming and isinstance(incoming.get("page"), int):
        return Page.objects.filter(pk=incoming["page"]).first()
    return None


def concerned_article(incoming: dict | None) -> Article | None:
    """The article a conflict names (its publication and key)."""
    if not incoming or "key" not in incoming:
        return None
    return Article.objects.filter(
        publication__slug=incoming.get("publication"), key=incoming.get("key")
    ).first()


def concerned_issue(folder: str) -> int | None:
    """For a file that is no article (a contents page): the issue of the articles read from
    its folder, when they are all of one issue."""
    if folder in ("", "."):
        return None
    issues = set(
        ArticleSource.objects.filter(path__startswith=f"{folder}/")
        .values_list("article__issue_id", flat=True)
        .distinct()[:2]
    )
    return issues.pop() if len(issues) == 1 else None
