"""Quotations kept in step with the archive: on ingest (the reference review and invented
articles, through the real loader), on a re-ingest with a changed body, and on an edit at
the editors' desk."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from backfile.archive.models import Article
from backfile.ingest.loader import Loader, load
from backfile.ingest.records import Block, ReviewedWork
from backfile.quotations import receivers
from backfile.quotations.models import Quotation
from tests.conftest import corpus_path
from tests.editing.helpers import errors, open_body, press, row_with
from tests.replies.helpers import article_record, create_editor, sign_in

SAYING = "the mill wheel turned for the last time that autumn"
OTHER = "the miners walked home over the hill in silence"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def review(*paragraphs: str):
    return article_record(
        key="mill-review",
        title="The Last Mill",
        paragraphs=paragraphs,
        reviewed_works=[ReviewedWork(title="The Mill Book", author="Ann Wheeler")],
    )


def stored(article: Article) -> list[tuple[str, str, str, str]]:
    return [
        (q.kind, q.text, q.pages, q.work.title if q.work else "")
        for q in Quotation.objects.filter(article=article).select_related("work")
    ]


@pytest.mark.corpus
def test_the_reference_review_cites_pages_30_81_29_32_and_77(ingest_paths):
    report = ingest_paths(corpus_path("socialist-standard", "000_a351202cb116f3a4.txt"))
    assert report.summary()["failed"] == 0
    article = Article.objects.get()
    quoted = Quotation.objects.filter(article=article).select_related("work")
    cited = [q for q in quoted if q.pages]
    assert [q.pages for q in cited] == ["30", "81", "29", "32", "77"]
    assert {q.work.title for q in quoted} == {"From Lenin to Stalin"}
    first = cited[0]
    assert first.kind == Quotation.BLOCK
    assert "Kazan" in first.text and "I serve notice" in first.text  # the nested order within
    assert not Quotation.objects.filter(article=article, text__startswith="From Heroism").exists()


def test_a_reingest_with_a_changed_body_updates_the_quotations(db):
    first = review(f'On page 12 Wheeler writes: "{SAYING}."', 'It was a "hard winter" there.')
    assert load([first]).count("failed") == 0
    article = Article.objects.get(key="mill-review")
    assert stored(article) == [("inline", f"{SAYING}.", "12", "The Mill Book")]

    changed = review(f'Wheeler writes: "{SAYING}" (p. 14).', f'Later: "{OTHER}." (Page 20.)')
    assert load([changed]).count("updated") == 1
    assert stored(article) == [
        ("inline", SAYING, "14", "The Mill Book"),
        ("inline", f"{OTHER}.", "20", "The Mill Book"),
    ]

    plain = review("Wheeler writes well.", "Nothing is quoted here.")
    assert load([plain]).count("updated") == 1
    assert stored(article) == []


def test_quotations_found_ahead_in_the_ingest_workers_name_the_work_they_cite(db, monkeypatch):
    """An ingest lends the loader worker processes: the quotations are found there before
    the write (here a thread stands in for them), the write takes them (no body is read
    again in the loader's own thread), and each is linked to the work its text names among
    the review's two."""
    finding = receivers.quotations_of_bodies
    bodies_read: dict[str, int] = {"loader": 0, "worker": 0}
    loader = threading.get_ident()

    def counted(bodies):
        bodies_read["loader" if threading.get_ident() == loader else "worker"] += len(bodies)
        return finding(bodies)

    monkeypatch.setattr(receivers, "quotations_of_bodies", counted)
    record = replace(
        review(
            f'Wheeler is gentle: "{SAYING}" (p. 3).',
            f'Harrow is not. "{OTHER}" (Salt Roads, p. 9).',
        ),
        reviewed_works=[
            ReviewedWork(title="The Mill Book", author="Ann Wheeler"),
            ReviewedWork(title="Salt Roads", author="Jon Harrow"),
        ],
    )
    with ThreadPoolExecutor(1) as workers:
        report = Loader(workers=workers).load([record])
    assert report.count("added") == 1, report.entries
    assert bodies_read == {"loader": 0, "worker": 1}
    article = Article.objects.get(key="mill-review")
    assert stored(article) == [
        ("inline", SAYING, "3", "The Mill Book"),
        ("inline", OTHER, "9", "Salt Roads"),
    ]


def test_a_block_quotation_is_kept_whole(db):
    record = replace(
        review("x"),
        blocks=[
            Block("paragraph", "The notice, on page 7, read:"),
            Block(
                "quotation",
                blocks=[
                    Block("paragraph", "The gates close at noon."),
                    Block("quotation", blocks=[Block("paragraph", "No carts after dark.")]),
                ],
            ),
        ],
    )
    assert load([record]).count("failed") == 0
    article = Article.objects.get(key="mill-review")
    assert stored(article) == [
        ("block", "The gates close at noon.\n\nNo carts after dark.", "7", "The Mill Book")
    ]


def test_an_edit_at_the_desk_updates_the_quotations(client, db):
    assert load([review(f'On page 12 Wheeler writes: "{SAYING}."')]).count("failed") == 0
    article = Article.objects.get(key="mill-review")
    create_editor("hilda")
    desk = sign_in(client)
    data = open_body(desk, article)
    row = row_with(data, "On page 12")
    typed = f'On page 31 Wheeler writes: "{OTHER}."'
    response = press(desk, article, data, "save", **{f"{row}-text": typed})
    assert response.status_code == 302, errors(response)
    assert stored(article) == [("inline", f"{OTHER}.", "31", "The Mill Book")]


@pytest.mark.django_db(transaction=True)
def test_an_archive_stored_before_quotations_were_kept_has_them_found_by_the_migration():
    from django.core.management import call_command

    from backfile.archive.signals import articles_changed, articles_coming
    from backfile.quotations import receivers

    call_command("migrate", "quotations", "zero", verbosity=0)
    try:  # stored as before quotations were kept: nothing listening
        articles_changed.disconnect(dispatch_uid="quotations.requote_changed_articles")
        articles_coming.disconnect(dispatch_uid="quotations.find_coming_quotations")
        assert load([review(f'On page 12 Wheeler writes: "{SAYING}."')]).count("added") == 1
    finally:
        articles_changed.connect(
            receivers.requote_changed_articles, dispatch_uid="quotations.requote_changed_articles"
        )
        articles_coming.connect(
            receivers.find_coming_quotations, dispatch_uid="quotations.find_coming_quotations"
        )
        call_command("migrate", "quotations", verbosity=0)
    article = Article.objects.get(key="mill-review")
    assert stored(article) == [("inline", f"{SAYING}.", "12", "The Mill Book")]
