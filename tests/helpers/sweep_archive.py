"""An archive with every kind of page in it, for the accessibility sweep and the screenshots:
built from the suite's own invented records and fixtures through the real loader and ingest,
in a database of its own, by `python -m tests.helpers.sweep_archive DATABASE PATHS.json`.

It holds two invented publications of several issues (browsing pages, authors; enough
articles for a search to run to three pages of results), an article
with a figure in an issue with a cover, a review with its reviewed work, an article with
notes and a table (ingested from tests/fixtures/structure), an article with a reply and its
replies form, a printed issue of three drawn pages (page viewer, search within, page
results), and an editor, "hilda". PATHS.json gets the address of each kind of page.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def build() -> dict[str, str]:
    """Store the archive in the configured database; the address of each kind of page."""
    from backfile.archive.models import Article, AuthorAlias
    from backfile.ingest.loader import load
    from backfile.ingest.pipeline import ingest
    from tests.archive.conftest import REVIEW_URL, lamplighter_records
    from tests.conftest import FIXTURES
    from tests.corrections.helpers import ocr_article
    from tests.helpers.covers import cover_picture, with_cover
    from tests.helpers.invented_archive import load_archive, many_articles
    from tests.helpers.pictures import figure_record, make_picture
    from tests.helpers.stored_pages import stored_issue
    from tests.replies.helpers import create_editor, stored_reply

    load_archive()
    gauges = many_articles(45)  # more than a page of results: the search pager
    report = load(gauges)
    assert report.count("added") == len(gauges), report.entries
    report = load(lamplighter_records())
    assert report.count("failed") == 0, report.entries
    report = ingest([FIXTURES / "structure" / "legacy" / "the-quayside"])
    assert report.count("failed") == 0, report.entries

    picture = make_picture(0, seed=31)
    pictured = with_cover(
        figure_record(1, [picture], caption="The quay at low water", credit="Lantern staff"),
        cover_picture(seed=31),
        alt="Cover: a tug in the harbour mouth",
    )
    pictured.assets[0].content = picture.data
    report = load([pictured])
    assert report.count("added") == 1, report.entries

    printed = stored_issue()
    replied = ocr_article()
    stored_reply(replied, "My father drove the No. 4 that spring.")
    create_editor("hilda")

    figures = Article.objects.get(key=pictured.key)
    notes = Article.objects.get(key__contains="130_01_Netmakers")
    weir = Article.objects.get(title="The Sluice Keepers' Ballot")
    issue = weir.issue
    author = weir.bylines.first().author
    AuthorAlias.objects.create(author=author, name="H. Marl")  # a row of the spellings inline
    publication = issue.publication.get_absolute_url()
    book = index_of_names()
    return {
        "home": "/",
        "publication": publication,
        "decade": f"{publication}{issue.decade}s/",
        "year": f"{publication}{issue.decade}s/{issue.year}/",
        "issue": issue.get_absolute_url(),
        "issue-with-cover": figures.issue.get_absolute_url(),
        "article-figures": figures.get_absolute_url(),
        "article-review": REVIEW_URL,
        "article-notes": notes.get_absolute_url(),
        "article-replies": replied.get_absolute_url(),
        "author": author.get_absolute_url(),
        "authors": "/authors/",
        "subjects": "/subjects/",
        "subject": "/subjects/notes/",
        "sections": f"{publication}sections/",
        "section": f"{publication}sections/notes/",
        "date-outside": f"{publication}date/?year=1800",
        "people": "/people/",
        "entry": "/people/gideon-pellow/",
        "organisations": "/organisations/",
        "books": "/books/",
        "book": book,
        "books-by": "/books/by/gideon-pellow/",
        "search-mentioned": "/search/?q=person%3APellow",
        "search-empty": "/search/",
        "search-results": "/search/?q=strike",
        "search-nothing": "/search/?q=zeppelin",
        "search-advanced": "/search/advanced/",
        "search-pages": "/search/?q=strike&kind=pages",
        "search-paginated": "/search/?q=gauge&page=2",
        "issue-printed": printed.get_absolute_url(),
        "page-viewer": f"{printed.get_absolute_url()}page/1/?q=depot",
        "search-within": f"{printed.get_absolute_url()}page/search/?q=depot",
        "corrections-suggest": f"/corrections/article/{replied.pk}/1/",
        "data": "/data/",
        "not-found": "/no-such-page/",
        "admin-sign-in": "/admin/login/",
        "admin-index": "/admin/",
        "admin-changelist": "/admin/archive/article/",
        "admin-change": f"/admin/archive/article/{weir.pk}/change/",
        "admin-author": f"/admin/archive/author/{author.pk}/change/",
        "admin-replies": "/admin/replies/reply/",
        "desk-home": "/desk/",
        "desk-ingests": "/desk/ingests/",
        "desk-new-ingest": "/desk/ingests/new/",
        "desk-body": f"/desk/articles/{weir.pk}/body/",
        "desk-revisions": f"/desk/revisions/article/{weir.pk}/",
    }


def index_of_names() -> str:
    """People, places and an organisation mentioned in the Lamplighter's review (shown on
    its page) and elsewhere, and passages quoted from the reviewed work; the address of the
    work's page."""
    from backfile.archive.models import Article, ReviewedWork
    from backfile.authority.book_views import book_url
    from tests.authority.factories import entry, mention, quoted

    review = Article.objects.get(title="Maps of a Lost Province")
    later = Article.objects.get(title="Hale on Hire Purchase")
    pellow = entry("Gideon Pellow", dates="1890–1961", note="Surveyor.", aliases=("G. Pellow",))
    bristol = entry("Bristol", "place")
    guild = entry("Guild of Surveyors", "organisation", aliases=("G.O.S.",))
    mention(review, pellow, "Mr Pellow has walked every lane; Gideon Pellow measured them.")
    mention(review, bristol, "Printed in Bristol.")
    mention(review, guild, "The G.O.S. disowned the maps.")
    mention(later, pellow, "Gideon Pellow’s lanes again.")
    mention(later, bristol, "")
    work = ReviewedWork.objects.get(title="The Unmapped Shire")
    quoted(
        review,
        work,
        ("block", "No map shall show the mill.", "30"),
        ("inline", "So the order ran.", ""),
    )
    return book_url(work)


def main(database: str, paths_file: str) -> None:
    os.environ["BACKFILE_DB"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    Path(paths_file).write_text(json.dumps(build(), indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
