"""Correcting an article's body as rows of blocks: no JSON, no JavaScript, nothing lost."""

from __future__ import annotations

import json

import pytest
from lxml import html as lxml_html

from backfile.archive.models import Article
from tests.editing.conftest import NESTED
from tests.editing.helpers import (
    body_url,
    errors,
    form_data,
    open_body,
    press,
    row_with,
    rows_texts,
)

pytestmark = pytest.mark.django_db


def test_the_body_is_shown_as_rows_and_never_as_json(desk, review):
    page = desk.get(body_url(review))
    assert page.status_code == 200
    form = lxml_html.fromstring(page.content.decode()).get_element_by_id("body-form")
    shown = form.text_content() + " ".join(
        el.get("value") or "" for el in form.xpath(".//input[not(@type='hidden')]")
    )
    assert '"type"' not in shown and '{"' not in shown
    kinds = [s.value for s in form.xpath(".//select")]
    assert kinds[:5] == ["paragraph", "quotation", "paragraph", "quotation", "paragraph"]
    legends = [el.text_content() for el in form.xpath(".//legend")]
    assert legends[4] == "Block 5, inside the quotation above"
    assert any(NESTED in text for text in rows_texts(page))


def test_correcting_a_word_in_a_nested_quotation_changes_only_that_word(desk, review):
    before = json.loads(json.dumps(review.blocks))
    data = open_body(desk, review)
    row = row_with(data, NESTED)
    corrected = NESTED.replace("chapel", "church")
    response = press(desk, review, data, "save", **{f"{row}-text": corrected, "note": "misprint"})
    assert response.status_code == 302, errors(response)
    review.refresh_from_db()
    expected = json.loads(json.dumps(before))
    expected[1]["blocks"][1]["blocks"][0]["text"] = corrected
    assert review.blocks == expected
    assert json.dumps(review.blocks) == json.dumps(expected)  # same keys, same order
    assert review.edited


def test_blocks_not_touched_keep_attributes_the_desk_does_not_show(desk, review):
    stored = list(review.blocks)
    stored[0] = {**stored[0], "x-later-reader": {"kept": True}}
    Article.objects.filter(pk=review.pk).update(blocks=stored)
    data = open_body(desk, review)
    row = row_with(data, "Miles walked")
    response = press(desk, review, data, "save", **{f"{row}-text": "Miles walked each year"})
    assert response.status_code == 302, errors(response)
    review.refresh_from_db()
    assert review.blocks[0] == stored[0]
    assert review.blocks[2] == stored[2]  # its markup untouched, byte for byte
    assert review.blocks[4]["text"] == "Miles walked each year"
    assert review.blocks[4]["blocks"] == stored[4]["blocks"]


def test_inline_markup_is_kept_and_sanitised(desk, review):
    data = open_body(desk, review)
    row = row_with(data, "<em>second</em>")
    typed = (
        data[f"{row}-text"][0]
        .replace("second", "third")
        .replace("volume", "<strong>volume</strong>")
    )
    response = press(desk, review, data, "save", **{f"{row}-text": typed})
    assert response.status_code == 302, errors(response)
    review.refresh_from_db()
    block = review.blocks[2]
    assert block["text"] == "Readers will want the third volume & its index."
    assert "<em>third</em> <strong>volume</strong> &amp;" in block["html"]
    assert 'href="https://example.org/i"' in block["html"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ('A <script>alert("x")</script> review', "<script> cannot be kept"),
        ('See <a href="javascript:alert(1)">this</a>', "must start with https://"),
        ("", "This row has no words"),
    ],
)
def test_bad_words_are_refused_beside_the_row_and_kept_as_typed(desk, review, typed, message):
    data = open_body(desk, review)
    row = row_with(data, "Mr Pellow")
    response = press(desk, review, data, "save", **{f"{row}-text": typed})
    assert response.status_code == 400
    assert any(message in error for error in errors(response)), errors(response)
    if typed:
        assert typed in rows_texts(response)
    assert Article.objects.get(pk=review.pk).blocks == review.blocks
    assert not Article.objects.get(pk=review.pk).edited


