"""The article pager: the articles before and after one in its issue's contents, and at an
issue's edge the first (or last) article of the next (or previous) issue of the same
publication, so a reader can read on through the back run.

Issues follow in publication order: by cover date as far as it is known (a month
before any day of it, a year before any month of it), then number, then arrival.
Issues without articles (printed pages alone) are stepped over.

A fixed number of queries whatever the size of the issue or the back run: one for the
issue's contents; at an edge, one for the publication's issues that have articles (a
few values each) and one for each neighbouring article.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

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


def publication_order(row: tuple) -> tuple:
    """Sort key of an issue's (id, year, month, day, number) values."""
    pk, year, month, day, number = row
    return (year, month or 0, day or 0, number if number is not None else -1, pk)


def neighbours(article: Article) -> tuple[Neighbour | None, Neighbour | None]:
    """The articles before and after this one: in its issue, or across the issue's edges."""
    siblings = list(contents_order(article.issue.articles.all()).only(*PAGER_COLUMNS))
    for sibling in siblings:
        sibling.issue, sibling.publication = article.issue, article.publication
    index = next(i for i, a in enumerate(siblings) if a.pk == article.pk)
    previous = Neighbour(siblings[index - 1]) if index > 0 else None
    following = Neighbour(siblings[index + 1]) if index + 1 < len(siblings) else None
    if previous is None or following is None:
        before, after = adjacent_issues(article.issue)
        if previous is None and before is not None:
            previous = edge_article(before, article, last=True)
        if following is None and after is not None:
            following = edge_article(after, article, last=False)
    return previous, following


def adjacent_issues(issue: Issue) -> tuple[int | None, int | None]:
    """Ids of the issues of the same publication just before and after this one, among
    those with articles."""
    rows = sorted(
        Issue.objects.filter(publication_id=issue.publication_id)
        .filter(Exists(Article.objects.filter(issue=OuterRef("pk"))))
        .values_list("id", "year", "month", "day", "number")
        .order_by(),
        key=publication_order,
    )
    ids = [row[0] for row in rows]
    if issue.pk not in ids:
        return None, None
    index = ids.index(issue.pk)
    before = ids[index - 1] if index > 0 else None
    after = ids[index + 1] if index + 1 < len(ids) else None
    return before, after


def edge_article(issue_id: int, reader: Article, last: bool) -> Neighbour | None:
    """The first (or last) article of the issue, with its issue for the pager's label."""
    articles = contents_order(
        Article.objects.filter(issue_id=issue_id)
        .select_related("issue")
        .only(*PAGER_COLUMNS, *(f"issue__{f}" for f in ISSUE_LABEL_COLUMNS))
    )
    found = (articles.reverse() if last else articles).first()
    if found is None:
        return None
    found.publication = reader.publication
    found.issue.publication = reader.publication
    return Neighbour(found, found.issue)


# What an issue's label and address need.
ISSUE_LABEL_COLUMNS = ("slug", "title", "number", "year", "month", "day", "decade", "publication")
