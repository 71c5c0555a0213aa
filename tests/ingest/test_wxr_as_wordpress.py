"""WordPress exports read the way WordPress's own importer reads them.

Its importer parses with an XML parser and, when that fails, with regular
expressions, so what the regex parser tolerates (a CDATA section inside another,
a stray `]]>`) imports; it takes a post's date from `post_date`, then
`post_date_gmt`, then `pubDate`; WXR 1.0 files tag with `domain="tag"`. Every
export here is written for these tests; the site and its people are invented.
"""

from __future__ import annotations

from pathlib import Path

from backfile.archive.models import Article
from backfile.ingest.records import ArticleRecord, Failure, Notice
from tests.ingest.test_wxr import read

SITE = "https://saltings.example"


def export(tmp_path: Path, *items: str, version: str = "1.2", head: str = "") -> Path:
    path = tmp_path / f"saltings-{len(list(tmp_path.iterdir()))}.xml"
    text = f"""{head or '<?xml version="1.0" encoding="UTF-8" ?>'}
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/{version}/"
>
<channel>
	<title>The Saltings Courier</title>
	<link>{SITE}/</link>
	<language>en-GB</language>
	<wp:base_site_url>{SITE}/</wp:base_site_url>
{"".join(items)}
</channel>
</rss>
"""
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def item(
    post_id: int,
    title: str,
    content: str = "<p>The tide came over the sea wall twice this winter.</p>",
    *,
    post_date: str | None = "2011-02-14 09:00:00",
    post_date_gmt: str | None = None,
    pub_date: str | None = None,
    status: str = "publish",
    post_type: str = "post",
    extra: str = "",
) -> str:
    parts = [f"<title>{title}</title>", f"<wp:post_id>{post_id}</wp:post_id>"]
    if pub_date is not None:
        parts.append(f"<pubDate>{pub_date}</pubDate>")
    if post_date is not None:
        parts.append(f"<wp:post_date>{post_date}</wp:post_date>")
    if post_date_gmt is not None:
        parts.append(f"<wp:post_date_gmt>{post_date_gmt}</wp:post_date_gmt>")
    parts += [
        f"<content:encoded><![CDATA[{content}]]></content:encoded>",
        f"<wp:status>{status}</wp:status>",
        f"<wp:post_type>{post_type}</wp:post_type>",
        extra,
    ]
    return "\n\t<item>\n\t\t" + "\n\t\t".join(parts) + "\n\t</item>\n"


def outputs_of(path: Path) -> tuple[dict[str, ArticleRecord], list[Failure], list[str]]:
    outputs = read(path)
    found = {o.title: o for o in outputs if isinstance(o, ArticleRecord)}
    failures = [o for o in outputs if isinstance(o, Failure)]
    notices = [o.message for o in outputs if isinstance(o, Notice)]
    return found, failures, notices


def test_the_date_falls_back_from_post_date_to_gmt_to_pubdate_as_wordpress_does(tmp_path):
    zero = "0000-00-00 00:00:00"
    path = export(
        tmp_path,
        item(1, "Local date", post_date="2011-02-14 23:30:00", post_date_gmt="2011-02-15 04:30"),
        item(2, "Only GMT", post_date=zero, post_date_gmt="2011-03-01 08:00:00"),
        item(3, "Only pubDate", post_date=zero, post_date_gmt=zero,
             pub_date="Tue, 05 Apr 2011 10:00:00 +0000"),
        item(4, "No post_date at all", post_date=None, pub_date="Fri, 6 May 2011 10:00:00 GMT"),
        item(5, "Unpadded local date", post_date="2011-6-7 9:05"),
        item(6, "No date anywhere", post_date=zero, post_date_gmt=zero,
             pub_date="Mon, 30 Nov -0001 00:00:00 +0000"),
        item(7, "A draft without a date", post_date=zero, status="draft"),
        item(8, "Impossible local date", post_date="2011-02-30 10:00:00",
             post_date_gmt="2011-03-02 10:00:00"),
    )  # fmt: skip
    found, failures, notices = outputs_of(path)
    dates = {title: record.published.isoformat() for title, record in found.items()}
    assert dates == {
        "Local date": "2011-02-14",
        "Only GMT": "2011-03-01",
        "Only pubDate": "2011-04-05",
        "No post_date at all": "2011-05-06",
        "Unpadded local date": "2011-06-07",
        "Impossible local date": "2011-03-02",
    }
    [failure] = failures
    assert "“No date anywhere” has no usable date" in failure.reason
    assert any("“A draft without a date” not imported: a draft" in n for n in notices)


