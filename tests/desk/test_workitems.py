"""Conflicts and notices as work items, through real ingests: a conflict between an ingest
and an editor's correction shows both versions and is resolved at the desk; a notice (an
issue number the contents page misprints) is listed, linked and marked handled; ingesting
the same again makes no second item."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from backfile.archive.models import Article, Issue
from backfile.desk.models import WorkItem
from backfile.desk.workitems import keep_work_items
from backfile.editing.body_views import save_body
from backfile.facsimiles.models import Page
from backfile.ingest.loader import load
from backfile.ingest.records import IssueRecord
from backfile.ingest.report import IngestReport
from tests.conftest import FIXTURES
from tests.desk.conftest import signed_in
from tests.helpers.printed_pages import lamplighter_article, printed_page
from tests.helpers.records import invented_record
from tests.ingest.test_jsonl import media_folder  # noqa: F401 (a fixture)
from tests.ingest.test_legacy_issue_numbers import STORIES, issue_folder

pytestmark = pytest.mark.django_db

NIGHT_BUSES = FIXTURES / "capture" / "the-lantern" / "no-90-may-1952_night-buses.txt"


def text_of(response) -> str:
    return " ".join(lxml_html.fromstring(response.content).text_content().split())


def ingest(folder) -> list[str]:
    """The folder ingested as `backfile ingest` does; the statuses its report gives."""
    report = folder.parent / "report.json"
    call_command(
        "ingest",
        str(folder),
        "--publication",
        "The Lantern",
        "--report",
        str(report),
        "--quiet",
        stdout=io.StringIO(),
    )
    return [entry["status"] for entry in json.loads(report.read_text())["entries"]]


def body_text(article: Article) -> str:
    return " ".join(str(block.get("text", "")) for block in article.blocks)


@pytest.fixture
def conflicted(client, tmp_path):
    """The night buses article ingested, corrected at the desk, then ingested again from a
    changed source: a conflict."""
    source = tmp_path / "the-lantern" / NIGHT_BUSES.name
    source.parent.mkdir()
    shutil.copy(NIGHT_BUSES, source)
    ingest(source.parent)
    editor = signed_in(client, "hilda", "editor")
    article = Article.objects.get(title__icontains="night buses")
    body = [dict(block) for block in article.blocks]
    body[0]["text"] = body[0]["text"] + " (corrected at the desk)"
    save_body(article, body, "a correction at the desk")  # what the body editor saves
    article.refresh_from_db()
    assert article.edited
    changed = NIGHT_BUSES.read_text().replace("quarter to midnight", "quarter past midnight")
    source.write_text(changed)
    ingest(source.parent)
    return editor, article


def test_a_conflict_shows_both_versions_and_the_ingests_can_be_taken(conflicted, tmp_path):
    editor, article = conflicted
    item = WorkItem.objects.get()
    assert item.kind == "conflict" and item.status == "open"
    assert item.article == article and item.issue == article.issue
    article.refresh_from_db()
    assert "quarter to midnight" in body_text(article), "the editor's version was kept"

    listed = editor.get("/desk/work/?status=open&kind=conflict")
    assert listed.status_code == 200
    assert NIGHT_BUSES.name in text_of(listed)
    page = editor.get(item.get_absolute_url())
    shown = text_of(page)
    assert "(corrected at the desk)" in shown, "the editor's version"
    assert "quarter past midnight" in shown, "the ingest's version"
    document = lxml_html.fromstring(page.content)
    assert any("past" in ins.text_content() for ins in document.xpath("//ins"))
    assert any("to" in d.text_content() for d in document.xpath("//del"))

    taken = editor.post(f"/desk/work/{item.pk}/take/")
    assert taken.status_code == 302
    article.refresh_from_db()
    assert "quarter past midnight" in body_text(article)
    assert "(corrected at the desk)" not in body_text(article)
    latest = article.history.first()
    assert latest.history_change_reason.startswith("The ingest's version taken")
    assert latest.history_user.username == "hilda"
    item.refresh_from_db()
    assert item.status == "handled" and item.handled_by.username == "hilda"
    assert item.handled_at is not None

    # the same source ingested again: unchanged now, and no new item
    assert ingest(tmp_path / "the-lantern") == ["unchanged"]
    assert WorkItem.objects.count() == 1
    assert WorkItem.objects.get().status == "handled"


def test_keeping_the_editors_version_is_kept_across_re_ingests(conflicted, tmp_path):
    editor, article = conflicted
    item = WorkItem.objects.get()
    kept = editor.post(f"/desk/work/{item.pk}/handled/", {"how": "keep"})
    assert kept.status_code == 302
    assert ingest(tmp_path / "the-lantern") == ["conflict"], "still a conflict in the report"
    assert WorkItem.objects.count() == 1, "the same conflict is the same item"
    item.refresh_from_db()
    assert item.status == "handled" and "editor's" in item.how
    article.refresh_from_db()
    assert "(corrected at the desk)" in body_text(article)
    home = editor.get("/desk/")
    assert home.status_code == 200


def test_a_misprinted_issue_number_is_a_notice_linked_and_handled(client, tmp_path):
    first, second, third, _ = STORIES["en"]
    site = tmp_path / "the-lamp" / "2012"
    pages = {
        **issue_folder("en", "300", 1, 6, 300, first),
        **issue_folder("en", "301", 1, 13, 301, second),
        **issue_folder("en", "311", 3, 16, 310, third),
    }
    for name, text in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    call_command("ingest", str(site.parent), "--quiet", stdout=io.StringIO())

    misprint = WorkItem.objects.get(kind="notice", message__contains="contents page says No. 310")
    assert misprint.status == "open"
    issue = Issue.objects.get(number=311)
    assert misprint.issue == issue

    editor = signed_in(client, "hilda", "editor")
    home = editor.get("/desk/")
    notices = lxml_html.fromstring(home.content).xpath('//li[@data-item="noted"]//a')[0]
    open_notices = WorkItem.objects.filter(kind="notice", status="open").count()
    assert f"{open_notices}" in notices.text_content()
    listed = editor.get(notices.get("href"))
    assert "contents page says No. 310" in text_of(listed)
    page = editor.get(misprint.get_absolute_url())
    assert issue.get_absolute_url() in page.content.decode()

    refused = editor.get(f"/desk/work/{misprint.pk}/handled/")
    assert refused.status_code == 405, "marking handled is a POST"
    handled = editor.post(f"/desk/work/{misprint.pk}/handled/")
    assert handled.status_code == 302
    misprint.refresh_from_db()
    assert misprint.status == "handled" and misprint.handled_by.username == "hilda"
    assert "contents page says No. 310" not in text_of(editor.get("/desk/work/?status=open"))
    assert "contents page says No. 310" in text_of(editor.get("/desk/work/?status=handled"))

    # the same site ingested again: the same notices, no new items, still handled
    count = WorkItem.objects.count()
    call_command("ingest", str(site.parent), "--quiet", stdout=io.StringIO())
    assert WorkItem.objects.count() == count
    misprint.refresh_from_db()
    assert misprint.status == "handled"


@pytest.mark.usefixtures("media_folder")
def test_a_printed_pages_conflict_links_the_page_and_shows_both_texts(client):
    load([lamplighter_article("The Cartoon", key="cartoon"), printed_page(1, ["The lamplighter"])])
    page = Page.objects.get(sequence=1)
    page.text, page.edited = "The lamplighter at dusk", True
    page.save()
    report = load([printed_page(1, ["The lamplighter, OCR'd again"])])
    assert report.count("conflict") == 1
    keep_work_items(sender=None, report=report)  # as at the end of an ingest run

    item = WorkItem.objects.get(kind="conflict")
    assert item.page == page and item.issue == page.issue and item.article is None
    editor = signed_in(client, "hilda", "editor")
    shown = editor.get(item.get_absolute_url())
    assert shown.status_code == 200
    document = lxml_html.fromstring(shown.content)
    assert any("dusk" in d.text_content() for d in document.xpath("//del"))
    assert any("OCR" in i.text_content() for i in document.xpath("//ins"))
    assert editor.post(f"/desk/work/{item.pk}/handled/", {"how": "keep"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "handled"


def test_only_an_editor_handles_an_item_and_only_with_the_forms_token(conflicted):
    item = WorkItem.objects.get()
    moderator = signed_in(Client(), "mo", "moderator")
    assert moderator.get("/desk/work/").status_code == 403
    assert moderator.post(f"/desk/work/{item.pk}/take/").status_code == 403

    careful = Client(enforce_csrf_checks=True)
    careful.force_login(get_user_model().objects.get(username="hilda"))
    assert careful.post(f"/desk/work/{item.pk}/handled/").status_code == 403, "no CSRF token"
    form = lxml_html.fromstring(careful.get(item.get_absolute_url()).content)
    token = form.xpath('//form[contains(@action, "/handled/")]//input[@name="csrfmiddlewaretoken"]')
    answer = careful.post(
        f"/desk/work/{item.pk}/handled/",
        {"csrfmiddlewaretoken": token[0].get("value"), "how": "keep"},
    )
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.status == "handled"


def test_a_file_s_account_of_itself_is_in_the_report_not_work_to_do(client, tmp_path):
    """A contents page says how many articles it placed: the report keeps that, but it is
    nothing for an editor to handle. The misprinted number beside it is."""
    first, second, third, _ = STORIES["en"]
    site = tmp_path / "the-lamp" / "2012"
    pages = {
        **issue_folder("en", "300", 1, 6, 300, first),
        **issue_folder("en", "301", 1, 13, 301, second),
        **issue_folder("en", "311", 3, 16, 310, third),
    }
    for name, text in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    report = tmp_path / "report.json"
    call_command(
        "ingest", str(site.parent), "--report", str(report), "--quiet", stdout=io.StringIO()
    )
    entries = json.loads(report.read_text())["entries"]
    accounts = [e["reason"] for e in entries if e["status"] == "noted" and e["kind"]]
    assert any("articles placed" in account for account in accounts), accounts
    assert not WorkItem.objects.filter(message__in=accounts).exists()
    misprint = WorkItem.objects.get(message__contains="contents page says No. 310")

    editor = signed_in(client, "hilda", "editor")
    notices = lxml_html.fromstring(editor.get("/desk/").content)
    count = notices.xpath('//li[@data-item="noted"]//span[@class="desk-count"]')[0]
    work = WorkItem.objects.filter(kind="notice", status="open")
    assert int(count.text_content()) == work.count()
    assert misprint in work


def test_the_list_of_work_items_reads_what_they_concern_in_a_few_queries(client, tmp_path):
    """However many items a page lists, the queries are the same: each item's article,
    issue or printed page, with its publication, comes with the list."""
    load([lamplighter_article("The Cartoon", key="cartoon"), printed_page(1, ["A lamp"])])
    article, page = Article.objects.get(key="cartoon"), Page.objects.get(sequence=1)
    editor = signed_in(client, "hilda", "editor")

    def items(start: int, count: int) -> None:
        for n in range(start, start + count):
            WorkItem.objects.create(
                key=f"a{n}", kind="conflict", message="a", source_path=f"a{n}", article=article
            )
            WorkItem.objects.create(
                key=f"i{n}", kind="notice", message="i", source_path=f"i{n}", issue=article.issue
            )
            WorkItem.objects.create(
                key=f"p{n}", kind="conflict", message="p", source_path=f"p{n}", page=page
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as done:
            listed = editor.get("/desk/work/", {"status": "all"})
        assert listed.status_code == 200
        assert article.get_absolute_url() in listed.content.decode()
        return len(done)

    items(0, 1)
    few = queries()
    items(1, 5)
    assert queries() == few


def test_a_picture_not_kept_is_work_and_a_picture_kept_is_not():
    report = IngestReport()
    report.add("site/images/strike.jpg", "noted", "a picture: 40×30 JPEG", kind="picture")
    report.add(
        "site.zip!images/big.jpg",
        "noted",
        "a picture not kept (no room left): the pages showing it show a placeholder",
        kind="picture",
    )
    report.add(
        "site/2012/odd.php", "noted", "neither an article nor a contents page", kind="other page"
    )
    keep_work_items(None, report=report)
    assert sorted(WorkItem.objects.values_list("source_path", flat=True)) == [
        "site.zip!images/big.jpg",
        "site/2012/odd.php",
    ]


def test_an_ingest_s_conflicts_are_kept_in_a_few_queries_however_many(db):
    """Each conflict names its article (publication and key) or its printed page: they are
    read for the whole batch, not one by one."""
    may = IssueRecord(year=1931, number=12, month=5)
    load([invented_record("The Lamp", may, f"Letter {n}", key=f"letter-{n}") for n in range(12)])

    def report_of(keys: range) -> IngestReport:
        report = IngestReport()
        for n in keys:
            path, reason = f"lamp/letter-{n}.txt", f"corrected at the desk ({n})"
            report.add(path, "conflict", reason)
            report.incoming[(path, reason)] = {"publication": "the-lamp", "key": f"letter-{n}"}
        return report

    def queries(keys: range) -> int:
        with CaptureQueriesContext(connection) as done:
            keep_work_items(None, report=report_of(keys))
        return len(done)

    assert queries(range(0, 2)) == queries(range(2, 12))
    items = WorkItem.objects.select_related("article")
    assert sorted(item.article.key for item in items) == sorted(f"letter-{n}" for n in range(12))
    assert all(item.issue_id == item.article.issue_id for item in items)