def test_a_note_without_its_marker_and_a_row_nested_wrongly_are_refused(desk, review):
    data = open_body(desk, review)
    note = row_with(data, "As printed.")
    item = row_with(data, "Maps")
    response = press(
        desk, review, data, "save", **{f"{note}-label": "", f"{item}-type": "table_cell"}
    )
    assert response.status_code == 400
    assert "A note needs the marker it has in the text (1, 2, *…)." in errors(response)
    assert any("A list cannot hold a table cell" in e for e in errors(response)), errors(response)


def test_buttons_move_add_and_delete_rows_keeping_what_was_typed(desk, review):
    data = open_body(desk, review)
    first = row_with(data, "Mr Pellow")
    typed = "Mr Pellow walked every lane, unsaved."
    moved = press(desk, review, data, "down-0", **{f"{first}-text": typed})
    assert moved.status_code == 200
    texts = rows_texts(moved)
    assert texts.index(typed) > texts.index(NESTED)  # moved below the whole quotation
    data = form_data(moved)
    added = press(desk, review, data, f"add-{int(row_with(data, typed)[1:])}")
    at = texts.index(typed) + 1
    assert rows_texts(added) == texts[:at] + [""] + texts[at:]  # a new row after the moved one
    data = form_data(added)
    deleted = press(desk, review, data, "delete-0")  # the quotation (now first), with all it holds
    assert NESTED not in " ".join(rows_texts(deleted))
    assert typed in rows_texts(deleted)
    assert Article.objects.get(pk=review.pk).blocks == review.blocks  # nothing saved yet


def test_indenting_puts_a_paragraph_into_the_quotation_above(desk, review):
    data = open_body(desk, review)
    row = row_with(data, "Readers will want")
    response = press(desk, review, data, f"in-{int(row[1:])}")
    response = press(desk, review, form_data(response), "save")
    assert response.status_code == 302, errors(response)
    review.refresh_from_db()
    assert review.blocks[1]["blocks"][-1]["text"].startswith("Readers will want")


def test_preview_shows_the_body_as_readers_will_see_it(desk, review):
    data = open_body(desk, review)
    row = row_with(data, NESTED)
    response = press(desk, review, data, "preview", **{f"{row}-text": "The <em>mill</em> stays."})
    assert response.status_code == 200
    page = lxml_html.fromstring(response.content.decode())
    preview = page.xpath("//section[@class='desk-preview']//div[@class='article-body']")[0]
    nested = preview.xpath("./blockquote/blockquote/p")[0]
    assert (
        lxml_html.tostring(nested, encoding="unicode", with_tail=False)
        == "<p>The <em>mill</em> stays.</p>"
    )
    assert preview.xpath(".//ol[@start='3']/li")
    assert Article.objects.get(pk=review.pk).blocks == review.blocks


def test_a_body_saved_meanwhile_is_not_overwritten(desk, review):
    data = open_body(desk, review)
    Article.objects.filter(pk=review.pk).update(blocks=[{"type": "paragraph", "text": "Other."}])
    row = row_with(data, "Mr Pellow")
    response = press(desk, review, data, "save", **{f"{row}-text": "Mine."})
    assert response.status_code == 409
    assert "Mine." in rows_texts(response)
    assert Article.objects.get(pk=review.pk).blocks == [{"type": "paragraph", "text": "Other."}]


@pytest.mark.parametrize("rows", ["20001", "", "²"])
def test_a_form_whose_row_count_cannot_be_read_changes_nothing(desk, review, rows):
    data = open_body(desk, review)
    stored = Article.objects.get(pk=review.pk).blocks
    response = press(desk, review, data, "save", rows=rows)
    assert response.status_code == 400
    assert "nothing was changed" in response.content.decode()
    assert Article.objects.get(pk=review.pk).blocks == stored  # not emptied


def test_signed_out_visitors_are_sent_to_sign_in(client, review):
    response = client.get(body_url(review))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_new_embed_without_its_address_is_refused_by_the_ingest_s_own_rules(desk, review):
    data = open_body(desk, review)
    added = press(desk, review, data, "add-0")
    data = form_data(added)
    response = press(desk, review, data, "save", **{"r1-type": "embed", "r1-text": "A film"})
    assert response.status_code == 400
    refusal = lxml_html.fromstring(response.content.decode()).xpath("//p[@class='errornote']")
    assert "The body cannot be kept: block 2 (embed)" in refusal[0].text_content()
    assert "A film" in rows_texts(response)


