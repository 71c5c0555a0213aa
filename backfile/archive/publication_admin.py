"""The desk's page for a publication: its catalogue record (ISSNs, publisher, languages,
frequency, rights, holdings), each change a revision. Imported by `archive.admin`."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from backfile.archive.identifiers import normal_issn
from backfile.archive.models import Publication
from backfile.editing.desk import NotedForm, Revisions


@admin.register(Publication)
class PublicationAdmin(Revisions, SimpleHistoryAdmin):
    form = NotedForm
    list_display = ["name", "issn", "publisher", "frequency", "issue_count"]
    search_fields = ["name", "full_title", "issn", "eissn", "publisher"]
    readonly_fields = ["slug"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "full_title", "description"]}),
        (
            "Catalogue",
            {
                "fields": [
                    "issn",
                    "eissn",
                    "publisher",
                    "place",
                    "languages",
                    "frequency",
                    "first_issue",
                    "last_issue",
                ]
            },
        ),  # fmt: skip
        ("Rights", {"fields": ["rights"]}),
        (None, {"fields": ["note"]}),
    ]

    @admin.display(description="issues")
    def issue_count(self, publication: Publication) -> int:
        return publication.issues.count()

    def save_model(self, request, obj: Publication, form, change: bool) -> None:
        obj.issn = normal_issn(obj.issn) if obj.issn else ""
        obj.eissn = normal_issn(obj.eissn) if obj.eissn else ""
        super().save_model(request, obj, form, change)
