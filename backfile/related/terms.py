"""An article's salient terms: the words it is about, folded and stemmed as search does.

A term is salient in an article when the article uses it at least twice, or in its
headline, kicker or standfirst: a word used once in passing says little about what
an article is about, and leaving those out keeps what is stored a fifth of the text's
vocabulary. Terms of one or two letters and plain numbers are left out too.

The analysis (folding, stemming) is the costly part; during an ingest the search index
has made it already, in the worker processes, and `salient_of` counts from its terms
there too (`salient_of_analysed`, one of `search.index.ALONGSIDE`), so that the loader's
process only stores what they counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from backfile.search.text import analysis, index_text

HEAD_BONUS = 2  # a term of the headline, kicker or standfirst counts as used twice more

# (headline, kicker, standfirst and summary, body, language)
Texts = tuple[str, str, str, str, str]


def article_texts(title: str, kicker: str, standfirst: str, summary: str, blocks, language: str):
    """What an article's salient terms are read from."""
    return (title, kicker, f"{standfirst}\n{summary}", "\n".join(block_lines(blocks)), language)


def block_lines(blocks) -> Iterator[str]:
    for block in blocks if isinstance(blocks, list) else ():
        if isinstance(block, dict):
            if isinstance(block.get("text"), str) and block["text"]:
                yield block["text"]
            if block.get("blocks"):
                yield from block_lines(block["blocks"])


def salient_terms(texts: Texts) -> tuple[str, str]:
    """(terms, counts): the salient terms space-separated, and how often each is used."""
    title, kicker, standfirst, body, language = texts
    own = analysis(language)
    head = index_text(f"{title}\n{kicker}\n{standfirst}", own).terms
    return salient_of(head, index_text(body, own).terms)


def salient_of(head: str, body: str) -> tuple[str, str]:
    """`salient_terms` from the terms of the headline, kicker and standfirst (`head`) and
    of the body, already analysed (space-separated)."""
    counts = Counter(body.split())
    for term in dict.fromkeys(head.split()):  # in order: the same terms stored every run
        counts[term] += HEAD_BONUS
    repeated = [t for t, n in counts.items() if n > 1]  # most terms are used once: cut first
    kept = [t for t in repeated if len(t) > 2 and not t.isdigit()]
    return " ".join(kept), " ".join([str(counts[t]) for t in kept])


def salient_of_analysed(texts: tuple[str, ...], analysed) -> tuple[str, str]:
    """`salient_of` an article from the search index's analysis of its TEXT_FIELDS texts
    (`search.index`: title, kicker, standfirst, authors, body, …): run in the worker process
    that analysed them."""
    from backfile.search.index import TEXT_FIELDS

    terms = dict(zip(TEXT_FIELDS, analysed[0], strict=False))
    return salient_of(f"{terms['title']} {terms['kicker']} {terms['standfirst']}", terms["body"])