def test_wxr_1_0_tags_are_subjects_like_post_tags(tmp_path):
    categories = (
        "<category><![CDATA[Flooding]]></category>"
        '<category domain="tag"><![CDATA[sea wall]]></category>'
        '<category domain="tag" nicename="pumps"><![CDATA[pumps]]></category>'
        '<category domain="post_tag" nicename="harbour"><![CDATA[harbour]]></category>'
    )
    path = export(tmp_path, item(1, "Wall and pumps", extra=categories), version="1.0")
    found, failures, _ = outputs_of(path)
    assert not failures
    record = found["Wall and pumps"]
    assert record.section == "Flooding"
    assert record.subjects == ["sea wall", "pumps", "harbour"]


def test_cdata_forms_wordpress_accepts_import_with_their_text(tmp_path):
    nested = (
        "<p>Before the map.</p><script>//<![CDATA[\nshowMap();\n//]]></script><p>After the map.</p>"
    )
    stray = "<p>The gauge read ]]> its highest mark.</p>"
    split = "<p>Split ]]]]><![CDATA[> here.</p>"
    path = export(
        tmp_path,
        item(1, "Nested section", nested),
        item(2, "Stray end", stray),
        item(3, "Standard split", split),
        item(4, "Wrapped twice", "<![CDATA[<p>Doubly wrapped words.</p>]]>"),
        item(5, "The next post", "<p>Still read after all of them.</p>"),
    )
    found, failures, notices = outputs_of(path)
    assert not failures, failures
    texts = {title: [b.text for b in record.blocks] for title, record in found.items()}
    assert texts == {
        "Nested section": ["Before the map.", "After the map."],
        "Stray end": ["The gauge read ]]> its highest mark."],
        "Standard split": ["Split ]]> here."],
        "Wrapped twice": ["Doubly wrapped words."],
        "The next post": ["Still read after all of them."],
    }
    assert any("CDATA section end(s) inside post text" in n for n in notices)


def test_a_bad_byte_is_replaced_with_a_notice_not_the_export_rejected(tmp_path):
    path = export(
        tmp_path,
        item(1, "Storm damage", "<p>The caf\x01INVALID\x01 on the front lost its roof.</p>"),
        item(2, "Repairs begin", "<p>Scaffolding went up on Monday.</p>"),
    )
    data = path.read_bytes().replace(b"\x01INVALID\x01", b"\xe9\x00")  # Latin-1 é, then NUL
    path.write_bytes(data)
    found, failures, notices = outputs_of(path)
    assert not failures
    assert found["Storm damage"].blocks[0].text == "The café on the front lost its roof."
    assert found["Repairs begin"].blocks[0].text == "Scaffolding went up on Monday."
    line = data[: data.index(b"\xe9")].count(b"\n") + 1
    assert any(f"1 byte(s) that are not UTF-8 (line {line})" in n for n in notices), notices
    assert any("1 control characters" in n for n in notices)


def test_an_export_declaring_latin_1_is_read_in_it(tmp_path):
    path = export(tmp_path, item(1, "Caf\u00e9 hours", "<p>Open till six.</p>"),
                  head='<?xml version="1.0" encoding="ISO-8859-1" ?>')  # fmt: skip
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    found, failures, notices = outputs_of(path)
    assert list(found) == ["Café hours"] and not failures
    assert not any("not" in n and "byte" in n for n in notices)


def test_an_export_with_no_posts_says_what_it_holds_instead(tmp_path, ingest_paths):
    attachment = item(1, "Photo", post_type="attachment", status="inherit")
    menu = item(4, "Home", post_type="nav_menu_item")
    path = export(
        tmp_path, attachment, item(2, "Photo 2", post_type="attachment", status="inherit"),
        item(3, "Photo 3", post_type="attachment", status="inherit"), menu,
        item(5, "About", post_type="nav_menu_item"),
    )  # fmt: skip
    only_drafts = export(tmp_path, item(6, "Unfinished", status="draft"))
    empty = export(tmp_path)

    report = ingest_paths(path, only_drafts, empty)

    reasons = [e.reason for e in report.entries if e.path == str(path)]
    assert "no posts or pages in this export (3 attachments, 2 nav menu items)" in reasons
    reasons = [e.reason for e in report.entries if e.path == str(only_drafts)]
    assert any(r.startswith("no articles from this export (1 post)") for r in reasons), reasons
    reasons = [e.reason for e in report.entries if e.path == str(empty)]
    assert any("holds no items at all" in r for r in reasons), reasons
    assert report.count("added") == 0 and not Article.objects.exists()


def test_deeply_nested_post_html_is_flattened_with_a_note_not_stored_empty(
    tmp_path, ingest_paths, settings
):
    settings.BACKFILE_INGEST_MAX_ARTICLE_CHARS = 3_000_000  # the post's source has 2.3 million
    deep = "<div>" * 100_000 + "<p>Deep under the harbour wall.</p>" + "</div>" * 100_000
    path = export(tmp_path, item(1, "Deep", deep + "<p>And back up.</p>"))
    report = ingest_paths(path)
    article = Article.objects.get()
    assert [b["text"] for b in article.blocks] == ["Deep under the harbour wall.", "And back up."]
    assert any("nested more than 40 levels deep" in e.reason for e in report.entries)
