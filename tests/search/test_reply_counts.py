"""Search listings say how many approved replies each article has."""

from __future__ import annotations

from django.utils import timezone

from backfile.archive.models import Article
from backfile.replies.models import Reply


def reply(article: Article, status: str) -> None:
    Reply.objects.create(
        article=article,
        author_name="Reader",
        text="A view.",
        status=status,
        created=timezone.now(),
    )


def test_results_show_approved_reply_counts(archive, client):
    article = Article.objects.get(key="ferry-strike")
    reply(article, Reply.Status.APPROVED)
    reply(article, Reply.Status.APPROVED)
    reply(article, Reply.Status.PENDING)
    reply(article, Reply.Status.SPAM)

    page = client.get("/search/", {"q": "ferry"}).content.decode()
    assert "2 replies" in page

    data = client.get("/api/search", {"q": "ferry"}).json()
    [hit] = [r for r in data["results"] if r["title"] == article.title]
    assert hit["replies"] == 2
