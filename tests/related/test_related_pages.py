"""Related articles: computed when an ingest run ends, from the rare terms articles share,
and shown on the article page without computing anything there.

Every article here is invented for these tests: *The Lamplighter*'s canal, lighthouse
and orchard pieces share words within their topic and hardly any across.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from backfile.archive.models import Article
from backfile.ingest.records import IssueRecord, ReviewedWork
from backfile.related.models import ArticleTerms, RelatedArticle
from tests.archive.conftest import LAMPLIGHTER, paragraph
from tests.archive.pages import fetch, one, text_of
from tests.helpers.records import invented_record
from tests.helpers.served import write_jsonl

pytestmark = pytest.mark.django_db

JUNE = IssueRecord(year=1957, number=150, month=6)
JULY = IssueRecord(year=1957, number=151, month=7)
AUGUST = IssueRecord(year=1957, number=152, month=8)

TOPICS = {
    "canal": "The lock keeper opened the sluice gates while the narrowboat waited at the "
    "towpath; the lock keeper says the sluice and the towpath need mending before the "
    "narrowboat traffic of summer.",
    "lighthouse": "The lighthouse keeper trimmed the lantern wick and wound the clockwork "
    "that turns the lens; a lighthouse lantern and its lens need a keeper through every "
    "gale.",
    "orchard": "The orchard growers grafted the pippin scions onto quince rootstock; a "
    "pippin orchard on quince rootstock bears in its third summer if the grafting takes.",
}
FILLER = "Readers wrote to us about it, and we print their letters below as they came."


def piece(title: str, topic: str, issue: IssueRecord, position: int, extra: str = ""):
    return invented_record(
        LAMPLIGHTER,
        issue,
        title,
        position=position,
        blocks=[paragraph(TOPICS[topic]), paragraph(f"{extra} {FILLER}".strip())],
    )


FIRST_RUN = [
    piece("Mending the Towpath", "canal", JUNE, 1, "The narrowboat men agree."),
    piece("A Keeper at the Lock", "canal", JUNE, 2, "The sluice leaks again."),
    piece("Lantern and Lens", "lighthouse", JUNE, 3, "The lantern burns paraffin."),
    piece("Winter at the Light", "lighthouse", JULY, 1, "The gale broke a lens pane."),
    piece("Grafting Season", "orchard", JULY, 2, "The scions came from Kent."),
    piece("Quince Stock", "orchard", JULY, 3, "The rootstock is hardy."),
]


def url(title: str, month: str, number: int) -> str:
    slug = title.lower().replace(" ", "-")
    return f"/the-lamplighter/1950s/1957/no-{number}-{month}-1957/{slug}/"


def related_titles(client, address: str) -> list[str]:
    page = fetch(client, address)
    found = page.xpath("//aside[@aria-labelledby='related-heading']//li/a")
    return [text_of(a) for a in found]


@pytest.fixture
def first_run(ingest_paths, tmp_path):
    report = ingest_paths(write_jsonl(tmp_path / "first.jsonl", FIRST_RUN))
    assert report.count("failed") == 0, report.entries
    return report


def test_related_articles_share_the_topic_and_link_to_it(client, first_run):
    page = fetch(client, url("Mending the Towpath", "june", 150))
    aside = one(page, "//aside[@aria-labelledby='related-heading']")
    assert text_of(one(aside, ".//h2")) == "Related articles"
    # best first: the piece on the same topic (a word shared across topics, `keeper`,
    # `summer`, may bring another after it)
    assert related_titles(client, url("Mending the Towpath", "june", 150))[0] == (
        "A Keeper at the Lock"
    )
    assert related_titles(client, url("Lantern and Lens", "june", 150))[0] == (
        "Winter at the Light"
    )
    assert related_titles(client, url("Quince Stock", "july", 151))[0] == "Grafting Season"
    first = aside.xpath(".//li")[0]
    link = one(first, "./a")
    assert link.get("href") == url("A Keeper at the Lock", "june", 150)
    assert text_of(first) == "A Keeper at the Lock The Lamplighter, No. 150, June 1957"
    fetch(client, link.get("href"))


def test_related_come_after_the_pager_and_before_the_citations(client, first_run):
    page = fetch(client, url("Mending the Towpath", "june", 150))
    names = [el.get("class") or el.tag for el in page.xpath("//article/*")]
    assert names.index("issue-pager") < names.index("related-articles")
    assert names.index("related-articles") < names.index("cite-article")


def test_an_article_alike_to_none_shows_no_related_section(client, ingest_paths, tmp_path):
    alone = invented_record(
        LAMPLIGHTER, JUNE, "A Solitary Note", position=1, blocks=[paragraph("Nothing shared.")]
    )
    ingest_paths(write_jsonl(tmp_path / "alone.jsonl", [alone]))
    page = fetch(client, url("A Solitary Note", "june", 150))
    assert not page.xpath("//aside[@aria-labelledby='related-heading']")


def test_a_later_ingest_relates_its_articles_and_older_pages_take_them_in(
    client, first_run, ingest_paths, tmp_path
):
    older = url("Mending the Towpath", "june", 150)
    assert "Sluice Gates Renewed" not in related_titles(client, older)  # now in the page cache
    computed = set(ArticleTerms.objects.values_list("article_id", flat=True))
    later = [piece("Sluice Gates Renewed", "canal", AUGUST, 1, "The towpath reopens.")]
    ingest_paths(write_jsonl(tmp_path / "later.jsonl", later))
    newest = url("Sluice Gates Renewed", "august", 152)
    assert set(related_titles(client, newest)[:2]) == {
        "Mending the Towpath",
        "A Keeper at the Lock",
    }
    # the older canal pages list the new piece (the page cache did not keep the old list)
    assert "Sluice Gates Renewed" in related_titles(client, older)
    assert "Sluice Gates Renewed" not in related_titles(client, url("Quince Stock", "july", 151))
    # only the new article's terms were worked out
    added = set(ArticleTerms.objects.values_list("article_id", flat=True)) - computed
    assert [a.title for a in Article.objects.filter(pk__in=added)] == ["Sluice Gates Renewed"]


def test_a_repeated_ingest_changes_nothing(client, first_run, ingest_paths, tmp_path):
    before = sorted(RelatedArticle.objects.values_list("article_id", "related_id", "rank"))
    report = ingest_paths(write_jsonl(tmp_path / "again.jsonl", FIRST_RUN))
    assert report.count("unchanged") == len(FIRST_RUN)
    assert sorted(RelatedArticle.objects.values_list("article_id", "related_id", "rank")) == before


def test_rebuild_computes_the_same_lists_from_the_text(client, first_run):
    before = sorted(RelatedArticle.objects.values_list("article_id", "related_id", "rank"))
    call_command("related", "--rebuild", verbosity=0)
    assert sorted(RelatedArticle.objects.values_list("article_id", "related_id", "rank")) == before
    assert related_titles(client, url("Grafting Season", "july", 151))[0] == "Quince Stock"


def test_articles_stored_outside_an_ingest_run_are_related_by_the_command(client, first_run):
    from backfile.ingest.loader import load

    load([piece("Narrowboat Winter", "canal", AUGUST, 1, "The sluice froze.")])  # no run end
    address = url("Narrowboat Winter", "august", 152)
    assert related_titles(client, address) == []
    call_command("related", verbosity=0)
    assert "Mending the Towpath" in related_titles(client, address)


def test_the_article_page_reads_related_articles_in_one_query(
    client, first_run, django_assert_max_num_queries
):
    # the cache's generation, the page's 5 (related among them), 3 at the issue's edge
    # (the first article of the run's first issue: the next issue has one), 3 below
    with django_assert_max_num_queries(12):
        page = fetch(client, url("Lantern and Lens", "june", 150))
    assert page.xpath("//aside[@aria-labelledby='related-heading']//li")


def test_an_article_whose_source_changed_is_related_again(
    client, first_run, ingest_paths, tmp_path
):
    address = url("Quince Stock", "july", 151)
    assert related_titles(client, address)[0] == "Grafting Season"
    changed = piece("Quince Stock", "canal", JULY, 3, "The lock keeper grows quince.")
    report = ingest_paths(write_jsonl(tmp_path / "changed.jsonl", [changed]))
    assert report.count("updated") == 1
    assert set(related_titles(client, address)[:2]) == {
        "Mending the Towpath",
        "A Keeper at the Lock",
    }
    assert ArticleTerms.objects.filter(stage__lt=ArticleTerms.RELATED).count() == 0


SYLLABLES = ["bra", "cle", "dro", "fen", "gul", "hask", "lom", "mirt", "nov", "pell"]


def made_up_word(n: int) -> str:
    """A word no dictionary has, one for each n (letters only: numbers are never terms)."""
    return "".join(SYLLABLES[int(digit)] for digit in f"{n:03d}")


def test_a_large_batch_counted_in_the_worker_processes_relates_as_a_rebuild_does(
    client, ingest_paths, tmp_path, monkeypatch
):
    # 150 articles: the loader's first batch (100) is analysed, and its salient terms
    # counted, in the ingest's worker processes (search.index.PARALLEL_ANALYSIS_AFTER);
    # `related --rebuild` counts every article's terms again from its text, here. Each
    # has a standfirst and a reviewed work (read with it), which the two must read alike.
    from backfile.related import store
    from backfile.search import index

    topics = list(TOPICS)
    records = []
    for n in range(150):
        shared = " ".join([made_up_word(n // 5)] * 2 + [made_up_word(500 + n // 7)] * 2)
        records.append(
            invented_record(
                LAMPLIGHTER,
                AUGUST,
                f"Dispatch {made_up_word(n)}",
                position=n + 1,
                standfirst=f"From our {made_up_word(700 + n // 10)} correspondent",
                reviewed_works=[ReviewedWork(title=f"The {made_up_word(800 + n // 6)} Papers")],
                blocks=[paragraph(TOPICS[topics[n % 3]]), paragraph(f"{shared}. {FILLER}")],
            )
        )
    # what was analysed where, and which articles' terms this process had to count itself
    analysed = []
    counted_here = []
    analysis_of, salient_of_articles = index.analysis_of, store.salient_of_articles

    def noting_analysis(batch, workers=None, analyse=index.analyse_many):
        analysed.append((len(batch), workers is not None))
        return analysis_of(batch, workers, analyse)

    def noting_counts(texts, counted=None):
        counted_here.extend(each[0] for each in texts if each not in (counted or {}))
        return salient_of_articles(texts, counted)

    monkeypatch.setattr(index, "analysis_of", noting_analysis)
    monkeypatch.setattr(store, "salient_of_articles", noting_counts)
    report = ingest_paths(write_jsonl(tmp_path / "many.jsonl", records))
    assert report.count("added") == 150
    assert (100, True) in analysed  # the first batch, in the worker processes
    assert counted_here == []  # every article's terms came back counted with its analysis
    monkeypatch.undo()

    def stored():
        terms = sorted(ArticleTerms.objects.values_list("article_id", "terms", "counts"))
        lists = sorted(RelatedArticle.objects.values_list("article_id", "related_id", "rank"))
        return terms, lists

    at_ingest = stored()
    assert len(at_ingest[1]) >= 150 * 4  # articles sharing made-up words are related
    call_command("related", "--rebuild", verbosity=0)
    assert stored() == at_ingest
    first = related_titles(client, url(f"Dispatch {made_up_word(0)}", "august", 152))
    assert set(first[:4]) == {f"Dispatch {made_up_word(n)}" for n in range(1, 5)}


def test_a_run_related_in_small_batches_keeps_the_lists_of_one_batch(
    client, ingest_paths, tmp_path, monkeypatch
):
    # memory: `refresh` relates RELATE_BATCH articles at a time (a 200,000-post import
    # held every article's terms at once); each batch is scored against the key terms of
    # all, so lists made in batches of 7 are the lists made in one
    from backfile.related import store

    records = [
        invented_record(
            LAMPLIGHTER,
            AUGUST,
            f"Notice {made_up_word(n)}",
            position=n + 1,
            blocks=[paragraph(f"{' '.join([made_up_word(n // 4)] * 3)}. {FILLER}")],
        )
        for n in range(40)
    ]
    ingest_paths(write_jsonl(tmp_path / "notices.jsonl", records))
    in_one = sorted(RelatedArticle.objects.values_list("article_id", "related_id", "rank"))
    assert len(in_one) >= 40 * 3

    monkeypatch.setattr(store, "RELATE_BATCH", 7)
    call_command("related", "--rebuild", verbosity=0)
    assert sorted(RelatedArticle.objects.values_list("article_id", "related_id", "rank")) == (
        in_one
    )
