"""HTML fragments to article blocks (backfile.ingest.readers.html_blocks)."""

from __future__ import annotations

import lxml.html
import pytest

from backfile.ingest.readers.html_blocks import element_to_blocks, html_to_blocks, html_to_text


def kinds_and_texts(fragment: str, **options) -> list[tuple[str, str]]:
    return [(b.type, b.text) for b in html_to_blocks(fragment, **options)]


def test_entities_are_decoded_and_no_break_spaces_kept():
    [block] = html_to_blocks("<p>Fish &amp; chips&nbsp;&mdash; &#8220;cheap&#8221;</p>")
    assert block.text == "Fish & chips\xa0\u2014 \u201ccheap\u201d"


def test_ascii_whitespace_collapses_but_invisible_and_direction_marks_stay():
    [block] = html_to_blocks("<p>  one \n\t two\u200b\u202ethree\u202c  </p>")
    assert block.text == "one two\u200b\u202ethree\u202c"


def test_without_autop_a_blank_line_in_loose_text_is_only_space():
    assert kinds_and_texts("first\n\nsecond") == [("paragraph", "first second")]


def test_autop_splits_at_blank_lines_and_keeps_single_newlines_as_line_breaks():
    assert kinds_and_texts("one\ntwo\n\n\nthree", autop=True) == [
        ("paragraph", "one\ntwo"),
        ("paragraph", "three"),
    ]


def test_br_is_a_line_break_in_text_and_html():
    [block] = html_to_blocks("<p>Roses are <em>red</em>,<br/>violets are blue</p>")
    assert block.text == "Roses are red,\nviolets are blue"
    assert block.html == "Roses are <em>red</em>,\nviolets are blue"


def test_only_emphasis_and_plain_links_survive_in_html():
    [block] = html_to_blocks(
        '<p><span style="color:red">Read</span> <a href="https://example.org/x" '
        'onclick="steal()">this</a>, <a href="javascript:alert(1)">not this</a>, '
        "<u>underlined</u> <b>bold</b></p>"
    )
    assert block.text == "Read this, not this, underlined bold"
    assert block.html == (
        'Read <a href="https://example.org/x">this</a>, <a>not this</a>, underlined <b>bold</b>'
    )


def test_plain_paragraphs_have_no_html():
    [block] = html_to_blocks("<p>Nothing <span>special</span> here</p>")
    assert block.html == ""


def test_scripts_styles_and_images_vanish_but_the_text_after_them_stays():
    assert kinds_and_texts(
        "<p>Before<script>alert(1)</script> after<img src=x.jpg> end<style>p{}</style></p>"
    ) == [("paragraph", "Before after end")]


def test_headings_quotations_and_breaks():
    blocks = html_to_blocks(
        "<h3>Letters</h3><blockquote><p>Outer</p><blockquote>Inner</blockquote></blockquote>"
        "<hr><p>- - - -</p><p>***</p><p>Last</p>"
    )
    assert [b.type for b in blocks] == [
        "heading",
        "quotation",
        "section_break",
        "section_break",
        "section_break",
        "paragraph",
    ]
    quotation = blocks[1]
    assert quotation.text == ""
    assert [(b.type, b.text) for b in quotation.blocks] == [
        ("paragraph", "Outer"),
        ("quotation", ""),
    ]
    assert quotation.blocks[1].blocks[0].text == "Inner"


def test_a_dash_inside_a_sentence_is_not_a_section_break():
    assert kinds_and_texts("<p>-- signed, the editors</p><p>\u2014</p>") == [
        ("paragraph", "-- signed, the editors"),
        ("paragraph", "\u2014"),
    ]


def test_lists_keep_their_items_nesting_and_start_number():
    blocks = html_to_blocks(
        '<ul><li>milk</li><li>bread</li></ul><ol start="4"><li>four</li><li>five<ol><li>sub</li>'
        "</ol></li></ol>"
    )
    bullets, numbers = blocks
    assert (bullets.type, bullets.start) == ("list", None)
    assert [item.text for item in bullets.blocks] == ["milk", "bread"]
    assert (numbers.type, numbers.start) == ("list", 4)
    assert [item.text for item in numbers.blocks] == ["four", "five"]
    [inner] = numbers.blocks[1].blocks
    assert (inner.type, inner.start, inner.blocks[0].text) == ("list", 1, "sub")


