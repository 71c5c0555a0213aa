"""Known-item search: does a few words of a headline find that article at the top?

    .venv/bin/python bench/known_items.py [--db var/bench/socialist-worker.sqlite3] [--sample 400]

For a seeded sample of articles, a reader's half-remembered headline is searched
(the whole headline if it has five words or fewer, otherwise a run of four of its
words), and the reciprocal rank of the article in the results is recorded (0 when
not in the first 100). Articles whose headline is shared with another article
(`Letters`, a recurring column's name) are left out, since no search can tell
them apart by headline; how many is printed. The database is the one
bench/search.py builds; its floor here is the best possible score, 1.0.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
DEFAULT_DB = REPO / "var" / "bench" / "socialist-worker.sqlite3"
RUN_WORDS = 4
DEPTH = 100


def remembered_words(title: str, rng: random.Random) -> str:
    """What a reader recalls of a headline: all of a short one, four words of a long one."""
    words = title.split()
    if len(words) <= RUN_WORDS + 1:
        return title
    start = rng.randrange(len(words) - RUN_WORDS + 1)
    return " ".join(words[start : start + RUN_WORDS])


def reciprocal_rank(article_id: int, q: str) -> float:
    """1/rank of the article in the results as a reader pages through them (0 past DEPTH)."""
    from backfile.search.backends import PER_PAGE, search

    for page in range(1, DEPTH // PER_PAGE + 1):
        results = search(q, page=page)
        for rank, hit in enumerate(results.hits, start=(page - 1) * PER_PAGE + 1):
            if hit.article.pk == article_id:
                return 1 / rank
        if page >= results.pages:
            break
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--sample", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1937)
    parser.add_argument(
        "--tier-from",
        type=int,
        help="rank results larger than this headline tier first, as an archive of "
        "250,000 articles ranks its large results (default: the search's own threshold)",
    )
    options = parser.parse_args()
    if not options.db.exists():
        sys.exit(f"bench/known_items.py: {options.db} not found; run bench/search.py first")
    from search import setup_django

    setup_django(options.db)
    if options.tier_from is not None:
        from backfile.search import backends

        backends.TIER_FROM = options.tier_from
    from backfile.archive.models import Article
    from backfile.search.text import index_text

    articles = list(Article.objects.values_list("pk", "title"))
    headline_counts = Counter(index_text(title).terms for _pk, title in articles)
    distinct = [(pk, t) for pk, t in articles if headline_counts[index_text(t).terms] == 1]
    rng = random.Random(options.seed)
    sample = rng.sample(distinct, min(options.sample, len(distinct)))
    ranks = []
    misses = []
    for pk, title in sample:
        q = remembered_words(title, rng)
        rr = reciprocal_rank(pk, q)
        ranks.append(rr)
        if rr < 1:
            misses.append((rr, q, title))
    mrr = statistics.mean(ranks)
    print(
        f"{len(articles):,} articles; {len(articles) - len(distinct):,} share a headline and are left out"
    )
    from backfile.search.backends import TIER_FROM

    print(f"known-item searches: {len(sample)}, from a few words of the headline")
    print(f"  results over {TIER_FROM:,} matches ranked headline tier first")
    print(f"  mean reciprocal rank: {mrr:.3f}  (floor: a perfect 1.000; target ≥ 0.9)")
    print(f"  found first: {sum(r == 1 for r in ranks) / len(ranks):.1%}")
    print(f"  in the top 10: {sum(r >= 0.1 for r in ranks) / len(ranks):.1%}")
    print(f"  not in the first {DEPTH}: {sum(r == 0 for r in ranks)}")
    for rr, q, title in sorted(misses)[:10]:
        print(f"    rr {rr:.2f}  {q!r}  ← {title!r}")


if __name__ == "__main__":
    main()
