"""The index pages' addresses for bench/load.py, and an index of names for an archive whose
ingest linked none (a checkout without the mention linking, or an archive stored before it).

`index_urls` lists the people, places and organisations A–Z, a sample of entry pages,
reviewed books A–Z, book pages and authors of books, and articles with mentions. Where no
article mentions anything, `seed_mentions` first files a small authority file (the archive's
own writers, and a fixed list of names a socialist weekly of the 2000s mentions) and links
it crudely (whole-word, case-folded, pyahocorasick over each body): enough rows of the
right shape for the pages to read, not the project's linking.
"""

from __future__ import annotations

import random
import re

PEOPLE = [
    "George Bush", "Tony Blair", "Gordon Brown", "Saddam Hussein", "Ariel Sharon",
    "Yasser Arafat", "Karl Marx", "Leon Trotsky", "Lenin", "George Galloway", "Hugo Chavez",
    "Jack Straw", "David Blunkett", "Osama bin Laden", "Colin Powell", "Donald Rumsfeld",
    "Ken Livingstone", "Noam Chomsky", "Rosa Luxemburg", "Nelson Mandela",
]  # fmt: skip
PLACES = [
    "Iraq", "Palestine", "Afghanistan", "London", "Baghdad", "Israel", "Venezuela", "Genoa",
    "Scotland", "Wales", "Glasgow", "Manchester", "Birmingham", "Liverpool", "Gaza",
    "Washington", "Paris", "France", "Germany", "Argentina", "Bolivia", "Brazil", "Fallujah",
]  # fmt: skip
ORGANISATIONS = [
    "Labour Party", "Stop the War Coalition", "Socialist Workers Party", "TUC", "Unison",
    "RMT", "FBU", "CWU", "Respect", "BNP", "Tories", "Liberal Democrats", "United Nations",
    "Nato", "IMF", "World Bank", "GMB", "PCS", "NUT", "Amicus", "Socialist Alliance",
]  # fmt: skip
WORD = re.compile(r"\w")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def seed_mentions(writers: int = 400) -> int:
    """File the names above and the archive's most prolific writers, link them; the number
    of mentions stored."""
    import ahocorasick
    from django.db import transaction
    from django.db.models import Count
    from django.utils.text import slugify

    from backfile.archive.models import Article, Author
    from backfile.authority.models import Entry, Mention
    from backfile.authority.names import name_key
    from backfile.search.index import body_text, issue_date_key

    authors = (
        Author.objects.annotate(n=Count("bylines")).order_by("-n").values_list("name", flat=True)
    )
    names = [(n, "person") for n in PEOPLE + list(authors[:writers])]
    names += [(n, "place") for n in PLACES] + [(n, "organisation") for n in ORGANISATIONS]
    entries, seen = [], set()
    for name, kind in names:
        key, slug = name_key(name), slugify(name)
        if key and slug and (kind, slug) not in seen:
            seen.add((kind, slug))
            letter = next((c for c in key if "a" <= c <= "z"), "0")
            entries.append(Entry(type=kind, name=name, slug=slug, key=key, letter=letter))
    with transaction.atomic():
        Entry.objects.bulk_create(entries, ignore_conflicts=True)
        by_key = {e.key: e.pk for e in Entry.objects.all()}
        key_of = {pk: key for key, pk in by_key.items()}
        automaton = ahocorasick.Automaton()
        for key, pk in by_key.items():
            automaton.add_word(f" {key} ", pk)
        automaton.make_automaton()
        rows = []
        articles = Article.objects.select_related("issue").only(
            "id", "blocks", "issue__year", "issue__month", "issue__day"
        )
        for article in articles.iterator(chunk_size=500):
            text = body_text(article.blocks)
            folded = f" {name_key(text)} "
            counts: dict[int, int] = {}
            for _end, pk in automaton.iter(folded):
                counts[pk] = counts.get(pk, 0) + 1
            if not counts:
                continue
            sort_key = issue_date_key(article.issue)[1]
            sentences = [(s, f" {name_key(s)} ") for s in SENTENCE_END.split(text)]
            for pk, count in counts.items():
                key = f" {key_of[pk]} "
                sentence = next((s for s, folded in sentences if key in folded), "")
                rows.append(
                    Mention(
                        article_id=article.pk,
                        entry_id=pk,
                        count=count,
                        sentence=sentence[:600],
                        sort_key=sort_key,
                    )
                )
        Mention.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


def index_urls(rng: random.Random) -> list[str]:
    """The index pages a reader browses by name, articles that show their mentions, and the
    JSON API's answers about the same."""
    from django.db.models import Count

    from backfile.archive.models import Article
    from backfile.authority.book_views import author_slug, book_url, reviewed
    from backfile.authority.models import TYPE_PATHS, Entry, Mention

    if not Mention.objects.exists():
        print(f"  no mentions in the archive: seeded {seed_mentions():,}", flush=True)
    entries = list(
        Entry.objects.annotate(n=Count("mentions"))
        .filter(n__gt=0)
        .order_by("pk")
        .values_list("type", "slug", "letter")
    )
    sample = rng.sample(entries, min(60, len(entries)))
    first = {}  # each A–Z's default letter, whose own address is the index's
    for kind, _slug, letter in sorted(entries, key=lambda row: (row[0], row[2] == "0", row[2])):
        first.setdefault(kind, letter)
    letters = sorted({(k, letter) for k, _slug, letter in sample if letter != first[k]})[:20]
    mentioned = list(
        Mention.objects.order_by("article_id").values_list("article_id", flat=True).distinct()
    )
    articles = Article.objects.filter(pk__in=rng.sample(mentioned, min(60, len(mentioned))))
    works = list(reviewed().order_by("pk")[:2000])
    works = rng.sample(works, min(30, len(works)))
    writers = sorted({author_slug(w.author) for w in works if author_slug(w.author)})[:20]
    return [
        *(f"/{path}/" for path in TYPE_PATHS.values()),
        *(f"/{TYPE_PATHS[kind]}/?letter={letter}" for kind, letter in letters),
        *(f"/{TYPE_PATHS[kind]}/{slug}/" for kind, slug, _letter in sample),
        *(f"/{TYPE_PATHS[kind]}/{slug}/?sort=newest" for kind, slug, _letter in sample[:10]),
        "/books/",
        *(book_url(work) for work in works),
        *(f"/books/by/{slug}/" for slug in writers),
        *(a.get_absolute_url() for a in articles.select_related("issue", "publication")),
        # the same in the JSON API: the A to Z, entries with their articles, articles' mentions
        "/api/authority",
        *(f"/api/authority?type={kind}" for kind in TYPE_PATHS),
        *(f"/api/authority/{kind}/{slug}" for kind, slug, _letter in sample[:20]),
        *(f"/api/articles/{a.pk}" for a in articles[:20]),
    ]
