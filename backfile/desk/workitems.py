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

KINDS = {"conflict": WorkItem.Kind.CONFLICT, "noted": WorkItem.Kind.NOTICE}


def item_key(kind: str, path: str, message: str) -> str:
    return hashlib.sha256(f"{kind}\0{path}\0{message}".encode()).hexdigest()


@receiver(ingest_finished, dispatch_uid="backfile.desk.workitems")
def keep_work_items(sender, report=None, **kwargs) -> int:
    """The run's conflicts and notices kept (or brought up to date) as work items."""
    if report is None:
        return 0
    run_id = getattr(report, "job_id", None)
    run = IngestJob.objects.filter(pk=run_id).first() if run_id else None
    kept = 0
    with transaction.atomic():
        for entry in report.entries:
            kind = KINDS.get(entry.status)
            if kind is None:
                continue
            incoming = report.incoming.get((entry.path, entry.reason))
            keep(kind, entry.path, entry.reason, incoming, run)
            kept += 1
    return kept


def keep(kind: str, path: str, message: str, incoming: dict | None, run) -> WorkItem:
    key = item_key(kind, path, message)
    item = WorkItem.objects.filter(key=key).first()
    if item is None:
        item = WorkItem(key=key, kind=kind, message=message, source_path=path)
    elif incoming and item.incoming != incoming and item.status == WorkItem.Status.HANDLED:
        # the source changed again since the editor chose: a new decision is needed
        item.status, item.handled_by, item.handled_at, item.how = "open", None, None, ""
    if incoming is not None:
        item.incoming = incoming
    item.page = concerned_page(incoming)
    item.article = None if item.page else concerned_article(path, incoming)
    if item.page or item.article:
        item.issue_id = (item.page or item.article).issue_id
    else:
        item.issue_id = concerned_issue(path)
    item.run = run or item.run
    item.reported = timezone.now()
    item.save()
    return item


def concerned_page(incoming: dict | None) -> Page | None:
    """The printed page a page's conflict names."""
    if incoming and isinstance(incoming.get("page"), int):
        return Page.objects.filter(pk=incoming["page"]).first()
    return None


def concerned_article(path: str, incoming: dict | None) -> Article | None:
    """The article a conflict names (its publication and key), or the one read from `path`."""
    if incoming:
        found = Article.objects.filter(
            publication__slug=incoming.get("publication"), key=incoming.get("key")
        ).first()
        if found:
            return found
    source = (
        ArticleSource.objects.filter(path=path).select_related("article").order_by("pk").first()
    )
    return source.article if source else None


def concerned_issue(path: str) -> int | None:
    """For a file that is no article (a contents page): the issue of the articles read from
    its folder, when they are all of one issue."""
    folder = str(PurePosixPath(path).parent)
    if folder in ("", "."):
        return None
    issues = set(
        ArticleSource.objects.filter(path__startswith=f"{folder}/")
        .values_list("article__issue_id", flat=True)
        .distinct()[:2]
    )
    return issues.pop() if len(issues) == 1 else None
