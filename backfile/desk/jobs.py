"""Ingests from the desk: uploads kept safely, folders checked against the roots, the job run.

An editor's upload is written to a folder of its own (`BACKFILE_INGEST_UPLOADS/job-12/`),
each file under a plain name of its own making (never a path it names), within
BACKFILE_INGEST_MAX_UPLOAD_BYTES; a folder of the server is one inside
BACKFILE_INGEST_ROOTS, after symbolic links are followed. Either way the job is queued
once its row is committed, and `run_job` runs it in the background worker (django-q2):
the ingest of `backfile ingest`, its report kept on the job, its progress written as it
goes, the upload's folder removed when it ends.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import threading
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from backfile.desk.models import HEARTBEAT, IngestJob
from backfile.ingest.limits import size
from backfile.ingest.pipeline import RunReport, ingest
from backfile.media.storage import default_root

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 1.0  # seconds between writes of a running job's progress
CURRENT_CHARS = 300


def uploads_root() -> Path:
    """BACKFILE_INGEST_UPLOADS, or `NAME-uploads/` beside the archive."""
    if settings.BACKFILE_INGEST_UPLOADS:
        return Path(settings.BACKFILE_INGEST_UPLOADS).resolve()
    beside = default_root(settings.DATABASES["default"])  # `NAME-media`, beside the archive
    return beside.with_name(beside.name.removesuffix("-media") + "-uploads")


def upload_limit() -> int:
    return settings.BACKFILE_INGEST_MAX_UPLOAD_BYTES


def too_large(byte_count: int) -> str:
    return (
        f"the upload is larger than {size(upload_limit())}, the most the desk takes at once "
        "(the limit is set by BACKFILE_INGEST_MAX_UPLOAD_BYTES); bring larger collections in "
        "from a folder on the server, or with `backfile ingest`"
    )


def ingest_roots() -> list[Path]:
    return [Path(root).resolve() for root in settings.BACKFILE_INGEST_ROOTS]


def allowed_folder(text: str) -> Path:
    """The file or folder `text` names, if it is inside one of BACKFILE_INGEST_ROOTS (links
    followed); otherwise a ValidationError saying why."""
    roots = ingest_roots()
    if not roots:
        raise ValidationError("No folder of the server may be ingested from the desk here.")
    path = Path(text.strip())
    if not path.is_absolute():
        raise ValidationError(f"{text}: give the folder's whole path, starting with /.")
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise ValidationError(f"{text}: no such file or folder on the server.") from None
    if not any(resolved == root or root in resolved.parents for root in roots):
        allowed = ", ".join(str(root) for root in roots)
        raise ValidationError(f"{text}: not inside a folder the desk may ingest ({allowed}).")
    return resolved


def safe_name(name: str, taken: set[str], number: int) -> str:
    """A plain file name for an uploaded file: its own last part, made safe, and unique."""
    last = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    try:
        cleaned = get_valid_filename(last)[:150]
    except SuspiciousFileOperation:
        cleaned = ""
    if not cleaned or cleaned.startswith("."):
        cleaned = f"upload-{number}{Path(cleaned).suffix}"
    candidate = cleaned
    while candidate.lower() in taken:
        number += 1
        candidate = f"{number}-{cleaned}"
    taken.add(candidate.lower())
    return candidate


def job_folder(job: IngestJob) -> Path:
    return uploads_root() / f"job-{job.pk}"


def start_upload(files: Iterable[UploadedFile], publication: str = "", user=None) -> IngestJob:
    """A queued job for the uploaded `files`, kept in its own folder; nothing is kept of an
    upload that cannot be stored whole (ValidationError, the folder removed).

    The files are copied first, into a folder of their own (`incoming-…`), with no
    transaction open: a large copy takes a while, and on SQLite an open write holds the
    whole database's lock. Only then is the job's row written and the folder renamed
    after it, in one short transaction."""
    files = list(files)
    incoming = uploads_root() / f"incoming-{uuid.uuid4().hex}"
    folder = None
    try:
        store_files(files, incoming)
        with transaction.atomic():
            job = IngestJob.objects.create(
                source_kind=IngestJob.Source.UPLOAD,
                source=", ".join(file.name for file in files)[:4000],
                folder="",
                publication=publication,
                created_by=user,
            )
            incoming.rename(job_folder(job))
            folder = job_folder(job)  # (only once it is this upload's: see the cleanup below)
            job.folder = str(folder)
            job.save(update_fields=["folder"])
            transaction.on_commit(lambda: enqueue(job))
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        if folder is not None:  # renamed, then the row was not kept
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return job


def store_files(files: list[UploadedFile], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=False)
    taken: set[str] = set()
    written = 0
    for number, upload in enumerate(files, start=1):
        target = folder / safe_name(upload.name, taken, number)
        with target.open("xb") as out:
            for chunk in upload.chunks():
                written += len(chunk)
                if written > upload_limit():
                    raise ValidationError(too_large(written))
                out.write(chunk)


def start_folder(path: Path, publication: str = "", user=None) -> IngestJob:
    """A queued job reading `path` (already checked by `allowed_folder`) where it is."""
    with transaction.atomic():
        job = IngestJob.objects.create(
            source_kind=IngestJob.Source.FOLDER,
            source=str(path),
            folder=str(path),
            publication=publication,
            created_by=user,
        )
        transaction.on_commit(lambda: enqueue(job))
    return job


def enqueue(job: IngestJob) -> None:
    from django_q.tasks import async_task

    async_task("backfile.desk.jobs.run_job", job.pk, task_name=f"ingest-{job.pk}")


class Progress:
    """Writes a running job's progress: files read, articles by status, what it reads now;
    at most every PROGRESS_EVERY seconds, so a run of small files is not slowed by it."""

    def __init__(self, job: IngestJob, report: RunReport):
        self.job = job
        self.report = report
        self.files = 0
        self.current = ""
        self.written = 0.0

    def file(self, file) -> None:
        self.files += 1
        self.current = file.path
        self.write()

    def pages(self, text: str) -> None:  # a PDF's or a folder's pages as they are read
        self.current = text
        self.write()

    def write(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and self.files > 1 and now - self.written < PROGRESS_EVERY:
            return
        self.written = now
        IngestJob.objects.filter(pk=self.job.pk).update(
            files_read=self.files,
            current=shown(self.current, self.job)[-CURRENT_CHARS:],
            counts=self.report.summary(),
            progressed=timezone.now(),
        )


class Heartbeat(threading.Thread):
    """Says every HEARTBEAT seconds, on a connection of its own, that the job is still being
    run, however long one file takes: a job whose worker was killed stops saying so, and
    is known to be abandoned (`IngestJob.abandoned`, `abandon_orphans`)."""

    def __init__(self, job_id: int):
        super().__init__(name=f"ingest-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(HEARTBEAT):
                try:
                    IngestJob.objects.filter(pk=self.job_id).update(alive=timezone.now())
                except DatabaseError:  # the database busy: the next beat will do
                    logger.warning("ingest %s: its heartbeat was not written", self.job_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join()


def abandon_orphans() -> int:
    """Jobs left running by a worker that is gone (killed, or the server restarted): said to
    have stopped, so that their pages and the desk's counts say so. Returns how many."""
    orphans = list(IngestJob.objects.listed().filter(status=IngestJob.Status.RUNNING))
    stopped = 0
    for job in orphans:
        if job.abandoned():
            stopped += IngestJob.objects.filter(pk=job.pk, status=job.status).update(
                status=IngestJob.Status.STOPPED,
                finished=timezone.now(),
                problem="The worker running this ingest stopped before it ended (killed, or "
                "the server restarted). What it stored is kept; start it again to finish.",
            )
            if job.source_kind == IngestJob.Source.UPLOAD:
                shutil.rmtree(job.folder, ignore_errors=True)
    return stopped


