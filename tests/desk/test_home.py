"""The desk's home page (and the admin's index): what needs doing, each a count linking to
the list it comes from, shown to the roles that can do it."""

from __future__ import annotations

import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from lxml import html as lxml_html
from PIL import Image

from backfile.archive.models import Article
from backfile.corrections.models import Correction
from backfile.desk.models import IngestJob, WorkItem
from backfile.media.models import Asset
from backfile.replies.models import Reply
from tests.conftest import FIXTURES
from tests.desk.conftest import captures_zip, signed_in
from tests.replies.helpers import stored_article, stored_reply

pytestmark = pytest.mark.django_db


def items(response) -> dict[str, tuple[int, str]]:
    """key → (count, link) of the page's to-do items."""
    document = lxml_html.fromstring(response.content)
    found = {}
    for item in document.xpath("//li[@data-item]"):
        link = item.xpath(".//a")[0]
        count = int(link.xpath('.//span[@class="desk-count"]')[0].text_content())
        found[item.get("data-item")] = (count, link.get("href"))
    return found


def waiting_work():
    article = stored_article()
    stored_reply(article, status=Reply.Status.PENDING)
    stored_reply(article, "Another view.", status=Reply.Status.PENDING)
    stored_reply(article, "Already shown.")
    Correction.objects.create(
        article=article,
        paragraph=1,
        original="Drivers at the Eastgate depot stayed out for a ninth day.",
        text="Drivers at the Eastgate depot stayed out for a tenth day.",
        author_name="Len Hallam",
        created=timezone.now() - timedelta(hours=1),
    )
    Asset.objects.create(sha256="a" * 64, filename="cover.jpg")
    Asset.objects.create(sha256="b" * 64, filename="strike.jpg", alt="Pickets at the gate")


def png() -> bytes:
    picture = BytesIO()
    Image.new("RGB", (40, 30), "white").save(picture, "PNG")
    return picture.getvalue()


def upload(client, path, capture):
    with path.open("rb") as file, capture(execute=True):
        return client.post("/desk/ingests/new/", {"files": [file], "publication": "The Lantern"})


def test_the_home_page_counts_what_needs_doing_and_links_to_it(
    client, queue_in_process, tmp_path, django_capture_on_commit_callbacks
):
    waiting_work()
    signed_in(client, "ada", "administrator")
    # an ingest, then an editor's correction, then the source changed: a conflict; and a
    # picture no article shows, noted
    (tmp_path / "first").mkdir()
    first = captures_zip(tmp_path / "first")
    upload(client, first, django_capture_on_commit_callbacks)
    corrected = Article.objects.get(title__icontains="night buses")
    corrected.edited = True
    corrected.save()
    second = tmp_path / "second.zip"
    with zipfile.ZipFile(second, "w") as archive:
        capture = FIXTURES / "capture" / "the-lantern" / "no-90-may-1952_night-buses.txt"
        archive.writestr(
            f"the-lantern/{capture.name}",
            capture.read_text().replace("quarter to midnight", "quarter past midnight"),
        )
        archive.writestr("the-lantern/masthead.png", png())
    upload(client, second, django_capture_on_commit_callbacks)

    home = client.get("/desk/")
    assert home.status_code == 200
    found = items(home)
    assert found["replies"] == (2, "/admin/replies/reply/?status__exact=pending")
    assert found["corrections"] == (1, "/admin/corrections/correction/?status__exact=pending")
    assert found["alt"] == (1, "/admin/media/asset/?alt=missing")
    assert found["conflict"][0] == 1
    # the masthead is in the run's report, but a picture kept asks nothing of an editor
    second_report = IngestJob.objects.order_by("-pk").first().entries("noted")
    assert any("masthead.png" in entry["path"] for entry in second_report)
    assert not WorkItem.objects.filter(source_path__contains="masthead.png").exists()
    assert found["noted"][0] == WorkItem.objects.filter(kind="notice", status="open").count()
    assert found["jobs"][0] == 0

    # each link leads to the list it counts
    pending = client.get(found["replies"][1])
    assert pending.status_code == 200 and b"Another view." in pending.content
    assert b"Already shown." not in pending.content
    missing_alt = client.get(found["alt"][1])
    assert b"cover.jpg" in missing_alt.content and b"strike.jpg" not in missing_alt.content
    conflicted = client.get(found["conflict"][1])
    rows = lxml_html.fromstring(conflicted.content).xpath("//tbody/tr")
    assert len(rows) == 1, "only the open conflict"
    assert "night-buses" in rows[0].text_content()
    conflict = client.get(rows[0].xpath(".//a")[0].get("href"))
    shown = " ".join(lxml_html.fromstring(conflict.content).text_content().split())
    assert "corrected this article" in shown
    assert "quarter past midnight" in shown, "the ingest's version is shown"
    second_run = IngestJob.objects.order_by("-pk").first()
    assert f"ingest {second_run.pk}" in shown, "the run it came from"
    run_page = lxml_html.fromstring(client.get(f"/desk/ingests/{second_run.pk}/").content)
    to_handle = run_page.xpath('//a[contains(., "conflicts and notices, to handle")]')[0]
    of_the_run = lxml_html.fromstring(client.get(to_handle.get("href")).content)
    assert any("night-buses" in row.text_content() for row in of_the_run.xpath("//tbody/tr"))

    # the recent ingests, newest first
    recent = lxml_html.fromstring(home.content).xpath('//ul[@class="desk-ingests"]/li')
    assert len(recent) == 2 and "second.zip" in recent[0].text_content()


def test_the_admin_index_opens_with_the_same_list(client):
    waiting_work()
    from backfile.authority.models import Candidate

    Candidate.objects.create(name="Ramón Olmedo", key="ramon olmedo", count=9, articles=4)
    Candidate.objects.create(name="Eastgate", key="eastgate", status=Candidate.REJECTED)
    signed_in(client, "hilda", "editor")
    index = client.get("/admin/")
    assert index.status_code == 200
    found = items(index)
    assert found["replies"][0] == 2 and found["alt"][0] == 1
    assert found["candidates"] == (1, "/admin/authority/candidate/")
    listed = client.get(found["candidates"][1]).content.decode()
    assert "Ramón Olmedo" in listed and "Eastgate" not in listed
    assert b'href="/desk/ingests/new/"' in index.content


def test_a_moderator_sees_only_what_a_moderator_does(client):
    waiting_work()
    signed_in(client, "mona", "moderator")
    found = items(client.get("/desk/"))
    assert set(found) == {"replies", "corrections"}
    assert found["replies"][0] == 2
    index = client.get("/admin/")
    assert set(items(index)) == {"replies", "corrections"}
    assert b"/desk/ingests/" not in index.content
