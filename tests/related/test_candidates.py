"""Scoring candidates (`related.candidates.most_alike`): only pairs with a fresh article are
scored, and the lists are those of a plain reading of the definition."""

from __future__ import annotations

import random

import pytest

from backfile.related import candidates
from backfile.related.candidates import MIN_SCORE, most_alike


def reference(postings, fresh, count):
    """most_alike as its docstring reads, pair by pair: each pair of articles of which one
    is fresh, its score the sum over their shared terms (in the terms' order) of the
    products of their weights; each article's `count` best, ties by id."""
    by_article: dict[int, dict[str, float]] = {}
    for pk, term, weight in postings:
        by_article.setdefault(pk, {})[term] = weight
    lists: dict[int, list[tuple[float, int]]] = {}
    ids = sorted(by_article)
    for n, one in enumerate(ids):
        for other in ids[n + 1 :]:
            if one not in fresh and other not in fresh:
                continue
            shared = sorted(by_article[one].keys() & by_article[other].keys())
            if not shared:
                continue
            score = 0.0
            for term in shared:
                score += by_article[one][term] * by_article[other][term]
            if score >= MIN_SCORE:
                lists.setdefault(one, []).append((-score, other))
                lists.setdefault(other, []).append((-score, one))
    return {pk: [(other, -s) for s, other in sorted(found)[:count]] for pk, found in lists.items()}


def random_postings(chooser: random.Random, articles: int, terms: int):
    postings = []
    for pk in chooser.sample(range(1, 10 * articles), articles):
        own = chooser.sample([f"term{t:02d}" for t in range(terms)], chooser.randint(1, 6))
        weights = [chooser.random() for _ in own]
        norm = sum(w * w for w in weights) ** 0.5
        postings += [(pk, term, w / norm) for term, w in zip(own, weights, strict=True)]
    chooser.shuffle(postings)
    return postings


@pytest.mark.parametrize("seed", range(8))
def test_the_lists_are_those_of_the_plain_definition(seed):
    chooser = random.Random(seed)
    postings = random_postings(chooser, articles=chooser.randint(2, 80), terms=25)
    ids = sorted({pk for pk, _term, _weight in postings})
    fresh = set(chooser.sample(ids, chooser.randint(1, len(ids))))
    count = chooser.randint(1, 6)
    found = most_alike(postings, fresh, count)
    assert found == reference(postings, fresh, count)
    assert found  # random articles sharing a few of 25 terms: some are alike


def test_older_articles_sharing_a_term_are_not_paired_with_each_other(monkeypatch):
    # thousands of older articles share a key term with three fresh ones: the pairs scored
    # are the fresh ones' (3 × 2,000 + 3), not every pair of the 2,003 (2 million)
    scored = []

    def counting_pairs(term_index, fresh):
        left, right = pairs(term_index, fresh)
        scored.append(len(left))
        return left, right

    pairs = candidates._pairs
    monkeypatch.setattr(candidates, "_pairs", counting_pairs)
    older = [(pk, "towpath", 0.6) for pk in range(1, 2001)]
    older += [(pk, f"own{pk}", 0.8) for pk in range(1, 2001)]
    fresh_ones = [5001, 5002, 5003]
    postings = older + [(pk, "towpath", 1.0) for pk in fresh_ones]
    found = most_alike(postings, set(fresh_ones), 5)
    assert scored == [3 * 2000 + 3]
    # every fresh article is most like the other fresh ones (1.0), then older ones (0.6)
    assert found[5001] == [(5002, 1.0), (5003, 1.0), (1, 0.6), (2, 0.6), (3, 0.6)]
    # an older one takes in the fresh ones, and no other older one
    assert found[1500] == [(pk, pytest.approx(0.6)) for pk in fresh_ones]
    assert len(found) == 2003
