"""What every page of the desk does with revisions: a note saying why, kept with each
revision (inline rows too); the record as ingested kept before its first correction; and
History leading to the readable revisions (`backfile.editing.revision_views`).

Used by the archive's admin (`backfile.archive.admin`) and the editing views.
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponseRedirect
from django.urls import reverse

AS_INGESTED = "as ingested, before the first correction"


class NotedForm(forms.ModelForm):
    """Every change at the desk says why, in a short note kept with its revision."""

    note = forms.CharField(
        required=False,
        max_length=100,
        label="Note",
        help_text="Why this change, kept with the revision (a misprint, a name corrected…).",
    )


class Revisions:
    """Admin mixin: each save keeps the editor's note as its revision's reason (inlines'
    rows too), and History leads to the readable revisions (`backfile.editing`)."""

    def save_model(self, request, obj, form, change: bool) -> None:
        if change:
            keep_ingested_version(obj)
        obj._change_reason = form.cleaned_data.get("note", "") or None
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change: bool) -> None:
        note = form.cleaned_data.get("note", "") or None
        for inline_form in formset.forms:
            instance = inline_form.instance
            touched = inline_form.has_changed() or inline_form in formset.deleted_forms
            if touched and instance.pk is not None and hasattr(type(instance), "history"):
                keep_ingested_version(instance)
            instance._change_reason = note
        super().save_formset(request, form, formset, change)

    def history_view(self, request, object_id, extra_context=None):
        kind = self.model._meta.model_name
        return HttpResponseRedirect(reverse("editing:revisions", args=[kind, object_id]))


def keep_ingested_version(obj) -> None:
    """Before the first correction, record the record (an article, an issue, a byline…) as
    ingested, so it can be restored.

    The loader stores articles, issues, authors and bylines without revisions (an ingest is
    not an edit).
    """
    model = type(obj)
    if model.history.filter(id=obj.pk).exists():
        return
    stored = model.objects.get(pk=obj.pk)
    stored._history_user = None
    model.history.bulk_history_create([stored], default_change_reason=AS_INGESTED)
