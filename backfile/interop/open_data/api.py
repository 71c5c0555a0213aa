"""`/api/publications`, `/api/issues/{id}`, `/api/articles/{id}`, `/api/authors`: the archive
as open data, beside the search API, documented in one OpenAPI document (/api/openapi.json).

Every record carries its id, its page's absolute address (on BACKFILE_BASE_URL) and its own
API address; lists are paginated (`page`, `per_page`, with `next` and `previous`). An article
comes with its body as blocks, the entries of the authority file it mentions and the passages it
quotes, or with `?format=jsonl` as the JSONL export's record. The authority file's own
addresses are in `backfile.interop.open_data.authority`.
"""

from __future__ import annotations

import math
from typing import Literal
from urllib.parse import urlencode

from django.db.models import Count, Max, Min, Prefetch, QuerySet
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from ninja import Router
from ninja.decorators import decorate_view
from ninja.errors import ValidationError

from backfile.archive.browsing import ISSUE_ORDER
from backfile.archive.models import Article, Author, Byline, Issue, Publication
from backfile.authority.models import TYPE_PATHS, Mention
from backfile.authority.shown import entry_url
from backfile.caching.http import cached_page
from backfile.ingest.export import article_quotations, article_to_json
from backfile.interop.oai.responses import cover_date
from backfile.interop.open_data import schemas
from backfile.quotations.models import Quotation
from backfile.site_url import absolute_url

router = Router(tags=["open data"])
PER_PAGE = 50
MAX_PER_PAGE = 200


def api_url(request: HttpRequest, name: str, *args) -> str:
    return absolute_url(request, reverse(f"api:{name}", args=args))


def entry_links(request: HttpRequest, kind: str, slug: str) -> dict:
    """An entry's page and API addresses: no page (None) for a stored slug no address can
    hold, rather than a 500 that would take a whole page of the API down."""
    path = entry_url(kind, slug)
    try:
        api = api_url(request, "authority_entry", kind, slug)
    except NoReverseMatch:
        api = ""
    return {"url": absolute_url(request, path) if path else None, "api_url": api}


def paginated(request: HttpRequest, items: QuerySet, page: int, per_page: int):
    """One page of `items` and the numbers and links around it."""
    total = items.count()
    pages = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page

    def link(number: int) -> str | None:
        if not 1 <= number <= pages or number == page:
            return None
        params = {**request.GET.dict(), "page": number, "per_page": per_page}
        return absolute_url(request, f"{request.path}?{urlencode(params)}")

    numbers = {"page": page, "pages": pages, "per_page": per_page, "total": total,
               "next": link(page + 1), "previous": link(page - 1)}  # fmt: skip
    return list(items[start : start + per_page]), numbers


def checked_paging(page: int, per_page: int) -> tuple[int, int]:
    """400 for a page before the first or a page size out of range."""
    problems = []
    if page < 1:
        problems.append({"loc": ["query", "page"], "msg": "page counts from 1"})
    if not 1 <= per_page <= MAX_PER_PAGE:
        problems.append({"loc": ["query", "per_page"],
                         "msg": f"per_page must be 1 to {MAX_PER_PAGE}"})  # fmt: skip
    if problems:
        raise ValidationError(problems)
    return page, per_page


def publication_out(request: HttpRequest, publication: Publication) -> dict:
    slug = publication.slug
    return {
        **link(request, publication, "publication", slug),
        **{
            name: getattr(publication, name)
            for name in (
                "slug",
                "name",
                "full_title",
                "issn",
                "eissn",
                "publisher",
                "place",
                "frequency",
                "rights",
                "description",
                "first_issue",
                "last_issue",
            )
        },  # fmt: skip
        "languages": publication.language_list,
        "issues": publication.issue_count,
        "articles": publication.article_count,
        "first_year": publication.first_year,
        "last_year": publication.last_year,
        "issues_url": api_url(request, "publication_issues", slug),
        "dump_url": absolute_url(request, f"{reverse('data:index')}#{slug}"),
    }


def with_counts(publications: QuerySet[Publication]) -> QuerySet[Publication]:
    return publications.annotate(
        issue_count=Count("issues", distinct=True),
        article_count=Count("articles", distinct=True),
        first_year=Min("issues__year"),
        last_year=Max("issues__year"),
    )


def issue_summary(request: HttpRequest, issue: Issue) -> dict:
    year, month, day = issue.real_parts()
    return {
        **link(request, issue, "issue", issue.pk),
        "publication": issue.publication.slug,
        "label": issue.label,
        "number": issue.number,
        "volume": issue.volume,
        "year": year,
        "month": month,
        "day": day,
        "date": "-".join([f"{year:04d}", *(f"{p:02d}" for p in (month, day) if p)]),
    }


def link(request: HttpRequest, thing, name: str, key) -> dict:
    """A record's id, its page's address and its own in the API (`name`, by `key`)."""
    return {
        "id": thing.pk,
        "url": absolute_url(request, thing.get_absolute_url()),
        "api_url": api_url(request, name, key),
    }


def article_summary(request: HttpRequest, article: Article) -> dict:
    return {
        **link(request, article, "article", article.pk),
        "title": article.title,
        "kicker": article.kicker,
        "section": article.section,
        "pages": article.pages,
        "language": article.language,
        "authors": [
            {
                "id": b.author_id,
                "name": b.author.name,
                "role": b.role,
                "api_url": api_url(request, "author", b.author.slug),
            }  # fmt: skip
            for b in article.bylines.all()
        ],
    }


