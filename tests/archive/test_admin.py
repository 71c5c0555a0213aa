"""The editors' desk: corrections are revisions, restorable, announced, and never overwritten."""

from __future__ import annotations

import json

import pytest

from backfile.archive.models import Article, Author, AuthorAlias, Issue, ReviewedWork
from backfile.archive.signals import articles_changed
from backfile.ingest.loader import load
from backfile.ingest.records import ReviewedWork as ReviewedWorkRecord
from backfile.ingest.records import record_to_dict
from tests.replies.helpers import (
    admin_form_data,
    article_record,
    create_editor,
    sign_in,
    stored_article,
)

pytestmark = pytest.mark.django_db

CORRECTED = "The Tram Strike Holds Firm"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    create_editor("hilda")
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="hilda")


@pytest.fixture
def desk(client, editor):
    return sign_in(client)


@pytest.fixture
def administrator(client, editor):
    """The body as data (JSON) is shown to administrators only: editors edit it as blocks."""
    editor.is_superuser = True
    editor.save()
    return sign_in(client)


@pytest.fixture
def announced():
    """The articles `articles_changed` was sent for, in order."""
    seen: list[int] = []

    def receiver(sender, articles, **kwargs):
        seen.extend(article.pk for article in articles)

    articles_changed.connect(receiver, weak=False)
    yield seen
    articles_changed.disconnect(receiver)


def change_url(obj) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def edit(desk, obj, form_id: str, **changes):
    """Open an object's change form, change some fields, save; returns the response."""
    url = change_url(obj)
    page = desk.get(url)
    assert page.status_code == 200
    data = admin_form_data(page.content, form_id)
    data.update({k: [v] for k, v in changes.items()})
    data["_save"] = ["Save"]
    return desk.post(url, data)


def test_correcting_an_article_marks_it_edited_and_announces_it(desk, editor, announced):
    article = stored_article()
    announced.clear()
    response = edit(desk, article, "article_form", title=CORRECTED)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.title == CORRECTED
    assert article.edited
    assert announced == [article.pk]


def test_every_correction_is_a_revision_and_the_original_can_be_restored(desk, editor):
    article = stored_article()
    edit(desk, article, "article_form", title=CORRECTED)
    revisions = list(Article.history.filter(id=article.pk).order_by("history_date", "history_id"))
    assert [r.title for r in revisions] == ["The Tram Strike Holds", CORRECTED]
    assert revisions[0].history_user is None, "the ingested version is nobody's edit"
    assert revisions[1].history_user == editor

    history = desk.get(f"{change_url(article)[: -len('change/')]}history/", follow=True)
    assert history.status_code == 200
    assert "hilda" in history.content.decode()

    restore_url = f"/admin/archive/article/{article.pk}/history/{revisions[0].history_id}/"
    form = admin_form_data(desk.get(restore_url).content, "historicalarticle_form")
    assert form["title"] == ["The Tram Strike Holds"]
    response = desk.post(restore_url, {**form, "_save": ["Save"]})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "The Tram Strike Holds"
    assert Article.history.filter(id=article.pk).count() == 3


def test_restoring_announces_the_article(desk, announced):
    article = stored_article()
    edit(desk, article, "article_form", title=CORRECTED)
    first = Article.history.filter(id=article.pk).earliest()
    restore_url = f"/admin/archive/article/{article.pk}/history/{first.history_id}/"
    form = admin_form_data(desk.get(restore_url).content, "historicalarticle_form")
    announced.clear()
    desk.post(restore_url, {**form, "_save": ["Save"]})
    assert announced == [article.pk]


def test_editors_never_see_the_body_as_json(desk):
    article = stored_article()
    page = desk.get(change_url(article))
    assert "blocks" not in admin_form_data(page.content, "article_form")
    assert f"/desk/articles/{article.pk}/body/" in page.content.decode()


def test_the_body_is_edited_as_json_and_checked(administrator):
    article = stored_article()
    page = administrator.get(change_url(article))
    body = json.loads(admin_form_data(page.content, "article_form")["blocks"][0])
    assert body[0]["text"].startswith("Drivers at the Eastgate depot")

    body[0]["text"] = "Drivers at the Eastgate depot stayed out for a tenth day."
    body[0]["html"] = (
        "Drivers <em>stayed out</em><script>alert(1)</script> <img src=x onerror=alert(1)>"
    )
    response = edit(administrator, article, "article_form", blocks=json.dumps(body))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.blocks[0]["text"].endswith("a tenth day.")
    assert "<script" not in article.blocks[0]["html"]
    assert "onerror" not in article.blocks[0]["html"]
    assert "<em>stayed out</em>" in article.blocks[0]["html"]


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        ('[{"type": "paragraph", "text": "unclosed"', "Enter a valid JSON"),
        ('{"type": "paragraph"}', "must be a JSON list of blocks"),
        ('[{"type": "para", "text": "x"}]', "block 1 has type &#x27;para&#x27;"),
        ('[{"type": "paragraph", "text": 7}]', "block 1: text must be a string"),
        ('[{"type": "paragraph", "txt": "x"}]', "block 1 has unknown keys: txt"),
        (
            '[{"type": "quotation", "blocks": [{"type": "pargraph"}]}]',
            "block 1, inner block 1 has type",
        ),
        (
            '[{"type": "list", "blocks": [{"type": "paragraph", "text": "x"}]}]',
            "a list may not hold a paragraph",
        ),
        ('[{"type": "list", "start": 2, "text": ""}]', "a list holds nothing"),
    ],
    ids=[
        "not json",
        "not a list",
        "unknown type",
        "text not a string",
        "unknown key",
        "nested",
        "list of paragraphs",
        "empty list",
    ],
)
def test_a_malformed_body_is_refused_with_a_reason(administrator, blocks, message):
    article = stored_article()
    response = edit(administrator, article, "article_form", blocks=blocks, title=CORRECTED)
    assert response.status_code == 200
    assert message in response.content.decode()
    article.refresh_from_db()
    assert article.title == "The Tram Strike Holds"
    assert not article.edited


