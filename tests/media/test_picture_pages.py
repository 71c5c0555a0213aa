"""Figures on the reading site, over real HTTP: `<picture>` with WebP and JPEG srcsets, width and
height, lazy loading and alt text; the display sizes answer 200 with a year's caching; a picture
that could not be read shows a placeholder, and nothing answers 500."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from lxml import html

from tests.helpers.pictures import (
    MadePicture,
    figure_record,
    make_picture,
    random_bytes,
    write_picture_archive,
)
from tests.helpers.served import run_backfile, served

CLASS = "contains(concat(' ', @class, ' '), ' %s ')"


def article_urls(report) -> dict[str, str]:
    entries = json.loads(report.read_text())["entries"]
    return {e["path"]: e["url"] for e in entries if e["status"] == "added"}


def candidates(srcset: str) -> list[tuple[str, int]]:
    pairs = [part.strip().rsplit(" ", 1) for part in srcset.split(",")]
    return [(url, int(width.removesuffix("w"))) for url, width in pairs]


def test_an_article_with_a_figure_and_a_gallery_shows_sized_lazy_pictures(tmp_path):
    wide, narrow, chart = (make_picture(n, seed=11) for n in (9, 1, 3))
    broken = MadePicture(random_bytes(seed=4), "image/jpeg", "uploads/bad/noise.jpg", 0, 0)
    records = [
        figure_record(1, [wide], caption="Boats at the quay", credit="Lantern staff"),
        figure_record(2, [narrow, chart], caption="The regatta in pictures"),
        figure_record(3, [broken], language="es", title="Ruido", caption="Una foto perdida"),
    ]
    files = {p.sha256: (p.data, p.media_type) for p in (wide, narrow, chart, broken)}
    archive = write_picture_archive(tmp_path / "archive", records, files)
    database = str(tmp_path / "archive.sqlite3")
    report = tmp_path / "report.json"
    done = run_backfile(database, "ingest", str(archive.parent), "--report", str(report))
    assert done.returncode == 0, done.stderr[-3000:]
    urls = article_urls(report)
    single, gallery, spanish = (urls[f"pictures/{n}.json"] for n in (1, 2, 3))

    with served(database, tmp_path) as server:
        page = server.get(single)
        assert page.status == 200
        tree = html.fromstring(page.body)
        (figure,) = tree.xpath(f"//article//figure[{CLASS % 'figure'}]")
        (img,) = figure.xpath(".//picture//img")
        assert img.get("alt") == "Picture 1.0: boats at low water"
        assert img.get("loading") == "lazy" and img.get("decoding") == "async"
        assert img.get("sizes")
        width, height = int(img.get("width")), int(img.get("height"))
        assert width == min(wide.width, 1600)
        assert abs(height / width - wide.height / wide.width) < 0.02
        jpegs = candidates(img.get("srcset"))
        (source,) = figure.xpath(".//picture//source")
        assert source.get("type") == "image/webp"
        webps = candidates(source.get("srcset"))
        assert [w for _url, w in jpegs] == [w for _url, w in webps]
        assert max(w for _url, w in jpegs) == width
        caption = figure.xpath("./figcaption")[0].text_content()
        assert "Boats at the quay" in caption and "Lantern staff" in caption
        for url, _width in [*jpegs, *webps, (img.get("src"), 0)]:
            answer = server.get(urlsplit(url).path)
            assert answer.status == 200, url
            assert answer.headers["Content-Type"] in ("image/jpeg", "image/webp")
            cache = answer.headers["Cache-Control"]
            assert "max-age=31536000" in cache and "immutable" in cache, cache
            assert answer.body[:3] == b"\xff\xd8\xff" or answer.body[8:12] == b"WEBP"

        tree = html.fromstring(server.get(gallery).body)
        pictures = tree.xpath(f"//figure[{CLASS % 'gallery'}]//figure[{CLASS % 'gallery-picture'}]")
        assert len(pictures) == 2
        assert [p.xpath(".//img")[0].get("alt") for p in pictures] == [
            "Picture 2.0: boats at low water",
            "Picture 2.1: boats at low water",
        ]
        assert [p.xpath("./figcaption")[0].text_content() for p in pictures] == [
            "View 1",
            "View 2",
        ]
        assert all(p.xpath(".//img")[0].get("width") for p in pictures)

        page = server.get(spanish)
        assert page.status == 200
        tree = html.fromstring(page.body)
        assert not tree.xpath("//article//img")
        (placeholder,) = tree.xpath(f"//article//figure//*[{CLASS % 'picture-missing'}]")
        assert "Imagen 3.0: barcas con la marea baja" in placeholder.text_content()
        assert "Una foto perdida" in tree.xpath("//article//figure/figcaption")[0].text_content()

        assert server.get("/media/pictures/../../archive.sqlite3").status == 404
        assert server.get(f"/media/pictures/ab/{'ab' * 32}-640.v1.webp").status == 404
