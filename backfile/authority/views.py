"""The authority file's pages: people, places and organisations A–Z, and each entry's page.

An A–Z lists the entries some article mentions (an entry no article mentions yet, a
place the gazetteer seeded, is not listed), by their names folded, with how many
articles mention each. An entry's page gives its name, dates, note and other spellings,
the articles that mention it by date with the sentence around the mention, the entries
mentioned most often beside it, and a search for it (`person:"…"`).

Each page costs a fixed number of queries whatever the archive's size: the mentions are
read through their index on (entry, issue date, article); the counts of an A–Z's page
only for its names; the entries mentioned beside one are counted over its latest
CO_SAMPLE articles, one aggregate query.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from backfile.archive.index_views import ARTICLES_PER_PAGE, NEWEST, OLDEST, letter_listing
from backfile.archive.listing import LISTING_DEFERRED
from backfile.archive.models import Author, ReviewedWork
from backfile.archive.models import name_key as author_name_key
from backfile.archive.paging import Pager, paginate
from backfile.authority.book_views import author_slug
from backfile.authority.counting import rows_of
from backfile.authority.marks import marked
from backfile.authority.models import PERSON, TYPE_PATHS, TYPES, Entry, Mention
from backfile.authority.shown import entry_url
from backfile.caching.http import cached_page
from backfile.indexes.entries import LETTERS

TYPE_OF_PATH = {path: kind for kind, path in TYPE_PATHS.items()}
TYPE_LABELS = dict(TYPES)
PLURALS = {"person": "People", "place": "Places", "organisation": "Organisations"}
LEDES = {
    "person": "The people the archive's articles mention, by name, with how many articles "
    "mention each.",
    "place": "The places the archive's articles mention, by name, with how many articles "
    "mention each.",
    "organisation": "The parties, unions and other organisations the archive's articles "
    "mention, by name, with how many articles mention each.",
}
CO_SAMPLE = 500  # the latest articles of an entry whose other entries are counted
CO_SHOWN = 10
ARTICLE_COLUMNS = [f"article__{name}" for name in LISTING_DEFERRED]


def entry_type(type_path: str) -> str:
    kind = TYPE_OF_PATH.get(type_path)
    if kind is None:
        raise Http404("There is no such index.")
    return kind


def index_context(kind: str) -> dict:
    return {
        "kind": kind,
        "plural": PLURALS[kind],
        "type_path": TYPE_PATHS[kind],
        "index_url": reverse("authority:index", args=[TYPE_PATHS[kind]]),
    }


@cached_page(query_strings=True)
def entries(request: HttpRequest, type_path: str) -> HttpResponse:
    """The entries of one type that some article mentions, A–Z, with their articles counted.

    Which letters have any is 27 probes in one query (as for subjects); the counts are
    made for the page's names alone, each from the mentions' index."""
    kind = entry_type(type_path)
    mentioned = Entry.objects.filter(type=kind).filter(
        Exists(Mention.objects.filter(entry=OuterRef("pk")))
    )
    probes = {f"has_{letter}": Exists(mentioned.filter(letter=letter)) for letter in LETTERS}
    found = Entry.objects.annotate(**probes).values(*probes).order_by()[:1]
    present = next(iter(found), {})
    counts = {letter: True for letter in LETTERS if present.get(f"has_{letter}")}
    names = (
        mentioned.annotate(articles=rows_of(Mention))
        .values("name", "slug", "articles", "key")
        .order_by("key", "slug")
    )
    context = {**index_context(kind), "lede": LEDES[kind]}
    return letter_listing(request, counts, names, "authority/entries.html", context)


@cached_page(query_strings=True)
def entry(request: HttpRequest, type_path: str, slug: str) -> HttpResponse:
    kind = entry_type(type_path)
    found = get_object_or_404(Entry, type=kind, slug=slug)
    aliases = sorted({a.name for a in found.aliases.all()} - {found.name}, key=str.casefold)
    sort = OLDEST if request.GET.get("sort", OLDEST) != NEWEST else NEWEST
    order = ["sort_key", "article_id"] if sort == OLDEST else ["-sort_key", "-article_id"]
    mentions = (
        Mention.objects.filter(entry=found)
        .select_related("article__issue__publication", "article__publication")
        .defer(*ARTICLE_COLUMNS)
        .order_by(*order)
    )
    params = [("sort", NEWEST)] if sort == NEWEST else []
    pager = paginate(request, mentions, ARTICLES_PER_PAGE, params)
    if not isinstance(pager, Pager):
        return pager
    names = [found.name, *aliases]
    listed = [(mention, marked(mention.sentence, names)) for mention in pager.object_list]
    return render(
        request,
        "authority/entry.html",
        {
            **index_context(kind),
            "entry": found,
            "type_label": TYPE_LABELS[kind],
            "aliases": aliases,
            "pager": pager,
            "listed": listed,
            "sort": sort,
            "sorts": [
                (OLDEST, "Oldest first", request.path),
                (NEWEST, "Newest first", f"{request.path}?sort={NEWEST}"),
            ],
            "beside": mentioned_beside(found) if pager.count else [],
            "search_url": search_url(found),
            "writer": writer_of(found),
            "books_url": books_of(found),
        },
    )


def writer_of(found: Entry) -> Author | None:
    """The byline of the same name as a person, if any (one query; none for the others)."""
    if found.type != PERSON:
        return None
    return Author.objects.filter(aliases__key=author_name_key(found.name)[:300]).first()


def books_of(found: Entry) -> str:
    """The page of a person's reviewed works, where a reviewed work is by that name."""
    slug = author_slug(found.name)
    if found.type != PERSON or not slug:
        return ""
    if not ReviewedWork.objects.filter(author__iexact=found.name.strip()).exists():
        return ""
    return reverse("authority:books-by", args=[slug])


def mentioned_beside(found: Entry) -> list[dict]:
    """The entries mentioned most often in the same articles as `found` (its latest
    CO_SAMPLE articles, so that an entry of ten thousand articles costs what one of five
    hundred does): one aggregate query."""
    latest = (
        Mention.objects.filter(entry=found).order_by("-sort_key").values("article_id")[:CO_SAMPLE]
    )
    rows = (
        Mention.objects.filter(article_id__in=latest)
        .exclude(entry=found)
        .values("entry__type", "entry__name", "entry__slug")
        .annotate(articles=Count("pk"))
        .order_by("-articles", "entry__key", "entry__slug")[:CO_SHOWN]
    )
    return [
        {
            "name": row["entry__name"],
            "type": TYPE_LABELS[row["entry__type"]],
            "url": url,
            "articles": row["articles"],
        }
        for row in rows
        if (url := entry_url(row["entry__type"], row["entry__slug"]))
    ]


def search_url(found: Entry) -> str:
    """The search for the articles that mention the entry: `person:"V. I. Lenin"`."""
    name = " ".join(found.name.replace('"', " ").split())
    return reverse("search:search") + "?" + urlencode({"q": f'{found.type}:"{name}"'})
