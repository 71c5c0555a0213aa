"""The editors' desk for pictures: alt text, caption and credit, with revisions, and a
picture's file replaced.

A picture is named by its bytes, so a new file is a new asset: the figures and covers
that showed the old one show the new one (each a revision of its article or issue, so
the old file comes back with a restored revision), and the old asset stays stored.
"Without alt text" lists the pictures a reader who cannot see them would miss.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from backfile.archive.admin import announce, keep_ingested_version
from backfile.archive.models import Article, Issue
from backfile.media.desk import examined_upload, preview, replaced_in, showing, store_upload
from backfile.media.models import Asset


class AltTextFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", "Without alt text"), ("given", "With alt text")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(alt="")
        if self.value() == "given":
            return queryset.exclude(alt="")
        return queryset


class AssetForm(forms.ModelForm):
    replacement = forms.FileField(
        required=False,
        label="Replace the file",
        help_text="A corrected or better copy of this picture: every figure and cover that "
        "shows it will show the new file, with its alt text, caption and credit; the old "
        "file stays in their history.",
    )

    class Meta:
        model = Asset
        fields = ["alt", "caption", "credit"]

    def clean_replacement(self):
        file = self.cleaned_data.get("replacement")
        if not file:
            return None
        upload = examined_upload(file)
        if upload.sha256 == self.instance.sha256:
            raise forms.ValidationError(f"{upload.name} is the file this picture has already.")
        return upload


@admin.register(Asset)
class AssetAdmin(SimpleHistoryAdmin):
    form = AssetForm
    list_display = ("__str__", "media_type", "width", "height", "has_alt", "problem")
    list_filter = (AltTextFilter, "media_type")
    search_fields = ("filename", "source_url", "alt", "caption", "credit", "sha256")
    fields = (
        "preview",
        "alt",
        "caption",
        "credit",
        "replacement",
        "filename",
        "source_url",
        "media_type",
        "width",
        "height",
        "size",
        "sha256",
        "problem",
    )
    readonly_fields = (
        "preview",
        "filename",
        "source_url",
        "media_type",
        "width",
        "height",
        "size",
        "sha256",
        "problem",
    )

    def has_add_permission(self, request):
        return False  # pictures come in with their articles

    @admin.display(boolean=True, description="alt text")
    def has_alt(self, asset: Asset) -> bool:
        return bool(asset.alt)

    @admin.display(description="picture")
    def preview(self, asset: Asset) -> str:
        return preview(asset)

    def save_model(self, request, obj: Asset, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if upload := form.cleaned_data.get("replacement"):
            request.replaced_by = replace_asset(obj, store_upload(upload, like=obj))

    def response_change(self, request, obj: Asset):
        replaced = getattr(request, "replaced_by", None)
        if replaced is None:
            return super().response_change(request, obj)
        new, articles, issues = replaced
        self.message_user(
            request,
            f"The new file now shows in {articles} article(s) and {issues} issue cover(s); "
            f"the earlier one ({obj}) stays in their history.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:media_asset_change", args=[new.pk]))


def replace_asset(old: Asset, new: Asset) -> tuple[Asset, int, int]:
    """Show `new` wherever `old` is shown: each article and issue changed is a revision
    (the first keeps the ingested version), announced; how many of each."""
    articles = []
    with transaction.atomic():
        for article in showing(Article.objects.all(), "blocks", old.sha256):
            blocks, changed = replaced_in(article.blocks, old.sha256, new.sha256)
            if not changed:
                continue
            keep_ingested_version(article)
            article.blocks = blocks
            article.edited = True
            article._change_reason = f"picture replaced: {new.sha256}"[:100]
            article.save()
            articles.append(article)
        issues = list(Issue.objects.filter(cover=old.sha256))
        for issue in issues:
            keep_ingested_version(issue)
            issue.cover = new.sha256
            issue._change_reason = f"cover replaced: {new.sha256}"[:100]
            issue.save()
        announce(articles)
    return new, len(articles), len(issues)
