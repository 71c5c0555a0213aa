"""Search results as plain data: the JSON of the API and of `backfile search --json`."""

from __future__ import annotations

from urllib.parse import urlencode

from backfile.replies.models import approved_reply_counts
from backfile.search.backends import SearchResults


def article_link(url: str, query_text: str) -> str:
    """An article's address carrying the query, so the article page highlights it too."""
    return f"{url}?{urlencode({'q': query_text})}" if query_text.strip() else url


def page_result(hit) -> dict:
    """A page result (`page_search.PageHit`) as plain data."""
    page, issue = hit.page, hit.page.issue
    return {
        "kind": "page",
        "url": hit.url,
        "publication": issue.publication.name,
        "issue": issue.label,
        "issue_url": issue.get_absolute_url(),
        "date": issue.date.isoformat() if issue.date else None,
        "year": issue.year,
        "page": page.label,
        "sequence": page.sequence,
        "thumbnail": hit.thumbnail["url"] if hit.thumbnail else None,
        "snippet": str(hit.snippet),
    }


def found_to_dict(found) -> dict:
    """A search of any kind (`kinds.Found`): `results` lists articles or pages (`listed`),
    `counts` gives the matches of each kind searched, `more_pages` the best pages beside
    articles."""
    if found.listed == "pages":
        data = results_to_dict(found.results, articles=False)
        data["results"] = [page_result(hit) for hit in found.results.hits]
    else:
        data = results_to_dict(found.results)
    return data | {
        "kind": found.kind,
        "listed": found.listed,
        "counts": found.counts,
        "more_pages": [page_result(hit) for hit in found.preview],
    }


def results_to_dict(results: SearchResults, articles: bool = True) -> dict:
    replies = approved_reply_counts(hit.article.pk for hit in results.hits) if articles else {}
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
                "kind": "article",
                "url": article_link(hit.article.get_absolute_url(), results.query.text),
                "title": hit.article.title,
                "title_html": str(hit.title),
                "publication": hit.article.publication.name,
                "issue": hit.article.issue.label,
                "date": hit.article.issue.date.isoformat() if hit.article.issue.date else None,
                "year": hit.article.issue.year,
                "section": hit.article.section,
                "authors": [b.author.name for b in hit.article.author_bylines()],
                "snippet": str(hit.snippet),
                "replies": replies.get(hit.article.pk, 0),
            }
            for hit in (results.hits if articles else [])
        ],
    }
