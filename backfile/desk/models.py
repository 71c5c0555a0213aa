"""An ingest started from the desk: what it reads, how far it has got, and its report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

HEARTBEAT = 30  # seconds between a running job's signs of life (backfile.desk.jobs)
ABANDONED_AFTER = 4 * HEARTBEAT


class IngestJobQuerySet(models.QuerySet):
    def listed(self) -> IngestJobQuerySet:
        """Without the reports (a run of thousands of files has a report of megabytes)."""
        return self.defer("report").select_related("created_by")


class IngestJob(models.Model):
    """One run of the ingest, from an upload or a folder of the server, in the background.

    While it runs, `files_read`, `counts` and `current` say how far it has got; when it ends,
    `report` holds the run's report as `backfile ingest --report` writes it (summary, every
    file's outcome, every entry), and `summary_line` the line the command prints.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        STOPPED = "stopped", "Stopped"  # the job itself failed (not one of its files)

    class Source(models.TextChoices):
        UPLOAD = "upload", "Uploaded files"
        FOLDER = "folder", "A folder on the server"

    source_kind = models.CharField(max_length=10, choices=Source.choices)
    source = models.TextField(help_text="The files uploaded, or the folder named")
    folder = models.CharField(
        max_length=4000, help_text="The folder the ingest reads (an upload's job folder)"
    )
    publication = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    progressed = models.DateTimeField(null=True, blank=True, help_text="Its last progress")
    alive = models.DateTimeField(
        null=True, blank=True, help_text="When its worker last said it was still running it"
    )
    files_read = models.PositiveIntegerField(default=0)
    current = models.CharField(max_length=300, blank=True, help_text="What it is reading now")
    counts = models.JSONField(default=dict, blank=True, help_text="Articles by status so far")
    summary_line = models.TextField(blank=True)
    report = models.JSONField(null=True, blank=True)
    problem = models.TextField(blank=True, help_text="Why the job stopped")

    objects = IngestJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "ingest"
        permissions = [("view_audit", "Can read the audit trail of sign-ins and changes")]

    def __str__(self) -> str:
        return f"Ingest {self.pk}: {self.source[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("desk:ingest", args=[self.pk])

    @property
    def done(self) -> bool:
        return self.status in (self.Status.FINISHED, self.Status.STOPPED)

    def count(self, status: str) -> int:
        """Articles (or entries) of `status` so far: added, updated, conflict, noted…"""
        return int(self.counts.get(status, 0))

    def abandoned(self, now=None) -> bool:
        """Running, but its worker has not said so for ABANDONED_AFTER seconds: it is gone."""
        if self.status != self.Status.RUNNING:
            return False
        last = self.alive or self.started or self.created
        return ((now or timezone.now()) - last).total_seconds() > ABANDONED_AFTER

    def rate(self) -> float | None:
        """Files read a minute, from the start to the last progress; None before there is one."""
        if not self.started or not self.progressed or not self.files_read:
            return None
        seconds = (self.progressed - self.started).total_seconds()
        return self.files_read * 60 / seconds if seconds > 0 else None

    def entries(self, *statuses: str) -> list[dict]:
        """The report's entries of these statuses (path, status, reason, url)."""
        if not self.report:
            return []
        return [e for e in self.report.get("entries", []) if e.get("status") in statuses]

    def files_without_outcome(self) -> list[dict]:
        """Files the report says nothing was stored from, or nothing at all was said of."""
        if not self.report:
            return []
        return [
            f
            for f in self.report.get("files", [])
            if f.get("outcome") in ("nothing stored", "no outcome")
        ]


class WorkItem(models.Model):
    """A conflict or a notice an ingest reported, kept until an editor has handled it.

    A conflict is an article an editor corrected whose source has changed since: the
    ingest kept the editor's version and `incoming` holds the one it did not apply (an
    article's title, blocks and fingerprint; a printed page's text). A notice is something a file read had to say (an issue
    number the contents page misprints, a picture not kept). `key` (kind, source path and
    message, hashed) makes a re-ingest's report of the same thing the same item.
    """

    class Kind(models.TextChoices):
        CONFLICT = "conflict", "Conflict"
        NOTICE = "notice", "Notice"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        HANDLED = "handled", "Handled"

    key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, db_index=True)
    message = models.TextField()
    source_path = models.CharField(max_length=1000)
    article = models.ForeignKey(
        "archive.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issue = models.ForeignKey(
        "archive.Issue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    page = models.ForeignKey(
        "facsimiles.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    incoming = models.JSONField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    how = models.CharField(max_length=200, blank=True, help_text="How it was handled")
    run = models.ForeignKey(
        IngestJob,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="The desk's ingest that last reported it (none for the command's)",
    )
    reported = models.DateTimeField(default=timezone.now, help_text="Last reported")

    class Meta:
        ordering = ["-reported", "-pk"]
        verbose_name = "conflict or notice"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.source_path}"

    def get_absolute_url(self) -> str:
        return reverse("desk:work-item", args=[self.pk])

    @property
    def source_tail(self) -> str:
        """The source's path as a list shows it: its end (the file's name), not its start."""
        path = self.source_path
        return path if len(path) <= 80 else f"…{path[-79:]}"
