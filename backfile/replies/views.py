"""Posting a reply: accepted replies redirect back to the article; rejected ones re-show it.

A rejected reply re-renders the article page itself (through whatever view
serves the article's URL), with the reader's words in the form and the reasons
above it, so nothing typed is lost.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import resolve
from django.views.decorators.http import require_POST

from backfile.archive.models import Article
from backfile.replies import moderation
from backfile.replies.forms import ReplyForm
from backfile.replies.models import Reply

FORM_ANCHOR = "leave-a-reply"
MESSAGE_TAGS = "replies"


@require_POST
def post_reply(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.select_related("issue", "publication"), pk=article_id
    )
    form = ReplyForm(request.POST, article=article)
    address = moderation.client_address(request)
    valid = form.is_valid()
    if valid:  # counted and stored in one step, so simultaneous posts cannot pass the limit
        reply = moderation.store_within_rate(address, lambda: form.save(address))
        limited = reply is None
    else:
        limited = moderation.is_rate_limited(address)
    if limited:
        form.add_error(None, moderation.rate_limit_message())
        return article_page_with_form(request, article, form, status=429)
    if not valid:
        return article_page_with_form(request, article, form, status=400)
    messages.success(request, thank_you(reply), extra_tags=MESSAGE_TAGS)
    anchor = reply.anchor if reply.status == Reply.Status.APPROVED else FORM_ANCHOR
    return redirect(f"{article.get_absolute_url()}#{anchor}")


def thank_you(reply: Reply) -> str:
    if reply.status == Reply.Status.APPROVED:
        return "Thank you — your reply is published below."
    return (
        "Thank you — your reply is held for moderation and will appear here once an "
        "editor has read it."
    )


def article_page_with_form(
    request: HttpRequest, article: Article, form: ReplyForm, status: int
) -> HttpResponse:
    """The article page as its own view renders it, with this bound form in the replies."""
    request.reply_form = form
    match = resolve(article.get_absolute_url())
    response = match.func(request, *match.args, **match.kwargs)
    response.status_code = status
    return response
