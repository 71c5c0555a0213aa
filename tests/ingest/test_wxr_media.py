"""WordPress pictures and media through the real `backfile ingest` and the reading site.

The export is written here (an invented harbour paper, in English and Spanish), its
uploads made with Pillow: attachments with alt text, captions and credits found in an
uploads folder beside the export or given with `--media-root`; `[caption]`, `[gallery]`,
block-editor image, gallery and embed blocks, a featured image, a gallery post format,
and audio, video and embeds that the page shows as links and never loads.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html

from backfile.ingest.records import ArticleRecord
from tests.conftest import corpus_path
from tests.helpers.pictures import chart, photo
from tests.helpers.served import query, run_backfile, served
from tests.ingest.test_wxr import read

SITE = "https://harbourlight.example"
UPLOADS = f"{SITE}/wp-content/uploads"
CLASS = "contains(concat(' ', @class, ' '), ' %s ')"


def attachment(number: int, parent: int, path: str, alt: str, caption: str = "", order=0) -> str:
    width, height = (640, 427) if path.endswith(".jpg") else (480, 300)
    metadata = (
        f'a:4:{{s:5:"width";i:{width};s:6:"height";i:{height};s:4:"file";'
        f's:{len(path)}:"{path}";s:10:"image_meta";a:1:{{s:6:"credit";s:10:"Mary Quill";}}}}'
    )
    return f"""<item>
	<title>{Path(path).stem}</title>
	<link>{SITE}/?attachment_id={number}</link>
	<guid isPermaLink="false">{UPLOADS}/{path}</guid>
	<content:encoded><![CDATA[]]></content:encoded>
	<excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>
	<wp:post_id>{number}</wp:post_id>
	<wp:post_date>2003-05-01 10:00:00</wp:post_date>
	<wp:status>inherit</wp:status>
	<wp:post_parent>{parent}</wp:post_parent>
	<wp:menu_order>{order}</wp:menu_order>
	<wp:post_type>attachment</wp:post_type>
	<wp:attachment_url>{UPLOADS}/{path}</wp:attachment_url>
	<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value><![CDATA[{path}]]></wp:meta_value></wp:postmeta>
	<wp:postmeta><wp:meta_key>_wp_attachment_metadata</wp:meta_key><wp:meta_value><![CDATA[{metadata}]]></wp:meta_value></wp:postmeta>
	<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>
</item>
"""


def post(number: int, title: str, content: str, meta: str = "", terms: str = "") -> str:
    return f"""<item>
	<title>{title}</title>
	<link>{SITE}/2003/05/post-{number}/</link>
	<guid isPermaLink="false">{SITE}/?p={number}</guid>
	<dc:creator>mquill</dc:creator>
	<content:encoded><![CDATA[{content}]]></content:encoded>
	<excerpt:encoded><![CDATA[]]></excerpt:encoded>
	<wp:post_id>{number}</wp:post_id>
	<wp:post_date>2003-05-0{number} 09:00:00</wp:post_date>
	<wp:status>publish</wp:status>
	<wp:post_type>post</wp:post_type>
	{terms}{meta}
</item>
"""


CLASSIC = f"""The dockers walked out at dawn, and by noon the whole waterfront had stopped.

[caption id="attachment_101" align="aligncenter" width="300"]<a href="{UPLOADS}/2003/05/march.jpg"><img class="size-medium wp-image-101" src="{UPLOADS}/2003/05/march-300x200.jpg" alt="Dockers marching past the harbour office" width="300" height="200" /></a> The march reaches the <em>harbour</em>[/caption]

Their demands were printed on the back page of this issue.

[gallery ids="102,101"]

https://www.youtube.com/watch?v=a1b2c3d4e5f

[audio mp3="{UPLOADS}/2003/05/speech.mp3"][/audio]

<iframe width="560" height="315" src="https://player.vimeo.com/video/123456" title="The strike film"></iframe>

The committee meets again on Friday."""

BLOCKS = f"""<!-- wp:paragraph -->
<p>Los estibadores del muelle votaron la huelga.</p>
<!-- /wp:paragraph -->

<!-- wp:image {{"id":104,"sizeSlug":"large"}} -->
<figure class="wp-block-image size-large"><img src="{UPLOADS}/2003/05/muelle-1024x683.jpg" alt="El muelle al amanecer" class="wp-image-104"/><figcaption>El muelle al amanecer, 1937</figcaption></figure>
<!-- /wp:image -->

