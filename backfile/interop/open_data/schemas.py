"""The shapes of the open data API's answers (django-ninja schemas, documented in OpenAPI)."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Schema


class Problem(Schema):
    """An RFC 9457 problem: what was wrong with the request."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] = []


class Link(Schema):
    id: int
    url: str  # the page, on the canonical origin
    api_url: str  # this record in the API


class PublicationOut(Link):
    slug: str
    name: str
    full_title: str
    issn: str
    eissn: str
    publisher: str
    place: str
    languages: list[str]
    frequency: str
    rights: str
    description: str
    first_issue: str
    last_issue: str
    issues: int
    articles: int
    first_year: int | None
    last_year: int | None
    issues_url: str
    dump_url: str  # the publication's bulk data (/data/)


class IssueSummary(Link):
    publication: str  # its slug
    label: str
    number: int | None
    volume: int | None
    year: int
    month: int | None
    day: int | None
    date: str  # ISO, at the issue's own precision: 1960-06 for a monthly


class AuthorRef(Schema):
    id: int
    name: str
    role: str
    api_url: str


class ArticleSummary(Link):
    title: str
    kicker: str
    section: str
    pages: str
    language: str
    authors: list[AuthorRef]


class IssueOut(IssueSummary):
    title: str
    articles: list[ArticleSummary]


class MentionOut(Schema):
    """An entry of the authority file an article mentions."""

    id: int
    type: Literal["person", "place", "organisation"]
    name: str  # its preferred name
    count: int  # times the article mentions it
    url: str | None  # the entry's page (null where the site shows no entry pages)
    api_url: str


class QuotationOut(Schema):
    """A passage an article quotes."""

    text: str
    pages: str  # as cited: 30, 12–14; empty where the text does not say
    work: str | None  # the title of the reviewed work it comes from


class ArticleOut(ArticleSummary):
    key: str
    standfirst: str
    summary: str
    date: str
    subjects: list[str]
    issue: IssueSummary
    modified: str
    blocks: list[dict[str, Any]]
    mentions: list[MentionOut]  # by type, then name
    quotations: list[QuotationOut]  # in the article's order


class AuthorOut(Link):
    slug: str
    name: str
    articles: int


class Page(Schema):
    page: int
    pages: int
    per_page: int
    total: int
    next: str | None
    previous: str | None


class IssuesPage(Page):
    results: list[IssueSummary]


class AuthorsPage(Page):
    results: list[AuthorOut]


class AuthorArticlesPage(Page):
    author: AuthorOut
    results: list[ArticleSummary]


class PublicationsOut(Schema):
    results: list[PublicationOut]
