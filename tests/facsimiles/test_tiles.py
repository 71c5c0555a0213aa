"""Tiles are made when the loader announces stored pages and by `backfile make-tiles`; a page
image that cannot be cut (damaged, too large, its file gone) is named with the reason, gets
no tiles, and its page still shows."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from backfile.facsimiles.models import Page
from backfile.facsimiles.signals import pages_stored
from backfile.facsimiles.tiles import has_tiles
from backfile.media.models import Asset
from backfile.media.storage import media_storage
from tests.helpers.stored_pages import PAGES, store_picture, stored_issue
from tests.ingest.test_jsonl import media_folder  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def make_tiles(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("make-tiles", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_make_tiles_makes_the_missing_ones_and_again_on_request(client, media_folder):  # noqa: F811
    issue = stored_issue(announce=False)
    images = list(issue.pages.values_list("image", flat=True))
    assert not any(has_tiles(image) for image in images)
    assert client.get(f"/iiif/{images[0]}/info.json").status_code == 404
    out, err = make_tiles()  # with its progress bar
    assert out.startswith("tiles made for 3 page images (") and err == ""
    assert all(has_tiles(image) for image in images)
    assert client.get(f"/iiif/{images[0]}/info.json").status_code == 200
    assert make_tiles("--quiet")[0].startswith("tiles made for 0 page images")
    info = media_folder / "iiif" / images[0] / "info.json"
    info.unlink()  # tiles left half-made: without their info.json they are not announced
    assert make_tiles("--quiet")[0].startswith("tiles made for 1 page image (")
    again, _ = make_tiles("--all", "--again", "--quiet")
    assert again.startswith("tiles made for 3 page images (")


def test_pages_stored_makes_tiles_and_retires_the_cached_issue_page(client, media_folder):  # noqa: F811
    issue = stored_issue(announce=False)
    pages = list(issue.pages.all())
    Page.objects.filter(issue=issue).delete()
    assert "issue-pages" not in client.get(issue.get_absolute_url()).content.decode()
    for page in pages:
        page.pk = None
        page.save()
    pages_stored.send(sender=Page, pages=pages)  # as the loader does after its batch
    shown = client.get(issue.get_absolute_url()).content.decode()
    assert "issue-pages" in shown
    assert all(has_tiles(page.image) for page in pages)


def test_a_page_image_that_cannot_be_cut_is_named_and_its_page_still_shows(
    client,
    settings,
    media_folder,  # noqa: F811
):
    issue = stored_issue(announce=False)
    first, second, third = issue.pages.order_by("sequence")
    damaged = store_picture(b"\xff\xd8\xff\xe0 not really a JPEG" * 40, "damaged.jpg")
    Page.objects.filter(pk=first.pk).update(image=damaged.sha256)
    gone = Asset.objects.get(sha256=second.image)
    media_storage().delete(gone.original)
    out, err = make_tiles("--quiet")
    assert "page image damaged.jpg: cannot be cut into tiles" in err
    assert "page image page-2.jpg: its file originals/" in err and "is missing" in err
    assert out.startswith("tiles made for 1 page image (") and "2 could not be made" in out
    assert not has_tiles(damaged.sha256) and not has_tiles(second.image)
    for sequence in (1, 2):
        response = client.get(f"{issue.get_absolute_url()}page/{sequence}/?q=strike")
        assert response.status_code == 200
        assert 'class="facsimile-viewer"' not in response.content.decode()
    settings.BACKFILE_MEDIA_MAX_PIXELS = 1_000_000
    other = stored_issue(slug="other-gazette", pages=PAGES[:1], announce=False)
    _out, err = make_tiles("--quiet")
    assert "1200×1700 pixels is more than BACKFILE_MEDIA_MAX_PIXELS (1,000,000)" in err
    assert not has_tiles(other.pages.get().image)


@pytest.mark.corpus
def test_a_real_newspaper_scan_is_cut_into_a_sane_number_of_tiles(client, media_folder):  # noqa: F811
    from backfile.facsimiles.tiles import make_tiles as cut
    from tests.conftest import corpus_path

    scan = corpus_path(
        "facsimiles/chronam/batch_dlc_manyyears_ver01/data/sn83045462/0028065856A/1916082601/0007.jpg"
    )
    asset = store_picture(scan.read_bytes(), scan.name)
    made = cut(asset)
    assert made.problem == "" and 40 < made.files < 100
    info = client.get(f"/iiif/{asset.sha256}/info.json").json()
    assert (info["width"], info["height"]) == (asset.width, asset.height) == (2650, 3297)
    assert info["tiles"] == [{"scaleFactors": [1, 2, 4], "width": 512}]
    tile = client.get(f"/iiif/{asset.sha256}/2560,3072,90,225/90,225/0/default.jpg")
    assert tile.status_code == 200  # the bottom-right corner, a part tile
