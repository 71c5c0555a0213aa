"""The archive: publication › issue › article, with authors, reviewed works and sources.

Decade and year are not tables: they are how readers browse a print run, and
both derive from the issue's year.
"""

from __future__ import annotations

import calendar
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from backfile.archive.dates import date_problem, real_parts
from backfile.archive.identifiers import validate_issn, validate_languages


class RemembersLoaded:
    """A model whose instances remember the fields named in `REMEMBERED` (those its address
    is made of) as they were loaded from the database (`remembered`): a save can tell whether
    its address changes without reading the row again (housekeeping's redirects). An
    instance made by hand, or loaded without one of them, remembers none."""

    REMEMBERED: tuple[str, ...] = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.remember_loaded()
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        fields = kwargs.get("fields", args[1] if len(args) > 1 else None)
        if fields is None:
            self.remember_loaded()
        else:  # some fields read again, others not: nothing is known for sure
            self.__dict__.pop("_remembered", None)

    def remember_loaded(self, fields=None) -> None:
        """Remember the fields' values as the database now has them (all, or `fields`)."""
        known = self.__dict__
        if fields is None:
            if all(name in known for name in self.REMEMBERED):
                known["_remembered"] = {name: known[name] for name in self.REMEMBERED}
            else:
                known.pop("_remembered", None)
        elif "_remembered" in known:
            known["_remembered"].update({name: known[name] for name in fields if name in known})

    def remembered(self) -> dict | None:
        """The fields as the database has them, where known without reading the row."""
        return self.__dict__.get("_remembered")


