"""The moderation queue: replies waiting first, approved or marked spam in bulk.

Actions save reply by reply, so each decision is a revision with who and when.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html
from django.utils.safestring import SafeString
from simple_history.admin import SimpleHistoryAdmin

from backfile.replies.models import Reply
from backfile.replies.text import render_reply


@admin.register(Reply)
class ReplyAdmin(SimpleHistoryAdmin):
    list_display = ["author_name", "excerpt", "article_link", "status", "created", "ip_address"]
    list_filter = ["status", "created"]
    list_select_related = ["article__issue", "article__publication"]
    search_fields = ["author_name", "author_email", "text", "ip_address"]
    raw_id_fields = ["article", "parent"]
    readonly_fields = ["created", "ip_address", "key", "as_readers_see_it"]
    fields = [
        "status",
        "article",
        "parent",
        "author_name",
        "author_email",
        "author_url",
        "text",
        "as_readers_see_it",
        "created",
        "ip_address",
        "key",
    ]
    actions = ["approve", "mark_spam"]
    date_hierarchy = "created"

    def get_ordering(self, request: HttpRequest) -> list:
        """Held replies first (the queue), newest first within each group."""
        waiting_first = Case(
            When(status=Reply.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [waiting_first.asc(), "-created", "-id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # replies come from readers (or from imported sources)

    @admin.display(description="reply")
    def excerpt(self, reply: Reply) -> str:
        return truncatechars(reply.text, 120)

    @admin.display(description="article", ordering="article__title")
    def article_link(self, reply: Reply) -> SafeString:
        return format_html('<a href="{}">{}</a>', reply.get_absolute_url(), reply.article)

    @admin.display(description="as readers see it")
    def as_readers_see_it(self, reply: Reply) -> SafeString:
        return render_reply(reply.text)

    @admin.action(description="Approve selected replies", permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Reply]) -> None:
        count = set_status(queryset, Reply.Status.APPROVED)
        self.message_user(request, f"Approved {count} repl{'y' if count == 1 else 'ies'}.")

    @admin.action(description="Mark selected replies as spam", permissions=["change"])
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Reply]) -> None:
        count = set_status(queryset, Reply.Status.SPAM)
        self.message_user(request, f"Marked {count} repl{'y' if count == 1 else 'ies'} as spam.")


def set_status(queryset: QuerySet[Reply], status: str) -> int:
    """Change each reply's status with a save, so history records the decision."""
    changed = 0
    with transaction.atomic():
        for reply in queryset.exclude(status=status):
            reply.status = status
            reply.save(update_fields=["status"])
            changed += 1
    return changed