def run_job(job_id: int) -> str:
    """Run a queued job (the worker's task): the ingest, then its report kept on the job."""
    claimed = IngestJob.objects.filter(pk=job_id, status=IngestJob.Status.QUEUED).update(
        status=IngestJob.Status.RUNNING,
        started=timezone.now(),
        progressed=timezone.now(),
        alive=timezone.now(),
    )
    if not claimed:  # gone, or already taken by another worker
        return f"ingest {job_id} is not waiting"
    job = IngestJob.objects.get(pk=job_id)
    report = RunReport()
    report.job_id = job.pk  # the run its conflicts and notices came from (desk.workitems)
    progress = Progress(job, report)
    heartbeat = Heartbeat(job_id)
    heartbeat.start()
    upload = job.source_kind == IngestJob.Source.UPLOAD
    try:
        # An upload is read from inside its folder, so its files are named as uploaded
        # (`lantern.zip!the-lantern/rents.txt`): the same files uploaded again are the
        # same sources, and come out unchanged. (The working directory is the process's:
        # a worker process runs one job at a time, and nothing else in it reads relative
        # paths; the database and media paths are absolute.)
        with contextlib.chdir(job.folder) if upload else contextlib.nullcontext():
            result = ingest(
                [Path(".") if upload else Path(job.folder)],
                publication=job.publication or None,
                on_file=progress.file,
                reader_options={"progress": progress.pages},
                report=report,
            )
    except Exception as error:  # the job's own failure, said on its page; the worker goes on
        logger.exception("ingest %s stopped", job_id)
        IngestJob.objects.filter(pk=job_id).update(
            status=IngestJob.Status.STOPPED,
            finished=timezone.now(),
            counts=report.summary(),
            report=shown(report.as_dict(), job),
            problem=shown(f"The ingest stopped: {error!r}. What was stored before is kept.", job),
        )
        return f"ingest {job_id} stopped"
    finally:
        heartbeat.stop()
        if upload:
            shutil.rmtree(job.folder, ignore_errors=True)
    IngestJob.objects.filter(pk=job_id).update(
        status=IngestJob.Status.FINISHED,
        finished=timezone.now(),
        progressed=timezone.now(),
        files_read=result.files_read,
        current="",
        counts=result.summary(),
        summary_line=shown(result.summary_line(), job),
        report=shown(result.as_dict(), job),
    )
    return result.summary_line()


def shown(value, job: IngestJob):
    """`value` (the report, a line) with an upload's folder left out of its paths: the files
    are named as the editor uploaded them (`pages.zip!the-lantern/rents.txt`)."""
    if job.source_kind != IngestJob.Source.UPLOAD or not job.folder:
        return value
    prefix = job.folder.rstrip("/") + "/"
    if isinstance(value, str):
        return value.replace(prefix, "")
    if isinstance(value, list):
        return [shown(item, job) for item in value]
    if isinstance(value, dict):
        return {key: shown(item, job) for key, item in value.items()}
    return value
