"""schema.org descriptions (JSON-LD) of the archive's pages, for search engines and the tools
that read structured data: an article (`Article`, `NewsArticle` in a daily or weekly, `Review`
of a `Book` for a review), an issue (`PublicationIssue` inside its `PublicationVolume` where the
volume is known), a publication (`Periodical` with its ISSNs) and an author (`Person`).

Each function takes `url`, a callable giving the absolute address of a site path, so the
descriptions use the canonical origin (BACKFILE_BASE_URL) like every other address.
"""

from __future__ import annotations

from collections.abc import Callable

from backfile.archive.models import Article, Author, Issue, Publication

CONTEXT = "https://schema.org"
Url = Callable[[str], str]


def iso_date(year: int, month: int | None, day: int | None) -> str:
    """`1921-05-03`, `1960-06` or `1961`: the date at the precision the archive knows it."""
    return "-".join([f"{year:04d}", *(f"{p:02d}" for p in (month, day) if p)])


def issue_date(issue: Issue) -> str:
    return iso_date(*issue.real_parts())


def periodical(publication: Publication, url: Url) -> dict:
    data = {
        "@type": "Periodical",
        "@id": url(publication.get_absolute_url()),
        "name": publication.name,
        "url": url(publication.get_absolute_url()),
    }
    issns = [i for i in (publication.issn, publication.eissn) if i]
    if issns:
        data["issn"] = issns if len(issns) > 1 else issns[0]
    if publication.full_title and publication.full_title != publication.name:
        data["alternateName"] = publication.full_title
    if publication.publisher:
        data["publisher"] = {"@type": "Organization", "name": publication.publisher}
    if publication.place:
        data["locationCreated"] = {"@type": "Place", "name": publication.place}
    if publication.language_list:
        data["inLanguage"] = publication.language_list
    if publication.description:
        data["description"] = publication.description
    if publication.rights:
        data["license"] = publication.rights
    return data


def publication_issue(issue: Issue, url: Url, with_periodical: bool = True) -> dict:
    """The issue, inside its volume where the volume is known, inside its periodical."""
    data = {
        "@type": "PublicationIssue",
        "@id": url(issue.get_absolute_url()),
        "url": url(issue.get_absolute_url()),
        "name": issue.label,
        "datePublished": issue_date(issue),
    }
    if issue.number is not None:
        data["issueNumber"] = str(issue.number)
    parent = periodical(issue.publication, url) if with_periodical else None
    if issue.volume is not None:
        volume = {"@type": "PublicationVolume", "volumeNumber": str(issue.volume)}
        if parent:
            volume["isPartOf"] = parent
        parent = volume
    if parent:
        data["isPartOf"] = parent
    return data


def person(author: Author, url: Url) -> dict:
    address = url(author.get_absolute_url())
    return {"@type": "Person", "@id": address, "name": author.name, "url": address}


def article_type(article: Article, reviews: list) -> str:
    if reviews:
        return "Review"
    return "NewsArticle" if article.publication.is_newspaper else "Article"


def article(article: Article, url: Url) -> dict:
    """The article, with its writers, issue (and volume and periodical) and, for a review, the
    book it reviews."""
    reviews = list(article.reviews.all())
    address = url(article.get_absolute_url())
    data = {
        "@context": CONTEXT,
        "@type": article_type(article, reviews),
        "@id": address,
        "url": address,
        "headline": article.title,
        "name": article.title,
        "datePublished": (
            article.published.isoformat() if article.published else issue_date(article.issue)
        ),
        "inLanguage": article.language or "en",
        "isPartOf": publication_issue(article.issue, url),
    }
    writers = [person(b.author, url) for b in article.author_bylines()]
    if writers:
        data["author"] = writers
    contributors = [person(b.author, url) for b in article.contributor_bylines()]
    if contributors:
        data["contributor"] = contributors
    if article.standfirst or article.summary:
        data["description"] = article.standfirst or article.summary
    if article.section:
        data["articleSection"] = article.section
    if article.pages:
        data["pagination"] = article.pages
    if article.subjects:
        data["keywords"] = [s for s in article.subjects if s]
    publication = article.publication
    if publication.publisher:
        data["publisher"] = {"@type": "Organization", "name": publication.publisher}
    if publication.rights:
        data["license"] = publication.rights
    if reviews:
        data["itemReviewed"] = [book(review.work) for review in reviews]
        if len(reviews) == 1:
            data["itemReviewed"] = data["itemReviewed"][0]
    return data


def book(work) -> dict:
    data = {"@type": "Book", "name": work.title}
    if work.author:
        data["author"] = {"@type": "Person", "name": work.author}
    if work.publisher:
        data["publisher"] = {"@type": "Organization", "name": work.publisher}
    if work.year:
        data["datePublished"] = str(work.year)
    return data


def issue_page(issue: Issue, articles: list[Article], url: Url) -> dict:
    data = {"@context": CONTEXT, **publication_issue(issue, url)}
    if articles:
        data["hasPart"] = [
            {"@type": "Article", "headline": a.title, "url": url(a.get_absolute_url())}
            for a in articles
        ]
    return data


def publication_page(publication: Publication, url: Url) -> dict:
    return {"@context": CONTEXT, **periodical(publication, url)}


def author_page(author: Author, url: Url) -> dict:
    return {"@context": CONTEXT, **person(author, url)}
