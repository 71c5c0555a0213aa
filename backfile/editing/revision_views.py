"""Revisions you can read: an object's revisions, each as a word-level diff, and restore.

Every save at the desk is a revision (django-simple-history) with who, when and the
editor's note; the loader's changes have no editor and are shown as the ingest's. A
revision is compared with the one before it; restoring one saves it again as a new
revision (`Restored revision N`), so nothing is ever lost by restoring.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from backfile.archive.models import (
    Article,
    Author,
    Byline,
    Issue,
    Publication,
    Review,
    ReviewedWork,
)
from backfile.authority.models import Entry
from backfile.editing.diff import body_changes, field_changes

KINDS: dict[str, type[models.Model]] = {
    "article": Article,
    "issue": Issue,
    "author": Author,
    "reviewedwork": ReviewedWork,
    "publication": Publication,
    "byline": Byline,
    "review": Review,
    "entry": Entry,  # the authority file's (its aliases are kept with their own revisions)
}
KIND_NAMES = {"reviewedwork": "reviewed work", "review": "review link", "entry": "authority entry"}
CHANGE_NAMES = {"+": "Created", "~": "Changed", "-": "Deleted"}
INGEST = "Ingest"


def model_of(request: HttpRequest, kind: str, action: str = "view") -> type[models.Model]:
    model = KINDS.get(kind)
    if model is None:
        raise Http404("No such kind of record.")
    if not request.user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}"):
        raise PermissionDenied
    return model


def history_of(model, pk: int) -> list:
    records = list(model.history.filter(id=pk).select_related("history_user"))
    records.sort(key=lambda r: (r.history_date, r.history_id))
    return records


def who(record) -> str:
    user = record.history_user
    if user is None:
        return INGEST
    return user.get_full_name() or user.get_username()


def summary(record, number: int) -> dict:
    return {
        "number": number,
        "record": record,
        "who": who(record),
        "by_ingest": record.history_user_id is None,
        "what": CHANGE_NAMES.get(record.history_type, record.history_type),
        "note": record.history_change_reason or "",
    }


def fields_of(model) -> dict[str, str]:
    """The fields a revision shows (the body apart), by attribute name, with their labels."""
    tracked = {f.name for f in model.history.model._meta.fields}
    return {
        field.attname: str(field.verbose_name).capitalize()
        for field in model._meta.concrete_fields
        if field.name in tracked and field.name not in ("id", "blocks")
    }


def values_of(record, model, names: dict[str, str]) -> dict:
    """A revision's values as an editor reads them (a linked record by its name)."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.attname not in names:
            continue
        value = getattr(record, field.attname, None)
        if field.is_relation and value is not None:
            related = field.related_model.objects.filter(pk=value).first()
            value = f"{related} (#{value})" if related is not None else f"#{value}"
        values[field.attname] = value
    return values


def title_of(model, pk: int, records: list) -> str:
    current = model.objects.filter(pk=pk).first()
    return str(current if current is not None else records[-1].instance if records else pk)


def admin_url(model, pk: int) -> str:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
    except NoReverseMatch:
        return ""


def base_context(request, model, kind: str, pk: int, records: list) -> dict:
    name = KIND_NAMES.get(kind, kind)
    return {
        **admin.site.each_context(request),
        "kind": kind,
        "kind_name": name,
        "pk": pk,
        "object_title": title_of(model, pk, records),
        "change_url": admin_url(model, pk) if model.objects.filter(pk=pk).exists() else "",
        "list_url": reverse("editing:revisions", args=[kind, pk]),
        "opts": model._meta,
    }