<!-- wp:gallery {{"linkTo":"none"}} -->
<figure class="wp-block-gallery has-nested-images"><!-- wp:image {{"id":101}} -->
<figure class="wp-block-image"><img src="{UPLOADS}/2003/05/march.jpg" alt="La marcha" class="wp-image-101"/><figcaption class="wp-element-caption">La marcha</figcaption></figure>
<!-- /wp:image -->

<!-- wp:image {{"id":103}} -->
<figure class="wp-block-image"><img src="{UPLOADS}/2003/05/pancarta.jpg" alt="La pancarta perdida" class="wp-image-103"/></figure>
<!-- /wp:image --><figcaption class="blocks-gallery-caption">La huelga en fotos</figcaption></figure>
<!-- /wp:gallery -->

<!-- wp:embed {{"url":"https://twitter.com/harbourlight/status/1","type":"rich","providerNameSlug":"twitter"}} -->
<figure class="wp-block-embed is-provider-twitter"><div class="wp-block-embed__wrapper">
https://twitter.com/harbourlight/status/1
</div><figcaption>El comité en Twitter</figcaption></figure>
<!-- /wp:embed -->

<!-- wp:video -->
<figure class="wp-block-video"><video controls src="{UPLOADS}/2003/05/marcha.mp4" poster="{UPLOADS}/2003/05/march.jpg"></video></figure>
<!-- /wp:video -->"""

MISSING = f"""A banner was carried at the head of the march.

[caption id="attachment_103" align="alignnone" width="500"]<img class="wp-image-103" src="{UPLOADS}/2003/05/pancarta.jpg" alt="The lost banner" width="500" height="300" /> A banner now lost[/caption]"""

FEATURED = "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value><![CDATA[102]]></wp:meta_value></wp:postmeta>"
GALLERY_FORMAT = (
    '<category domain="post_format" nicename="post-format-gallery"><![CDATA[Gallery]]></category>'
)


def export_text(items: list[str]) -> str:
    """A WXR 1.2 export of The Harbour Light holding `items`."""
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>The Harbour Light</title>
	<link>{SITE}/</link>
	<wp:base_site_url>{SITE}/</wp:base_site_url>
	<wp:author><wp:author_login>mquill</wp:author_login><wp:author_display_name>Mary Quill</wp:author_display_name></wp:author>
{"".join(items)}
</channel>
</rss>
"""


def write_export(folder: Path, uploads: Path | None = None) -> Path:
    """The export, and its uploads under `uploads` (default: `uploads/` beside it); the banner
    (103) is never among them."""
    folder.mkdir(parents=True, exist_ok=True)
    items = [
        post(1, "The waterfront stops", CLASSIC, meta=FEATURED),
        attachment(101, 1, "2003/05/march.jpg", "Dockers marching", "The march, 1 May"),
        attachment(102, 5, "2003/05/demands.png", "Bar chart of the dockers' demands", order=2),
        attachment(103, 3, "2003/05/pancarta.jpg", "The banner", "The banner at the gates"),
        attachment(104, 2, "2003/05/muelle.jpg", "El muelle", "El muelle"),
        attachment(105, 5, "2003/05/quay.jpg", "The quay at low water", "Low water", order=1),
        post(2, "La huelga del muelle", BLOCKS),
        post(3, "The lost banner", MISSING),
        post(
            5,
            "The strike in pictures",
            "[gallery]\n\nPictures from the week.",
            terms=GALLERY_FORMAT,
        ),
    ]
    export = folder / "harbourlight.xml"
    export.write_text(export_text(items), encoding="utf-8")
    month = (uploads or folder / "uploads") / "2003" / "05"
    month.mkdir(parents=True)
    (month / "march.jpg").write_bytes(photo(640, 427, seed=1))
    (month / "march-300x200.jpg").write_bytes(photo(300, 200, seed=2))  # a size WordPress made
    (month / "demands.png").write_bytes(chart(480, 300, seed=3))
    (month / "muelle.jpg").write_bytes(photo(640, 427, seed=4))
    (month / "quay.jpg").write_bytes(photo(640, 427, seed=5))
    return export