def test_structured_blocks_are_edited_and_kept(administrator):
    article = stored_article()
    body = [
        {"type": "list", "start": 3, "text": "", "blocks": [{"type": "list_item", "text": "a"}]},
        {"type": "paragraph", "text": "Seen.1", "html": 'Seen.<sup><a href="#note-1">1</a></sup>'},
        {"type": "notes", "text": "", "blocks": [{"type": "note", "label": "1", "text": "n"}]},
    ]
    response = edit(administrator, article, "article_form", blocks=json.dumps(body))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.blocks[0]["start"] == 3
    assert article.blocks[-1]["blocks"][0]["label"] == "1"
    page = administrator.get(article.get_absolute_url()).content.decode()
    assert '<ol start="3">' in page and 'id="note-ref-1"' in page


def test_bylines_and_reviewed_works_are_corrected_inline(desk, announced):
    article = stored_article(
        reviewed_works=[ReviewedWorkRecord("The Long Depot", author="R. Marle", year=1951)]
    )
    page = desk.get(change_url(article))
    data = admin_form_data(page.content, "article_form")
    assert data["bylines-TOTAL_FORMS"] == ["1"]
    assert data["reviews-TOTAL_FORMS"] == ["1"]
    other = Author.objects.create(name="Tom Greaves", slug="tom-greaves")
    data.update(
        {
            "bylines-TOTAL_FORMS": ["2"],
            "bylines-1-author": [str(other.pk)],
            "bylines-1-as_printed": ["T. Greaves"],
            "bylines-1-position": ["1"],
            "bylines-1-article": [str(article.pk)],
            "_save": ["Save"],
        }
    )
    announced.clear()
    response = desk.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [a.name for a in article.ordered_authors()] == ["Ada Penrose", "Tom Greaves"]
    assert announced == [article.pk]


def test_an_ingest_does_not_overwrite_a_correction(desk, tmp_path, ingest_paths):
    """Ingest, correct in the desk, ingest a changed source: a conflict, the correction kept."""
    source = tmp_path / "gazette.jsonl"
    source.write_text(json.dumps(record_to_dict(article_record())) + "\n", encoding="utf-8")
    assert ingest_paths(source).count("added") == 1
    article = Article.objects.get()
    assert edit(desk, article, "article_form", title=CORRECTED).status_code == 302

    changed = article_record(paragraphs=("A new transcription of the first paragraph.",))
    source.write_text(json.dumps(record_to_dict(changed)) + "\n", encoding="utf-8")
    report = ingest_paths(source)
    assert report.count("conflict") == 1
    assert "an editor has corrected this article" in report.entries[-1].reason
    assert "conflicts 1" in report.summary_line()
    article.refresh_from_db()
    assert article.title == CORRECTED
    assert article.blocks[0]["text"].startswith("Drivers at the Eastgate depot")


def test_an_unedited_article_is_updated_by_a_changed_source(db, tmp_path, ingest_paths):
    source = tmp_path / "gazette.jsonl"
    source.write_text(json.dumps(record_to_dict(article_record())) + "\n", encoding="utf-8")
    ingest_paths(source)
    changed = article_record(paragraphs=("A new transcription.",))
    source.write_text(json.dumps(record_to_dict(changed)) + "\n", encoding="utf-8")
    assert ingest_paths(source).count("updated") == 1
    assert Article.objects.get().blocks[0]["text"] == "A new transcription."


def test_correcting_an_issue_is_a_revision_announced_for_its_articles(desk, editor, announced):
    article = stored_article()
    issue = article.issue
    announced.clear()
    response = edit(desk, issue, "issue_form", volume="4")
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.volume == 4
    assert Issue.history.filter(id=issue.pk).latest().history_user == editor
    assert announced == [article.pk]


