"""The publications and issues an ingest meets, found or made as its records name them.

Each publication's issues are read from the database once, with one query (an archive has
a few thousand at most), so a new issue costs no lookup; so are the article slugs taken in
an issue. The loader keeps one `Directory` for a run, and clears it when a write is rolled
back, since what it made may be gone.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils import timezone
from django.utils.text import slugify

from backfile.archive.models import Article, Issue, Publication, issue_slug
from backfile.ingest.issue_numbers import refuse_a_second_number
from backfile.ingest.records import ArticleRecord, IssueRecord
from backfile.site_paths import reserved_slugs


class Directory:
    """The publications and issues met so far, and the article slugs taken in each issue."""

    def __init__(self) -> None:
        self._publications: dict[str, Publication] = {}
        self._issues: dict[tuple[int, str], Issue] = {}
        self._numbered: dict[tuple[int, int | None], list[Issue]] = {}  # the same, by number
        self._issues_read: set[int] = set()  # publications whose issues are all in _issues
        self._slugs: dict[int, set[str]] = {}  # issue id → article slugs taken in it

    def clear(self) -> None:
        self._publications.clear()
        self._issues.clear()
        self._numbered.clear()
        self._issues_read.clear()
        self._slugs.clear()

    def taken_slugs(self, issue: Issue, article: Article) -> set[str]:
        """Slugs of the issue's other articles; queried once per issue while only adding."""
        if article.pk is not None:
            return set(
                Article.objects.filter(issue=issue)
                .exclude(pk=article.pk)
                .values_list("slug", flat=True)
            )
        if issue.id not in self._slugs:
            self._slugs[issue.id] = set(
                Article.objects.filter(issue=issue).values_list("slug", flat=True)
            )
        return self._slugs[issue.id]

    def take(self, issue: Issue, slug: str) -> None:
        """An article of the issue now has this slug."""
        self._slugs.setdefault(issue.id, set()).add(slug)

    def publication(self, name: str, create: bool = True) -> Publication | None:
        """The publication a name stands for; names that slugify alike are one publication."""
        slug = publication_slug(name)
        if slug in self._publications:
            return self._publications[slug]
        # (one stored before its slug was reserved keeps it, so it is not ingested twice)
        stored = {p.slug: p for p in Publication.objects.filter(slug__in={slug, plain_slug(name)})}
        publication = stored.get(slug) or stored.get(plain_slug(name))
        if publication is None:
            if not create:
                return None
            publication = Publication.objects.create(name=name, slug=slug)
        self._publications[slug] = publication
        return publication

    def issue(
        self, publication: Publication, record: IssueRecord, restated: dict[int, Article]
    ) -> Issue:
        """The publication's issue the record names, made or brought up to date; articles whose
        dates change with their issue's go into `restated` (by id), to be announced."""
        slug = record.slug or issue_slug(record.number, record.year, record.month, record.day)
        cache_key = (publication.id, slug)
        if publication.id not in self._issues_read:
            self._read_issues(publication)
        issue = self._issues.get(cache_key)
        wanted = {
            "number": record.number,
            "volume": record.volume,
            "year": record.year,
            "month": record.month,
            "day": record.day,
            "title": record.title,
        }
        if record.cover:  # a source without a cover keeps the one stored (an editor's)
            wanted["cover"] = record.cover
        if record.pdf:  # and so with the issue's PDF
            wanted["pdf"] = record.pdf
        if issue is None:
            refuse_a_second_number(
                self._numbered.get((publication.id, record.number), ()), record, slug
            )
            issue = Issue(publication=publication, slug=slug, **wanted)
            self._numbered.setdefault((publication.id, issue.number), []).append(issue)
            issue.skip_history_when_saving = True  # ingest is not an editorial revision
            issue.save()
            del issue.skip_history_when_saving
            self._slugs[issue.id] = set()  # a new issue has no articles yet
        elif any(getattr(issue, k) != v for k, v in wanted.items()) and not corrected(issue):
            described = any(
                getattr(issue, k) != v for k, v in wanted.items() if k not in ("cover", "pdf")
            )
            for k, v in wanted.items():
                setattr(issue, k, v)
            issue.save()
            if described:  # (a new cover or PDF changes no article's dates)
                # Its other articles' dates changed too: announce them with this batch, and
                # mark them changed for harvesters.
                issue.articles.update(modified=timezone.now())
                for article in issue.articles.select_related("issue", "publication"):
                    restated.setdefault(article.pk, article)
        self._issues[cache_key] = issue
        return issue

    def _read_issues(self, publication: Publication) -> None:
        """Every stored issue of the publication into the cache, with one query (an archive
        has a few thousand at most), so that each new issue costs no lookup."""
        for issue in Issue.objects.filter(publication=publication):
            self._issues[(publication.id, issue.slug)] = issue
            self._numbered.setdefault((publication.id, issue.number), []).append(issue)
        self._issues_read.add(publication.id)


def corrected(issue: Issue) -> bool:
    """Has an editor changed this issue? Then an ingest must not overwrite it."""
    return issue.history.exclude(history_user=None).exists()


@lru_cache(maxsize=1024)
def publication_slug(name: str) -> str:
    """The slug of a publication's name; one the site's own paths have (`authors`,
    `search`, `desk`: backfile.site_paths) gets `-2`, or its pages would not be its own."""
    slug = plain_slug(name)
    return f"{slug}-2" if slug in reserved_slugs() else slug


def plain_slug(name: str) -> str:
    return slugify(name) or "publication"


def identity(record: ArticleRecord) -> tuple[str, str]:
    """What makes a record the same article: its publication (by slug) and its key."""
    return publication_slug(record.publication), record.key
