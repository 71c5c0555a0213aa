"""Which passages count as quotations, and which pages they cite, on sentences written here.

No database: `extract.quotations` reads a body's blocks as stored (dicts)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backfile.quotations import extract
from backfile.quotations.extract import BLOCK, INLINE, quotations
from backfile.quotations.pages import citations


def body(*paragraphs: str) -> list[dict]:
    return [{"type": "paragraph", "text": p} for p in paragraphs]


def block(*paragraphs: str) -> dict:
    return {"type": "quotation", "text": "", "blocks": body(*paragraphs)}


def found(*paragraphs, works=()) -> list[tuple[str, str]]:
    return [(q.text, q.pages) for q in quotations(body(*paragraphs), works)]


LONG = "the harvest was brought in before the rains came"


@pytest.mark.parametrize(
    ("sentence", "pages"),
    [
        (f'On page 30 the author writes: "{LONG}."', "30"),
        (f"For instance, on page 29, we read: “{LONG}.”", "29"),
        (f'She puts it plainly: "{LONG}." (Page 77.)', "77"),
        (f'She puts it plainly: "{LONG}" (p. 12).', "12"),
        (f'She puts it plainly: "{LONG}" (p.32)', "32"),
        (f'She puts it plainly: "{LONG}" (pp. 12-14).', "12–14"),
        (f'She puts it plainly: "{LONG}" (pp. 123-5).', "123–125"),
        (f'She puts it plainly: "{LONG}" (pages 30, 32).', "30, 32"),
        (f'She puts it plainly: "{LONG}" (pages 30 and 32).', "30, 32"),
        (f'She puts it plainly: "{LONG}" [p. xiv]', "xiv"),
        (f'"{LONG}," she writes on page 44.', "44"),
        (f"‘{LONG},’ she writes (The Long Field, p. 9).", "9"),
        (f'As she says on pages 12 to 14, "{LONG}."', "12–14"),
        (f'She puts it plainly: "{LONG}."', ""),
        (f'In a book of two hundred pages she says "{LONG}."', ""),
    ],
)
def test_the_page_a_citation_gives(sentence, pages):
    [(quoted, cited)] = found(sentence)
    assert quoted.rstrip(".,") == LONG
    assert cited == pages


def test_citation_forms_read_alone():
    assert [c.pages for c in citations("see p. 5, pp. 7–9 and page 11, 1937")] == ["5", "7–9", "11"]
    # in Spanish and German reviews
    spanish = "véase la pág. 77, las páginas 12 a 14 y la página 30 y 32 (págs. 5-6)"
    assert [c.pages for c in citations(spanish)] == ["77", "12–14", "30, 32", "5–6"]
    assert [c.pages for c in citations("auf Seite 41 und Seiten 7 bis 9")] == ["41", "7–9"]
    assert citations("a las 12 a 14 horas; una página de historia") == []
    assert citations("the civil war; a hundred pages; Serge's own pages") == []


def test_scare_quotes_and_titles_are_not_quotations():
    assert (
        found(
            'He calls it a "useless massacre" of the sailors.',
            "The tame slogan of “Socialism in one country” went by the board.",
            'Her larger work, "The Fate of the Lost Valley Farms," costs more.',
            'He might have called it "From Plenty to Famine."',
        )
        == []
    )


def test_a_short_full_sentence_is_a_quotation_and_a_short_phrase_is_not():
    assert [t for t, _ in found('"We will not go back." The strike held.')] == [
        "We will not go back."
    ]
    assert [t for t, _ in found('"We will not go," said Jo, and the strike held.')] == [
        "We will not go,"
    ]
    assert found('The strike was "not over yet" then.') == []


def test_apostrophes_do_not_end_a_single_quoted_passage():
    text = "‘The workers’ council met, and it didn’t give way to the owners,’ she recalls."
    assert [t for t, _ in found(text)] == [
        "The workers’ council met, and it didn’t give way to the owners,"
    ]


def test_a_nested_quotation_is_part_of_the_passage():
    text = "On page 81 he says: “The old miner said: ‘we shall come back when the pits reopen.’”"
    [(quoted, pages)] = found(text)
    assert quoted.endswith("‘we shall come back when the pits reopen.’") and pages == "81"


def test_a_citation_serves_one_quotation():
    first, second = f"{LONG}", "the mill stood idle for the whole of that winter"
    assert found(f'On page 3 she writes "{first}." Later: "{second}."') == [
        (first + ".", "3"),
        (second + ".", ""),
    ]
    # the page introducing the second passage is not the first's
    assert found(f'She writes "{first}" but on page 8 she says: "{second}."') == [
        (first, ""),
        (second + ".", "8"),
    ]


def test_block_quotation_pages_before_inside_and_after():
    words = f"{LONG.capitalize()}."
    before = quotations([*body("The order, as printed on page 30:—"), block(f"“{words}”")])
    assert [(q.kind, q.text, q.pages) for q in before] == [(BLOCK, words, "30")]
    inside = quotations([*body("He printed the order."), block(words, "(Page 77.)")])
    assert [(q.text, q.pages) for q in inside] == [(words, "77")]
    attributed = quotations([block(f"{words} — J. Pellow, The Old County, pp. 4-5")])
    assert [(q.text, q.pages) for q in attributed] == [(words, "4–5")]
    typed = quotations([block(f"{words}--The Old County, p. 9.")])
    assert [(q.text, q.pages) for q in typed] == [(words, "9")]
    after = quotations([block(words), *body("(p. 32) So the season ended.")])
    assert [q.pages for q in after] == ["32"]


def test_a_nested_block_quotation_is_one_quotation_with_the_outer():
    nested = {"type": "quotation", "text": "", "blocks": body("‘Hold the bridge until dawn.’")}
    outer = {
        "type": "quotation",
        "text": "",
        "blocks": [*body("“The captain read the order:—"), nested, *body("So it was done.”")],
    }
    [quotation] = quotations([*body("We read on page 12:"), outer])
    assert quotation.kind == BLOCK and quotation.pages == "12"
    assert quotation.text.split("\n\n") == [
        "The captain read the order:—",
        "‘Hold the bridge until dawn.’",
        "So it was done.",
    ]


def test_the_work_is_the_only_one_reviewed_or_the_one_named():
    one = [(7, "The Long Field", "Mary Oaks")]
    assert [q.work for q in quotations(body(f'It says "{LONG}."'), one)] == [7]
    two = [(7, "The Long Field", "Mary Oaks"), (8, "Salt and Iron", "Tom Reeve")]
    paragraphs = body(
        f'Oaks is gentler: "{LONG}."',
        f'Reeve is harsher. "{LONG}" (p. 5). And "{LONG}" (Long Field, p. 9).',
        f'Someone said "{LONG}."',
    )
    assert [(q.kind, q.work) for q in quotations(paragraphs, two)] == [
        (INLINE, 7),
        (INLINE, 8),
        (INLINE, 7),
        (INLINE, 7),  # the last named before it: the Long Field, ending the paragraph before
    ]
    assert [q.work for q in quotations(body(f'He said "{LONG}."'), two)] == [None]
    assert [q.work for q in quotations(body(f'He said "{LONG}."'))] == [None]


MARKS = ['"', "'", "“", "”", "‘", "’", "«", "»", "„", " ", ".", ",", ":", "(", ")", "—", "-"]
PIECES = [*MARKS, "page 3", "pp. 4-5", "(p. 6)", "words", "The", "said", "workers", "s", "\n"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), max_size=4))
def test_any_text_gives_quotations_taken_from_it_and_never_an_error(paragraphs):
    blocks = [*body(*paragraphs), block(*paragraphs), {"type": "heading", "text": None}, "odd"]
    for quotation in quotations(blocks, [(1, "The Words", "A. Said"), (2, "Pages", "")]):
        assert quotation.kind in (BLOCK, INLINE) and quotation.work in (1, 2, None)
        if quotation.kind == INLINE:  # (one running over paragraphs: a piece from each)
            for piece in quotation.text.split("\n\n"):
                assert any(piece in p for p in paragraphs)


class CountingMarks:
    """extract._MARKS, counting the marks the finder looks for."""

    def __init__(self, pattern):
        self.pattern, self.searches = pattern, 0

    def search(self, *args):
        self.searches += 1
        return self.pattern.search(*args)

    def finditer(self, *args):
        for found in self.pattern.finditer(*args):
            self.searches += 1
            yield found


def test_unclosed_single_marks_are_read_once_not_once_each(monkeypatch):
    marks = CountingMarks(extract._MARKS)
    monkeypatch.setattr(extract, "_MARKS", marks)
    paragraph = "'ab " * 600  # each `'` may open a passage, and none closes
    assert quotations(body(paragraph)) == []
    assert marks.searches <= 4 * 600  # not once per mark for every mark before it


def spans_one_mark_at_a_time(text: str) -> list[tuple[int, int]]:
    """extract.spans, each opening mark's closer sought with nothing kept from the others."""
    found, i = [], 0
    while (mark := extract._OPENERS.search(text, i)) is not None:
        i, close = mark.start(), None
        if extract._opens(text, i):
            if text[i] in extract._DOUBLE_CLOSERS:
                close = extract._double_close(text, i)
            else:
                close = extract._single_close(text, i)
        if close is not None:
            found.append((i, close))
        i = i + 1 if close is None else close + 1
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([*PIECES, "'ab ", "’s ", "workers’ ", "don't"]), max_size=80))
def test_what_one_mark_found_serves_the_next_unchanged(pieces):
    text = "".join(pieces)
    assert [(s.open, s.close) for s in extract.spans(text)] == spans_one_mark_at_a_time(text)


