"""The article pager: the articles before and after one in its issue's contents, and at an
issue's edge the first (or last) article of the next (or previous) issue of the same
publication, so a reader can read on through the back run.

Issues follow in publication order (`browsing.ISSUE_ORDER`). Issues without articles
(printed pages alone) are stepped over.

A fixed number of queries whatever the size of the issue or the back run: one for the
issue's contents; at an edge, one for the
neighbouring issue's first (or last) article.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Subquery

from backfile.archive.browsing import nearest_issues
from backfile.archive.listing import contents_order
from backfile.archive.models import Article, Issue

PAGER_COLUMNS = ("slug", "title", "issue", "publication")


@dataclass(frozen=True)
class Neighbour:
    """An article the pager leads to; `issue` is set when it is in another issue."""

    article: Article
    issue: Issue | None = None

    @property
    def crosses(self) -> bool:
        return self.issue is not None


def neighbours(article: Article) -> tuple[Neighbour | None, Neighbour | None]:
    """The articles before and after this one: in its issue, or across the issue's edges."""
    siblings = list(contents_order(article.issue.articles.all()).only(*PAGER_COLUMNS))
    for sibling in siblings:
        sibling.issue, sibling.publication = article.issue, article.publication
    index = next(i for i, a in enumerate(siblings) if a.pk == article.pk)
    previous = Neighbour(siblings[index - 1]) if index > 0 else None
    following = Neighbour(siblings[index + 1]) if index + 1 < len(siblings) else None
    if previous is None or following is None:
        if previous is None:
            previous = edge_article(article, after=False)
        if following is None:
            following = edge_article(article, after=True)
    return previous, following


def edge_article(reader: Article, after: bool) -> Neighbour | None:
    """The first article of the next issue with articles (or the last of the previous),
    with its issue for the pager's label (one query)."""
    issue = nearest_issues(reader.issue, after=after, with_articles=True).values("pk")[:1]
    articles = contents_order(
        Article.objects.filter(issue=Subquery(issue))
        .select_related("issue")
        .only(*PAGER_COLUMNS, *(f"issue__{f}" for f in ISSUE_LABEL_COLUMNS))
    )
    found = (articles if after else articles.reverse()).first()
    if found is None:
        return None
    found.publication = found.issue.publication = reader.publication
    return Neighbour(found, found.issue)


# What an issue's label and address need.
ISSUE_LABEL_COLUMNS = ("slug", "title", "number", "year", "month", "day", "decade", "publication")