def with_bylines(articles: QuerySet[Article]) -> QuerySet[Article]:
    bylines = Byline.objects.select_related("author").order_by("position", "pk")
    return articles.select_related("issue__publication", "publication").prefetch_related(
        Prefetch("bylines", queryset=bylines)
    )


cached = decorate_view(cached_page(query_strings=True))


@router.get("/publications", response=schemas.PublicationsOut, url_name="publications",
            summary="Every publication, with its catalogue record and holdings")  # fmt: skip
@cached
def publications(request: HttpRequest):
    found = with_counts(Publication.objects.order_by("name"))
    return {"results": [publication_out(request, p) for p in found]}


@router.get("/publications/{slug}", response={200: schemas.PublicationOut, 404: schemas.Problem},
            url_name="publication", summary="One publication")  # fmt: skip
@cached
def publication(request: HttpRequest, slug: str):
    return publication_out(request, get_object_or_404(with_counts(Publication.objects), slug=slug))


@router.get("/publications/{slug}/issues", response={200: schemas.IssuesPage, 404: schemas.Problem},
            url_name="publication_issues", summary="A publication's issues, in order")  # fmt: skip
@cached
def publication_issues(request: HttpRequest, slug: str, page: int = 1, per_page: int = PER_PAGE):
    page, per_page = checked_paging(page, per_page)
    found = get_object_or_404(Publication, slug=slug)
    issues = Issue.objects.filter(publication=found).select_related("publication")
    items, numbers = paginated(request, issues.order_by(*ISSUE_ORDER), page, per_page)
    return {**numbers, "results": [issue_summary(request, i) for i in items]}


@router.get("/issues/{int:issue_id}", response={200: schemas.IssueOut, 404: schemas.Problem},
            url_name="issue", summary="An issue with its contents")  # fmt: skip
@cached
def issue(request: HttpRequest, issue_id: int):
    found = get_object_or_404(Issue.objects.select_related("publication"), pk=issue_id)
    contents = with_bylines(found.articles.all()).order_by("position", "pk")
    return {
        **issue_summary(request, found),
        "title": found.title,
        "articles": [article_summary(request, a) for a in contents],
    }


@router.get("/articles/{int:article_id}", response={200: schemas.ArticleOut, 404: schemas.Problem},
            url_name="article", summary="An article with its body")  # fmt: skip
@cached
def article(request: HttpRequest, article_id: int, format: Literal["blocks", "jsonl"] = "blocks"):
    """The article with its body as blocks (docs/jsonl-format.md); with `format=jsonl`, the
    JSONL export's record of it instead, as `backfile ingest` reads it back."""
    found = get_object_or_404(
        with_bylines(Article.objects).prefetch_related(
            Prefetch("mentions", Mention.objects.select_related("entry")),
            Prefetch("quotations", Quotation.objects.select_related("work")),
        ),
        pk=article_id,
    )
    if format == "jsonl":
        return JsonResponse(article_to_json(found), json_dumps_params={"ensure_ascii": False})
    return {
        **article_summary(request, found),
        "key": found.key,
        "standfirst": found.standfirst,
        "summary": found.summary,
        "date": cover_date(found),
        "subjects": found.subjects,
        "issue": issue_summary(request, found.issue),
        "modified": found.modified.isoformat(),
        "blocks": found.blocks,
        "mentions": article_mentions(request, found),
        "quotations": article_quotations(found),
    }


def article_mentions(request: HttpRequest, article: Article) -> list[dict]:
    """The entries an article mentions, by type then name."""
    ordered = sorted(  # (prefetched with their entries: see `article`; known types only)
        (m for m in article.mentions.all() if m.entry.type in TYPE_PATHS),
        key=lambda m: (m.entry.type, m.entry.key, m.entry.name),
    )
    return [
        {
            "id": m.entry_id,
            "type": m.entry.type,
            "name": m.entry.name,
            "count": m.count,
            **entry_links(request, m.entry.type, m.entry.slug),
        }
        for m in ordered
    ]


@router.get("/authors", response={200: schemas.AuthorsPage}, url_name="authors",
            summary="Authors A to Z, with their article counts")  # fmt: skip
@cached
def authors(request: HttpRequest, page: int = 1, per_page: int = PER_PAGE):
    page, per_page = checked_paging(page, per_page)
    everyone = Author.objects.annotate(article_count=Count("articles", distinct=True))
    items, numbers = paginated(request, everyone.order_by("name", "pk"), page, per_page)
    return {**numbers, "results": [author_out(request, a) for a in items]}


def author_out(request: HttpRequest, author: Author) -> dict:
    return {
        **link(request, author, "author", author.slug),
        "slug": author.slug,
        "name": author.name,
        "articles": author.article_count,
    }


@router.get("/authors/{slug}", response={200: schemas.AuthorArticlesPage, 404: schemas.Problem},
            url_name="author", summary="An author and their articles, newest or oldest first")  # fmt: skip
@cached
def author(
    request: HttpRequest,
    slug: str,
    page: int = 1,
    per_page: int = PER_PAGE,
    order: Literal["oldest", "newest"] = "oldest",
):
    page, per_page = checked_paging(page, per_page)
    person = get_object_or_404(
        Author.objects.annotate(article_count=Count("articles", distinct=True)), slug=slug
    )
    dated = ["issue__year", "issue__month", "issue__day", "position", "pk"]
    ordering = dated if order == "oldest" else [f"-{f}" for f in dated]
    articles = with_bylines(Article.objects.filter(bylines__author=person).distinct())
    items, numbers = paginated(request, articles.order_by(*ordering), page, per_page)
    return {**numbers, "author": author_out(request, person),
            "results": [article_summary(request, a) for a in items]}  # fmt: skip
