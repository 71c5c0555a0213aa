"""The desk's pages: what needs doing, ingests (started, followed, their reports), the audit.

Every page is an editor's own (never cached, never shared); each asks for the permission
of what it shows (backfile.desk.roles), and answers 403 to a signed-in account without it.
"""

from __future__ import annotations

from functools import wraps

from axes.models import AccessAttempt, AccessLog
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from backfile.desk import jobs, todo
from backfile.desk.forms import IngestForm
from backfile.desk.models import IngestJob
from backfile.ingest.limits import size

REFRESH_SECONDS = 2  # how often a running job's page reloads itself
WAITING_TOO_LONG = 120  # seconds queued before the page asks whether a worker runs
PAGE_SIZE = 50
REPORT_ROWS = 500  # rows of one kind shown on a report's page (the rest counted)


def desk_page(permission: str | None = None):
    """Staff only (others go to the sign-in page); 403 without `permission`; never cached."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if permission and not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return staff_member_required(never_cache(wrapper))

    return decorate


def page(request, template: str, title: str, status: int = 200, **context):
    context = {**admin.site.each_context(request), "title": title, **context}
    return render(request, template, context, status=status)


@desk_page()
def home(request):
    return page(
        request,
        "desk/home.html",
        "What needs doing",
        items=todo.items_for(request.user),
        ingests=todo.recent_ingests(request.user),
    )


@csrf_exempt
def new_ingest(request):
    """An upload too large is refused before its body is read (so before the CSRF check,
    which would read it all); everything else is checked as usual."""
    if request.method == "POST" and request.user.is_authenticated:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > jobs.upload_limit() and request.user.has_perm("desk.add_ingestjob"):
            return _ingest_form(request, IngestForm(), status=413, refusal=jobs.too_large(length))
    return _new_ingest(request)


@desk_page("desk.add_ingestjob")
@csrf_protect
def _new_ingest(request):
    if request.method != "POST":
        return _ingest_form(request, IngestForm())
    form = IngestForm(request.POST, request.FILES)
    if not form.is_valid():
        return _ingest_form(request, form, status=400)
    publication = form.cleaned_data["publication"].strip()
    try:
        if form.cleaned_data.get("folder"):
            job = jobs.start_folder(form.cleaned_data["folder"], publication, request.user)
        else:
            job = jobs.start_upload(form.cleaned_data["files"], publication, request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return _ingest_form(request, form, status=400)
    except OSError as error:
        form.add_error(None, f"The upload could not be kept on the server: {error.strerror}.")
        return _ingest_form(request, form, status=503)
    return redirect(job)


def _ingest_form(request, form: IngestForm, status: int = 200, refusal: str = ""):
    return page(
        request,
        "desk/ingest_form.html",
        "Bring material in",
        status=status,
        form=form,
        refusal=refusal,
        limit=size(jobs.upload_limit()),
    )


@desk_page("desk.view_ingestjob")
def ingests(request):
    runs = IngestJob.objects.listed()
    reported = request.GET.get("reported", "")
    if reported in ("conflict", "noted"):
        runs = todo.reporting(reported)
    else:
        reported = ""
    listing = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    return page(
        request,
        "desk/ingests.html",
        {
            "conflict": "Ingests that reported conflicts",
            "noted": "Ingests that reported notices",
        }.get(reported, "Ingests"),
        listing=listing,
        reported=reported,
        can_start=request.user.has_perm("desk.add_ingestjob"),
    )


@desk_page("desk.view_ingestjob")
def ingest(request, pk: int):
    job = get_object_or_404(IngestJob.objects.select_related("created_by"), pk=pk)
    sections = [
        ("failed", "Failed", job.entries("failed")),
        ("conflict", "Conflicts", job.entries("conflict")),
        ("noted", "Notices", job.entries("noted")),
        ("nothing", "Files with nothing stored", job.files_without_outcome()),
        ("stored", "Articles added or updated", job.entries("added", "updated")),
    ]
    return page(
        request,
        "desk/ingest.html",
        f"Ingest {job.pk}",
        job=job,
        refresh=None if job.done else REFRESH_SECONDS,
        abandoned=job.abandoned(),
        waiting_long=_waiting_long(job),
        sections=[(key, label, rows[:REPORT_ROWS], len(rows)) for key, label, rows in sections],
        report_rows=REPORT_ROWS,
    )


def _waiting_long(job: IngestJob) -> bool:
    if job.status != IngestJob.Status.QUEUED:
        return False
    return (timezone.now() - job.created).total_seconds() > WAITING_TOO_LONG


@desk_page("desk.view_ingestjob")
def ingest_progress(request, pk: int):
    """The job's progress as JSON, for a script that follows it (the page reloads without)."""
    job = IngestJob.objects.listed().filter(pk=pk).first()
    if job is None:
        raise Http404
    rate = job.rate()
    return JsonResponse(
        {
            "status": job.status,
            "done": job.done,
            "files_read": job.files_read,
            "files_a_minute": round(rate, 1) if rate is not None else None,
            "current": job.current,
            "counts": job.counts,
            "summary": job.summary_line,
            "problem": job.problem,
        }
    )


@desk_page("desk.view_audit")
def audit(request):
    changes = Paginator(
        LogEntry.objects.select_related("user", "content_type").order_by("-action_time"),
        PAGE_SIZE,
    ).get_page(request.GET.get("changes"))
    signins = Paginator(AccessLog.objects.order_by("-attempt_time"), PAGE_SIZE).get_page(
        request.GET.get("signins")
    )
    refused = AccessAttempt.objects.order_by("-attempt_time")[:PAGE_SIZE]
    return page(
        request,
        "desk/audit.html",
        "Audit trail",
        changes=changes,
        signins=signins,
        refused=refused,
        ingests=IngestJob.objects.listed()[:PAGE_SIZE],
    )
