"""Index pages: authors A–Z and each author's articles, a publication's sections, the
archive's subjects A–Z and each subject's articles.

They read the indexes' entries (`backfile.indexes`), which the loader's announcements
keep current, never the articles' JSON (a listing's articles are those whose ids its
entries give: a subquery, so that SQLite starts from the entries' index); each page costs a fixed number of queries
whatever the archive's size. Listings are paginated under canonical addresses
(`paging`), so their pages are cached like any other.
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, Min, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from backfile.archive.listing import LISTING_DEFERRED, with_bylines
from backfile.archive.models import Article, Author, Byline, Publication
from backfile.archive.paging import Pager, paginate
from backfile.caching.http import cached_page
from backfile.indexes.entries import LETTERS, letter_of
from backfile.indexes.models import OTHER, AuthorEntry, SubjectEntry

ARTICLES_PER_PAGE = 50
NAMES_PER_PAGE = 250
NEWEST, OLDEST = "newest", "oldest"


def letter_label(letter: str) -> str:
    return "0–9 and other" if letter == OTHER else letter.upper()


def by_date(articles: QuerySet[Article], sort: str) -> QuerySet[Article]:
    """Articles by their issue's date, newest or oldest first; an issue's in page order."""
    if sort == OLDEST:
        dates = [
            F("issue__year").asc(),
            F("issue__month").asc(nulls_first=True),
            F("issue__day").asc(nulls_first=True),
        ]
    else:
        dates = [
            F("issue__year").desc(),
            F("issue__month").desc(nulls_last=True),
            F("issue__day").desc(nulls_last=True),
        ]
    return articles.order_by(
        *dates, "publication__name", "issue_id", F("position").asc(nulls_last=True), "id"
    )


def listed(articles: QuerySet[Article]) -> QuerySet[Article]:
    return articles.select_related("issue__publication", "publication").defer(*LISTING_DEFERRED)


def sort_asked(request: HttpRequest) -> str:
    return OLDEST if request.GET.get("sort") == OLDEST else NEWEST


def article_listing(
    request: HttpRequest,
    articles: QuerySet[Article],
    template: str,
    context: dict,
    count: int | None = None,
) -> HttpResponse:
    """A page of `articles` by date (`?sort=oldest|newest`, `?page=`), or its redirect."""
    sort = sort_asked(request)
    pager = paginate(
        request,
        by_date(articles, sort),
        ARTICLES_PER_PAGE,
        [("sort", OLDEST)] if sort == OLDEST else [],
        count,
    )
    if not isinstance(pager, Pager):
        return pager
    sorts = [
        (NEWEST, "Newest first", request.path),
        (OLDEST, "Oldest first", f"{request.path}?sort={OLDEST}"),
    ]
    return render(request, template, {**context, "pager": pager, "sort": sort, "sorts": sorts})


def letter_listing(
    request: HttpRequest,
    counts: dict[str, int | bool],
    names: QuerySet,
    template: str,
    context: dict,
) -> HttpResponse:
    """One letter's names of an A–Z (`?letter=`, by default the first that has any).

    `counts`: each letter's number of names, or only whether it has any (True): then
    the letter shown is counted on its own."""
    default = next((letter for letter in LETTERS if counts.get(letter)), LETTERS[0])
    letter = request.GET.get("letter", default).lower()  # (`?letter=E` lands on `e`)
    if letter not in LETTERS:
        letter = default
    params = [] if letter == default else [("letter", letter)]
    count = counts.get(letter, 0)
    count = None if count is True else count
    pager = paginate(request, names.filter(letter=letter), NAMES_PER_PAGE, params, count)
    if not isinstance(pager, Pager):
        return pager
    letters = [
        {
            "letter": each,
            "label": letter_label(each),
            "count": counts.get(each, 0),  # (or True)
            "url": request.path if each == default else f"{request.path}?letter={each}",
            "current": each == letter,
        }
        for each in LETTERS
    ]
    context = {**context, "pager": pager, "letters": letters, "letter": letter_label(letter)}
    return render(request, template, context)


@cached_page(query_strings=True)
def authors(request: HttpRequest) -> HttpResponse:
    """Everyone with a byline, A–Z by their name folded (accents and case), with counts."""
    filed = AuthorEntry.objects.filter(Exists(Byline.objects.filter(author=OuterRef("author"))))
    counts = dict(filed.values_list("letter").annotate(n=Count("pk")).order_by())
    names = (
        filed.values("author__name", "author__slug", "key")
        .annotate(articles=Count("author__bylines"))
        .order_by("key", "author__slug")
    )
    return letter_listing(request, counts, names, "archive/authors.html", {})


@cached_page(query_strings=True)
def author(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Author, slug=slug)
    return article_listing(
        request, listed(person.articles.all()), "archive/author.html", {"author": person}
    )


@cached_page(query_strings=True)
def subjects(request: HttpRequest) -> HttpResponse:
    """Every label an article is filed under (subjects and section labels), A–Z.

    Which letters have any is 27 probes of the entries' index in one query (counting every
    letter's labels would read the whole index: 0.1–0.2 s for 250,000 articles)."""
    probes = {
        f"has_{letter}": Exists(SubjectEntry.objects.filter(letter=letter)) for letter in LETTERS
    }
    found = SubjectEntry.objects.annotate(**probes).values(*probes)[:1]
    present = next(iter(found), {})
    counts = {letter: True for letter in LETTERS if present.get(f"has_{letter}")}
    names = (
        SubjectEntry.objects.values("slug")
        .annotate(name=Min("name"), articles=Count("pk"))
        .order_by("slug")
    )
    return letter_listing(request, counts, names, "archive/subjects.html", {})


@cached_page(query_strings=True)
def subject(request: HttpRequest, slug: str) -> HttpResponse:
    entries = SubjectEntry.objects.filter(letter=letter_of(slug), slug=slug)
    found = entries.aggregate(name=Min("name"), articles=Count("pk"))  # (an entry an article)
    if not found["articles"]:
        raise Http404("No article is filed under this subject.")
    articles = with_bylines(listed(Article.objects.filter(pk__in=entries.values("article_id"))))
    context = {"subject": {"name": found["name"], "slug": slug}}
    return article_listing(request, articles, "archive/subject.html", context, found["articles"])


@cached_page(query_strings=True)
def sections(request: HttpRequest, publication: str) -> HttpResponse:
    """A publication's sections (its articles' section labels), A–Z, with counts."""
    found = get_object_or_404(Publication, slug=publication)
    names = (
        SubjectEntry.objects.filter(publication=found, kind=SubjectEntry.SECTION)
        .values("slug")
        .annotate(name=Min("name"), articles=Count("pk"))
        .order_by("slug")
    )
    pager = paginate(request, names, NAMES_PER_PAGE)
    if not isinstance(pager, Pager):
        return pager
    return render(request, "archive/sections.html", {"publication": found, "pager": pager})


@cached_page(query_strings=True)
def section(request: HttpRequest, publication: str, section: str) -> HttpResponse:
    found = get_object_or_404(Publication, slug=publication)
    entries = SubjectEntry.objects.filter(
        publication=found, kind=SubjectEntry.SECTION, slug=section
    )
    named = entries.aggregate(name=Min("name"), articles=Count("pk"))
    if not named["articles"]:
        raise Http404("This publication has no section of that name.")
    articles = with_bylines(listed(Article.objects.filter(pk__in=entries.values("article_id"))))
    context = {"publication": found, "section": {"name": named["name"], "slug": section}}
    return article_listing(request, articles, "archive/section.html", context, named["articles"])
