"""The quotations found, listed read-only at the desk: what each article quotes, the pages it
cites and the reviewed work, for an editor to check (they follow the article's body, so an
error is mended by correcting the body, never here). Whoever may view articles may view them.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import EmptyFieldListFilter
from django.http import HttpRequest

from backfile.quotations.models import Quotation


@admin.register(Quotation)
class QuotationAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "pages", "kind", "article", "work"]
    list_filter = ["kind", ("pages", EmptyFieldListFilter), ("work", EmptyFieldListFilter)]
    list_select_related = ["article", "work"]
    search_fields = ["text", "article__title", "work__title", "work__author"]
    readonly_fields = ["article", "position", "kind", "text", "pages", "work"]
    fields = readonly_fields
    show_full_result_count = False  # (counting a large archive's quotations twice is slow)

    @admin.display(description="quotation")
    def excerpt(self, quotation: Quotation) -> str:
        text = " ".join(quotation.text.split())
        return text if len(text) <= 120 else text[:119] + "…"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("archive.view_article")

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("archive.view_article")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
