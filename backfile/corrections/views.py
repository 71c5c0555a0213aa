"""Suggesting a correction, without JavaScript: choose a paragraph, retype it, send it.

`/corrections/article/<id>/` and `/corrections/page/<id>/` list the paragraphs, each with
its own form at `…/<n>/`. A sent correction is held for an editor and the reader comes
back to the list with a thank-you; a refused one re-shows the form with the reasons and
the reader's words (400, or 429 past the rate limit).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from backfile.archive.models import Article
from backfile.corrections import text as paragraphs
from backfile.corrections.forms import CorrectionForm
from backfile.corrections.models import Correction
from backfile.facsimiles.models import Page
from backfile.replies import moderation

MESSAGE_TAGS = "corrections"
THANK_YOU = (
    "Thank you — your correction is held for an editor, and the text will change once it "
    "has been accepted."
)


def subject_of(kind: str, pk: int) -> Page | Article:
    if kind == "page":
        return get_object_or_404(Page.objects.select_related("issue__publication"), pk=pk)
    return get_object_or_404(Article.objects.select_related("issue", "publication"), pk=pk)


def subject_url(subject: Page | Article) -> str:
    """Where readers read the page or the article."""
    if isinstance(subject, Page) and not hasattr(subject, "get_absolute_url"):
        return f"{subject.issue.get_absolute_url()}page/{subject.sequence}/"
    return subject.get_absolute_url()


def subject_name(subject: Page | Article) -> str:
    if isinstance(subject, Page):
        return f"page {subject.label or subject.sequence} of {subject.issue}"
    return f"“{subject.title}”"


def choose(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    subject = subject_of(kind, pk)
    waiting = set(
        Correction.objects.pending().filter(**{kind: subject}).values_list("paragraph", flat=True)
    )
    listed = [
        (number, text, number in waiting)
        for number, text in enumerate(paragraphs.paragraphs(subject), start=1)
    ]
    return render(
        request,
        "corrections/choose.html",
        {
            "subject": subject,
            "kind": kind,
            "name": subject_name(subject),
            "url": subject_url(subject),
            "paragraphs": listed,
            "thanks": [m for m in messages.get_messages(request) if MESSAGE_TAGS in m.tags],
        },
    )


def suggest(request: HttpRequest, kind: str, pk: int, number: int) -> HttpResponse:
    subject = subject_of(kind, pk)
    if paragraphs.paragraph(subject, number) is None:
        raise Http404("There is no such paragraph in this text.")
    if request.method != "POST":
        form = CorrectionForm(subject=subject, number=number)
        return suggestion_page(request, form, kind)
    form = CorrectionForm(request.POST, subject=subject, number=number)
    address = moderation.client_address(request)
    valid = form.is_valid()
    if valid:  # counted and stored in one step, as replies are
        stored = moderation.store_within_rate(address, lambda: form.save(address), Correction)
        limited = stored is None
    else:
        limited = moderation.is_rate_limited(address, Correction)
    if limited:
        form.add_error(None, moderation.rate_limit_message("corrections", "correction"))
        return suggestion_page(request, form, kind, status=429)
    if not valid:
        return suggestion_page(request, form, kind, status=400)
    messages.success(request, THANK_YOU, extra_tags=MESSAGE_TAGS)
    return redirect(reverse(f"corrections:{kind}", args=[subject.pk]))


def suggestion_page(
    request: HttpRequest, form: CorrectionForm, kind: str, status: int = 200
) -> HttpResponse:
    subject = form.subject
    return render(
        request,
        "corrections/suggest.html",
        {
            "form": form,
            "subject": subject,
            "kind": kind,
            "name": subject_name(subject),
            "url": subject_url(subject),
            "number": form.number,
            "original": form.original,
            "choose_url": reverse(f"corrections:{kind}", args=[subject.pk]),
        },
        status=status,
    )
