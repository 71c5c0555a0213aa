"""Related articles, computed when articles are stored, never when a page is read.

Three tables keep what the computation needs between ingests, so that each run
computes only for the articles it stored (`backfile.related.store`):

- ArticleTerms: an article's salient terms (`terms.salient_of_articles`) and their counts, as
  the loader stored it, and how far the computation has come with them (`stage`);
- TermFrequency: in how many articles each term is salient (the `df` of tf-idf);
- KeyTerm: an article's few key terms, each with its weight: what it shares with others
  (the entries of the authority file it mentions among them, as `entry:<id>`).

RelatedArticle holds the result the article page shows: up to RELATED_PER_ARTICLE
rows an article, best first.
"""

from __future__ import annotations

from django.db import models

from backfile.archive.models import Article

RELATED_PER_ARTICLE = 5


class ArticleTerms(models.Model):
    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="related_terms"
    )
    terms = models.TextField(help_text="Salient terms, space-separated.")
    counts = models.TextField(help_text="How often each is used, space-separated, in order.")
    NEW, COUNTED, RELATED = 0, 1, 2
    STAGES = [
        (NEW, "new: not yet in the term frequencies"),
        (COUNTED, "counted in the term frequencies"),
        (RELATED, "key terms and related articles stored"),
    ]
    stage = models.PositiveSmallIntegerField(choices=STAGES, default=NEW, db_index=True)

    def as_dict(self) -> dict[str, int]:
        return dict(zip(self.terms.split(), map(int, self.counts.split()), strict=True))


class TermFrequency(models.Model):
    term = models.CharField(max_length=60, primary_key=True)
    articles = models.IntegerField(default=0)


class KeyTerm(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=60, db_index=True)
    weight = models.FloatField()


class RelatedArticle(models.Model):
    """`related` is one of the articles most like `article` (rank 1 the most); `score` is
    how alike: the cosine of their key terms' weights, plus ENTITY_WEIGHT times that of
    the entries they mention (`candidates`: 0 to 1.5)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_rows")
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["article", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="related_pair_unique")
        ]
