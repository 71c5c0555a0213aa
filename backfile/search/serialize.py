"""Search results as plain data: the JSON of the API and of `backfile search --json`."""

from __future__ import annotations

from urllib.parse import urlencode

from backfile.replies.models import approved_reply_counts
from backfile.search.backends import SearchResults


def article_link(url: str, query_text: str) -> str:
    """An article's address carrying the query, so the article page highlights it too."""
    return f"{url}?{urlencode({'q': query_text})}" if query_text.strip() else url


def results_to_dict(results: SearchResults) -> dict:
    replies = approved_reply_counts(hit.article.pk for hit in results.hits)
    return {
        "query": results.query.text,
        "total": results.total,
        "total_estimated": results.total_estimated,
        "page": results.page,
        "pages": results.pages,
        "per_page": results.per_page,
        "sort": results.sort,
        "notices": results.notices,
        "facets_estimated": results.facets_estimated,
        "facets": {
            name: [
                {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                for v in values
            ]
            for name, values in results.facets.items()
        },
        "results": [
            {
                "url": article_link(hit.article.get_absolute_url(), results.query.text),
                "title": hit.article.title,
                "title_html": str(hit.title),
                "publication": hit.article.publication.name,
                "issue": hit.article.issue.label,
                "date": hit.article.date.isoformat() if hit.article.date else None,
                "year": hit.article.issue.year,
                "section": hit.article.section,
                "authors": [b.author.name for b in hit.article.author_bylines()],
                "snippet": str(hit.snippet),
                "replies": replies.get(hit.article.pk, 0),
            }
            for hit in results.hits
        ],
    }
