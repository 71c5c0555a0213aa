"""The desk's conflicts and notices (`backfile.desk.workitems`): listed by status and kind;
a conflict shows the editor's version and the ingest's side by side with a word-level
diff, and is resolved by keeping the editor's, taking the ingest's (a revision with a
note) or merging in the body editor; a notice links to what it concerns. Every change is
a POST (with its CSRF token) by an account that may change articles.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from backfile.archive.models import Article
from backfile.archive.paging import whole_number
from backfile.desk.models import WorkItem
from backfile.desk.views import PAGE_SIZE, desk_page, page
from backfile.editing.body_views import body_problem
from backfile.editing.diff import body_changes, word_diff

VIEW = "desk.view_ingestjob"
CHANGE = "archive.change_article"
TAKEN_NOTE = "The ingest's version taken (a conflict at the desk)"


@desk_page(VIEW)
def work_items(request):
    status = request.GET.get("status", "open")
    kind = request.GET.get("kind", "")
    items = WorkItem.objects.select_related(
        "article__issue__publication",
        "article__publication",
        "issue__publication",
        "page__issue__publication",
        "handled_by",
        "run",
    )
    if status in WorkItem.Status.values:
        items = items.filter(status=status)
    else:
        status = ""
    if kind in WorkItem.Kind.values:
        items = items.filter(kind=kind)
    else:
        kind = ""
    run = whole_number(request.GET.get("run"))
    if run is not None:
        items = items.filter(run_id=run)
    else:
        run = ""
    listing = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return page(
        request,
        "desk/work_items.html",
        "Conflicts and notices",
        listing=listing,
        shown_status=status,
        kind=kind,
        run=run,
        statuses=WorkItem.Status.choices,
        kinds=WorkItem.Kind.choices,
    )


@desk_page(VIEW)
def work_item(request, pk: int):
    item = get_object_or_404(WorkItem.objects.select_related("article", "issue", "page"), pk=pk)
    context = {"item": item, "can_change": request.user.has_perm(CHANGE)}
    incoming = item.incoming if isinstance(item.incoming, dict) else None
    if item.kind == WorkItem.Kind.CONFLICT and item.article and incoming:
        context["title_changes"] = (
            word_diff(item.article.title, str(incoming.get("title") or ""))
            if item.article.title != incoming.get("title")
            else None
        )
        context["changes"] = body_changes(item.article.blocks, incoming.get("blocks"))
        context["incoming"] = incoming
    if item.kind == WorkItem.Kind.CONFLICT and item.page and incoming:
        context["page_changes"] = word_diff(item.page.text, str(incoming.get("text") or ""))
    return page(request, "desk/work_item.html", str(item), **context)


@require_POST
@csrf_protect
@desk_page(CHANGE)
def handle(request, pk: int):
    """Mark handled: a notice seen to, a conflict resolved by keeping the editor's version
    (or merged in the body editor beforehand)."""
    item = get_object_or_404(WorkItem, pk=pk)
    how = {
        "keep": "kept the editor's version",
        "merged": "merged in the body editor",
    }.get(request.POST.get("how", ""), "handled")
    mark_handled(item, request.user, how)
    messages.success(request, f"{item.get_kind_display()} marked handled ({how}).")
    return redirect(item)


@require_POST
@csrf_protect
@desk_page(CHANGE)
def take_incoming(request, pk: int):
    """Take the ingest's version of a conflict's article: a revision with a note."""
    item = get_object_or_404(WorkItem, pk=pk, kind=WorkItem.Kind.CONFLICT)
    incoming = item.incoming if isinstance(item.incoming, dict) else None
    if item.article_id is None or not incoming or not isinstance(incoming.get("blocks"), list):
        messages.error(request, "This conflict keeps no version of the ingest to take.")
        return redirect(item)
    if problem := body_problem(incoming["blocks"]):
        messages.error(request, f"The ingest's version cannot be taken: {problem}.")
        return redirect(item)
    take(item, incoming)
    mark_handled(item, request.user, "took the ingest's version")
    messages.success(request, "The ingest's version is now the article's, as a new revision.")
    return redirect(item)


def take(item: WorkItem, incoming: dict) -> None:
    from backfile.archive.admin import announce
    from backfile.editing.desk import keep_ingested_version

    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=item.article_id)
        keep_ingested_version(article)
        article.blocks = incoming["blocks"]
        if incoming.get("title"):
            article.title = str(incoming["title"])
        # the source as it now is: the next ingest of it finds it unchanged
        article.ingested_fingerprint = incoming.get("fingerprint") or article.ingested_fingerprint
        article._change_reason = TAKEN_NOTE
        article.save()
        announce([article])


def mark_handled(item: WorkItem, user, how: str) -> None:
    item.status = WorkItem.Status.HANDLED
    item.handled_by = user
    item.handled_at = timezone.now()
    item.how = how
    item.save(update_fields=["status", "handled_by", "handled_at", "how"])