def test_a_row_made_another_kind_loses_what_only_the_old_kind_had(desk, review):
    figure = {"type": "figure", "text": "The mill", "credit": "Staff", "assets": []}
    Article.objects.filter(pk=review.pk).update(
        blocks=[*review.blocks[:-1], figure, review.blocks[-1]]
    )
    data = open_body(desk, review)
    row = row_with(data, "The mill")
    response = press(desk, review, data, "save", **{f"{row}-type": "paragraph"})
    assert response.status_code == 302, errors(response)
    assert Article.objects.get(pk=review.pk).blocks[-2] == {"type": "paragraph", "text": "The mill"}


def test_a_figure_s_alt_texts_and_credit_and_an_embed_s_address_are_edited(desk, review):
    use = {"alt": "", "caption": "", "credit": "", "sha256": "a" * 64, "url": ""}
    figure = {"assets": [use, {**use, "sha256": "b" * 64}], "text": "The mill", "type": "figure"}
    embed = {"provider": "YouTube", "text": "A film", "type": "embed", "url": "https://y.example/1"}
    body = [*review.blocks[:-1], figure, embed, review.blocks[-1]]
    Article.objects.filter(pk=review.pk).update(blocks=body)
    page = desk.get(body_url(review))
    labels = [
        text_of(label)
        for label in lxml_html.fromstring(page.content.decode()).xpath(
            "//div[@class='desk-alt']/label"
        )
    ]
    assert labels[0].startswith("Alt text of picture 1")
    data = form_data(page)
    row = row_with(data, "The mill")
    film = row_with(data, "A film")
    changes = {
        f"{row}-credit": "Lantern staff",
        f"{film}-url": "https://y.example/2",
    }
    data[f"{row}-alt"] = ["The mill from the ford", "The mill race"]
    response = press(desk, review, data, "save", **changes)
    assert response.status_code == 302, errors(response)
    stored = Article.objects.get(pk=review.pk).blocks
    assert stored[-3]["credit"] == "Lantern staff"
    assert [a["alt"] for a in stored[-3]["assets"]] == ["The mill from the ford", "The mill race"]
    assert [a["sha256"] for a in stored[-3]["assets"]] == ["a" * 64, "b" * 64]
    assert stored[-2] == {**embed, "url": "https://y.example/2"}


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def test_a_body_stored_malformed_opens_and_is_refused_with_a_reason_not_an_error(desk, review):
    odd = [{"type": "paragraph", "text": 7}, "junk", {"type": "quotation", "blocks": "x"}]
    Article.objects.filter(pk=review.pk).update(blocks=odd)
    data = open_body(desk, review)
    response = press(desk, review, data, "save")
    assert response.status_code == 400
    assert Article.objects.get(pk=review.pk).blocks == odd
    assert desk.get(f"/desk/revisions/article/{review.pk}/").status_code == 200


def test_only_the_moves_a_row_can_make_are_offered(desk, review):
    page = lxml_html.fromstring(desk.get(body_url(review)).content.decode())
    buttons = {b.get("value") for b in page.xpath("//button[@name='action']")}
    assert "up-0" not in buttons and "down-0" in buttons  # the first row
    assert "up-2" not in buttons and "out-2" in buttons  # the quotation's first paragraph
    assert "in-0" not in buttons and "out-0" not in buttons


ODD_NUMBERS = ["²", "١٢", "9" * 400]


@pytest.mark.parametrize("odd", ODD_NUMBERS)
def test_a_button_naming_an_odd_row_number_changes_nothing(desk, review, odd):
    data = open_body(desk, review)
    response = press(desk, review, data, f"up-{odd}")
    assert response.status_code == 200
    assert rows_texts(response) == rows_texts(desk.get(body_url(review)))


@pytest.mark.parametrize("odd", ODD_NUMBERS)
def test_a_list_starting_at_an_odd_number_is_refused_beside_the_row(desk, review, odd):
    data = open_body(desk, review)
    start = next(name for name, values in data.items() if name.endswith("-start") and values[0])
    for action in ("preview", "save"):
        response = press(desk, review, data, action, **{start: odd})
        assert response.status_code == 400
        assert any("starts at a whole number" in error for error in errors(response))
        assert odd in response.content.decode()  # kept as typed
    assert Article.objects.get(pk=review.pk).blocks == review.blocks
