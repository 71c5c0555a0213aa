"""robots.txt: where the sitemap is, and what crawlers should leave alone."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from backfile.site_url import absolute_url


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Admin is private; search results (`/search/?q=…`) are endless and repeat the archive,
    which the sitemap already lists page by page."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Disallow: {reverse('search:search')}?",
        f"Sitemap: {absolute_url(request, reverse('feeds:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
