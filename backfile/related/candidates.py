"""Which articles are like which: key terms by tf-idf, then the articles sharing them.

An article's key terms are its KEY_TERMS salient terms (`terms`) of highest tf-idf,
among those salient in at least two articles (a term no other article has relates
nothing) and in at most RARE_SHARE of them (a common word relates everything, and
would make the pairs to score grow as the square of the archive). Their weights are
scaled to length one, so that two articles' likeness, the sum over their shared key
terms of the products of the weights, is a cosine between 0 and 1.

Pure computation on values: `store` reads and writes the rows. Other evidence of
likeness (shared entities of the authority file, issue 16) can add its own scores to
`alike`'s before `best` picks from them.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable

import numpy as np

KEY_TERMS = 12
RARE_SHARE = 0.03  # of the archive's articles
RARE_AT_LEAST = 20  # articles: in a small archive, "rare" cannot mean fewer than this
MIN_SCORE = 0.05  # below this, two articles share a word or two by chance

KeyTerms = list[tuple[str, float]]


def rare_limit(total: int) -> int:
    """In how many articles at most a term may be salient and still be a key term."""
    return max(RARE_AT_LEAST, int(RARE_SHARE * total))


def key_terms(counts: dict[str, int], frequencies: dict[str, int], total: int) -> KeyTerms:
    """An article's key terms and their weights, best first, from its salient terms'
    `counts`, the number of articles each is salient in, and the archive's article count."""
    limit = rare_limit(total)
    weighted = []
    for term, count in counts.items():
        df = frequencies.get(term, 0)
        if 2 <= df <= limit:
            weighted.append((count * math.log(total / df), term))
    top = heapq.nlargest(KEY_TERMS, weighted)
    norm = math.sqrt(sum(w * w for w, _ in top)) or 1.0
    return [(term, w / norm) for w, term in top]


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
    _, term_index = np.unique(np.array(terms, dtype=str), return_inverse=True)
    order = np.argsort(term_index, kind="stable")
    article_index, term_index = article_index[order], term_index[order]
    weights = np.array(weights, dtype=np.float64)[order]
    # each posting pairs with every posting of its term: ragged ranges, made flat
    starts = np.flatnonzero(np.r_[True, term_index[1:] != term_index[:-1]])
    lengths = np.diff(np.r_[starts, len(term_index)])
    per_posting = np.repeat(lengths, lengths)
    left = np.repeat(np.arange(len(term_index)), per_posting)
    run_start = np.repeat(np.cumsum(per_posting) - per_posting, per_posting)
    right = np.repeat(np.repeat(starts, lengths), per_posting) + np.arange(len(left)) - run_start
    a, b = article_index[left], article_index[right]
    is_fresh = np.isin(article_ids, np.fromiter(fresh, dtype=np.int64, count=len(fresh)))
    keep = (a != b) & (is_fresh[a] | is_fresh[b])
    products = weights[left[keep]] * weights[right[keep]]
    size = len(article_ids)
    pairs, where = np.unique(a[keep] * size + b[keep], return_inverse=True)
    scores = np.bincount(where, weights=products)
    strong = scores >= MIN_SCORE
    pairs, scores = pairs[strong], scores[strong]
    first, second = pairs // size, pairs % size
    order = np.lexsort((article_ids[second], -scores, first))
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


def merged(
    stored: list[tuple[int, float]], new: list[tuple[int, float]], count: int
) -> list[tuple[int, float]]:
    """An article's stored list with new candidates taken in (a new score for the same
    article replaces the stored one): the `count` best, best first."""
    scores = dict(stored) | dict(new)
    chosen = heapq.nsmallest(count, ((-s, pk) for pk, s in scores.items() if s >= MIN_SCORE))
    return [(pk, -s) for s, pk in chosen]
