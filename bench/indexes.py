"""Index pages at scale: authors and subjects A–Z, a section, a subject and an author's
page, on an archive of --articles articles (250,000 by default) and --authors writers;
and the index of names (issue 16): people, places and organisations A–Z, the page of an
entry mentioned in a fifth of the articles and of a rare one, an article's mentions.

    .venv/bin/python bench/indexes.py [--articles 250000] [--authors 10000] [--repeat 5]
                                      [--db PATH-or-postgres://…] [--rebuild]

The archive is invented and written by bulk SQL through the ORM (three publications, 50
articles an issue, one or two bylines an article, a section from 40 labels and up to four
subjects from 3,000), then filed by the indexes' own `refile_articles`, in chunks, as the
loader's announcements would (the filing rate is printed). A SQLite file under var/bench/
is reused unless --rebuild; a PostgreSQL database named by --db is refilled each run.

The index of names is --entries entries (a tenth of them mentioned nowhere, as a
gazetteer's places are), and each article mentions two to eight of them, drawn with a
heavy skew so that the first few are in tens of thousands of articles; it is added to an
archive stored without it.

Each page is fetched through the test Client with the page cache off: its p50 and worst
of --repeat runs (after one warm-up) and its number of queries.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=250_000)
    parser.add_argument("--authors", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", default=str(REPO / "var" / "bench" / "indexes.sqlite3"))
    parser.add_argument("--rebuild", action="store_true")
    return parser.parse_args()


def build(articles: int, writers: int) -> None:
    from django.db import transaction

    from backfile.archive.models import Article, Author, Byline, Issue, Publication
    from backfile.indexes.receivers import refile_articles

    rng = random.Random(7)
    sections = [f"Department {n:02}" for n in range(40)]
    tags = [f"{chr(65 + n % 26)}-topic {n:04}" for n in range(3000)]  # under every letter
    given = ["Ada", "Émile", "anna", "Øyvind", "Tom", "Zora", "Ilse", "Kwame", "Li", "Maeve"]
    with transaction.atomic():
        papers = Publication.objects.bulk_create(
            Publication(name=f"Bench Paper {n}", slug=f"bench-paper-{n}") for n in range(3)
        )
        people = Author.objects.bulk_create(
            Author(name=f"{rng.choice(given)} Writer{n:05}", slug=f"writer-{n}")
            for n in range(writers)
        )
    per_issue = 50
    done, started = 0, time.perf_counter()
    while done < articles:
        count = min(10_000, articles - done)
        with transaction.atomic():
            issues = Issue.objects.bulk_create(
                Issue(
                    publication=papers[(done // per_issue + n) % 3],
                    number=done // per_issue + n,
                    year=1900 + (done // per_issue + n) // 60,
                    month=(done // per_issue + n) % 12 + 1,
                    decade=(1900 + (done // per_issue + n) // 60) // 10 * 10,
                    slug=f"no-{done // per_issue + n}",
                )  # fmt: skip
                for n in range(count // per_issue)
            )
            rows = Article.objects.bulk_create(
                Article(
                    publication_id=issue.publication_id,
                    issue=issue,
                    key=f"k{done + i}-{p}",
                    slug=f"a-{p}",
                    position=p,
                    title=f"Article {done + i}-{p}",
                    section=rng.choice(sections),
                    subjects=rng.sample(tags, rng.randint(0, 4)),
                )  # fmt: skip
                for i, issue in enumerate(issues)
                for p in range(per_issue)
            )
            Byline.objects.bulk_create(
                Byline(article=row, author=person, position=n)
                for row in rows
                for n, person in enumerate(rng.sample(people, rng.randint(1, 2)))
            )
            refiling = time.perf_counter()
            ids = [row.pk for row in rows]
            for at in range(0, len(ids), 2000):
                refile_articles(ids[at : at + 2000])
            filed = time.perf_counter() - refiling
        done += count
        print(f"  {done:,} articles stored; filed at {count / filed:,.0f} a second", flush=True)
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)


def build_mentions(entries: int) -> None:
    """The index of names and its mentions, written by bulk SQL (see the module's doc)."""
    from django.db import transaction

    from backfile.archive.models import Article
    from backfile.authority.models import TYPES, Entry, Mention
    from backfile.search.index import issue_date_key

    rng = random.Random(16)
    kinds = [kind for kind, _label in TYPES]
    started = time.perf_counter()
    with transaction.atomic():
        Entry.objects.bulk_create(
            Entry(
                type=kinds[n % 3],
                name=f"{chr(65 + n % 26)}name {n:05}",
                slug=f"name-{n}",
                key=f"{chr(97 + n % 26)}name {n:05}",
                letter=chr(97 + n % 26),
            )
            for n in range(entries)
        )
        ids = list(Entry.objects.order_by("pk").values_list("pk", flat=True))
        mentioned = ids[: len(ids) * 9 // 10]
        rows = []
        articles = Article.objects.select_related("issue").only(
            "pk", "issue__year", "issue__month", "issue__day"
        )
        for article in articles.iterator(chunk_size=5000):
            sort_key = issue_date_key(article.issue)[1]
            chosen = {
                mentioned[min(len(mentioned) - 1, int(rng.paretovariate(0.6)) - 1)]
                for _ in range(rng.randint(2, 8))
            }
            rows += [
                Mention(article_id=article.pk, entry_id=pk, sort_key=sort_key, sentence=SENTENCE)
                for pk in chosen
            ]
            if len(rows) >= 50_000:
                Mention.objects.bulk_create(rows, batch_size=5000)
                rows = []
        Mention.objects.bulk_create(rows, batch_size=5000)
    print(
        f"index of names: {entries:,} entries, {Mention.objects.count():,} mentions, "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


SENTENCE = "An invented sentence, about as long as the sentence around a mention is."


def name_pages() -> list[str]:
    """The index of names' pages: the busiest and a rare entry, an article with mentions."""
    from django.db.models import Count

    from backfile.authority.models import TYPE_PATHS, Entry, Mention

    busiest = Entry.objects.annotate(n=Count("mentions")).order_by("-n")[:1].get()
    rare = Entry.objects.annotate(n=Count("mentions")).filter(n__gt=0).order_by("n", "pk")[:1].get()
    article = Mention.objects.filter(entry=rare).select_related("article")[:1].get().article
    print(f"busiest entry: {busiest.n:,} articles; rare entry: {rare.n:,}", flush=True)
    entry = f"/{TYPE_PATHS[busiest.type]}/{busiest.slug}/"
    return [
        "/people/",
        "/people/?letter=t",
        "/places/?letter=t&page=2",
        entry,
        f"{entry}?sort=newest&page=200",
        f"/{TYPE_PATHS[rare.type]}/{rare.slug}/",
        article.get_absolute_url(),
    ]


def measure(repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from backfile.archive.models import Author, Publication
    from backfile.indexes.models import SubjectEntry

    client = Client(HTTP_HOST="127.0.0.1")  # a loopback host, as ALLOWED_HOSTS allows
    paper = Publication.objects.order_by("pk").first().slug
    busiest = SubjectEntry.objects.filter(kind=SubjectEntry.SUBJECT).values_list("slug", flat=True)[
        :1
    ][0]
    writer = Author.objects.order_by("pk").first().slug
    pages = [
        "/authors/",
        "/authors/?letter=t&page=2",  # (a page past the end: its last)
        "/subjects/?letter=t",
        "/subjects/?letter=t&page=4",
        f"/subjects/{busiest}/",
        "/subjects/department-07/",
        "/subjects/department-07/?page=200",
        f"/{paper}/sections/",
        f"/{paper}/sections/department-07/",
        f"/{paper}/sections/department-07/?sort=oldest&page=50",
        f"/authors/{writer}/",
        *name_pages(),
    ]
    print(f"{'page':58} {'p50 ms':>8} {'max ms':>8} {'queries':>8}")
    for page in pages:
        response = client.get(page, follow=True)  # a page past the end: the last
        assert response.status_code == 200, (page, response.status_code)
        page = response.redirect_chain[-1][0] if response.redirect_chain else page
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(page)
                times.append((time.perf_counter() - started) * 1000)
        print(f"{page:58} {statistics.median(times):8.1f} {max(times):8.1f} {len(queries):8}")


def main() -> None:
    args = options()
    postgres = args.db.startswith("postgres")
    if not postgres:
        path = Path(args.db)
        path.parent.mkdir(parents=True, exist_ok=True)
        if args.rebuild and path.exists():
            path.unlink()
        fresh = not path.exists()
    os.environ["BACKFILE_DB"] = args.db
    os.environ["BACKFILE_PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if postgres:
        call_command("flush", interactive=False, verbosity=0)
    if postgres or fresh:
        build(args.articles, args.authors)
    from backfile.authority.models import Mention

    if not Mention.objects.exists():
        build_mentions(args.entries)
    measure(args.repeat)


if __name__ == "__main__":
    main()
