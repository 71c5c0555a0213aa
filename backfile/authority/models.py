"""The authority file: the people, places and organisations the archive refers to, each
with its preferred name and the other ways it is written, and where articles mention them.

- Entry: one person, place or organisation (`type`), its preferred name, a note and dates,
  curated by editors (with revisions, as everything else);
- Alias: another way of writing it (`Soviet Union` for `U.S.S.R.`), folded by
  `names.name_key` so that spelling, case and dots do not matter;
- Mention: that an article mentions an entry, how often, and the sentence around the
  first time (what the entry's page quotes); kept by `linking`, never edited by hand;
- Candidate: a name that recurs in the archive but is in no entry yet, for editors to
  accept, merge into an entry or reject (`candidates`).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from backfile.archive.models import Article, unique_slug
from backfile.authority.names import name_key
from backfile.indexes.entries import letter_of

PERSON, PLACE, ORGANISATION = "person", "place", "organisation"
TYPES = [(PERSON, "Person"), (PLACE, "Place"), (ORGANISATION, "Organisation")]
# Where the site lists each type: /people/, /places/, /organisations/
TYPE_PATHS = {PERSON: "people", PLACE: "places", ORGANISATION: "organisations"}

# Where an entry came from (an editor's own entries and imports are never removed by a seed)
EDITOR, BYLINE, REVIEWED_WORK, GAZETTEER, IMPORTED, CANDIDATE = (
    "editor", "byline", "reviewed work", "gazetteer", "import", "candidate",
)  # fmt: skip
ORIGINS = [
    (EDITOR, "Added by an editor"),
    (BYLINE, "A byline"),
    (REVIEWED_WORK, "A reviewed work's author or publisher"),
    (GAZETTEER, "The gazetteer"),
    (IMPORTED, "Imported"),
    (CANDIDATE, "An accepted candidate"),
]


class Entry(models.Model):
    """One person, place or organisation, under its preferred name."""

    type = models.CharField(max_length=12, choices=TYPES)
    name = models.CharField(max_length=300, help_text="The preferred name: V. I. Lenin")
    slug = models.SlugField(max_length=200)
    key = models.CharField(
        max_length=300, editable=False, help_text="The name folded (names.name_key)"
    )
    letter = models.CharField(max_length=1, editable=False)
    note = models.TextField(blank=True)
    dates = models.CharField(
        max_length=100, blank=True, help_text="Born and died, or founded and dissolved: 1870–1924"
    )
    capitalised = models.BooleanField(
        default=False,
        help_text="Link only where the name is written with a capital (a place called Reading).",
    )
    origin = models.CharField(max_length=20, choices=ORIGINS, default=EDITOR)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "entries"
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["type", "slug"], name="authority_entry_slug"),
        ]
        indexes = [models.Index(fields=["type", "letter", "key"], name="authority_entry_letter")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("authority:entry", args=[TYPE_PATHS[self.type], self.slug])

    def save(self, *args, **kwargs) -> None:
        """The key and letter follow the name; a new entry (or one moved to another type)
        gets a slug of its name, unique among its type's."""
        self.name = " ".join(self.name.split())
        self.key = name_key(self.name)[:300]
        self.letter = letter_of(self.key)
        if not self.slug or self._type_changed():
            self.slug = entry_slug(self.type, self.name, exclude=self.pk)
        super().save(*args, **kwargs)

    def _type_changed(self) -> bool:
        if self.pk is None:
            return False
        stored = Entry.objects.filter(pk=self.pk).values_list("type", flat=True).first()
        return stored is not None and stored != self.type


def entry_slug(type: str, name: str, exclude: int | None = None) -> str:
    """The slug of `name` among the entries of `type` (`lenin`, then `lenin-2` …)."""
    base = unique_slug(name, set(), fallback="entry")
    taken = Entry.objects.filter(type=type, slug__startswith=base).exclude(pk=exclude)
    return unique_slug(name, set(taken.values_list("slug", flat=True)), fallback="entry")


class Alias(models.Model):
    """Another way the entry's name is written: `Soviet Union`, `USSR` for `U.S.S.R.`."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    key = models.CharField(max_length=300, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(fields=["entry", "key"], name="authority_alias_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = " ".join(self.name.split())
        self.key = name_key(self.name)[:300]
        super().save(*args, **kwargs)


class Mention(models.Model):
    """An article mentions an entry: how often, and the sentence around the first time."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="mentions", db_index=False
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="mentions", db_index=False
    )
    count = models.PositiveIntegerField(default=1)
    sentence = models.TextField(blank=True)
    # The article's issue date as search sorts it (`search.index.issue_date_key`), so that an
    # entry's page lists its articles by date from this table's index alone
    sort_key = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "entry"], name="authority_mention_unique"),
        ]
        indexes = [
            models.Index(fields=["entry", "sort_key", "article"], name="authority_mention_entry")
        ]


class Candidate(models.Model):
    """A name that recurs across the archive and is in no entry yet."""

    OPEN, ACCEPTED, MERGED, REJECTED = "open", "accepted", "merged", "rejected"
    STATUSES = [(OPEN, "Open"), (ACCEPTED, "Accepted"), (MERGED, "Merged"), (REJECTED, "Rejected")]

    name = models.CharField(max_length=300, help_text="Its commonest spelling")
    key = models.CharField(max_length=300, unique=True)
    count = models.PositiveIntegerField(default=0, help_text="Times it is written")
    articles = models.PositiveIntegerField(default=0, help_text="Articles it is written in")
    examples = models.JSONField(default=list, blank=True)  # [{"article": pk, "sentence": …}]
    status = models.CharField(max_length=10, choices=STATUSES, default=OPEN)
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["status", "count"], name="authority_candidate_open")]

    def __str__(self) -> str:
        return self.name