@staff_member_required
def revisions(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = model_of(request, kind)
    records = history_of(model, pk)
    if not records and not model.objects.filter(pk=pk).exists():
        raise Http404("No such record.")
    context = base_context(request, model, kind, pk, records)
    rows = [summary(r, n) for n, r in enumerate(records, start=1)]
    links = []
    if model is Article:
        links = linked_revisions(pk)
    return TemplateResponse(
        request,
        "editing/revisions.html",
        {
            **context,
            "title": f"Revisions of the {context['kind_name']} “{context['object_title']}”",
            "revisions": list(reversed(rows)),
            "links": links,
            "body_url": reverse("editing:body", args=[pk]) if model is Article else "",
        },
    )


def linked_revisions(article_id: int) -> list[dict]:
    """The revisions of an article's bylines and review links, newest first."""
    rows = []
    for kind, model in (("byline", Byline), ("review", Review)):
        for record in model.history.filter(article_id=article_id).select_related("history_user"):
            numbered = history_of(model, record.id)
            number = next(n for n, r in enumerate(numbered, 1) if r.pk == record.pk)
            rows.append(
                {
                    **summary(record, number),
                    "kind": kind,
                    "kind_name": KIND_NAMES.get(kind, kind),
                    "described": linked_description(record),
                    "url": reverse("editing:revision", args=[kind, record.id, number]),
                }
            )
    rows.sort(key=lambda row: row["record"].history_date, reverse=True)
    return rows


def linked_description(record) -> str:
    if isinstance(record.instance, Byline):
        author = Author.objects.filter(pk=record.author_id).first()
        return f"{record.role}: {author or '#' + str(record.author_id)}"
    work = ReviewedWork.objects.filter(pk=record.work_id).first()
    return f"reviews {work or '#' + str(record.work_id)}"


@staff_member_required
def revision(request: HttpRequest, kind: str, pk: int, number: int) -> HttpResponse:
    model = model_of(request, kind)
    records = history_of(model, pk)
    if not 1 <= number <= len(records):
        raise Http404("No such revision.")
    record = records[number - 1]
    previous = records[number - 2] if number > 1 else None
    names = fields_of(model)
    after = values_of(record, model, names)
    before = values_of(previous, model, names) if previous is not None else {}
    changes = field_changes(before, after, names)
    body = []
    if model is Article:
        body = body_changes(previous.blocks if previous is not None else [], record.blocks)
    view = "side" if request.GET.get("view") == "side" else "inline"
    context = base_context(request, model, kind, pk, records)
    return TemplateResponse(
        request,
        "editing/revision.html",
        {
            **context,
            "title": f"Revision {number} of the {context['kind_name']} “{context['object_title']}”",
            "revision": summary(record, number),
            "previous": summary(previous, number - 1) if previous is not None else None,
            "latest": number == len(records),
            "changes": changes,
            "body": body,
            "body_changed": any(not c.unchanged for c in body),
            "view": view,
            "can_restore": request.user.has_perm(
                f"{model._meta.app_label}.change_{model._meta.model_name}"
            )
            and record.history_type != "-",
        },
    )


@staff_member_required
@require_POST
def restore(request: HttpRequest, kind: str, pk: int, number: int) -> HttpResponse:
    """Save revision `number` again as the newest: itself a revision, with its own note."""
    from backfile.archive.admin import announce
    from backfile.editing.desk import keep_ingested_version

    model = model_of(request, kind, "change")
    records = history_of(model, pk)
    if not 1 <= number <= len(records) or records[number - 1].history_type == "-":
        raise Http404("No such revision to restore.")
    instance = records[number - 1].instance
    instance._change_reason = f"Restored revision {number}"
    try:
        with transaction.atomic():
            current = model.objects.filter(pk=pk).first()
            if current is not None and model in (Article, Issue):
                keep_ingested_version(current)
            if model is Article:
                instance.edited = True  # an editor's choice now: a later ingest keeps it
            instance.save()
            announce(articles_showing(instance))
    except IntegrityError:
        messages.error(
            request,
            f"Revision {number} cannot be restored: it clashes with what is stored now "
            "(the same author twice in one byline, or a slug taken by another record).",
        )
        return redirect("editing:revision", kind=kind, pk=pk, number=number)
    newest = len(history_of(model, pk))
    messages.success(request, f"Restored revision {number}, saved as revision {newest}.")
    return redirect("editing:revisions", kind=kind, pk=pk)


def articles_showing(instance) -> list[Article]:
    if isinstance(instance, Article):
        return [instance]
    if isinstance(instance, (Byline, Review)):
        return list(Article.objects.filter(pk=instance.article_id))
    if isinstance(instance, Issue):
        return list(instance.articles.all())
    if isinstance(instance, Author):
        return list(instance.articles.all())
    if isinstance(instance, ReviewedWork):
        return list(instance.reviews.all())
    return []  # a publication's details show on no article's page
