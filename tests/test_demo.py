"""`make demo`'s ingest step (scripts/demo.py) goes on past a file meant to fail, as the
shared corpus's malformed WordPress export is, and stops only on a usage error; it always
brings in the picture sample (backfile/sample/the-tideway), whose pages then show its
pictures, gallery, media cards and cover, and which a second run leaves unchanged."""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree, html
from PIL import Image

from tests.conftest import FIXTURES, REPO
from tests.helpers.served import query, served

CAPTURE = FIXTURES / "capture" / "the-lantern" / "no-40-december-1948_greaves.txt"
EXPORT = FIXTURES / "wxr" / "lamplighter.xml"
TIDEWAY = REPO / "backfile" / "sample" / "the-tideway"
UPLOADS = TIDEWAY / "uploads" / "2004" / "06"
CLASS = "contains(concat(' ', @class, ' '), ' %s ')"


def demo(corpus: Path, database: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "demo.py"), "--corpus", str(corpus)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "BACKFILE_DB": str(database)},
        cwd=REPO,
    )


def test_the_demo_ingests_everything_it_can_past_a_malformed_export(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "socialist-standard").mkdir(parents=True)
    (corpus / "socialist-standard" / CAPTURE.name).write_bytes(CAPTURE.read_bytes())
    (corpus / "wordpress-wxr").mkdir()
    text = EXPORT.read_text(encoding="utf-8")
    (corpus / "wordpress-wxr" / "lamplighter.xml").write_text(text, encoding="utf-8")
    (corpus / "wordpress-wxr" / "malformed.xml").write_text(text[: len(text) // 2], "utf-8")
    database = tmp_path / "demo.sqlite3"

    done = demo(corpus, database)

    assert done.returncode == 0, done.stderr
    assert f"failed: {corpus / 'wordpress-wxr' / 'malformed.xml'}: not well-formed" in done.stderr
    assert "the files named above were not read; everything else was" in done.stdout
    with sqlite3.connect(database) as stored:
        titles = {title for (title,) in stored.execute("SELECT title FROM archive_article")}
    assert "Walter Greaves" in titles  # the run before the failing one
    assert "Rent strike diary" in titles  # the export beside the malformed one
    # then the sample authority file, seeded further from the bylines and the gazetteer
    with sqlite3.connect(database) as stored:
        entries = dict(stored.execute("SELECT name, origin FROM authority_entry"))
        aliases = {name for (name,) in stored.execute("SELECT name FROM authority_alias")}
    assert entries["P.O.U.M."] == "import" and "Workers' Party of Marxist Unification" in aliases
    assert entries["Paris"] == "gazetteer"


def test_the_demo_stops_on_a_usage_error(tmp_path):
    """A corpus folder that is gone by the time it is ingested: `backfile ingest` exits 2,
    and the demo with it, rather than going on to serve a half-filled archive."""
    gone = tmp_path / "gone"
    driver = (
        f"import sys; sys.path.insert(0, {str(REPO / 'scripts')!r}); import demo; "
        f"demo.demo_ingests = lambda corpus: [[{str(gone)!r}]]; demo.main()"
    )

    done = subprocess.run(
        [sys.executable, "-c", driver, "--corpus", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "BACKFILE_DB": str(tmp_path / "demo.sqlite3")},
        cwd=REPO,
    )

    assert done.returncode == 2, done.stderr
    assert f"{gone}: no such file or folder" in done.stderr


def run_lines(done: subprocess.CompletedProcess, folder: Path) -> str:
    """The summary line `backfile ingest FOLDER` printed in the demo's output."""
    lines = done.stdout.splitlines()
    start = lines.index(f"backfile ingest {folder}")
    return next(line for line in lines[start + 1 :] if "articles: added" in line)


def links(page: bytes) -> dict[str, str]:
    """The page's links by their text."""
    return {a.text_content().strip(): a.get("href") for a in html.fromstring(page).iter("a")}


def body(page: bytes) -> html.HtmlElement:
    (article,) = html.fromstring(page).xpath(f"//*[{CLASS % 'article-body'}]")
    return article


def pictures(element: html.HtmlElement) -> list[tuple[str, str, str]]:
    """Each <img> in order: its alt text, width and height."""
    return [(i.get("alt"), i.get("width"), i.get("height")) for i in element.xpath(".//img")]


def uploaded(name: str, alt: str) -> tuple[str, str, str]:
    """What an <img> of the sample's file `name` shows: `alt`, and the file's own size."""
    with Image.open(UPLOADS / name) as image:
        return (alt, str(image.width), str(image.height))


def attachment_alts(export: Path) -> dict[str, str]:
    """The alt text the sample's export gives each attachment, by its file's name (empty:
    none)."""
    wp = "{http://wordpress.org/export/1.2/}"
    alts = {}
    for item in etree.parse(export).iter("item"):
        if item.findtext(f"{wp}post_type") != "attachment":
            continue
        meta = {
            m.findtext(f"{wp}meta_key"): m.findtext(f"{wp}meta_value")
            for m in item.iter(f"{wp}postmeta")
        }
        alts[Path(meta["_wp_attached_file"]).name] = meta.get("_wp_attachment_image_alt", "")
    return alts


def test_the_demo_shows_the_picture_sample_and_a_second_run_changes_nothing(tmp_path):
    corpus = tmp_path / "corpus"  # no corpus: the Northern Review's captures, then the pictures
    corpus.mkdir()
    database = tmp_path / "demo.sqlite3"
    alt = attachment_alts(TIDEWAY / "tideway.xml")

    done = demo(corpus, database)

    assert done.returncode == 0, done.stderr[-3000:]
    assert "added 4, updated 0, unchanged 0, failed 0" in run_lines(done, TIDEWAY), done.stdout
    # the desk's report of pictures without alt text has one to show
    assert query(str(database), "SELECT filename FROM media_asset WHERE alt = ''") == [
        ("2004/06/light-at-night.png",)
    ]
    with served(str(database), tmp_path) as server:
        year = server.get("/the-tideway/2000s/2004/")
        assert year.status == 200
        issue_url = links(year.body)["June 2004"]
        (thumbnail,) = html.fromstring(year.body).xpath(f"//*[{CLASS % 'cover'}]//img")
        issue = server.get(issue_url)
        assert issue.status == 200
        (cover,) = html.fromstring(issue.body).xpath(f"//*[{CLASS % 'cover'}]//img")
        assert cover.get("alt").startswith("Cover of The Tideway, June 2004")
        assert (cover.get("width"), cover.get("height")) == ("480", "640")  # the drawing's size
        assert thumbnail.get("src") == cover.get("src")  # the same picture on the year page
        contents = links(issue.body)

        quay = server.get(contents["Morning on the quay"])
        article = body(quay.body)
        # the featured image first, then the captioned picture, each at its file's size
        assert pictures(article) == [
            uploaded("harbour-at-dawn.jpg", alt["harbour-at-dawn.jpg"]),
            uploaded("ferry.jpg", "The ferry leaving the quay, smoke rising from its funnel"),
        ]
        assert all(i.get("loading") == "lazy" for i in article.xpath(".//img"))
        captioned = article.xpath(".//figure")[1].xpath("./figcaption")[0]
        assert captioned.text_content().startswith(
            "The morning ferry leaves on the top of the tide"
        )
        assert captioned.xpath(f"./*[{CLASS % 'credit'}]")[0].text == "Tom Rook"
        cards = article.xpath(f".//figure[{CLASS % 'embed'}]//a/@href")
        assert cards == ["https://vimeo.com/1040604"]

        fleet = body(server.get(contents["The fleet at rest"]).body)
        (gallery,) = fleet.xpath(f".//figure[{CLASS % 'gallery'}]")
        names = ["moorings.jpg", "net-lofts.jpg", "light-at-night.png"]  # [gallery ids=…] order
        assert pictures(gallery) == [uploaded(n, alt[n]) for n in names]
        assert pictures(gallery)[-1][0] == ""  # the picture without alt text
        captions = [c.text_content() for c in gallery.xpath(".//figcaption")]
        assert [c.split(" Tom Rook")[0] for c in captions] == [
            "Slack water on the moorings", "The net lofts", "The light at night",
        ]  # fmt: skip
        (audio,) = fleet.xpath(f".//figure[{CLASS % 'embed-audio'}]")
        assert audio.xpath(".//a/@href")[0].endswith("/harbour-bell.mp3")
        assert not fleet.xpath(".//audio|.//iframe")

        mareas = server.get(contents["Las mareas de junio"])
        spanish = body(mareas.body)
        assert html.fromstring(mareas.body).xpath("//article/@lang|//html/@lang")[-1] == "es"
        assert pictures(spanish) == [uploaded("tide-chart.png", alt["tide-chart.png"])]
        assert (
            "Las pleamares de junio, día por día"
            in spanish.xpath(".//figcaption")[0].text_content()
        )
        (card,) = spanish.xpath(f".//figure[{CLASS % 'embed'}]")
        assert "YouTube" in card.text_content() and not spanish.xpath(".//iframe")

        shown = [cover, thumbnail, *article.xpath(".//img"), *gallery.xpath(".//img")]
        for picture in [*shown, *spanish.xpath(".//img")]:  # every picture comes from this site
            assert server.get(urlsplit(picture.get("src")).path).status == 200
    stored = query(str(database), "SELECT sha256 FROM media_asset ORDER BY sha256")
    assert len(stored) == 7  # six uploads and the cover, each once

    again = demo(corpus, database)

    assert again.returncode == 0, again.stderr[-3000:]
    assert "added 0, updated 0, unchanged 4, failed 0" in run_lines(again, TIDEWAY), again.stdout
    assert "added 0, updated 0, unchanged 12, failed 0" in run_lines(
        again, TIDEWAY.parent / "the-northern-review"
    )
    assert query(str(database), "SELECT sha256 FROM media_asset ORDER BY sha256") == stored


def test_the_sample_pictures_are_what_the_script_draws(tmp_path):
    """scripts/sample_pictures.py makes the committed pictures and cover record, byte for
    byte, and they stay small."""
    spec = importlib.util.spec_from_file_location(
        "sample_pictures", REPO / "scripts" / "sample_pictures.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)

    made = script.write(tmp_path)

    assert len(made) == 8  # six uploads, the cover, the cover's record
    for path in made:
        assert path.read_bytes() == (TIDEWAY / path.relative_to(tmp_path)).read_bytes(), path
    committed = [p for p in TIDEWAY.rglob("*") if p.is_file() and p.suffix in {".jpg", ".png"}]
    assert sorted(p.relative_to(TIDEWAY) for p in committed) == sorted(
        p.relative_to(tmp_path) for p in made if p.suffix != ".jpsonl" and p.suffix != ".jsonl"
    )
    assert sum(p.stat().st_size for p in committed) < 200_000
