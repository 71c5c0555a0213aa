"""Which articles are like which: key terms by tf-idf, then the articles sharing them.

An article's key terms are its KEY_TERMS salient terms (`terms`) of highest tf-idf,
among those salient in at least two articles (a term no other article has relates
nothing) and in at most RARE_SHARE of them (a common word relates everything, and
would make the pairs to score grow as the square of the archive). Their weights are
scaled to length one, so that two articles' likeness, the sum over their shared key
terms of the products of the weights, is a cosine between 0 and 1.

The entries of the authority file an article mentions (issue 16) are key terms of
their own (`key_entities`): its KEY_ENTITIES entries of highest tf-idf (how often it
mentions each, dampened, times how rare the entry is among the archive's articles:
a person two articles mention says more than a country thousands do), within the
same bounds of rarity, scaled to length sqrt(ENTITY_WEIGHT). The two kinds are scored
in one pass, so an article pair's score is

    text cosine + ENTITY_WEIGHT × entity cosine        (0 to 1 + ENTITY_WEIGHT)

Two articles on different topics that both name a rare person are related by it alone
(a whole half where each names only that one); two pieces on the same subject in
the same words (a cosine near 1) still come before a piece that only shares a name.

Pure computation on values: `store` reads and writes the rows.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable

import numpy as np

KEY_TERMS = 12
KEY_ENTITIES = 8
ENTITY_WEIGHT = 0.5  # a shared entity's part of a score, beside the text's (see above)
ENTITY_TERM = "entry:{}"  # an entry as a key term: never a word's term (those have no colon)
RARE_SHARE = 0.03  # of the archive's articles
RARE_AT_LEAST = 20  # articles: in a small archive, "rare" cannot mean fewer than this
MIN_SCORE = 0.05  # below this, two articles share a word or two by chance

KeyTerms = list[tuple[str, float]]


def rare_limit(total: int) -> int:
    """In how many articles at most a term may be salient and still be a key term."""
    return max(RARE_AT_LEAST, int(RARE_SHARE * total))


def rarity(frequencies: dict[str, int], total: int) -> dict[str, float]:
    """The terms that may be key terms, each with the log of how rare it is (tf-idf's idf),
    from the number of articles each term is salient in and the archive's article count."""
    limit = rare_limit(total)
    return {term: math.log(total / df) for term, df in frequencies.items() if 2 <= df <= limit}


def key_terms(
    counts: Iterable[tuple[str, int | float | str]], rare: dict[str, float], keep: int = KEY_TERMS
) -> KeyTerms:
    """An article's `keep` key terms and their weights, best first, from its salient terms
    and how often it uses each (`counts`: a number, or its digits), and the `rarity` of
    the archive's terms."""
    weighted = [
        (float(count) * idf, term) for term, count in counts if (idf := rare.get(term)) is not None
    ]
    top = heapq.nlargest(keep, weighted)
    norm = math.sqrt(sum(w * w for w, _ in top)) or 1.0
    return [(term, w / norm) for w, term in top]


def key_entities(
    mentions: Iterable[tuple[int, int, int]], frequencies: dict[int, int], total: int
) -> dict[int, KeyTerms]:
    """Articles' entries as key terms (ENTITY_TERM), weighted to length sqrt(ENTITY_WEIGHT),
    from their `mentions` (article id, entry id, times) and in how many articles each
    entry is mentioned (`frequencies`), of `total` articles."""
    rare = rarity({ENTITY_TERM.format(e): n for e, n in frequencies.items()}, total)
    mentioned: dict[int, list[tuple[str, float]]] = {}
    for article, entry, times in mentions:
        tf = 1.0 + math.log(max(times, 1))
        mentioned.setdefault(article, []).append((ENTITY_TERM.format(entry), tf))
    scale = math.sqrt(ENTITY_WEIGHT)
    found = {}
    for article, counts in mentioned.items():
        if keys := key_terms(counts, rare, KEY_ENTITIES):
            found[article] = [(term, weight * scale) for term, weight in keys]
    return found


def most_alike(
    postings: Iterable[tuple[int, str, float]], fresh: set[int], count: int
) -> dict[int, list[tuple[int, float]]]:
    """For each article sharing a key term with one in `fresh`: its `count` most alike
    among the pairs with a fresh article, best first (ties by id), none below MIN_SCORE.

    `postings` are (article id, key term, weight) of the fresh articles and of every
    other article sharing one of their key terms. Vectorised: an ingest of a whole
    archive scores millions of pairs."""
    rows = list(postings)
    if not rows:
        return {}
    ids, terms, weights = zip(*rows, strict=True)
    article_ids, article_index = np.unique(np.array(ids, dtype=np.int64), return_inverse=True)
    # each term's place in the sorted order of the terms (a dict: numpy's string arrays
    # took longer to make and sort)
    codes = {term: n for n, term in enumerate(sorted(set(terms)))}
    term_index = np.fromiter(map(codes.__getitem__, terms), dtype=np.int64, count=len(terms))
    is_fresh = np.isin(article_ids, np.fromiter(fresh, dtype=np.int64, count=len(fresh)))
    # by term, and within a term the fresh articles' postings first
    order = np.lexsort((~is_fresh[article_index], term_index))
    article_index, term_index = article_index[order], term_index[order]
    weights = np.array(weights, dtype=np.float64)[order]
    left, right = _pairs(term_index, is_fresh[article_index])
    a, b = article_index[left], article_index[right]
    a, b = np.minimum(a, b), np.maximum(a, b)
    keep = a != b
    products = weights[left[keep]] * weights[right[keep]]
    size = len(article_ids)
    pairs, where = np.unique(a[keep] * size + b[keep], return_inverse=True)
    scores = np.bincount(where, weights=products)
    strong = scores >= MIN_SCORE
    pairs, scores = pairs[strong], scores[strong]
    # both ways round, each article's partners in the order of their ids (article_ids is
    # sorted): those before it (mirrored), then those after it
    pairs, scores = np.r_[pairs % size * size + pairs // size, pairs], np.r_[scores, scores]
    first, second = pairs // size, pairs % size
    # by article, and for each best first, ties by id: one stable sort of (article, -score),
    # as complex numbers sort (by the real part, then the imaginary)
    by_article = np.empty(len(first), dtype=np.complex128)
    by_article.real, by_article.imag = first, -scores
    order = np.argsort(by_article, kind="stable")
    first, second, scores = first[order], second[order], scores[order]
    group_start = np.flatnonzero(np.r_[True, first[1:] != first[:-1]])
    rank = np.arange(len(first)) - np.repeat(group_start, np.diff(np.r_[group_start, len(first)]))
    chosen = rank < count
    found: dict[int, list[tuple[int, float]]] = {}
    for one, other, score in zip(
        article_ids[first[chosen]].tolist(),
        article_ids[second[chosen]].tolist(),
        scores[chosen].tolist(),
        strict=True,
    ):
        found.setdefault(one, []).append((other, score))
    return found


def _pairs(term_index: np.ndarray, fresh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of postings to score, as (left, right) indexes: each fresh article's
    posting with every later posting of its term. Postings are sorted by term, and within
    a term the fresh ones first, so the pairs are those of two fresh articles and of a
    fresh article with an older one, never two older ones (a term 6,000 older articles
    share would make 18 million pairs, none of them wanted). An article has a key term
    once, so the two of a pair are two articles. Ragged ranges, made flat."""
    ends = np.repeat(*_runs(term_index))
    later = np.where(fresh, ends - np.arange(len(term_index)) - 1, 0)
    left = np.repeat(np.arange(len(term_index)), later)
    right = left + 1 + np.arange(len(left)) - np.repeat(np.cumsum(later) - later, later)
    return left, right


def _runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal values in a sorted array ends (its last index + 1), and
    how long it is."""
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    lengths = np.diff(np.r_[starts, len(values)])
    return starts + lengths, lengths


def merged(
    stored: list[tuple[int, float]], new: list[tuple[int, float]], count: int
) -> list[tuple[int, float]]:
    """An article's stored list with new candidates taken in (a new score for the same
    article replaces the stored one): the `count` best, best first."""
    scores = dict(stored) | dict(new)
    chosen = heapq.nsmallest(count, ((-s, pk) for pk, s in scores.items() if s >= MIN_SCORE))
    return [(pk, -s) for s, pk in chosen]