def name_key(name: str) -> str:
    """How a person's name is compared: case, accents, dots and spacing folded."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(folded.replace(".", " ").casefold().split())


def cover_date(year: int, month: int | None, day: int | None) -> date | None:
    """An issue's cover date as far as it is known: a monthly's first day, none for a year
    alone (for code that reads issue rows as plain values). An impossible month or day
    (a damaged row) counts as unknown."""
    year, month, day = real_parts(year, month, day)
    return date(year, month, day or 1) if month else None


def _leap_year() -> Q:
    return Q(year__isnull=False) & (
        Q(Exact(F("year") % 400, 0)) | (Q(Exact(F("year") % 4, 0)) & ~Q(Exact(F("year") % 100, 0)))
    )


# A cover date the calendar has: month 1–12, a day only with a month, and one that month has.
REAL_ISSUE_DATE = (
    (Q(month__isnull=True) | Q(month__gte=1, month__lte=12))
    & (Q(day__isnull=True) | Q(month__isnull=False, day__gte=1, day__lte=31))
    & ~Q(day=31, month__in=[4, 6, 9, 11])
    & ~Q(month=2, day__gt=29)
    & (~Q(month=2, day=29) | _leap_year())
)


FREQUENCIES = [
    ("", "Not known"),
    ("daily", "Daily"),
    ("weekly", "Weekly"),
    ("fortnightly", "Fortnightly"),
    ("monthly", "Monthly"),
    ("bimonthly", "Every two months"),
    ("quarterly", "Quarterly"),
    ("annual", "Annual"),
    ("irregular", "Irregular"),
]
# Papers: what citation styles and schema.org call a newspaper's articles (the rest: magazines).
NEWSPAPER_FREQUENCIES = frozenset({"daily", "weekly"})


class Publication(RemembersLoaded, models.Model):
    """A periodical as a whole (a title, in the library sense), with what a library catalogue
    records of it: ISSNs, publisher, languages, frequency, rights and holdings. All but the
    name are optional; `backfile ingest --publication-meta FILE` and the desk set them."""

    REMEMBERED = ("slug",)  # its address (see RemembersLoaded)

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, unique=True)
    full_title = models.CharField(
        max_length=500, blank=True, help_text="The title in full, with its subtitle."
    )
    issn = models.CharField(
        "ISSN", max_length=9, blank=True, validators=[validate_issn], help_text="Print: 1234-5679"
    )
    eissn = models.CharField(
        "eISSN", max_length=9, blank=True, validators=[validate_issn], help_text="Online"
    )
    publisher = models.CharField(max_length=300, blank=True)
    place = models.CharField(max_length=200, blank=True, help_text="Where it was published.")
    languages = models.CharField(
        max_length=100, blank=True, validators=[validate_languages],
        help_text="BCP 47 tags, commas between: en, es",
    )  # fmt: skip
    frequency = models.CharField(max_length=20, blank=True, choices=FREQUENCIES)
    rights = models.URLField(
        max_length=500, blank=True,
        help_text="A rights statement's URI: a rightsstatements.org or Creative Commons one.",
    )  # fmt: skip
    description = models.TextField(blank=True)
    first_issue = models.CharField(
        max_length=200, blank=True, help_text="As a catalogue gives it: No. 1 (September 1904)."
    )
    last_issue = models.CharField(
        max_length=200, blank=True, help_text="Empty while it is still published."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    @property
    def language_list(self) -> list[str]:
        return [tag.strip() for tag in self.languages.split(",") if tag.strip()]

    @property
    def is_newspaper(self) -> bool:
        return self.frequency in NEWSPAPER_FREQUENCIES

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("archive:publication", args=[self.slug])


class Issue(RemembersLoaded, models.Model):
    """One number of a publication."""

    # its address (see RemembersLoaded)
    REMEMBERED = ("publication_id", "slug", "year", "number", "month", "day")

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="issues")
    number = models.IntegerField(null=True, blank=True)
    volume = models.IntegerField(null=True, blank=True)
    year = models.IntegerField()
    month = models.IntegerField(null=True, blank=True)
    day = models.IntegerField(null=True, blank=True)
    decade = models.IntegerField(editable=False, db_index=True)
    slug = models.SlugField(max_length=200)
    title = models.CharField(max_length=300, blank=True)
    cover = models.CharField(
        max_length=64, blank=True, help_text="The SHA-256 of the cover picture (backfile.media)"
    )
    pdf = models.CharField(
        max_length=64, blank=True, help_text="The SHA-256 of the issue as one PDF (backfile.media)"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "month", "day", "number"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "slug"], name="issue_slug_unique"),
            models.CheckConstraint(
                condition=REAL_ISSUE_DATE,
                name="issue_date_real",
                violation_error_message="The issue's month and day must make a real date.",
            ),
        ]
        indexes = [models.Index(fields=["publication", "year"])]

    def __str__(self) -> str:
        return f"{self.publication}, {self.label}"

    def clean(self) -> None:
        super().clean()
        problem = date_problem(self.year, self.month, self.day)
        if problem:
            field = next((f for f in ("year", "month") if problem.startswith(f)), "day")
            raise ValidationError({field: problem})

    def save(self, *args, **kwargs):
        self.decade = self.year // 10 * 10
        if not self.slug:
            self.slug = issue_slug(self.number, self.year, self.month, self.day)
        super().save(*args, **kwargs)

    @property
    def date(self) -> date | None:
        """The cover date, as far as it is known (a monthly has no day)."""
        return cover_date(self.year, self.month, self.day)

    def real_parts(self) -> tuple[int, int | None, int | None]:
        """Year, month and day as far as they make a real date (see `dates.real_parts`)."""
        return real_parts(self.year, self.month, self.day)

    @property
    def date_label(self) -> str:
        year, month, day = self.real_parts()
        if month and day:
            return f"{day} {calendar.month_name[month]} {year}"
        if month:
            return f"{calendar.month_name[month]} {year}"
        return str(year)

    @property
    def label(self) -> str:
        """`No. 397, September 1937`: how the issue is named in breadcrumbs and citations."""
        if self.title:
            return self.title
        if self.number is not None:
            return f"No. {self.number}, {self.date_label}"
        return self.date_label

    @property
    def decade_label(self) -> str:
        return f"{self.decade}s"

    def get_absolute_url(self) -> str:
        return reverse(
            "archive:issue",
            args=[self.publication.slug, self.decade_label, self.year, self.slug],
        )


def issue_slug(number: int | None, year: int, month: int | None, day: int | None) -> str:
    """`no-397-september-1937`, `no-459-july-4-2003`, or `2003-07` without a number."""
    parts = [f"no-{number}"] if number is not None else []
    year, month, day = real_parts(year, month, day)
    if month:
        parts.append(calendar.month_name[month].lower())
        if day:
            parts.append(str(day))
    parts.append(str(year))
    return "-".join(parts)


class Author(models.Model):
    """One person, however the bylines spell the name (variants are AuthorAlias rows)."""

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("archive:author", args=[self.slug])


class AuthorAlias(models.Model):
    """A spelling of an author's name as found in bylines, folded by `name_key`."""

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    key = models.CharField(max_length=300, unique=True)

    def __str__(self) -> str:
        return self.name


