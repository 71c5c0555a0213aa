"""Merging issues, moving articles and renumbering an issue: each in one transaction,
each old address left redirecting (the receivers record moves as rows are saved), each
article touched given a new `modified` (harvesters see it) and announced with
`articles_changed` (search, indexes, page caches).

Printed pages stay with their issue: an issue that has pages is not merged away (deleting
it would delete its facsimiles), and an article that runs on pages, or has a figure
marked on one, does not move (it would run on another issue's pages)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from backfile.archive.models import Article, Issue, issue_slug, unique_slug
from backfile.archive.signals import articles_changed
from backfile.facsimiles.models import Page
from backfile.housekeeping.receivers import issue_path
from backfile.housekeeping.redirects import record


class Refused(Exception):
    """A change that cannot be made as asked; the message says why."""


@dataclass
class Move:
    """One article's move, as the confirmation page lists it."""

    article: Article
    new_slug: str

    @property
    def renamed(self) -> bool:
        return self.new_slug != self.article.slug


def refuse_printed_pages(issue: Issue) -> None:
    """Refused when `issue` has printed pages: deleting it would delete them, their figures
    and where its articles run on them."""
    count = Page.objects.filter(issue_id=issue.pk).count()
    if count:
        pages = "1 printed page" if count == 1 else f"{count} printed pages"
        raise Refused(
            f"{issue.label} has {pages} (facsimiles), which merging would delete with it. "
            "Merge the other issue into this one instead, or move its articles one by one."
        )


def refuse_articles_on_pages(articles: list[Article]) -> None:
    """Refused when an article runs on printed pages or has a figure marked on one: the
    pages are its issue's, and stay there."""
    on_pages = Article.objects.filter(
        Q(page_links__isnull=False) | Q(page_figures__isnull=False),
        pk__in=[a.pk for a in articles if a.pk],
    ).distinct()
    titles = list(on_pages.values_list("title", flat=True)[:5])
    if titles:
        titles = ", ".join(f"“{t}”" for t in titles)
        raise Refused(
            f"{titles} run on printed pages of their issue (or have figures marked on them), "
            "and the pages stay with the issue. Unlink them from the pages first."
        )


def planned_moves(articles: Iterable[Article], target: Issue) -> list[Move]:
    """Where each article lands in `target`, its slug made unique there; refused when an
    article's key is already taken in the target's publication (the loader's identity),
    or when an article runs on printed pages."""
    articles = [a for a in articles if a.issue_id != target.pk]
    refuse_articles_on_pages(articles)
    taken = set(target.articles.values_list("slug", flat=True)) if target.pk else set()
    crossing = [a.key for a in articles if a.publication_id != target.publication_id]
    clashes = Article.objects.filter(publication=target.publication, key__in=crossing)
    if clashes.exists():
        titles = ", ".join(f"“{a.title}”" for a in clashes[:5])
        raise Refused(
            f"{target.publication} already has articles from the same sources: {titles}. "
            "Move or delete those first."
        )
    plan = []
    for article in articles:
        slug = article.slug if article.slug not in taken else unique_slug(article.slug, taken)
        taken.add(slug)
        plan.append(Move(article, slug))
    return plan


def move_articles(articles: Iterable[Article], target: Issue) -> list[Article]:
    """Move articles into `target` (its publication too); their old addresses redirect."""
    with transaction.atomic():
        plan = planned_moves(articles, target)
        for move in plan:
            article = move.article
            article.issue = target
            article.publication_id = target.publication_id
            article.slug = move.new_slug
            article.save()  # auto_now: `modified` moves; the receivers record the move
        moved = [move.article for move in plan]
        if moved:
            articles_changed.send(sender=Article, articles=moved)
        return moved


def merge_issues(source: Issue, target: Issue) -> list[Article]:
    """Every article of `source` moves to `target`; `source` is deleted and its address
    redirects to the target's. The articles keep their pk, so their OAI identifiers stand
    (no tombstone: nothing a harvester holds was deleted). Refused when `source` has
    printed pages."""
    if source.pk == target.pk:
        raise Refused("An issue cannot be merged into itself.")
    with transaction.atomic():
        refuse_printed_pages(source)
        old = issue_path(source.publication.slug, source.year, source.slug)
        moved = move_articles(list(source.articles.select_related("issue", "publication")), target)
        source.delete()
        record([(old, target.get_absolute_url())], "issues merged")
        return moved


def renumbered_slug(issue: Issue, number, year, month, day) -> str:
    slug = issue_slug(number, year, month, day)
    clash = Issue.objects.filter(publication_id=issue.publication_id, slug=slug)
    if clash.exclude(pk=issue.pk).exists():
        raise Refused(f"{issue.publication} already has an issue at {slug}: merge the two instead.")
    return slug


def renumber_issue(issue: Issue, number, year, month, day) -> Issue:
    """A new number or date, hence a new slug; the old addresses redirect."""
    with transaction.atomic():
        issue.slug = renumbered_slug(issue, number, year, month, day)
        issue.number, issue.year, issue.month, issue.day = number, year, month, day
        issue.full_clean(exclude=["publication"], validate_unique=False)
        issue.save()  # the receivers move the articles' `modified` and record the moves
        articles = list(issue.articles.select_related("issue", "publication"))
        articles_changed.send(sender=Article, articles=articles)
        return issue


def new_issue(source: Issue, number, year, month, day) -> Issue:
    """An issue of `source`'s publication, not yet saved (refused when its address is taken
    or its date is not a real one)."""
    issue = Issue(publication=source.publication, number=number, year=year, month=month, day=day)
    issue.slug = renumbered_slug(issue, number, year, month, day)
    issue.decade = year // 10 * 10
    try:
        issue.full_clean(exclude=["publication"], validate_unique=False)
    except ValidationError as problem:
        raise Refused(" ".join(problem.messages)) from problem
    return issue


def split_issue(source: Issue, articles: Iterable[Article], number, year, month, day) -> Issue:
    """The articles chosen move to a new issue of the same publication."""
    with transaction.atomic():
        issue = new_issue(source, number, year, month, day)
        issue.save()
        move_articles(articles, issue)
        return issue