def article_urls(report: Path) -> dict[str, str]:
    entries = json.loads(report.read_text())["entries"]
    return {e["path"].rsplit("#", 1)[-1]: e["url"] for e in entries if e.get("url")}


def body(page) -> html.HtmlElement:
    (article,) = html.fromstring(page.body).xpath(f"//*[{CLASS % 'article-body'}]")
    return article


def pictures(element) -> list[tuple[str, str, str]]:
    """Each <img> in order: its alt text, width and height."""
    return [(i.get("alt"), i.get("width"), i.get("height")) for i in element.xpath(".//img")]


def third_party_loads(page_html: bytes, origin: str) -> list[str]:
    """Everything the page would load by itself from another origin: any src, srcset,
    poster or data attribute, and the hrefs of <link>s a browser fetches (styles, icons,
    preloads); plain <a> links, and a <link> that only names a schema, load nothing."""
    tree = html.fromstring(page_html)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        names = ["src", "srcset", "poster", "data", "background"]
        fetched = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest"}
        if element.tag == "link" and fetched & set((element.get("rel") or "").lower().split()):
            names.append("href")
        for name in names:
            for candidate in re.split(r",\s*", element.get(name) or ""):
                address = candidate.strip().split(" ")[0]
                parts = urlsplit(address)
                elsewhere = f"{parts.scheme}://{parts.netloc}" != origin
                if address and (parts.netloc or address.startswith("//")) and elsewhere:
                    found.append(f"<{element.tag} {name}={address}>")
    return found


def test_wordpress_pictures_and_media_on_the_page(tmp_path):
    export = write_export(tmp_path / "site")
    database = str(tmp_path / "archive.sqlite3")
    report = tmp_path / "report.json"

    done = run_backfile(database, "ingest", str(export), "--report", str(report))

    assert done.returncode == 0, done.stderr[-3000:]
    assert "added 4," in done.stdout, done.stdout
    # march, demands, muelle, quay: each stored once however many posts show it; never the
    # size WordPress made (march-300x200.jpg) beside its original
    stored = query(database, "SELECT filename, alt, caption, credit, width FROM media_asset")
    assert sorted(s[0] for s in stored) == [
        "2003/05/demands.png", "2003/05/march.jpg", "2003/05/muelle.jpg", "2003/05/quay.jpg",
    ]  # fmt: skip
    march = next(s for s in stored if s[0].endswith("march.jpg"))
    assert march[1:] == ("Dockers marching", "The march, 1 May", "Mary Quill", 640)
    urls = article_urls(report)

    with served(database, tmp_path) as server:
        origin = f"http://127.0.0.1:{server.port}"
        page = server.get(urls["post-1"])
        assert page.status == 200
        article = body(page)
        # the featured image at the head, then the captioned picture, then the gallery
        assert article[0].tag == "figure" and article[0].xpath(".//img")
        assert pictures(article) == [
            ("Bar chart of the dockers' demands", "480", "300"),
            ("Dockers marching past the harbour office", "640", "427"),
            ("Bar chart of the dockers' demands", "480", "300"),  # the gallery, in its ids' order
            ("Dockers marching", "640", "427"),
        ]
        captioned = article.xpath(".//figure")[1]
        assert (
            captioned.xpath("./figcaption")[0]
            .text_content()
            .startswith("The march reaches the harbour")
        )
        assert captioned.xpath("./figcaption/em")[0].text == "harbour"
        (gallery,) = article.xpath(f".//figure[{CLASS % 'gallery'}]")
        assert "The march, 1 May" in gallery.text_content()  # the attachment's own caption
        cards = {
            card.xpath(".//a/@href")[0]: card.text_content()
            for card in article.xpath(f".//figure[{CLASS % 'embed'}]")
        }
        assert list(cards) == [
            "https://www.youtube.com/watch?v=a1b2c3d4e5f",
            f"{UPLOADS}/2003/05/speech.mp3",
            "https://vimeo.com/123456",
        ]
        assert "Video on YouTube" in cards["https://www.youtube.com/watch?v=a1b2c3d4e5f"]
        assert "The strike film" in cards["https://vimeo.com/123456"]
        assert not article.xpath(".//iframe|.//audio|.//video|.//embed|.//object")
        assert "Their demands were printed" in article.text_content()
        assert third_party_loads(page.body, origin) == []
        for picture in article.xpath(".//img"):  # the pictures come from this site
            assert server.get(urlsplit(picture.get("src")).path).status == 200

        spanish = body(server.get(urls["post-2"]))
        assert pictures(spanish) == [
            ("El muelle al amanecer", "640", "427"),
            ("La marcha", "640", "427"),
        ]
        assert "El muelle al amanecer, 1937" in spanish.xpath(".//figure")[0].text_content()
        (gallery,) = spanish.xpath(f".//figure[{CLASS % 'gallery'}]")
        assert "La huelga en fotos" in gallery.xpath("./figcaption")[0].text_content()
        # the banner's file is not among the uploads: its alt text and where it was
        missing = gallery.xpath(f".//*[{CLASS % 'picture-missing'}]")[0]
        assert "La pancarta perdida" in missing.text_content()
        assert missing.xpath(".//a/@href") == [f"{UPLOADS}/2003/05/pancarta.jpg"]
        cards = spanish.xpath(f".//figure[{CLASS % 'embed'}]")
        assert [c.xpath(".//a/@href")[0] for c in cards] == [
            "https://twitter.com/harbourlight/status/1",
            f"{UPLOADS}/2003/05/marcha.mp4",
        ]
        assert "El comité en Twitter" in cards[0].text_content()
        assert "Twitter" in cards[0].xpath(f".//*[{CLASS % 'embed-kind'}]")[0].text_content()
        assert third_party_loads(server.get(urls["post-2"]).body, origin) == []

        lost = body(server.get(urls["post-3"]))
        assert not lost.xpath(".//img")
        (figure,) = lost.xpath(".//figure")
        assert "The lost banner" in figure.text_content()
        assert figure.xpath("./figcaption")[0].text_content().strip() == "A banner now lost"
        assert figure.xpath(".//a/@href") == [f"{UPLOADS}/2003/05/pancarta.jpg"]

        # a gallery post whose [gallery] is its attached pictures, in menu order
        pictured = body(server.get(urls["post-5"]))
        assert [p[0] for p in pictures(pictured)] == [
            "The quay at low water",
            "Bar chart of the dockers' demands",
        ]

    again = run_backfile(database, "ingest", str(export))
    assert "added 0, updated 0, unchanged 4, failed 0" in again.stdout, again.stdout
    assert len(query(database, "SELECT id FROM media_asset")) == 4


