"""The index's fast tokenizer agrees with the highlighter's word-by-word one on every text.

The highlighter marks the words whose terms matched by walking `words()`;
`index_text` reaches the same terms by a cached shortcut. If they ever
disagreed, a search would find an article and then highlight the wrong words
(or none), so the two are compared on arbitrary text.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backfile.search import text
from backfile.search.text import index_text, words

# Letters, digits, every apostrophe and hyphen, accents precomposed and combining,
# ligatures, fractions, soft hyphens, dashes, underscores and whitespace.
ALPHABET = "aBz09 _-'`.,;\n\t\u2019\u2018\u2010\u2011\u00ad\u0301\u0308éÅæøßİﬁ½²—…£"


def reference(written: str) -> tuple[str, list[str]]:
    """Terms and joined forms as the highlighter's tokenizer sees the text."""
    found = list(words(written))
    terms = " ".join(t for word in found for t in word.terms)
    return terms, [word.joined for word in found if word.joined]


@settings(max_examples=400)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_index_terms_are_the_highlighters_terms(written):
    analysed = index_text(written)
    assert (analysed.terms, analysed.joined) == reference(written)


def test_terms_do_not_depend_on_what_was_indexed_before(monkeypatch):
    passage = (
        "The co-operative's new programme: Wal-Mart workers organised a labour-party "
        "meeting in the theatre; naïve ‘defence’ of the café—and its cheque-books."
    )
    first = index_text(passage)
    monkeypatch.setattr(text, "MAX_CACHED_CHUNKS", 3)  # the cache restarts on every text
    for other in ("grey anti-war gaols", "Ærø's ﬁght", passage[::-1]):
        index_text(other)
    again = index_text(passage)
    assert (again.terms, again.joined) == (first.terms, first.joined)
    assert again.terms and again.joined
