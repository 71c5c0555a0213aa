"""Citation files at `<article url>cite.ris`, `cite.bib` and `cite.json`."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from backfile import site_url
from backfile.archive.models import Article, Review
from backfile.caching.http import cached_page
from backfile.interop.citations.csl import article_csl
from backfile.interop.citations.formats import FORMATS


@cached_page
def citation_file(
    request: HttpRequest,
    publication: str,
    decade: int,
    year: int,
    issue: str,
    article: str,
    extension: str,
) -> HttpResponse:
    """The article's citation in one file format, offered as a download named after it."""
    file_format = FORMATS.get(extension)
    if file_format is None:
        raise Http404("No citation format has that extension.")
    found = get_object_or_404(
        Article.objects.select_related("issue__publication", "publication").prefetch_related(
            "bylines__author", Prefetch("reviews", queryset=Review.objects.select_related("work"))
        ),
        issue__publication__slug=publication,
        issue__decade=decade,
        issue__year=year,
        issue__slug=issue,
        slug=article,
    )
    item = article_csl(found, site_url.absolute_url(request, found.get_absolute_url()))
    response = HttpResponse(
        file_format.write(item), content_type=f"{file_format.content_type}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{found.slug}.{extension}"'
    return response
