"""Template tags for replies: the section under an article, and counts for listings.

On an article page: `{% load replies %}{% replies_section article %}`.
On a listing: `{% reply_counts articles as counts %}` (one query for the lot; an
Issue stands for its articles) and then `{{ counts|replies_label:article.pk }}`,
which reads "3 replies" (or nothing when there are none).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django import template
from django.http import HttpRequest
from django.utils.safestring import SafeString

from backfile.archive.models import Article, Issue
from backfile.archive.paging import whole_number
from backfile.media.rendering import web_address
from backfile.replies import drafts
from backfile.replies.forms import ReplyForm
from backfile.replies.models import Reply, approved_reply_counts
from backfile.replies.text import render_reply
from backfile.replies.views import MESSAGE_TAGS

register = template.Library()

MAX_DEPTH = 6


def reply_thread(article: Article) -> tuple[list[Reply], dict[int, Reply]]:
    """Approved replies as a tree (each with `thread_children`), and all of them by id.

    A reply whose parent is not shown (held, spam, deleted) starts a thread of its
    own. Threads nest at most MAX_DEPTH deep (as WordPress does): deeper answers
    join the deepest level, so no thread can make the page too deep to render.
    """
    replies = list(article.replies.approved().order_by("created", "id"))
    by_id = {reply.pk: reply for reply in replies}
    answers: dict[int, list[Reply]] = defaultdict(list)
    roots: list[Reply] = []
    for reply in replies:
        reply.thread_children = []
        (answers[reply.parent_id] if reply.parent_id in by_id else roots).append(reply)
    placing = [(root, 1, roots) for root in roots]
    while placing:
        reply, depth, siblings = placing.pop()
        for answer in answers[reply.pk]:
            if depth < MAX_DEPTH:
                reply.thread_children.append(answer)
                placing.append((answer, depth + 1, reply.thread_children))
            else:
                siblings.append(answer)
                placing.append((answer, depth, siblings))
    return roots, by_id


def _requested_parent(request: HttpRequest | None, shown: dict[int, Reply]) -> Reply | None:
    """The reply named by `?replyto=N`, if it is one shown on this page."""
    number = whole_number(request.GET.get("replyto")) if request else None
    return shown.get(number) if number is not None else None


def _form_and_parent(
    request: HttpRequest | None, article: Article, shown: dict[int, Reply]
) -> tuple[ReplyForm, Reply | None]:
    """The form a POST was refused with (reader's words kept, see `drafts`), or a fresh one."""
    form = drafts.take(request, article)
    if form is not None:
        parent_id = whole_number(form.data.get("parent"))
        if "parent" in form.errors or parent_id is None:
            return form, None
        return form, shown.get(parent_id)
    parent = _requested_parent(request, shown)
    return ReplyForm(article=article, initial={"parent": parent.pk if parent else None}), parent


def error_summary(form: ReplyForm) -> list[tuple[str, str]]:
    """Each reason a reply was refused, with the id of the field it is about ("" for the
    reasons about the whole reply), in the form's order."""
    summary = [("", str(error)) for error in form.non_field_errors()]
    for field in form:
        anchor = "" if field.is_hidden else field.auto_id
        summary += [(anchor, str(error)) for error in field.errors]
    return summary


@register.inclusion_tag("replies/section.html", takes_context=True)
def replies_section(context: template.Context, article: Article) -> dict:
    request = context.get("request")
    thread, shown = reply_thread(article)
    form, parent = _form_and_parent(request, article, shown)
    return {
        "article": article,
        "thread": thread,
        "count": len(shown),
        "form": form,
        "replying_to": parent,
        "error_summary": error_summary(form) if form.is_bound else [],
        "reply_messages": [
            m for m in context.get("messages", []) if MESSAGE_TAGS in m.extra_tags.split()
        ],
    }


@register.filter
def reply_html(text: str) -> SafeString:
    """A reply's text as safe HTML: escaped, with paragraphs and sanitised links."""
    return render_reply(text)


# the URL if it is an http(s) address a reader may follow, else nothing
register.filter("web_address", web_address)


@register.simple_tag
def reply_counts(articles: Issue | Iterable[Article | int]) -> dict[int, int]:
    if isinstance(articles, Issue):
        ids: Iterable[int] = articles.articles.values_list("id", flat=True)
    else:
        ids = [a if isinstance(a, int) else a.pk for a in articles]
    return approved_reply_counts(ids)


@register.filter
def replies_label(counts: dict[int, int], article_id: int) -> str:
    count = counts.get(article_id, 0) if counts else 0
    if not count:
        return ""
    return "1 reply" if count == 1 else f"{count:,} replies"
