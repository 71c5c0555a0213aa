"""The corrections queue: readers' corrections waiting first, each shown as the words it
changes; accepted, rejected or marked as spam one by one or in bulk.

A stale correction (its paragraph has changed since it was suggested) is flagged in the
list and is never applied: accepting it reports it and leaves it waiting, for an editor to
reject or to make by hand.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from simple_history.admin import SimpleHistoryAdmin

from backfile.archive.models import Article
from backfile.corrections import moderation
from backfile.corrections import text as paragraphs
from backfile.corrections.models import Correction
from backfile.corrections.views import subject_url


def plural(count: int, word: str = "correction") -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@admin.register(Correction)
class CorrectionAdmin(SimpleHistoryAdmin):
    list_display = ["author_name", "subject_link", "paragraph", "change", "stale", "status",
                    "created"]  # fmt: skip
    list_filter = ["status", "created"]
    list_select_related = ["page__issue__publication", "article__issue", "article__publication"]
    search_fields = ["author_name", "author_email", "text", "original", "note", "ip_address"]
    readonly_fields = ["subject_link", "paragraph", "change", "now_reads", "markup_dropped",
                       "original", "author_name", "author_email", "note", "status", "created",
                       "decided", "ip_address"]  # fmt: skip
    fields = ["subject_link", "paragraph", "status", "change", "now_reads", "markup_dropped",
              "text", "note", "author_name", "author_email", "created", "decided",
              "ip_address"]  # fmt: skip
    actions = ["accept", "reject", "mark_spam"]
    date_hierarchy = "created"

    class Media:
        css = {"all": ["corrections/admin.css"]}  # no inline styles: the CSP forbids them

    def get_ordering(self, request: HttpRequest) -> list:
        """Waiting corrections first, oldest first (the queue); the rest newest first."""
        waiting_first = Case(
            When(status=Correction.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [waiting_first.asc(), "-created", "-id"]

    def get_readonly_fields(self, request: HttpRequest, obj: Correction | None = None) -> list:
        """The suggested text may be amended before it is accepted, never after."""
        if obj is not None and obj.status == Correction.Status.ACCEPTED:
            return [*self.readonly_fields, "text"]
        return self.readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # corrections come from readers

    @admin.display(description="of")
    def subject_link(self, correction: Correction) -> SafeString:
        subject = correction.subject
        return format_html('<a href="{}">{}</a>', subject_url(subject), subject)

    @admin.display(description="change (removed → added)")
    def change(self, correction: Correction) -> SafeString:
        return format_html(
            '<div class="correction-diff">{}</div>',
            paragraphs.word_diff(correction.original, correction.text),
        )

    @admin.display(description="stale", boolean=True)
    def stale(self, correction: Correction) -> bool:
        return moderation.is_stale(correction)

    @admin.display(description="the paragraph now")
    def now_reads(self, correction: Correction) -> SafeString | str:
        if not moderation.is_stale(correction):
            return "as the reader saw it"
        now = paragraphs.paragraph(correction.subject, correction.paragraph)
        if now is None:
            return "gone: the text has fewer paragraphs now"
        return format_html(
            "<strong>Changed since the correction was suggested:</strong>"
            '<div class="correction-diff">{}</div>',
            paragraphs.word_diff(correction.original, now),
        )

    @admin.display(description="markup")
    def markup_dropped(self, correction: Correction) -> str:
        article = correction.subject
        if isinstance(article, Article) and paragraphs.has_markup(article, correction.paragraph):
            return "This paragraph has inline markup (italics, links): accepting keeps the words"
        return "none"

    @admin.action(description="Accept selected corrections (the text changes)",
                  permissions=["change"])  # fmt: skip
    def accept(self, request: HttpRequest, queryset: QuerySet[Correction]) -> None:
        accepted, stale = 0, []
        for correction in queryset.order_by("created", "id"):
            try:
                accepted += moderation.accept(correction, request.user)
            except moderation.Stale:
                stale.append(correction)
        self.message_user(request, f"Accepted {plural(accepted)}.")
        if stale:
            self.message_user(
                request,
                f"Not applied: {plural(len(stale))} whose paragraph has changed since it was "
                f"suggested (stale): {', '.join(str(c.pk) for c in stale)}. Reject them, or "
                "make the change by hand.",
                messages.WARNING,
            )

    @admin.action(description="Reject selected corrections", permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Correction]) -> None:
        count = self.decide_all(request, queryset, Correction.Status.REJECTED)
        self.message_user(request, f"Rejected {plural(count)}.")

    @admin.action(description="Mark selected corrections as spam", permissions=["change"])
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Correction]) -> None:
        count = self.decide_all(request, queryset, Correction.Status.SPAM)
        self.message_user(request, f"Marked {plural(count)} as spam.")

    def decide_all(self, request: HttpRequest, queryset: QuerySet[Correction], status: str) -> int:
        """Accepted corrections are in the text already: undo one from the page's or the
        article's history, not here."""
        changed = 0
        undecided = queryset.exclude(status=status).exclude(status=Correction.Status.ACCEPTED)
        with transaction.atomic():
            for correction in undecided:
                moderation.decide(correction, status, request.user)
                changed += 1
        return changed
