"""Pictures in the editors' desk: a body with a figure is corrected without losing it, a bad
figure is refused with its reason, and a picture's alt text is edited with a revision."""

from __future__ import annotations

import json

import pytest

from backfile.ingest.loader import load
from backfile.media.models import Asset
from tests.archive.test_admin import (  # noqa: F401 (fixtures)
    administrator,
    change_url,
    desk,
    edit,
    editor,
    fast_password_hashing,
)
from tests.helpers.pictures import figure_record, make_picture
from tests.ingest.test_jsonl import media_folder  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def stored_figures(pictures):
    record = figure_record(1, pictures, caption="Boats at the quay", credit="Lantern staff")
    for asset, picture in zip(record.assets, pictures, strict=True):
        asset.content = picture.data
    load([record])
    from backfile.archive.models import Article

    return Article.objects.get(key=record.key)


def test_an_article_with_a_figure_is_corrected_and_keeps_its_figure(administrator, media_folder):  # noqa: F811
    article = stored_figures([make_picture(0, seed=2)])
    body = list(article.blocks)
    body[1]["assets"][0]["alt"] = "Three boats at the quay at low water"
    response = edit(administrator, article, "article_form", blocks=json.dumps(body))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.blocks[1]["assets"][0]["alt"] == "Three boats at the quay at low water"
    assert article.blocks[1]["credit"] == "Lantern staff"
    assert article.blocks[1]["assets"][0]["sha256"] == body[1]["assets"][0]["sha256"]


def test_a_figure_naming_no_real_hash_is_refused(administrator, media_folder):  # noqa: F811
    article = stored_figures([make_picture(0, seed=2)])
    body = list(article.blocks)
    body[1]["assets"][0]["sha256"] = "photo.jpg"
    response = edit(administrator, article, "article_form", blocks=json.dumps(body))
    assert response.status_code == 200
    assert "a figure&#x27;s sha256 is &#x27;photo.jpg&#x27;" in response.content.decode()


def test_pictures_without_alt_text_are_listed_and_alt_text_is_edited_with_a_revision(
    desk,  # noqa: F811
    media_folder,  # noqa: F811
):
    stored_figures([make_picture(0, seed=2), make_picture(1, seed=2)])
    first, second = Asset.objects.order_by("pk")
    first.alt = "A tug boat"
    first.save()
    listing = desk.get("/admin/media/asset/?alt=missing")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert second.filename in page and first.filename not in page

    response = edit(desk, second, "asset_form", alt="A crane over the dock")
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.alt == "A crane over the dock"
    assert second.history.first().history_user.username == "hilda"
    assert desk.get(f"/admin/media/asset/{second.pk}/history/").status_code == 200
