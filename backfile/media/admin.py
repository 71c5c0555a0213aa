"""The editors' desk for pictures: alt text, caption and credit, with revisions.

The file itself, its size and its display sizes come from the ingest and are shown,
not edited. "Without alt text" lists the pictures a reader who cannot see them
would miss.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


@admin.register(Asset)
class AssetAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "media_type", "width", "height", "has_alt", "problem")
    list_filter = (AltTextFilter, "media_type")
    search_fields = ("filename", "source_url", "alt", "caption", "credit", "sha256")
    fields = (
        "alt",
        "caption",
        "credit",
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
