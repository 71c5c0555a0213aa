"""`{% issue_pages issue as pages %}`: an issue's printed pages for its contents page (their
thumbnails and labels, the search within, the PDF and the manifest), or "" where it has none."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from backfile.archive.models import Issue
from backfile.media.models import Asset

register = template.Library()


@register.simple_tag
def issue_pages(issue: Issue) -> SafeString | str:
    from backfile.facsimiles.views import issue_pages as listed
    from backfile.facsimiles.views import pdf_url, search_url

    pages = listed(issue)
    if not pages:
        return ""
    pdf = Asset.objects.filter(sha256=issue.pdf).exclude(original="").first() if issue.pdf else None
    return render_to_string(
        "facsimiles/_issue_pages.html",
        {
            "pages": pages,
            "search_within": search_url(issue),
            "pdf": pdf_url(issue) if pdf or any(p["thumbnail"] for p in pages) else "",
            "pdf_made": pdf is None,
            "manifest": reverse("facsimiles:manifest", args=[issue.pk]),
        },
    )