def test_a_quotation_running_over_paragraphs_is_one():
    first = "“The valley was flooded in the spring of that year, and the farms went under."
    second = "“Nobody who lived there was asked what they thought.” (p. 18)"
    assert found("He writes:", first, second, f'Then "{LONG}."') == [
        (first[1:] + "\n\n" + "Nobody who lived there was asked what they thought.", "18"),
        (f"{LONG}.", ""),
    ]
    # a paragraph that does not open with a mark ends it
    assert [p for _, p in found(first, "So it was.", second)] == ["", "18"]


def test_a_note_marked_after_a_quotation_gives_its_page_and_work():
    notes = {
        "type": "notes",
        "text": "Notes",
        "blocks": [
            {"type": "note", "label": "1", "text": "Reeve, Salt and Iron, pp. 40-41."},
            {"type": "note", "label": "2", "text": "A letter to the author."},
            {"type": "note", "label": "3", "text": "The Long Field, p. 7."},
        ],
    }
    works = [(7, "The Long Field", "Mary Oaks"), (8, "Salt and Iron", "Tom Reeve")]
    blocks = [
        *body(f'One says "{LONG}."[1] Another "{LONG}"2 and a third "{LONG}" [9].'),
        block(f"{LONG.capitalize()}.[3]"),
        notes,
    ]
    found = [(q.kind, q.pages, q.work) for q in quotations(blocks, works)]
    assert found[:4] == [
        (INLINE, "40–41", 8),
        (INLINE, "", None),
        (INLINE, "", None),
        (BLOCK, "7", 7),
    ]


def test_a_spanish_review_quotes_in_guillemets_and_cites_pages_in_spanish():
    passage = "la cosecha entró antes de que llegaran las lluvias del otoño"
    assert found(f"Lo dice sin rodeos: «{passage}» (pág. 77).") == [(passage, "77")]
    assert found(f"En la página 30 escribe: «{passage}».")[0][1] == "30"
