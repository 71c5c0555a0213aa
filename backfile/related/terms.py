"""An article's salient terms: the words it is about, folded and stemmed as search does.

A term is salient in an article when the article uses it at least twice, or in its
headline, kicker or standfirst: a word used once in passing says little about what
an article is about, and leaving those out keeps what is stored a fifth of the text's
vocabulary. Terms of one or two letters and plain numbers are left out too.

They are read from the very texts the search index analyses (`search.index.field_texts`:
the standfirst with the summary and the reviewed works, the body with the text readers'
corrections replaced), whoever counts them, so that an ingest and `related --rebuild`
store the same terms. The analysis (folding, stemming) is the costly part; during an
ingest the search index has made it already, in the worker processes, and
`salient_of_analysed` (one of `search.index.ALONGSIDE`) counts from its terms there,
so that the loader's process only stores what they counted; anything else (an
editor's save, a rebuild) is analysed and counted by `salient_of_articles`, here.
"""

from __future__ import annotations

from collections import Counter

from backfile.search.text import Analysed

HEAD_BONUS = 2  # a term of the headline, kicker or standfirst counts as used twice more


def salient_of(head: str, body: str) -> tuple[str, str]:
    """(terms, counts): the salient terms space-separated, and how often each is used, from
    the terms of the headline, kicker and standfirst (`head`) and of the body, already
    analysed (space-separated)."""
    counts = Counter(body.split())
    for term in dict.fromkeys(head.split()):  # in order: the same terms stored every run
        counts[term] += HEAD_BONUS
    repeated = [t for t, n in counts.items() if n > 1]  # most terms are used once: cut first
    kept = [t for t in repeated if len(t) > 2 and not t.isdigit()]
    return " ".join(kept), " ".join([str(counts[t]) for t in kept])


def salient_of_analysed(texts: tuple[str, ...], analysed: Analysed) -> tuple[str, str]:
    """`salient_of` an article from the search index's analysis of its TEXT_FIELDS texts
    (`search.index`: title, kicker, standfirst, authors, body, …): run in the worker process
    that analysed them during an ingest, in this one otherwise."""
    from backfile.search.index import TEXT_FIELDS

    terms = dict(zip(TEXT_FIELDS, analysed[0], strict=False))
    return salient_of(f"{terms['title']} {terms['kicker']} {terms['standfirst']}", terms["body"])


def salient_of_articles(
    texts: list[tuple[str, ...]], counted: dict[tuple[str, ...], tuple[str, str]] | None = None
) -> list[tuple[str, str]]:
    """The salient (terms, counts) of articles from their TEXT_FIELDS texts (and language,
    `search.index.field_texts`): as `counted` where the ingest's worker processes counted
    them (by texts), the rest analysed and counted here."""
    from backfile.search.text import analyse_many

    counted = counted or {}
    found = [counted.get(each) for each in texts]
    missing = [n for n, each in enumerate(found) if each is None]
    for n, analysed in zip(missing, analyse_many([texts[n] for n in missing]), strict=True):
        found[n] = salient_of_analysed(texts[n], analysed)
    return found