def test_an_ingested_issue_can_be_restored_after_a_correction(desk, editor):
    issue = stored_article().issue
    assert not Issue.history.filter(id=issue.pk).exists(), "an ingest is not a revision"
    edit(desk, issue, "issue_form", volume="4")
    revisions = list(Issue.history.filter(id=issue.pk).order_by("history_date", "history_id"))
    assert [(r.volume, r.history_user) for r in revisions] == [(None, None), (4, editor)]

    restore_url = f"/admin/archive/issue/{issue.pk}/history/{revisions[0].history_id}/"
    form = admin_form_data(desk.get(restore_url).content, "historicalissue_form")
    assert desk.post(restore_url, {**form, "_save": ["Save"]}).status_code == 302
    issue.refresh_from_db()
    assert issue.volume is None


def test_correcting_a_reviewed_work_is_a_revision(desk, editor, announced):
    article = stored_article(reviewed_works=[ReviewedWorkRecord("The Long Depot", year=1915)])
    work = ReviewedWork.objects.get()
    announced.clear()
    assert edit(desk, work, "reviewedwork_form", year="1951").status_code == 302
    work.refresh_from_db()
    assert work.year == 1951
    assert ReviewedWork.history.filter(id=work.pk).latest().history_user == editor
    assert announced == [article.pk]


# Merging two spellings of one person -------------------------------------------


def merge(desk, authors, keep=None):
    data = {"action": "merge_selected_authors", "_selected_action": [a.pk for a in authors]}
    if keep is not None:
        data["keep"] = keep.pk
    else:
        data["index"] = 0
    return desk.post("/admin/archive/author/", data)


def test_merging_authors_asks_which_name_to_keep(desk):
    stored_article(authors=["Ada Penrose"])
    stored_article(key="bus-fares", title="Bus Fares Up Again", authors=["A. Penrose"])
    page = merge(desk, Author.objects.all())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Keep this name" in text and "A. Penrose" in text and "Ada Penrose" in text
    assert Author.objects.count() == 2, "nothing changes before the editor confirms"


def test_merging_authors_moves_bylines_keeps_spellings_and_records_it(desk, editor, announced):
    first = stored_article(authors=["Ada Penrose"])
    second = stored_article(key="bus-fares", title="Bus Fares Up Again", authors=["A. Penrose"])
    both = stored_article(
        key="joint", title="A Joint Letter", authors=["A. Penrose", "Ada Penrose"]
    )
    keep = Author.objects.get(name="Ada Penrose")
    duplicate = Author.objects.get(name="A. Penrose")
    announced.clear()

    response = merge(desk, [keep, duplicate], keep=keep)
    assert response.status_code == 302
    assert list(Author.objects.values_list("name", flat=True)) == ["Ada Penrose"]
    for article in (first, second, both):
        assert [a.pk for a in article.ordered_authors()] == [keep.pk]
    assert both.bylines.get().as_printed == "A. Penrose", "the byline as printed is kept"
    assert set(AuthorAlias.objects.filter(author=keep).values_list("name", flat=True)) == {
        "Ada Penrose",
        "A. Penrose",
    }
    assert sorted(announced) == sorted([second.pk, both.pk])
    deleted = Author.history.filter(id=duplicate.pk).latest()
    assert deleted.history_type == "-" and deleted.history_user == editor
    assert "merged into Ada Penrose" in deleted.history_change_reason
    assert "A. Penrose" in Author.history.filter(id=keep.pk).latest().history_change_reason

    later = article_record(key="later", title="Later Still", authors=["A Penrose"])
    load([later])
    assert Article.objects.get(key="later").ordered_authors() == [keep]


def test_a_merge_that_fails_changes_nothing(desk, monkeypatch):
    stored_article(authors=["Ada Penrose"])
    stored_article(key="bus-fares", title="Bus Fares Up Again", authors=["A. Penrose"])
    keep = Author.objects.get(name="Ada Penrose")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Author, "delete", broken)
    desk.raise_request_exception = True
    with pytest.raises(RuntimeError):
        merge(desk, Author.objects.all(), keep=keep)
    assert Author.objects.count() == 2
    assert Author.objects.get(name="A. Penrose").bylines.count() == 1


def test_every_desk_page_opens_for_an_editor(desk):
    article = stored_article(reviewed_works=[ReviewedWorkRecord("The Long Depot")])
    objects = [article, article.issue, Author.objects.get(), ReviewedWork.objects.get()]
    for obj in objects:
        listing = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/"
        assert desk.get(listing).status_code == 200, listing
        assert desk.get(change_url(obj)).status_code == 200, change_url(obj)
        assert desk.get(f"{listing}{obj.pk}/history/", follow=True).status_code == 200
    assert desk.get("/admin/archive/article/?q=Tram").status_code == 200
    assert desk.get("/admin/archive/author/?q=Penrose").status_code == 200
    assert desk.get("/admin/archive/issue/?q=1952").status_code == 200
    found = desk.get(
        "/admin/autocomplete/",
        {"app_label": "archive", "model_name": "article", "field_name": "issue", "term": "1952"},
    )
    assert [r["id"] for r in found.json()["results"]] == [str(article.issue.pk)]
    assert desk.get("/admin/archive/article/add/").status_code == 403, "articles come from sources"
