"""Pictures put in on the editors' desk, through the real desk (an editor signed in, real
multipart uploads of pictures made with Pillow): a new figure in an article, a picture's
file replaced everywhere it shows (the old one back with a restored revision), an issue's
cover set and removed; bad files refused with a sentence, never a 500; the pages that show
the change are served anew at once."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from lxml import html

from backfile.archive.models import Article, Issue
from backfile.ingest.loader import load
from backfile.media.models import Asset
from backfile.media.storage import media_storage
from tests.archive.test_admin import (  # noqa: F401 (fixtures)
    change_url,
    desk,
    edit,
    editor,
    fast_password_hashing,
)
from tests.helpers.covers import cover_picture, with_cover
from tests.helpers.pictures import chart, figure_record, make_picture, photo, png_claiming
from tests.ingest.test_jsonl import media_folder  # noqa: F401 (a fixture)
from tests.replies.helpers import admin_form_data

pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def stored(number: int = 1, language: str = "en") -> Article:
    picture = make_picture(0, seed=8)
    record = figure_record(number, [picture], language=language)
    record.assets[0].content = picture.data
    load([record])
    return Article.objects.get(key=record.key)


def pictures_on(reader: Client, url: str) -> list:
    page = reader.get(url)
    assert page.status_code == 200
    return html.fromstring(page.content).xpath("//main//img")


def test_an_editor_adds_a_picture_to_an_article_and_readers_see_it_at_once(
    desk,  # noqa: F811
    editor,  # noqa: F811
    media_folder,  # noqa: F811
):
    article = stored()
    reader = Client()
    url = article.get_absolute_url()
    assert len(pictures_on(reader, url)) == 1  # the page is now in the page cache

    new = photo(640, 480, seed=21)
    response = edit(
        desk,
        article,
        "article_form",
        new_picture=upload(new, "tram-depot.jpg"),
        new_picture_alt="Trams in the depot at night",
        new_picture_caption="The depot in 1938",
        new_picture_credit="Photo: R. Fenn",
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    article.refresh_from_db()
    figure = article.blocks[-1]
    asset = Asset.objects.get(sha256=figure["assets"][0]["sha256"])
    assert (asset.width, asset.height, asset.filename) == (640, 480, "tram-depot.jpg")
    assert asset.alt == "Trams in the depot at night"
    assert (figure["text"], figure["credit"]) == ("The depot in 1938", "Photo: R. Fenn")
    assert article.edited
    assert article.history.first().history_user == editor
    assert asset.history.first().history_user == editor

    images = pictures_on(reader, url)
    assert len(images) == 2, "the cached page was retired"
    assert images[-1].get("alt") == "Trams in the depot at night"
    assert images[-1].get("width") == "640" and images[-1].get("loading") == "lazy"
    assert reader.get(images[-1].get("src")).status_code == 200

    report = desk.get("/admin/media/asset/?alt=missing").content.decode()
    assert "tram-depot.jpg" not in report and asset.filename not in report


def test_uploading_a_picture_already_shown_elsewhere_changes_nothing_there(
    desk,  # noqa: F811
    media_folder,  # noqa: F811
):
    """The same bytes are the same asset: another article's picture keeps its alt text, and
    the new figure says its own."""
    first = stored(1)
    second = stored(2)
    shared = Asset.objects.get(sha256=first.blocks[-1]["assets"][0]["sha256"])
    shared.alt = "The mill chimney from the canal bank"
    shared.save()
    data = media_storage().open(shared.original).read()
    reader = Client()
    shown = [i.get("alt") for i in pictures_on(reader, first.get_absolute_url())]
    response = edit(
        desk,
        second,
        "article_form",
        new_picture=upload(data, "again.png"),
        new_picture_alt="The chimney again, from the towpath",
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    shared.refresh_from_db()
    assert shared.alt == "The mill chimney from the canal bank"
    assert [i.get("alt") for i in pictures_on(reader, first.get_absolute_url())] == shown
    assert [i.get("alt") for i in pictures_on(reader, second.get_absolute_url())][-1] == (
        "The chimney again, from the towpath"
    )


@pytest.mark.parametrize(
    ("data", "name", "field", "message"),
    [
        (b"Minutes of the lodge meeting\n", "minutes.txt", "new_picture", "not a picture Pillow"),
        (png_claiming(40_000, 40_000), "bomb.png", "new_picture", "BACKFILE_MEDIA_MAX_PIXELS"),
        (photo(400, 300)[:900], "cut-short.jpg", "new_picture", "cut-short.jpg cannot be used"),
        (chart(300, 200), "chart.png", "new_picture_alt", "Say what the picture shows"),
    ],
)
def test_a_bad_upload_is_refused_with_a_sentence_and_nothing_changes(
    desk,  # noqa: F811
    media_folder,  # noqa: F811
    data,
    name,
    field,
    message,
):
    article = stored()
    before = list(article.blocks)
    assets = Asset.objects.count()
    changes = {"new_picture": upload(data, name)}
    if field != "new_picture_alt":
        changes["new_picture_alt"] = "A picture"
    response = edit(desk, article, "article_form", **changes)
    assert response.status_code == 200
    page = html.fromstring(response.content)
    errors = page.xpath(f"//*[@id='id_{field}']/ancestor::*[contains(@class, 'form-row')]")
    assert message in errors[0].text_content()
    article.refresh_from_db()
    assert article.blocks == before and Asset.objects.count() == assets


def test_an_upload_larger_than_the_setting_allows_is_refused(desk, media_folder, settings):  # noqa: F811
    settings.BACKFILE_INGEST_MAX_MEMBER_BYTES = 20_000
    article = stored()
    big = photo(1200, 900, seed=5)
    assert len(big) > 20_000
    response = edit(
        desk, article, "article_form", new_picture=upload(big, "big.jpg"), new_picture_alt="Big"
    )
    assert response.status_code == 200
    assert "big.jpg is" in response.content.decode()
    assert "BACKFILE_INGEST_MAX_MEMBER_BYTES (20,000 bytes)" in response.content.decode()


def test_replacing_a_pictures_file_shows_the_new_one_and_the_old_comes_back_with_history(
    desk,  # noqa: F811
    editor,  # noqa: F811
    media_folder,  # noqa: F811
):
    cover = cover_picture(seed=6)
    picture = make_picture(0, seed=8)
    record = with_cover(figure_record(1, [picture]), cover, alt="Portada")
    record.assets[0].content = picture.data
    load([record])
    article = Article.objects.get()
    old = Asset.objects.get(sha256=picture.sha256)
    old.alt = "Boats at the quay"
    old.save()
    reader = Client()
    before = pictures_on(reader, article.get_absolute_url())[0].get("src")

    better = photo(800, 600, seed=33)
    response = edit(desk, old, "asset_form", replacement=upload(better, "boats-rescan.jpg"))
    assert response.status_code == 302, response.content.decode()[-3000:]
    new = Asset.objects.exclude(pk__in=[old.pk]).get(filename="boats-rescan.jpg")
    assert response["Location"] == change_url(new)
    assert new.alt == "Boats at the quay", "the replacement keeps the picture's alt text"
    assert media_storage().exists(old.original), "the old file stays stored"

    (shown,) = pictures_on(reader, article.get_absolute_url())
    assert shown.get("src") != before and new.sha256 in shown.get("src")
    assert shown.get("width") == "800"
    article.refresh_from_db()
    previous = article.history.all()[1]
    assert previous.blocks[1]["assets"][0]["sha256"] == old.sha256

    # The earlier revision, restored on the desk, shows the old file again.
    restore_url = f"/admin/archive/article/{article.pk}/history/{previous.history_id}/"
    form = admin_form_data(desk.get(restore_url).content, "historicalarticle_form")
    assert desk.post(restore_url, {**form, "_save": ["Save"]}).status_code == 302
    (shown,) = pictures_on(reader, article.get_absolute_url())
    assert shown.get("src") == before

    # Replacing the cover's file moves the issue to the new cover.
    cover_asset = Asset.objects.get(sha256=cover.sha256)
    response = edit(
        desk, cover_asset, "asset_form", replacement=upload(photo(300, 400, 7), "cover.jpg")
    )
    assert response.status_code == 302
    issue = Issue.objects.get()
    assert issue.cover == Asset.objects.get(filename="cover.jpg").sha256
    assert issue.history.first().history_user == editor

    same = edit(desk, new, "asset_form", replacement=upload(better, "again.jpg"))
    assert same.status_code == 200
    assert "again.jpg is the file this picture has already" in same.content.decode()


def test_an_editor_sets_and_removes_an_issues_cover_and_an_ingest_leaves_it(
    desk,  # noqa: F811
    editor,  # noqa: F811
    media_folder,  # noqa: F811
):
    article = stored(number=3, language="es")
    issue = article.issue
    reader = Client()
    year_url = f"/{issue.publication.slug}/{issue.decade}s/{issue.year}/"
    assert pictures_on(reader, issue.get_absolute_url()) == []
    assert pictures_on(reader, year_url) == []

    made = cover_picture(seed=12)
    response = edit(
        desk,
        issue,
        "issue_form",
        new_cover=upload(made.data, "portada.jpg"),
        new_cover_alt="Portada: el puerto en marzo",
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    issue.refresh_from_db()
    assert issue.cover == made.sha256
    assert issue.history.first().history_user == editor
    (cover,) = pictures_on(reader, issue.get_absolute_url())
    assert cover.get("alt") == "Portada: el puerto en marzo"
    (thumbnail,) = pictures_on(reader, year_url)
    assert thumbnail.get("width") == str(made.width)
    desk_page = html.fromstring(desk.get(change_url(issue)).content)
    (preview,) = desk_page.xpath("//div[contains(@class, 'field-cover_shown')]//img")
    assert made.sha256 in preview.get("src")

    # An ingest of a source with another cover does not overwrite the editor's.
    other = cover_picture(seed=13)
    picture = make_picture(0, seed=8)
    record = with_cover(figure_record(3, [picture], language="es"), other)
    record.assets[0].content = picture.data
    record.title = "Fotos del puerto, otra vez"
    load([record])
    issue.refresh_from_db()
    assert issue.cover == made.sha256

    response = edit(desk, issue, "issue_form", remove_cover="on")
    assert response.status_code == 302
    assert pictures_on(reader, issue.get_absolute_url()) == []
    assert pictures_on(reader, year_url) == []

    # The revision with the cover, restored on the desk, shows it again.
    with_cover_set = issue.history.filter(cover=made.sha256).first()
    restore_url = f"/admin/archive/issue/{issue.pk}/history/{with_cover_set.history_id}/"
    form = admin_form_data(desk.get(restore_url).content, "historicalissue_form")
    assert desk.post(restore_url, {**form, "_save": ["Save"]}).status_code == 302
    (cover,) = pictures_on(reader, issue.get_absolute_url())
    assert made.sha256 in cover.get("src")
