"""Posting a reply: every answer is a redirect back to the article's own address.

Accepted: to the reply (published) or the form (held), with a thank-you message.
Refused: to the form's error summary (`#reply-errors`), with the reader's words and
the reasons kept in their session for that one page (`drafts`). So the address bar
always shows the article, a reload never re-sends the form, and the page with one
reader's words is never in the page cache. A GET of the posting address (a reload,
a bookmark) goes to the article's form.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods

from backfile.archive.models import Article
from backfile.replies import drafts, moderation
from backfile.replies.forms import ReplyForm
from backfile.replies.models import Reply

FORM_ANCHOR = "leave-a-reply"
ERRORS_ANCHOR = "reply-errors"
MESSAGE_TAGS = "replies"


class SeeOther(HttpResponseRedirect):
    """303: the answer to a POST is fetched with GET, whatever the browser."""

    status_code = 303


@require_http_methods(["GET", "HEAD", "POST"])
def post_reply(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.select_related("issue", "publication"), pk=article_id
    )
    if request.method != "POST":
        return redirect(f"{article.get_absolute_url()}#{FORM_ANCHOR}")
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
    if limited or not valid:
        drafts.keep(request, form)
        return SeeOther(f"{article.get_absolute_url()}#{ERRORS_ANCHOR}")
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
