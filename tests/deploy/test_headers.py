"""Every kind of response carries the Content-Security-Policy and the fixed security headers."""

from __future__ import annotations

import pytest

from backfile.archive.models import Article, Author
from tests.helpers.invented_archive import load_archive

REQUIRED_DIRECTIVES = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


def page_paths() -> list[tuple[str, int]]:
    article = Article.objects.select_related("issue__publication").order_by("pk").first()
    issue = article.issue
    publication = issue.publication.get_absolute_url()
    return [
        ("/", 200),
        (publication, 200),
        (f"{publication}{issue.decade}s/", 200),
        (f"{publication}{issue.decade}s/{issue.year}/", 200),
        (issue.get_absolute_url(), 200),
        (article.get_absolute_url(), 200),
        (f"{article.get_absolute_url()}?q=body", 200),
        (f"{article.get_absolute_url()}cite.ris", 200),
        (Author.objects.first().get_absolute_url(), 200),
        ("/search/", 200),
        ("/search/?q=body", 200),
        ("/api/search?q=body", 200),
        ("/api/docs", 200),
        ("/api/openapi.json", 200),
        ("/oai?verb=Identify", 200),
        ("/feeds/articles.atom", 200),
        ("/sitemap.xml", 200),
        ("/robots.txt", 200),
        ("/admin/login/", 200),
        ("/admin/", 302),
        ("/no-such-publication/", 404),
    ]


@pytest.fixture
def archive(db):
    load_archive()


def test_every_kind_of_response_sends_the_policy_and_security_headers(client, archive):
    for path, status in page_paths():
        response = client.get(path)
        assert response.status_code == status, path
        policy = response.headers.get("Content-Security-Policy", "")
        directives = {part.strip() for part in policy.split(";")}
        assert directives >= REQUIRED_DIRECTIVES, (path, policy)
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "same-origin", path
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", path


def test_plain_http_on_the_loopback_gets_no_hsts_and_no_secure_cookies(client, archive):
    """The defaults suit the loopback demo over plain HTTP: nothing that would lock it out."""
    response = client.get("/admin/login/")
    assert "Strict-Transport-Security" not in response.headers
    assert response.cookies["csrftoken"]["secure"] == ""
