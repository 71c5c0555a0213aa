"""An ingest and `related --rebuild` read an article's salient terms from the same texts
(those the search index reads: the standfirst with the summary and the reviewed works),
so a rebuild stores what the ingest stored."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from backfile.ingest.records import ReviewedWork
from backfile.related.models import ArticleTerms, RelatedArticle
from tests.archive.conftest import LAMPLIGHTER, paragraph
from tests.helpers.records import invented_record
from tests.helpers.served import write_jsonl
from tests.related.test_related_pages import FIRST_RUN, JULY, related_titles, url

pytestmark = pytest.mark.django_db


def review(title: str, work: str, author: str, position: int):
    """A review whose reviewed work's words are canal words: they count only where the
    work is read with the standfirst."""
    return invented_record(
        LAMPLIGHTER,
        JULY,
        title,
        position=position,
        kicker="Books of the month",
        standfirst="A new history, reviewed",
        summary="Read by our reviewer.",
        reviewed_works=[ReviewedWork(title=work, author=author, publisher="Slate Press")],
        blocks=[paragraph("The author writes plainly, and the index is good.")],
    )


REVIEWS = [
    review("On the Cut", "Narrowboat and Towpath: the Sluice Keepers", "Ada Lockwood", 4),
    review("Among the Growers", "Pippin and Quince: an Orchard Year", "Ned Scion", 5),
]


def stored():
    terms = sorted(ArticleTerms.objects.values_list("article_id", "terms", "counts"))
    lists = sorted(RelatedArticle.objects.values_list("article_id", "related_id", "rank"))
    return terms, lists


def test_a_rebuild_stores_the_terms_and_lists_the_ingest_stored(client, ingest_paths, tmp_path):
    report = ingest_paths(write_jsonl(tmp_path / "run.jsonl", FIRST_RUN + REVIEWS))
    assert report.count("added") == len(FIRST_RUN) + len(REVIEWS)
    # the reviewed work's words relate the review to its topic's articles
    assert "Mending the Towpath" in related_titles(client, url("On the Cut", "july", 151))
    at_ingest = stored()
    call_command("related", "--rebuild", verbosity=0)
    assert stored() == at_ingest
    assert "Mending the Towpath" in related_titles(client, url("On the Cut", "july", 151))