def test_media_root_names_the_uploads_folder_and_the_export_round_trips(tmp_path):
    uploads = tmp_path / "wordpress" / "wp-content" / "uploads"
    export = write_export(tmp_path / "exports", uploads=uploads)
    alone = str(tmp_path / "alone.sqlite3")
    first = str(tmp_path / "first.sqlite3")
    second = str(tmp_path / "second.sqlite3")

    # without it the pictures are not found: kept by URL, alt text and caption
    assert run_backfile(alone, "ingest", str(export)).returncode == 0
    assert query(alone, "SELECT id FROM media_asset") == []
    bodies = [json.loads(b) for (b,) in query(alone, "SELECT blocks FROM archive_article")]
    uses = [u for b in bodies for block in b if block["type"] == "figure" for u in block["assets"]]
    assert uses and all(u["sha256"] == "" and u["url"].startswith(UPLOADS) for u in uses)
    assert {"url": f"{UPLOADS}/2003/05/march.jpg", "alt": "Dockers marching past the harbour office", "caption": "The march, 1 May", "credit": "", "sha256": ""} in uses  # fmt: skip

    # a later ingest that finds the files stores them, and the posts show them
    found = run_backfile(alone, "ingest", str(export), "--media-root", str(uploads))
    # (the lost banner's post is unchanged: its picture is among no uploads)
    assert "added 0, updated 3, unchanged 1," in found.stdout, found.stdout + found.stderr[-2000:]
    assert len(query(alone, "SELECT id FROM media_asset")) == 4

    bad = run_backfile(first, "ingest", str(export), "--media-root", str(tmp_path / "nowhere"))
    assert bad.returncode == 2 and "--media-root" in bad.stderr and "nowhere" in bad.stderr

    # the site's folder, holding wp-content/uploads
    done = run_backfile(first, "ingest", str(export), "--media-root", str(tmp_path / "wordpress"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(query(first, "SELECT id FROM media_asset")) == 4

    jsonl = tmp_path / "out" / "archive.jsonl"
    jsonl.parent.mkdir()
    assert run_backfile(first, "export", "--format", "jsonl", "-o", str(jsonl)).returncode == 0
    assert run_backfile(second, "ingest", str(jsonl)).returncode == 0
    again = tmp_path / "again" / "archive.jsonl"
    again.parent.mkdir()
    assert run_backfile(second, "export", "--format", "jsonl", "-o", str(again)).returncode == 0
    assert jsonl.read_bytes() == again.read_bytes()
    kinds = {
        b["type"] for line in jsonl.read_text().splitlines() for b in json.loads(line)["blocks"]
    }
    assert {"figure", "audio", "video", "embed"} <= kinds


def test_the_theme_unit_test_data_shows_its_pictures_galleries_and_embeds():
    path = corpus_path("wordpress-wxr", "themeunittestdata.wordpress.xml")
    records = [o for o in read(path) if isinstance(o, ArticleRecord)]
    by_title = {r.title: r for r in records}

    def flat(blocks):
        for block in blocks:
            yield block
            yield from flat(block.blocks)

    every = [b for r in records for b in flat(r.blocks)]
    figures = [b for b in every if b.type == "figure"]
    galleries = [b for b in figures if len(b.assets) > 1]
    assert len(figures) >= 60 and len(galleries) >= 20
    assert all(u.url.startswith("https://") for b in figures for u in b.assets)
    leftovers = ("[gallery", "[caption", "[audio", "[video", "wp:image", "wp:gallery", "wp:embed")
    assert not any(word in b.text for b in every for word in leftovers)
    providers = {b.provider for b in every if b.type == "embed"}
    assert {"YouTube", "Twitter", "Facebook"} <= providers
    assert any(b.type == "audio" for b in every) and any(b.type == "video" for b in every)

    featured, caption = by_title["Post Format: Image (Caption)"].blocks[:2]  # featured first
    assert featured.assets[0].url.endswith("/triforce-wallpaper.jpg")
    assert caption.type == "figure" and caption.text == "Bell on wharf in San Francisco"
    assert caption.assets[0].alt == "Bell on Wharf"
    gallery = by_title["Post Format: Gallery"]
    assert any(len(b.assets) > 1 for b in gallery.blocks if b.type == "figure")


def test_bad_addresses_unclosed_blocks_and_files_that_are_not_pictures_cost_only_themselves(
    tmp_path,
):
    """An address `urlsplit` refuses (in a post or an attachment), a block-editor block
    never closed, a gallery naming a PDF beside a picture, and a block gallery's ids written
    as a string: each post still goes in whole, and only pictures are shown as pictures."""
    bad = attachment(203, 9, "2003/05/odd.jpg", "Odd").replace(
        f"{UPLOADS}/2003/05/odd.jpg", "http://[bad/odd.jpg"
    )
    items = [
        attachment(201, 9, "2003/05/rates.pdf", "The rates card"),
        attachment(202, 9, "2003/05/quay.jpg", "The quay at low water"),
        bad,
        post(1, "A broken address", 'The ferry ran late.\n\n<img src="http://[bad/x.jpg" alt="x">'),
        post(2, "An unclosed block", '<!-- wp:image {"id":202} -->\n<p>The tide turned at noon.</p>'),
        post(3, "A gallery with a card", '[gallery ids="201,202"]\n\nThe quay, and its rates.'),
        post(4, "A block gallery", '<!-- wp:gallery {"ids":"202"} -->\n<figure class="wp-block-gallery"></figure>\n<!-- /wp:gallery -->'),
    ]  # fmt: skip
    export = tmp_path / "odd.xml"
    export.write_text(export_text(items), encoding="utf-8")
    outputs = read(export)
    found = {o.title: o for o in outputs if isinstance(o, ArticleRecord)}
    assert sorted(found) == sorted(
        ["A broken address", "An unclosed block", "A gallery with a card", "A block gallery"]
    ), outputs
    assert found["A broken address"].blocks[0].text == "The ferry ran late."
    assert "The tide turned at noon." in [b.text for b in found["An unclosed block"].blocks]
    for title in ("A gallery with a card", "A block gallery"):
        (figure,) = [b for b in found[title].blocks if b.type == "figure"]
        assert [use.url for use in figure.assets] == [f"{UPLOADS}/2003/05/quay.jpg"], title
