"""Index pages: the archive's people (and, as they come, its sections and subjects)."""

from __future__ import annotations

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from backfile.archive.listing import LISTING_DEFERRED
from backfile.archive.models import Author
from backfile.caching.http import cached_page


@cached_page
def author(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Author, slug=slug)
    articles = (
        person.articles.select_related("issue__publication", "publication")
        .defer(*LISTING_DEFERRED)
        .order_by(
            "issue__year",
            F("issue__month").asc(nulls_first=True),
            F("issue__day").asc(nulls_first=True),
            "publication__name",
            F("position").asc(nulls_last=True),
            "id",
        )
    )
    return render(request, "archive/author.html", {"author": person, "articles": articles})