def test_preformatted_text_keeps_its_spacing():
    [block] = html_to_blocks("<pre>  a  b\n    c</pre>")
    assert block.text == "  a  b\n    c"


def test_empty_paragraphs_and_spacers_make_no_blocks():
    assert html_to_blocks("<p>&nbsp;</p><p> </p><div><br></div><!-- more -->") == []


def test_paragraphs_wrapped_in_an_inline_element_stay_apart():
    assert kinds_and_texts("<span><p>one</p><p>two</p></span>") == [
        ("paragraph", "one"),
        ("paragraph", "two"),
    ]


@pytest.mark.parametrize("fragment", ["", "   ", "<!-- wp:paragraph --><!-- /wp:paragraph -->"])
def test_nothing_gives_no_blocks(fragment):
    assert html_to_blocks(fragment) == []


def test_html_to_text_strips_tags_and_decodes_entities_for_titles():
    assert html_to_text("Title <em>With</em> <b>Mark<sup>up</sup></b>") == "Title With Markup"
    assert html_to_text("Arts &amp; Culture") == "Arts & Culture"
    assert html_to_text(" Plain\n title ") == "Plain title"
    assert html_to_text("\u202eReversed\u202c") == "\u202eReversed\u202c"


def test_an_already_parsed_page_body_gives_the_same_blocks():
    page = lxml.html.fromstring(
        "<html><body><nav>Home</nav><div id='story'><p>One <i>two</i></p><hr><p>Three</p>"
        "</div></body></html>"
    )
    [story] = page.xpath("//div[@id='story']")
    assert element_to_blocks(story) == html_to_blocks("<p>One <i>two</i></p><hr><p>Three</p>")


def test_layout_tables_are_read_as_their_blocks_and_data_tables_as_tables():
    one_column = "<table><tr><td><p>First.</p></td></tr><tr><td><p>Second.</p></td></tr></table>"
    assert kinds_and_texts(one_column) == [("paragraph", "First."), ("paragraph", "Second.")]
    boxed = (
        "<table><tr><td><table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr>"
        "</table></td><td>Beside</td></tr></table>"
    )
    assert [kind for kind, _ in kinds_and_texts(boxed)] == ["table", "paragraph"]
    presentation = '<table role="presentation"><tr><th>a</th><td>b</td></tr></table>'
    assert [kind for kind, _ in kinds_and_texts(presentation)] == ["paragraph", "paragraph"]
    [table] = html_to_blocks(
        "<figure><table><tr><td>Tea</td><td>2d.</td></tr><tr><td>Bread</td><td>4d.</td></tr>"
        "</table><figcaption>Prices</figcaption></figure>"
    )
    assert (table.type, table.text) == ("table", "Prices")
    assert [[c.text for c in row.blocks] for row in table.blocks] == [
        ["Tea", "2d."],
        ["Bread", "4d."],
    ]


def test_notes_need_a_heading_or_markers_the_text_uses():
    unlinked = html_to_blocks("<p>Nothing refers here.</p><p>[1] A stray bracket.</p>")
    assert [b.type for b in unlinked] == ["paragraph", "paragraph"]
    numbered = html_to_blocks("<p>One.</p><p>1. Not a note without a heading.</p>")
    assert [b.type for b in numbered] == ["paragraph", "paragraph"]
    [text, notes] = html_to_blocks(
        "<p>Said so.[2]</p><h4>Referencias</h4><ol start=2><li>Ibid.</li></ol>"
    )
    assert text.html == 'Said so.<a href="#note-1">[2]</a>'
    assert (notes.text, notes.blocks[0].label, notes.blocks[0].text) == (
        "Referencias",
        "2",
        "Ibid.",
    )
