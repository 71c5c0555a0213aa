"""Every shared WordPress export (../shared/corpus/wordpress-wxr) through the real pipeline.

Expected counts are read from each file with lxml here, not written down, so the
tests say what the reader must do with whatever the file holds.
"""

from __future__ import annotations

import io
import json
import re

import lxml.html
import pytest
from django.utils.html import escape
from lxml import etree

from backfile.archive.models import Article
from backfile.ingest.export import write_jsonl
from backfile.replies.models import Reply
from tests.conftest import corpus_path

pytestmark = [pytest.mark.corpus, pytest.mark.django_db]

WELL_FORMED = [
    "small-export.xml",
    "themeunittestdata.wordpress.xml",
    "valid-wxr-1.1.xml",
    "wxr-simple.xml",
    "wxr-utf-8-challenges.xml",
]
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
ASCII_WHITESPACE = re.compile(r"[ \t\n\r\f]+")


def export_file(name: str):
    return corpus_path("wordpress-wxr", name)


def items(path) -> list[etree._Element]:
    return list(etree.parse(str(path)).getroot().iter("item"))


def wp(item: etree._Element, name: str) -> str:
    return (item.findtext(f"{{*}}{name}") or "").strip()


def public_posts(path) -> list[etree._Element]:
    return [
        i
        for i in items(path)
        if wp(i, "post_type") == "post"
        and wp(i, "status") == "publish"
        and not wp(i, "post_password")
    ]


def words(text: str) -> list[str]:
    """Text as a browser shows it: runs of ASCII whitespace are one space, nothing else changes."""
    return [w for w in ASCII_WHITESPACE.split(text) if w]


def exported() -> list[dict]:
    out = io.StringIO()
    write_jsonl(out)
    return [
        json.loads(line) for line in out.getvalue().split("\n") if line
    ]  # not splitlines: U+2028 is text


def block_words(blocks: list[dict]) -> list[str]:
    found: list[str] = []
    for block in blocks:
        found += words(block.get("text", "")) + block_words(block.get("blocks", []))
    return found


@pytest.mark.parametrize("name", WELL_FORMED)
def test_every_public_post_of_a_well_formed_export_comes_in(ingest_paths, name):
    path = export_file(name)
    report = ingest_paths(path)
    assert report.count("failed") == 0, [e.reason for e in report.entries]
    assert report.count("added") + report.count("updated") == len(public_posts(path))
    assert Article.objects.count() == len(public_posts(path))


@pytest.mark.parametrize("name", WELL_FORMED)
def test_importing_an_export_again_changes_nothing(ingest_paths, name):
    path = export_file(name)
    first = ingest_paths(path)
    again = ingest_paths(path)
    assert again.count("unchanged") == first.count("added") > 0
    assert again.count("added") == again.count("updated") == 0


def test_the_malformed_export_fails_naming_the_line_and_the_broken_item(ingest_paths):
    path = export_file("malformed-simple.xml")
    try:
        etree.parse(str(path))
    except etree.XMLSyntaxError as error:
        line, column = error.position
    report = ingest_paths(path)
    [failure] = [e for e in report.entries if e.status == "failed"]
    assert failure.path == str(path)
    assert f"not well-formed XML at line {line}, column {column}" in failure.reason
    broken = items_before_error(path)
    assert f"post {broken['post_id']} “{broken['title']}”" in failure.reason
    assert Article.objects.count() == 0


def items_before_error(path) -> dict[str, str]:
    """The fields of the unfinished item, as lxml's recovering parser sees them."""
    root = etree.parse(str(path), etree.XMLParser(recover=True)).getroot()
    item = list(root.iter("item"))[-1]
    return {"post_id": wp(item, "post_id"), "title": item.findtext("title")}


def test_a_post_without_any_date_fails_with_the_reason(ingest_paths):
    path = export_file("missing-tags.xml")
    [post] = items(path)
    report = ingest_paths(path)
    [failure] = [e for e in report.entries if e.status == "failed"]
    assert failure.path.endswith(f"missing-tags.xml#post-{wp(post, 'post_id')}")
    assert f"“{post.findtext('title')}” has no usable date" in failure.reason


def test_the_whole_folder_at_once_fails_only_where_the_files_do_and_again_adds_nothing(
    ingest_paths,
):
    folder = export_file(".")
    first = ingest_paths(folder)
    failed = {e.path.partition("#")[0] for e in first.entries if e.status == "failed"}
    assert failed == {
        str(export_file("malformed-simple.xml")),
        str(export_file("missing-tags.xml")),
    }
    count = Article.objects.count()
    again = ingest_paths(folder)
    assert again.count("added") == again.count("updated") == 0
    assert Article.objects.count() == count


def test_theme_test_data_threads_comments_and_lists_gallery_attachments(ingest_paths):
    path = export_file("themeunittestdata.wordpress.xml")
    ingest_paths(path)
    posts = public_posts(path)
    threaded = next(
        p
        for p in posts
        if any(wp(c, "comment_parent") not in ("", "0") for c in p.iter("{*}comment"))
    )
    article = Article.objects.get(key__endswith=f":{wp(threaded, 'post_id')}")
    replies = {r.key: r for r in Reply.objects.filter(article=article)}
    for comment in threaded.iter("{*}comment"):
        parent = wp(comment, "comment_parent")
        if parent not in ("", "0") and wp(comment, "comment_id") in replies:
            assert replies[wp(comment, "comment_id")].parent == replies[parent]
    attachments = [i for i in items(path) if wp(i, "post_type") == "attachment"]
    for parent in {wp(a, "post_parent") for a in attachments}:
        listed = Article.objects.filter(key__endswith=f":{parent}").first()
        if listed is not None:
            expected = {
                wp(a, "attachment_url") for a in attachments if wp(a, "post_parent") == parent
            }
            assert expected <= set(listed.attachments)


def test_utf8_challenges_survive_unchanged_to_the_export_and_the_page(ingest_paths, client):
    path = export_file("wxr-utf-8-challenges.xml")
    assert ingest_paths(path).count("added") == 1
    root = etree.parse(str(path)).getroot()
    [item] = root.iter("item")
    author = next(root.iter("{*}author"))
    excerpt = item.findtext(f"{{{root.nsmap['excerpt']}}}encoded")
    body = lxml.html.fragment_fromstring(item.findtext(CONTENT), create_parent="div")
    for br in body.iter("br"):
        br.tail = "\n" + (br.tail or "")
    expected_words = [w for p in body.iter("p") for w in words(p.text_content())]

    [record] = exported()
    assert record["title"] == item.findtext("title")
    assert record["publication"] == root.find("channel").findtext("title")
    assert record["standfirst"] == excerpt
    assert record["authors"] == [author.findtext("{*}author_display_name")]
    assert record["section"] == item.findtext("category")
    assert block_words(record["blocks"]) == expected_words
    assert "\u202e" in record["title"] and "\U0001f332" in record["title"]

    response = client.get(record["url"])
    assert response.status_code == 200
    html = response.content.decode("utf-8")
    assert f"<h1>{escape(record['title'])}</h1>" in html
    page = lxml.html.fromstring(html)
    [standfirst] = page.find_class("standfirst")
    assert standfirst.text_content() == excerpt
    [article_body] = page.find_class("article-body")
    for br in article_body.iter("br"):
        br.tail = "\n" + (br.tail or "")
    assert words(article_body.text_content()) == expected_words
