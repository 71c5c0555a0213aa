"""What needs doing, for the desk's home page (and the admin's index): each item a count and
the list it comes from, shown to those whose role lets them do it.

Conflicts and notices are what ingests reported (a conflict is an article an editor
corrected whose source has changed since; a notice a file read with something to say,
such as a picture not kept), counted while open as work items (`backfile.desk.workitems`;
a file's mere account of itself, such as a contents page's, stays in the run's report).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from backfile.authority.models import Candidate
from backfile.corrections.models import Correction
from backfile.desk.models import IngestJob, WorkItem
from backfile.media.models import Asset
from backfile.replies.models import Reply

RECENT_INGESTS = 5


@dataclass
class Item:
    label: str
    count: int
    url: str
    key: str  # a stable name, for the page's markup and the tests


def items_for(user) -> list[Item]:
    items = []
    if user.has_perm("replies.change_reply"):
        count = Reply.objects.filter(status=Reply.Status.PENDING).count()
        url = reverse("admin:replies_reply_changelist") + "?status__exact=pending"
        items.append(Item("Replies to moderate", count, url, "replies"))
    if user.has_perm("corrections.change_correction"):
        count = Correction.objects.filter(status=Correction.Status.PENDING).count()
        url = reverse("admin:corrections_correction_changelist") + "?status__exact=pending"
        items.append(Item("Reader corrections to review", count, url, "corrections"))
    if user.has_perm("desk.view_ingestjob"):
        for kind, key, label in (
            ("conflict", "conflict", "Conflicts"),
            ("notice", "noted", "Notices"),
        ):
            count = WorkItem.objects.filter(kind=kind, status=WorkItem.Status.OPEN).count()
            url = reverse("desk:work-items") + f"?status=open&kind={kind}"
            items.append(Item(f"{label} reported by ingests, open", count, url, key))
        running = sum(
            1
            for job in IngestJob.objects.listed().filter(
                status__in=(IngestJob.Status.QUEUED, IngestJob.Status.RUNNING)
            )
            if not job.abandoned()
        )
        items.append(Item("Ingests waiting or running", running, reverse("desk:ingests"), "jobs"))
    if user.has_perm("authority.change_candidate"):
        count = Candidate.objects.filter(status=Candidate.OPEN).count()
        url = reverse("admin:authority_candidate_changelist")  # (open ones, unless asked)
        items.append(Item("Candidate names for the authority file", count, url, "candidates"))
    if user.has_perm("media.change_asset"):
        count = Asset.objects.filter(alt="").count()
        url = reverse("admin:media_asset_changelist") + "?alt=missing"
        items.append(Item("Pictures without alt text", count, url, "alt"))
    return items


def reporting(status: str):
    """The runs whose report has entries of `status`."""
    return (
        IngestJob.objects.listed()
        .filter(Q(**{f"counts__{status}__gt": 0}) | Q(**{f"counts__pages {status}__gt": 0}))
        .exclude(status=IngestJob.Status.QUEUED)
    )


def recent_ingests(user) -> list[IngestJob]:
    if not user.has_perm("desk.view_ingestjob"):
        return []
    return list(IngestJob.objects.listed()[:RECENT_INGESTS])
