"""Page captures: each variation of the format, read through the real pipeline into the archive.

The fixtures are The Lantern, a monthly the project made up (tests/fixtures/capture).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backfile.archive.models import Article, Author, Issue, Publication
from backfile.ingest.readers.capture import (
    CaptureError,
    parse_issue_slug,
    parse_reviewed_work,
    split_title,
)
from tests.conftest import FIXTURES

CAPTURES = FIXTURES / "capture"
LANTERN = CAPTURES / "the-lantern"
REVIEW = LANTERN / "no-88-march-1952_mill-and-valley.txt"
EDITORIAL = LANTERN / "no-88-march-1952_coal-board.txt"
LETTER = LANTERN / "no-89-april-1952_rents.txt"
FEATURE = LANTERN / "no-90-may-1952_night-buses.txt"
OBITUARY = LANTERN / "no-40-december-1948_greaves.txt"
SHORT_REVIEW = LANTERN / "no-12-13-winter-1937_hunger-road.txt"


def article(title: str) -> Article:
    return Article.objects.select_related("issue", "publication").get(title=title)


def authors(item: Article) -> list[str]:
    return [b.as_printed for b in item.bylines.order_by("position")]


def texts(blocks: list[dict]) -> list[str]:
    """Every text in a body, nested quotations included (a quotation has none of its own)."""
    found: list[str] = []
    for block in blocks:
        if block["text"]:
            found.append(block["text"])
        found.extend(texts(block.get("blocks", [])))
    return found


def test_review_with_standfirst_price_and_nested_quotation(ingest_paths):
    report = ingest_paths(REVIEW)

    assert report.summary()["added"] == 1
    review = article("The Mill and the Valley")
    assert review.publication.name == "The Lantern"
    assert (review.issue.number, review.issue.month, review.issue.year) == (88, 3, 1952)
    assert review.issue.decade == 1950
    assert review.section == "Book Review"
    assert review.standfirst == "Two Centuries of Cotton"
    assert authors(review) == ["Tom Hartley"]
    work = review.reviewed_works.get()
    assert (work.title, work.author, work.publisher, work.place, work.price) == (
        "The Mill and the Valley",
        "Harriet Ashworth",
        "Allen & Unwin",
        "London",
        "7s. 6d.",
    )
    assert [b["type"] for b in review.blocks] == [
        "paragraph",
        "paragraph",
        "quotation",
        "paragraph",
        "paragraph",
    ]
    quotation = review.blocks[2]
    assert [b["type"] for b in quotation["blocks"]] == [
        "paragraph",
        "paragraph",
        "quotation",
        "paragraph",
    ]
    assert quotation["blocks"][0]["text"].startswith("“We are told that the masters")
    nested = quotation["blocks"][2]["blocks"]
    assert [b["text"][:20] for b in nested] == ["‘Any hand found talk"]
    assert review.blocks[1]["text"].endswith("to her brother in Leeds:—")


def test_review_keeps_no_trailer_byline_or_breadcrumb_as_text(ingest_paths):
    ingest_paths(REVIEW)

    body = " ".join(texts(article("The Mill and the Valley").blocks))
    for leftover in ("Leave a Reply", "logged in", "Tom Hartley", "1950s >>", "Two Centuries"):
        assert leftover not in body
    assert "\u00a0" not in body and "  " not in body


def test_editorial_without_standfirst_signed_with_initials(ingest_paths):
    ingest_paths(EDITORIAL)

    editorial = article("The Coal Board’s First Balance Sheet")
    assert editorial.section == "Editorial"
    assert editorial.standfirst == ""
    assert editorial.blocks[0]["text"].startswith("The National Coal Board has published")
    assert len(editorial.blocks) == 3
    assert authors(editorial) == ["R. T."]


def test_letter_with_straight_quotes_and_no_trailer(ingest_paths):
    ingest_paths(LETTER)

    letter = article("Rents and the Council")
    assert letter.section == "Letter"
    assert letter.standfirst == ""
    assert authors(letter) == ["J.D."]
    assert letter.blocks[0]["text"] == "Dear Editors,"
    assert letter.blocks[-1]["text"] == "Yours faithfully,"
    assert "council's housing list" in letter.blocks[1]["text"]


def test_windows_line_endings_bom_and_trailing_spaces_read_the_same(ingest_paths, tmp_path):
    plain = LETTER.read_text(encoding="utf-8")
    windows = "\ufeff" + "".join(line + "  \t\r\n" for line in plain.splitlines())
    copy = tmp_path / "the-lantern-copy" / LETTER.name
    copy.parent.mkdir()
    copy.write_bytes(windows.encode("utf-8"))

    report = ingest_paths(LETTER, copy)

    assert report.summary()["added"] == 2
    original, windows_copy = Article.objects.filter(title="Rents and the Council").order_by(
        "publication__name"
    )
    assert windows_copy.publication.name == "The Lantern Copy"
    for field in ("section", "title", "standfirst", "blocks"):
        assert getattr(windows_copy, field) == getattr(original, field)
    assert authors(windows_copy) == authors(original) == ["J.D."]
    assert windows_copy.source.text.startswith("1950s >> 1952")  # the BOM is not text


def test_feature_with_three_authors_standfirst_and_section_break(ingest_paths):
    ingest_paths(FEATURE)

    feature = article("A Week on the Night Buses")
    assert feature.section == "Features"
    assert feature.standfirst == "Three conductors keep a diary"
    assert authors(feature) == ["Anna Price", "Tom Hale", "Mary Lowe"]
    assert [b["type"] for b in feature.blocks] == [
        "paragraph",
        "paragraph",
        "section_break",
        "paragraph",
    ]


def test_obituary_with_two_authors_and_quoted_title(ingest_paths):
    ingest_paths(OBITUARY)

    obituary = article("Walter Greaves")
    assert obituary.section == "Obituary"
    assert authors(obituary) == ["Alice Moss", "Ben Field"]
    assert (obituary.issue.number, obituary.issue.month, obituary.issue.decade) == (40, 12, 1940)
    assert obituary.get_absolute_url() == (
        "/the-lantern/1940s/1948/no-40-december-1948/walter-greaves/"
    )


def test_review_with_straight_quotes_year_price_and_double_number(ingest_paths):
    ingest_paths(SHORT_REVIEW)

    review = article("Hunger on the Road")
    # Ends like a sentence, but the reviewed-work line follows it: still the standfirst.
    assert review.standfirst == "A march remembered."
    assert authors(review) == ["E. B."]
    work = review.reviewed_works.get()
    assert (work.title, work.author, work.publisher, work.place, work.year, work.price) == (
        "Hunger on the Road",
        "Walter Pym",
        "Gollancz",
        "",
        1937,
        "2s.",
    )
    assert review.issue.number == 12
    assert review.issue.month is None
    assert review.issue.label == "Nos. 12–13, Winter 1937"
    assert review.issue.slug == "no-12-13-winter-1937"


def test_key_is_issue_and_title_so_a_moved_file_is_the_same_article(ingest_paths, tmp_path):
    moved = tmp_path / "elsewhere" / "the-lantern" / "renamed.txt"
    moved.parent.mkdir(parents=True)
    shutil.copy(REVIEW, moved)

    ingest_paths(REVIEW)
    report = ingest_paths(moved)

    assert Article.objects.get().key == "capture:no-88-march-1952/the-mill-and-the-valley"
    assert report.summary()["updated"] == 1  # the same article, now read from a new path
    assert Article.objects.get().source.path == str(moved)


def test_same_title_in_one_issue_from_two_files_gives_two_articles(ingest_paths, tmp_path):
    folder = tmp_path / "the-lantern"
    folder.mkdir()
    text = EDITORIAL.read_text(encoding="utf-8")
    (folder / "first.txt").write_text(text, encoding="utf-8")
    (folder / "second.txt").write_text(text.replace("R. T.", "M. S."), encoding="utf-8")

    report = ingest_paths(folder)
    again = ingest_paths(folder)

    assert report.summary()["added"] == 2
    assert any("same issue and title" in e.reason for e in report.entries if e.status == "noted")
    assert sorted(a.slug for a in Article.objects.all()) == [
        "the-coal-boards-first-balance-sheet",
        "the-coal-boards-first-balance-sheet-2",
    ]
    assert again.summary()["unchanged"] == 2


def test_publication_option_beats_the_folder_name(ingest_paths):
    ingest_paths(OBITUARY, publication="Lantern Monthly")

    assert list(Publication.objects.values_list("name", flat=True)) == ["Lantern Monthly"]


def test_folder_that_is_not_a_slug_gives_an_unnamed_publication_and_a_note(ingest_paths, tmp_path):
    loose = tmp_path / "captures" / "greaves.txt"
    loose.parent.mkdir()
    shutil.copy(OBITUARY, loose)

    report = ingest_paths(loose)

    assert Article.objects.get().publication.name == "Unnamed publication"
    notes = [e.reason for e in report.entries if e.status == "noted"]
    assert len(notes) == 1 and "--publication" in notes[0]


def test_unparseable_captures_fail_with_a_reason_and_the_rest_go_in(ingest_paths, tmp_path):
    folder = tmp_path / "the-lantern"
    shutil.copytree(CAPTURES / "broken", folder)
    shutil.copy(OBITUARY, folder / "greaves.txt")

    report = ingest_paths(folder)

    reasons = {Path(e.path).name: e.reason for e in report.entries if e.status == "failed"}
    assert "'1947' is not a year of the 1930s" in reasons["bad-year.txt"]
    assert "no title" in reasons["no-title.txt"]
    assert "not recognised" in reasons["shopping-list.txt"]
    assert Article.objects.get().title == "Walter Greaves"
    assert report.summary()["failed"] == 3


def test_authors_are_one_person_however_the_case_and_spacing_vary(ingest_paths, tmp_path):
    folder = tmp_path / "the-lantern"
    folder.mkdir()
    text = EDITORIAL.read_text(encoding="utf-8")
    variants = {"one": "Harriet Ashworth", "two": "HARRIET  ASHWORTH", "three": "H. Ashworth"}
    for n, (name, byline) in enumerate(variants.items()):
        changed = text.replace("R. T.", byline).replace("First Balance", f"Balance {n}")
        (folder / f"{name}.txt").write_text(changed, encoding="utf-8")

    ingest_paths(folder)

    assert sorted(Author.objects.values_list("name", flat=True)) == [
        "H. Ashworth",
        "Harriet Ashworth",
    ]
    assert Author.objects.get(name="Harriet Ashworth").articles.count() == 2


@pytest.mark.parametrize(
    ("line", "section", "title"),
    [
        ("Book Review: ‘The Mill and the Valley’", "Book Review", "The Mill and the Valley"),
        ("Notes by the Way: Pit Props", "Notes by the Way", "Pit Props"),
        ("Editor’s Diary: A Wet Week", "Editor’s Diary", "A Wet Week"),
        ("“The Workers’ Paper”", "", "The Workers’ Paper"),
        ("‘Planning’ and ‘Freedom’", "", "‘Planning’ and ‘Freedom’"),
        ('"Rents" and "Rates"', "", '"Rents" and "Rates"'),
        ("'Tis the Season to Strike", "", "'Tis the Season to Strike"),
        ("Why 1926 Failed: A Reckoning", "", "Why 1926 Failed: A Reckoning"),
        ("the trouble with: lower case", "", "the trouble with: lower case"),
    ],
)
def test_title_line_section_prefix_and_wrapping_quotes(line, section, title):
    assert split_title(line) == (section, title)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "‘Wages and Prices’, by Karl Dunn. (Labour Book Service, New York)",
            ("Wages and Prices", "Karl Dunn", "Labour Book Service", "New York", None, ""),
        ),
        (
            "“Stand by Your Union”, by May Orr (Fenner Press, Hull, 1938, 160 pp., 3s. 6d.)",
            ("Stand by Your Union", "May Orr", "Fenner Press", "Hull", 1938, "3s. 6d."),
        ),
        (
            "Ten Hours, by J. R. Platt. (Clough and Sons, Leeds) 1s.",
            ("Ten Hours", "J. R. Platt", "Clough and Sons", "Leeds", None, "1s."),
        ),
        (
            "‘The Dollar Empire’, by Ruth Kane. (Vanguard, New York, $2.50)",
            ("The Dollar Empire", "Ruth Kane", "Vanguard", "New York", None, "$2.50"),
        ),
    ],
)
def test_reviewed_work_lines(line, expected):
    work = parse_reviewed_work(line)
    assert work is not None
    assert (work.title, work.author, work.publisher, work.place, work.year, work.price) == (
        expected
    )


@pytest.mark.parametrize(
    "line",
    [
        "He was, by all accounts, a kind man (at home).",
        "The strike was called by the branch committee (see last month’s issue) on Friday.",
    ],
)
def test_sentences_with_by_and_brackets_are_not_reviewed_works(line):
    assert parse_reviewed_work(line) is None


@pytest.mark.parametrize(
    ("slug", "year", "number", "month", "day", "label"),
    [
        ("no-397-september-1937", 1937, 397, 9, None, ""),
        ("no-1001-january-2001", 2001, 1001, 1, None, ""),
        ("september-1937", 1937, None, 9, None, ""),
        ("no-459-july-4-2003", 2003, 459, 7, 4, ""),
        ("no-88-sept-1952", 1952, 88, 9, None, ""),
        ("no-12-13-winter-1950", 1950, 12, None, None, "Nos. 12–13, Winter 1950"),
        ("december-january-1950", 1950, None, 12, None, "December–January 1950"),
        ("no-5-special-1950", 1950, 5, None, None, "No. 5, Special 1950"),
    ],
)
def test_issue_slugs(slug, year, number, month, day, label):
    issue = parse_issue_slug(slug, year)
    assert (issue.number, issue.month, issue.day, issue.title) == (number, month, day, label)
    assert issue.slug == slug


def test_issue_slug_dated_another_year_than_the_breadcrumb_is_refused():
    with pytest.raises(CaptureError, match="dated 1938, the breadcrumb 1937"):
        parse_issue_slug("no-400-january-1938", 1937)


def test_issue_label_reaches_the_stored_issue(ingest_paths):
    ingest_paths(SHORT_REVIEW, FEATURE)

    assert sorted(str(i) for i in Issue.objects.all()) == [
        "The Lantern, No. 90, May 1952",
        "The Lantern, Nos. 12–13, Winter 1937",
    ]


def write_capture(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_byline_at_the_top_and_trailer_right_after_the_last_line(ingest_paths, tmp_path):
    capture = write_capture(
        tmp_path / "the-lantern",
        "ferry.txt",
        "1950s >> 1953 >> no-100-june-1953\n\n"
        "The Last Ferry\n\n"
        "Notes from the Mersey\n\n"
        "By Iris Fell and Owen Rudd\n\n"
        "The ferry stops running at midnight, and the dockers who miss it walk.\n\n"
        "Nobody has asked them whether they would prefer a later boat.\n"
        "Leave a Reply\nCancel reply\n",
    )

    ingest_paths(capture)

    ferry = article("The Last Ferry")
    assert ferry.standfirst == "Notes from the Mersey"
    assert authors(ferry) == ["Iris Fell", "Owen Rudd"]
    assert [b["text"][:12] for b in ferry.blocks] == ["The ferry st", "Nobody has a"]
    assert not any("Reply" in b["text"] for b in ferry.blocks)


def test_indents_count_from_the_margin_and_tabs_nest(ingest_paths, tmp_path):
    margin = "  "
    capture = write_capture(
        tmp_path / "the-lantern",
        "indented.txt",
        "1950s >> 1953 >> no-100-june-1953\n\n"
        "Editorial: Tabs and Margins\n\n"
        f"{margin}Every line of this capture is indented by the same two spaces, so none of it is quoted.\n\n"
        f"{margin}\t\t‘A nested passage may come first, before the passage around it.’\n\n"
        f"{margin}\t“The passage around it follows.”\n\n"
        f"{margin}And the article goes on unquoted.\n\n"
        f"{margin}N. O.\n",
    )

    ingest_paths(capture)

    margins = article("Tabs and Margins")
    assert [b["type"] for b in margins.blocks] == ["paragraph", "quotation", "paragraph"]
    quotation = margins.blocks[1]["blocks"]
    assert [b["type"] for b in quotation] == ["quotation", "paragraph"]
    assert quotation[0]["blocks"][0]["text"].startswith("‘A nested passage")
    assert authors(margins) == ["N. O."]


def test_a_last_line_that_is_a_sentence_is_not_a_byline(ingest_paths, tmp_path):
    capture = write_capture(
        tmp_path / "the-lantern",
        "unsigned.txt",
        "1950s >> 1953 >> no-100-june-1953\n\n"
        "Editorial: Unsigned\n\n"
        "This editorial is written by the whole committee and carries no name at its foot.\n\n"
        "Workers of the world unite.\n",
    )

    ingest_paths(capture)

    unsigned = article("Unsigned")
    assert authors(unsigned) == []
    assert unsigned.blocks[-1]["text"] == "Workers of the world unite."


def test_short_article_keeps_its_standfirst_and_its_byline(ingest_paths, tmp_path):
    capture = write_capture(
        tmp_path / "the-lantern",
        "brief.txt",
        "1950s >> 1953 >> no-100-june-1953\n\n"
        "In Brief: Branch Meetings\n\n"
        "Changes for the summer\n\n"
        "The Tuesday meetings move to the library hall from the first week of July.\n\n"
        "Sam Ogden\n",
    )

    ingest_paths(capture)

    brief = article("Branch Meetings")
    assert (brief.section, brief.standfirst) == ("In Brief", "Changes for the summer")
    assert authors(brief) == ["Sam Ogden"]
    assert [b["text"][:14] for b in brief.blocks] == ["The Tuesday me"]


def test_a_capture_saved_as_windows_1252_keeps_its_curly_quotes(ingest_paths, tmp_path):
    text = REVIEW.read_text(encoding="utf-8").replace("\u00a0", " ")
    capture = tmp_path / "the-lantern" / "cp1252.txt"
    capture.parent.mkdir()
    capture.write_bytes(text.encode("cp1252"))

    report = ingest_paths(capture)

    assert report.summary()["added"] == 1
    review = article("The Mill and the Valley")
    assert review.blocks[2]["blocks"][0]["text"].startswith("“We are told")
    assert review.source.text == text
