"""The body editor: an article's blocks as rows, edited without JavaScript.

Every button is a submit button of one form: the page comes back with the rows moved,
added or removed and everything typed kept; `Preview` shows the body as readers will
see it; `Save` stores it as a revision with the editor's note. Nothing is stored until
the whole body can be kept; a row that cannot says why beside it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from backfile.archive.models import Article
from backfile.archive.paging import whole_number
from backfile.editing.rows import (
    BLOCK_TYPES,
    TYPE_CHOICES,
    TYPE_NAMES,
    Row,
    acted,
    body_of,
    fingerprint,
    previous_sibling,
    rows_of,
    subtree_end,
)
from backfile.ingest.checks import blocks_problem
from backfile.ingest.records import block_from_dict

MAX_ROWS = 20_000
MAX_DEPTH = 50
NOTE_LENGTH = 100  # simple_history's change reason
ACTIONS = ("up", "down", "in", "out", "delete", "add")


def posted_rows(data) -> list[Row]:
    """The rows as the browser sent them; a value that cannot be read is kept as typed,
    with a message, never dropped."""
    count = whole_number(data.get("rows"), MAX_ROWS) or 0  # (edit_body refuses an unread count)
    rows = []
    for i in range(max(count, 0)):
        row = Row(
            type=data.get(f"r{i}-type", "paragraph"),
            text=data.get(f"r{i}-text", ""),
            origin=data.get(f"r{i}-origin", ""),
            label=data.get(f"r{i}-label", ""),
            start=data.get(f"r{i}-start", ""),
            credit=data.get(f"r{i}-credit", ""),
            alts=data.getlist(f"r{i}-alt") if hasattr(data, "getlist") else [],
            url=data.get(f"r{i}-url", ""),
        )
        depth = whole_number(data.get(f"r{i}-depth"))
        row.depth = min(depth, MAX_DEPTH) if depth is not None else 0
        if row.type not in BLOCK_TYPES:
            row.errors.append("Choose the kind of block from the list.")
            row.type = "paragraph"
        rows.append(row)
    return rows


def next_sibling(rows: list[Row], i: int) -> bool:
    end = subtree_end(rows, i)
    return end < len(rows) and rows[end].depth == rows[i].depth


def shown_rows(rows: list[Row]) -> list[dict]:
    """What the template needs of each row: its number, where it stands, which buttons."""
    shown = []
    holders: list[str] = []
    for i, row in enumerate(rows):
        del holders[row.depth :]
        inside = holders[-1] if holders else ""
        shown.append(
            {
                "i": i,
                "row": row,
                "indent": min(row.depth, 8),
                "inside": TYPE_NAMES.get(inside, inside).split(" (")[0].lower(),
                "wordless": row.type in ("quotation", "section_break", "table_row")
                and not row.text,
                "can_up": previous_sibling(rows, i) is not None,
                "can_down": next_sibling(rows, i),
                "can_in": i > 0 and rows[i - 1].depth >= row.depth,
                "can_out": row.depth > 0,
            }
        )
        holders.extend([""] * (row.depth - len(holders)))
        holders.append(row.type)
    return shown


@staff_member_required
def edit_body(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("archive.change_article"):
        raise PermissionDenied
    article = get_object_or_404(Article.objects.select_related("issue", "publication"), pk=pk)
    stored = article.blocks if isinstance(article.blocks, list) else []
    context = {"article": article, "note": "", "base": fingerprint(stored), "preview": None}
    if request.method != "POST":
        return page(request, context, rows_of(stored))
    if whole_number(request.POST.get("rows"), MAX_ROWS) is None:  # never read as no rows
        context["refused"] = (
            f"The form came without its rows, or with more than {MAX_ROWS:,}: nothing was changed."
        )
        return page(request, context, rows_of(stored), status=400)
    rows = posted_rows(request.POST)
    context["note"] = request.POST.get("note", "")
    context["base"] = request.POST.get("base", "")
    action = request.POST.get("action", "preview")
    name, _, index = action.partition("-")
    index = whole_number(index, MAX_ROWS)
    if name in ACTIONS and index is not None:
        return page(request, context, acted(rows, name, index))
    problems = [row for row in rows if row.errors]
    body = None if problems else body_of(rows, stored)
    if body is None:
        context["refused"] = "The body cannot be kept yet: see the rows marked below."
        return page(request, context, rows, status=400)
    if problem := body_problem(body):
        context["refused"] = f"The body cannot be kept: {problem}."
        return page(request, context, rows, status=400)
    if len(context["note"]) > NOTE_LENGTH:
        context["note_error"] = f"Keep the note to {NOTE_LENGTH} characters."
        return page(request, context, rows, status=400)
    if action != "save":
        context["preview"] = body
        return page(request, context, rows)
    if context["base"] != fingerprint(stored):
        context["refused"] = (
            "Someone saved this article's body since you opened it. Your rows are kept "
            "below: copy what you changed, then open the body again."
        )
        return page(request, context, rows, status=409)
    number = save_body(article, body, context["note"])
    messages.success(request, f"Saved the body as revision {number}.")
    return redirect("editing:body", pk=article.pk)


def body_problem(body: list[dict]) -> str:
    """What the ingest's own check finds wrong with the body (a figure's pictures, an
    embed's address): the same rules whichever way a body arrives."""
    try:
        return blocks_problem([block_from_dict(block) for block in body])
    except (KeyError, TypeError, ValueError) as error:
        return str(error)


def save_body(article: Article, body: list[dict], note: str) -> int:
    """Store the body as a revision (the first correction also records the article as
    ingested), mark the article edited and announce it; returns the revision's number."""
    from backfile.archive.admin import announce
    from backfile.editing.desk import keep_ingested_version

    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        keep_ingested_version(article)
        article.blocks = body
        article.edited = True
        article._change_reason = note.strip() or "Body corrected"
        article.save()
        announce([article])
        return article.history.count()


def page(request, context: dict, rows: list[Row], status: int = 200) -> TemplateResponse:
    from django.contrib import admin

    article = context["article"]
    return TemplateResponse(
        request,
        "editing/body.html",
        {
            **admin.site.each_context(request),
            **context,
            "title": f"The body of “{article.title}”",
            "rows": shown_rows(rows),
            "row_count": len(rows),
            "type_choices": TYPE_CHOICES,
            "change_url": reverse("admin:archive_article_change", args=[article.pk]),
            "revisions_url": reverse("editing:revisions", args=["article", article.pk]),
            "opts": Article._meta,
        },
        status=status,
    )
