"""Reviewed books: the works the archive's reviews discuss, A–Z by title, each work's page
with every review of it and the passages quoted from it, and each author's reviewed works.

A work has no slug of its own: its page is `/books/<id>-<title slugified>/`, and any other
spelling (the id alone, an old title) is redirected there. An author of books is the
work's author as printed, slugified (`/books/by/victor-serge/`): every work whose author
slugifies the same is theirs.

Titles file under their first word after a leading article (`The Unmapped Shire` under U),
as a library's catalogue files them. Works are few beside articles (one a review), so the
A–Z reads every reviewed work's title once and files them in Python: two queries a page.
"""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify

from backfile.archive.index_views import letter_listing
from backfile.archive.models import Byline, Review, ReviewedWork
from backfile.authority.models import PERSON, Entry
from backfile.authority.names import name_key
from backfile.caching.http import cached_page
from backfile.indexes.entries import author_key, label_slug, letter_of
from backfile.quotations.models import Quotation

LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+(?=\S)")
MAX_SLUG = 80


def title_key(title: str) -> str:
    """`The Unmapped Shire` files as `unmapped shire`; `A` alone stays `a`."""
    key = author_key(title)
    return LEADING_ARTICLE.sub("", key) or key


def book_slug(work: ReviewedWork) -> str:
    return (slugify(work.title)[:MAX_SLUG].strip("-")) or "book"


def book_url(work: ReviewedWork) -> str:
    return reverse("authority:book", args=[work.pk, book_slug(work)])


def author_slug(name: str) -> str:
    return label_slug(" ".join(name.split()))[:MAX_SLUG].strip("-") if name.strip() else ""


def reviewed() -> object:
    """The works some review discusses."""
    return ReviewedWork.objects.filter(Exists(Review.objects.filter(work=OuterRef("pk"))))


@cached_page(query_strings=True)
def books(request: HttpRequest) -> HttpResponse:
    rows = []
    for pk, title, author, year in reviewed().values_list("pk", "title", "author", "year"):
        key = title_key(title)
        rows.append(
            {"pk": pk, "key": key, "letter": letter_of(key), "title": title, "author": author,
             "year": year}  # (their addresses: for the letter shown only, `Filed.filter`)
        )  # fmt: skip
    rows.sort(key=lambda row: (row["key"], row["title"], row["pk"]))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["letter"]] = counts.get(row["letter"], 0) + 1
    return letter_listing(request, counts, Filed(rows), "authority/books.html", {})


class Filed(list):
    """Rows already filed under letters, which `letter_listing` narrows to one letter as it
    narrows a queryset of names."""

    def filter(self, letter: str) -> list[dict]:
        """The letter's rows, with the addresses of their book and author pages."""
        return [
            {**row, "url": book_url(ReviewedWork(pk=row["pk"], title=row["title"])),
             "author_url": _author_url(row["author"])}
            for row in self
            if row["letter"] == letter
        ]  # fmt: skip


def _author_url(author: str) -> str:
    slug = author_slug(author)
    return reverse("authority:books-by", args=[slug]) if slug else ""


def _reviews(works) -> list[Review]:
    """Every review of the works, oldest first, with its article, issue and reviewers."""
    return list(
        Review.objects.filter(work__in=works)
        .select_related("work", "article__issue__publication", "article__publication")
        .prefetch_related(
            Prefetch("article__bylines", queryset=Byline.objects.select_related("author"))
        )
        .defer("article__blocks", "article__subjects", "article__attachments")
        .order_by(
            "article__issue__year",
            "article__issue__month",
            "article__issue__day",
            "article__position",
            "article_id",
        )
    )


@cached_page
def book(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    work = get_object_or_404(reviewed(), pk=pk)
    if slug != book_slug(work):
        return HttpResponsePermanentRedirect(book_url(work))
    quotations = (
        Quotation.objects.filter(work=work)
        .select_related("article__issue__publication", "article__publication")
        .defer("article__blocks", "article__subjects", "article__attachments")
        .order_by("article__issue__year", "article_id", "position")
    )
    return render(
        request,
        "authority/book.html",
        {
            "work": work,
            "author_url": _author_url(work.author),
            "reviews": _reviews([work]),
            "quotations": list(quotations),
        },
    )


@cached_page
def books_by(request: HttpRequest, author: str) -> HttpResponse:
    """An author's reviewed works, by year, each with its reviews."""
    names = {
        name
        for name in reviewed().values_list("author", flat=True).distinct()
        if author_slug(name) == author
    }
    if not names:
        raise Http404("No reviewed work is by an author of that name.")
    works = list(reviewed().filter(author__in=names).order_by("year", "title", "pk"))
    by_work: dict[int, list[Review]] = {work.pk: [] for work in works}
    for review in _reviews(works):
        by_work[review.work_id].append(review)
    listed = [(work, book_url(work), by_work[work.pk]) for work in works]
    name = min(names, key=lambda n: (-sum(w.author == n for w in works), n))
    person = (
        Entry.objects.filter(type=PERSON, key__in={name_key(n)[:300] for n in names})
        .order_by("pk")
        .first()
    )
    context = {"name": name, "works": listed, "person": person}
    return render(request, "authority/books_by.html", context)