class ReviewedWork(models.Model):
    """A book (pamphlet, film) that one or more reviews discuss."""

    title = models.CharField(max_length=500)
    author = models.CharField(max_length=300, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    place = models.CharField(max_length=200, blank=True)
    year = models.IntegerField(null=True, blank=True)
    price = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title}, by {self.author}" if self.author else self.title


class Article(RemembersLoaded, models.Model):
    """One article of one issue. Its body is a list of blocks (see records.Block)."""

    REMEMBERED = ("slug", "issue_id", "publication_id")  # its address (see RemembersLoaded)

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="articles")
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="articles")
    key = models.CharField(
        max_length=500, help_text="The source's stable identity for this article."
    )
    slug = models.SlugField(max_length=200)
    position = models.IntegerField(null=True, blank=True)
    section = models.CharField(max_length=200, blank=True)
    kicker = models.CharField(max_length=500, blank=True)
    title = models.CharField(max_length=1000)
    standfirst = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    pages = models.CharField(max_length=100, blank=True)
    published = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=20, default="en")
    blocks = models.JSONField(default=list)
    subjects = models.JSONField(default=list, blank=True)
    original_url = models.URLField(max_length=1000, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles")
    reviewed_works = models.ManyToManyField(
        ReviewedWork, through="Review", related_name="reviews", blank=True
    )
    ingested_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    edited = models.BooleanField(
        default=False,
        editable=False,
        help_text="An editor has corrected this article; a changed source will not overwrite it.",
    )
    modified = models.DateTimeField(
        auto_now=True,
        db_index=True,
        help_text="When an ingest or an editor last changed the article: what harvesters "
        "(OAI-PMH) ask for changes since.",
    )
    history = HistoricalRecords(excluded_fields=["ingested_fingerprint", "modified"])

    class Meta:
        ordering = ["issue__year", "issue__month", "issue__day", "issue__number", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "key"], name="article_key_unique"),
            models.UniqueConstraint(fields=["issue", "slug"], name="article_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def date(self) -> date | None:
        return self.published or self.issue.date

    def ordered_authors(self) -> list[Author]:
        return [
            b.author
            for b in self.bylines.select_related("author").order_by("position")
            if b.role == Byline.AUTHOR
        ]

    def author_bylines(self) -> list[Byline]:
        """The writers' bylines in order (uses any prefetch of `bylines`)."""
        return [b for b in self.bylines.all() if b.role == Byline.AUTHOR]

    def contributor_bylines(self) -> list[Byline]:
        """The people credited who are not writers (translators, photographers…), in order."""
        return [b for b in self.bylines.all() if b.role != Byline.AUTHOR]

    def get_absolute_url(self) -> str:
        issue = self.issue
        return reverse(
            "archive:article",
            args=[self.publication.slug, issue.decade_label, issue.year, issue.slug, self.slug],
        )


class Byline(models.Model):
    """An author's place in an article's byline (order matters in citations), or the credit
    of someone who is not a writer, with their role (`translator`, `photographer`…)."""

    AUTHOR = "author"
    ROLE_LABELS = {
        "translator": "Translated by",
        "contributor": "Additional reporting by",
        "photographer": "Photos by",
        "illustrator": "Illustrations by",
    }

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="bylines")
    position = models.PositiveIntegerField(default=0)
    as_printed = models.CharField(max_length=300, blank=True)
    role = models.CharField(max_length=40, default=AUTHOR)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique"),
        ]

    @property
    def role_label(self) -> str:
        """`Translated by`, … for a credit; the role itself for one the site has no words for."""
        return self.ROLE_LABELS.get(self.role, f"{self.role.capitalize()}:")


class Review(models.Model):
    """Links a review article to a work it discusses."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reviews")
    work = models.ForeignKey(ReviewedWork, on_delete=models.CASCADE, related_name="review_links")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]


class ArticleSource(models.Model):
    """The source an article was read from, kept whole (lossless: re-derive at will)."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="source")
    path = models.CharField(max_length=1000)
    format = models.CharField(max_length=50)
    sha256 = models.CharField(max_length=64, db_index=True)
    text = models.TextField()

    def __str__(self) -> str:
        return self.path


def unique_slug(
    text: str, taken: set[str], fallback: str = "article", max_length: int = 190
) -> str:
    """slugify(text), made unique against `taken` with -2, -3 …"""
    base = (slugify(text) or fallback)[:max_length].strip("-") or fallback
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug
