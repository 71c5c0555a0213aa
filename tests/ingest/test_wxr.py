"""The WordPress (WXR) reader on exports written for these tests (tests/fixtures/wxr/)."""

from __future__ import annotations

import io
import tarfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from backfile.archive.models import Article, Issue
from backfile.ingest.readers import detect
from backfile.ingest.readers.wxr import IssuePlan, WxrReader
from backfile.ingest.records import ArticleRecord, Failure, Notice
from backfile.ingest.sources import walk
from backfile.replies.models import Reply
from tests.conftest import FIXTURES

LAMPLIGHTER = FIXTURES / "wxr" / "lamplighter.xml"
SITE = "https://lamplighter.example"


def read(path: Path, **options) -> list:
    reader = WxrReader(**options)
    outputs: list = []
    for file in walk([path]):
        outputs.extend(reader.feed(file))
    return outputs


def records(path: Path = LAMPLIGHTER, **options) -> dict[str, ArticleRecord]:
    return {o.key: o for o in read(path, **options) if isinstance(o, ArticleRecord)}


def post(number: int, **options) -> ArticleRecord:
    return records(**options)[f"wxr:{SITE}:{number}"]


# Sniffing


def test_a_wordpress_export_is_recognised_by_its_content_not_its_name(tmp_path):
    renamed = tmp_path / "backup.txt"
    renamed.write_bytes(LAMPLIGHTER.read_bytes())
    assert detect(next(walk([renamed]))) is WxrReader


def test_https_export_namespace_is_recognised(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(
        LAMPLIGHTER.read_text().replace(
            "http://wordpress.org/export/", "https://wordpress.org/export/"
        )
    )
    assert WxrReader.sniff(next(walk([export])))
    assert records(export).keys() == records().keys()


def test_a_plain_rss_feed_is_not_taken_for_a_wordpress_export(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<channel><title>News</title><item><title>One</title></item></channel></rss>"
    )
    assert not WxrReader.sniff(next(walk([feed])))


# Posts to articles


def test_only_published_posts_become_articles_and_the_rest_is_named_in_notes():
    outputs = read(LAMPLIGHTER)
    titles = sorted(o.title for o in outputs if isinstance(o, ArticleRecord))
    assert titles == [
        "A letter kept only by its GUID",
        "Rent strike diary",
        "Rent strike diary",
        "The lifts at Harrow Court",
    ]
    notices = [o.message for o in outputs if isinstance(o, Notice)]
    assert any("Half-written piece on bins" in m and "draft" in m for m in notices)
    assert any("About the Lamplighter" in m and "page" in m for m in notices)
    assert any("1 items of type “nav_menu_item”" in m for m in notices)
    assert not [o for o in outputs if isinstance(o, Failure)]


def test_a_post_carries_its_title_byline_section_subjects_date_and_link():
    lifts = post(101)
    assert lifts.publication == "The Lamplighter"
    assert lifts.title == "The lifts at Harrow Court"
    assert lifts.authors == ["Maud Fenwick"]
    assert lifts.section == "Housing"
    assert lifts.subjects == ["Repairs & Upkeep", "Issue 7", "lifts", "Harrow Court"]
    assert lifts.standfirst == "Nine floors, no lift, and a landlord who waits."
    assert lifts.published == date(2019, 3, 2)
    assert lifts.original_url == f"{SITE}/2019/03/the-lifts/"
    assert lifts.language == "en-GB"  # the channel declares en-GB: kept whole, as BCP 47
    assert lifts.source.format == "wxr"
    assert "<wp:post_id>101</wp:post_id>" in lifts.source.text


def test_author_without_display_name_takes_first_and_last_name_and_unknown_logins_stay():
    assert post(102).authors == ["Toby Okafor"]
    letter = next(r for r in records().values() if r.title.startswith("A letter"))
    assert letter.authors == ["somebody-unlisted"]


def test_co_authors_follow_the_first_author_in_order():
    assert post(103).authors == ["Toby Okafor", "Maud Fenwick"]


def test_uncategorized_is_no_section():
    assert post(102).section == "Issue 7"
    assert "Uncategorized" not in post(102).subjects


def test_posts_are_issued_by_month_of_publication_by_default():
    assert (post(101).issue.year, post(101).issue.month, post(101).issue.number) == (2019, 3, None)
    assert (post(103).issue.year, post(103).issue.month) == (2019, 4)


def test_two_posts_with_the_same_title_stay_two_articles():
    diaries = [r for r in records().values() if r.title == "Rent strike diary"]
    assert len({r.key for r in diaries}) == 2


def test_a_post_id_reused_with_another_guid_in_one_ingest_is_another_article(
    ingest_paths, tmp_path
):
    """Two exports of one site address can give one post id to two different posts."""
    (tmp_path / "a.xml").write_bytes(LAMPLIGHTER.read_bytes())
    other = LAMPLIGHTER.read_text().replace(
        f'<guid isPermaLink="false">{SITE}/?p=101</guid>',
        f'<guid isPermaLink="false">{SITE}/?p=101&amp;draft=restored</guid>',
    )
    (tmp_path / "b.xml").write_text(other.replace("Rent strike diary", "Rent strike, restored"))

    first = ingest_paths(tmp_path)
    again = ingest_paths(tmp_path)

    kept = Article.objects.filter(key__startswith=f"wxr:{SITE}:")
    assert kept.filter(key=f"wxr:{SITE}:101").exists()
    assert kept.filter(key=f"wxr:{SITE}:guid:{SITE}/?p=101&draft=restored").exists()
    notes = [e.reason for e in first.entries if e.status == "noted" and "b.xml#post-101" in e.path]
    assert any("also the id of" in note and "a.xml#post-101" in note for note in notes)
    assert again.count("updated") == again.count("added") == 0


def test_a_post_without_an_id_is_keyed_by_its_guid_and_dated_by_pubdate():
    letter = next(r for r in records().values() if r.title.startswith("A letter"))
    assert letter.key == f"wxr:{SITE}:guid:{SITE}/letters/a-letter/"
    assert letter.published == date(2019, 4, 15)
    assert letter.original_url == f"{SITE}/letters/a-letter/"


# Content to blocks


def body(number: int) -> list:
    """A post's blocks after its featured image, which leads the body (tests/ingest/
    test_wxr_media.py)."""
    lead, *blocks = post(number).blocks
    assert lead.type == "figure" and lead.assets[0].url.endswith("/lift-door.jpg")
    return blocks


def test_classic_content_is_split_into_paragraphs_at_blank_lines_with_markup_kept():
    blocks = body(101)
    first = blocks[0]
    assert first.type == "paragraph"
    assert first.text == (
        "For the third winter running the lifts at Harrow Court stood still for weeks.\n"
        "Residents on the ninth floor carried shopping up by hand."
    )
    assert "<em>weeks</em>" in first.html
    assert blocks[1].text == 'The landlord\'s letter said "parts are on order".'


def test_quotations_nest_and_breaks_are_section_breaks():
    types = [b.type for b in body(101)]
    assert types[2:6] == ["quotation", "section_break", "paragraph", "section_break"]
    quotation = body(101)[2]
    assert quotation.blocks[0].text == "We were told to be patient."
    assert quotation.blocks[1].type == "quotation"
    assert quotation.blocks[1].blocks[0].text == "Patience does not climb stairs."


def test_links_keep_only_their_address_and_shortcodes_leave_their_caption():
    blocks = body(101)
    meeting = blocks[4]
    assert meeting.html.endswith('<a href="https://lamplighter.example/hall/">community hall</a>.')
    texts = [b.text for b in blocks]
    assert [item.text for item in blocks[-2].blocks] == [
        "Bring your repair log",
        "Bring a neighbour",
    ]
    assert texts[-1] == "The stairwell, March"
    assert blocks[-1].type == "figure"  # its picture is not among the sources: kept by its URL
    assert blocks[-1].assets[0].url.endswith("/stairwell.jpg")
    assert not any("[caption" in t or "[/caption]" in t for t in texts)


def test_block_editor_content_keeps_its_paragraphs_and_newlines_inside_them_are_spaces():
    blocks = post(102).blocks
    assert [(b.type, b.text) for b in blocks] == [
        ("paragraph", "Day one: forty households withheld their rent."),
        ("heading", "Day two"),
        ("paragraph", "The agent came round with a clipboard."),
    ]
    assert blocks[2].html == "The agent came round with <strong>a clipboard</strong>."


# Attachments


def test_attachments_before_or_after_their_post_and_featured_images_are_listed():
    assert post(101).attachments == [
        f"{SITE}/wp-content/uploads/2019/03/stairwell.jpg",
        f"{SITE}/wp-content/uploads/2019/03/lift-door.jpg",
    ]
    assert post(103).attachments == [f"{SITE}/wp-content/uploads/2019/04/minutes.pdf"]
    assert post(102).attachments == []


def test_attachments_of_an_export_inside_a_tar_archive_are_found_too(tmp_path):
    archive = tmp_path / "site.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(LAMPLIGHTER, arcname="export/lamplighter.xml")
    inside = records(archive)
    assert inside[f"wxr:{SITE}:103"].attachments == post(103).attachments
    assert inside[f"wxr:{SITE}:101"].source.path.endswith("lamplighter.xml#post-101")


# Comments to replies


def test_comments_keep_their_moderation_state_threading_and_dates():
    lifts = post(101)
    replies = {r.key: r for r in lifts.replies}
    assert {k: r.status for k, r in replies.items()} == {
        "11": "approved",
        "12": "pending",
        "13": "spam",
    }
    assert replies["12"].parent_key == "11"
    assert replies["11"].parent_key == ""
    assert replies["11"].author_name == "Ada from flat 93"
    assert replies["11"].text == "Same on our side of the estate & it's <em>worse</em>."
    assert replies["11"].author_email == "ada@example.org"
    assert replies["11"].author_url == "https://ada.example.org/"
    assert replies["11"].created == datetime(2019, 3, 2, 12, 0, tzinfo=UTC)
    assert any("trash" in note for note in lifts.notes)
    assert any("pingback" in note for note in lifts.notes)


# Issues named by a category or a custom field


def test_a_category_can_name_the_issue():
    plan = {"issue_from": "category:Issue "}
    lifts, diary, later = post(101, **plan), post(102, **plan), post(103, **plan)
    assert (lifts.issue.number, diary.issue.number, later.issue.number) == (7, 7, 8)
    assert lifts.issue == diary.issue  # one issue, dated by its first post
    assert (later.issue.year, later.issue.month) == (2019, 4)
    assert "Issue 7" not in lifts.subjects and lifts.section == "Housing"
    assert diary.section == ""
    letter = next(r for r in records(**plan).values() if r.title.startswith("A letter"))
    assert (letter.issue.number, letter.issue.month) == (None, 4)  # no such category: by month


def test_a_custom_field_can_name_the_issue():
    plan = {"issue_from": "meta:issue_label"}
    lifts, diary, later = post(101, **plan), post(102, **plan), post(103, **plan)
    assert lifts.issue.title == later.issue.title == "Spring 2019"
    assert lifts.issue.slug == later.issue.slug == "spring-2019"
    assert (later.issue.year, later.issue.month) == (2019, 3)
    assert diary.issue.title == "" and diary.issue.month == 3


@pytest.mark.parametrize("value", ["weekly", "category:", "meta:  ", "month:3"])
def test_an_unknown_issue_plan_is_refused_with_the_choices(value):
    with pytest.raises(ValueError, match="month, category:PREFIX"):
        IssuePlan.parse(value)


# Broken and hostile files


def test_a_malformed_export_keeps_the_items_before_the_error_and_names_the_rest(tmp_path):
    text = LAMPLIGHTER.read_text()
    broken = text.replace(
        "<title>Rent strike diary</title>\n\t\t<link>https://lamplighter.example/2019/04/",
        "<title>Rent strike diary\n\t\t<link>https://lamplighter.example/2019/04/",
    )
    assert broken != text
    export = tmp_path / "broken.xml"
    export.write_text(broken)
    outputs = read(export)
    kept = sorted(o.key for o in outputs if isinstance(o, ArticleRecord))
    assert kept == [f"wxr:{SITE}:101", f"wxr:{SITE}:102"]
    [failure] = [o for o in outputs if isinstance(o, Failure)]
    assert failure.path == str(export)
    assert "not well-formed XML at line" in failure.reason
    assert "column" in failure.reason
    item_start = broken.rindex("<item>", 0, broken.index("<title>Rent strike diary\n"))
    assert f"starting at line {broken.count(chr(10), 0, item_start) + 1}" in failure.reason
    assert "“Rent strike diary”" in failure.reason
    assert "anything after it could not be read" in failure.reason


def test_control_characters_pasted_into_a_post_do_not_stop_the_import(tmp_path):
    export = tmp_path / "pasted.xml"
    export.write_text(
        LAMPLIGHTER.read_text().replace("Week three: the agent", "Week three:\x0c the\x1b agent")
    )
    outputs = read(export)
    found = {o.key: o for o in outputs if isinstance(o, ArticleRecord)}
    assert found.keys() == records().keys()
    assert found[f"wxr:{SITE}:103"].blocks[0].text == "Week three: the agent has stopped coming."
    assert any("2 control characters" in o.message for o in outputs if isinstance(o, Notice))


def test_external_entities_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the landlord's bank details")
    export = tmp_path / "hostile.xml"
    export.write_text(
        LAMPLIGHTER.read_text()
        .replace(
            "<rss version",
            f'<!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">]>\n<rss version',
            1,
        )
        .replace("<title>Rent strike diary</title>", "<title>Diary &leak;</title>", 1)
    )
    found = records(export)
    assert "bank details" not in found[f"wxr:{SITE}:102"].title
    assert all("bank details" not in r.source.text for r in found.values())


# Through the pipeline and the database


@pytest.mark.django_db
def test_reimport_changes_nothing_and_a_changed_post_is_updated(ingest_paths, tmp_path):
    export = tmp_path / "lamplighter.xml"
    export.write_text(LAMPLIGHTER.read_text())
    first = ingest_paths(export)
    assert first.count("added") == 4 and first.count("failed") == 0
    again = ingest_paths(export)
    assert (again.count("unchanged"), again.count("added"), again.count("updated")) == (4, 0, 0)
    export.write_text(
        LAMPLIGHTER.read_text().replace("the agent has stopped coming", "the agent came back")
    )
    changed = ingest_paths(export)
    assert (changed.count("updated"), changed.count("unchanged")) == (1, 3)
    assert Article.objects.count() == 4
    later = Article.objects.get(key=f"wxr:{SITE}:103")
    assert later.blocks[0]["text"] == "Week three: the agent came back."


@pytest.mark.django_db
def test_replies_are_stored_threaded_and_only_approved_ones_are_public(ingest_paths):
    ingest_paths(LAMPLIGHTER)
    lifts = Article.objects.get(key=f"wxr:{SITE}:101")
    stored = {r.key: r for r in Reply.objects.filter(article=lifts)}
    assert set(stored) == {"11", "12", "13"}
    assert stored["12"].parent == stored["11"]
    assert stored["13"].status == "spam"
    assert [b.author.name for b in lifts.bylines.all()] == ["Maud Fenwick"]


def test_the_ingest_command_takes_the_issue_plan(db):
    call_command("ingest", str(LAMPLIGHTER), "--issue-from", "category:Issue ", "--quiet",
                 stdout=io.StringIO())  # fmt: skip
    numbers = sorted(Issue.objects.exclude(number=None).values_list("number", flat=True))
    assert numbers == [7, 8]
    assert Article.objects.get(key=f"wxr:{SITE}:102").issue.number == 7


def test_the_ingest_command_refuses_a_bad_issue_plan():
    with pytest.raises(CommandError, match="category:PREFIX"):
        call_command("ingest", str(LAMPLIGHTER), "--issue-from", "fortnight", "--quiet")
