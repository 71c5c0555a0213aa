"""Related articles from the entries of the authority file two articles mention, beside
their words: a rare person both name relates two pieces on different topics, and never
outweighs two pieces on the same subject in the same words.

The Lamplighter's pieces (`test_related_pages`) and Tobias Wrenfield are invented."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from backfile.archive.models import Article
from backfile.archive.signals import articles_changed
from backfile.authority.models import PERSON, Entry, Mention
from backfile.related.candidates import ENTITY_WEIGHT, key_entities
from backfile.related.models import KeyTerm, RelatedArticle
from backfile.search.index import body_text
from tests.helpers.served import write_jsonl
from tests.related.test_related_pages import FIRST_RUN, piece, related_titles, url

pytestmark = pytest.mark.django_db

WRENFIELD = "Tobias Wrenfield"
# a lighthouse piece and an orchard piece that share no topic, each naming him once
NAMING = {
    "Lantern and Lens": "Tobias Wrenfield kept this light.",
    "Grafting Season": "Tobias Wrenfield sent the scions.",
}


def records(naming: dict[str, str]):
    """The first run's pieces, those in `naming` with its sentence added."""
    found = []
    for record in FIRST_RUN:
        if record.title in naming:
            record = piece(
                record.title,
                "lighthouse" if "Lens" in record.title else "orchard",
                record.issue,
                record.position,
                naming[record.title],
            )
        found.append(record)
    return found


def person(name: str) -> Entry:
    return Entry.objects.create(
        type=PERSON, name=name, slug=name.lower().replace(" ", "-"),
        key=name.lower(), letter=name[0].lower(),
    )  # fmt: skip


def mention(entry: Entry, articles) -> None:
    Mention.objects.bulk_create(
        [Mention(article=a, entry=entry, count=1) for a in articles], ignore_conflicts=True
    )


@pytest.fixture
def linking():
    """A stand-in for the authority file's linking: in each batch's write transaction, a
    mention of every entry whose name an article's body has."""
    entries = []

    def link(sender, articles, **kwargs):
        for entry in entries:
            mention(entry, [a for a in articles if entry.name in body_text(a.blocks)])

    articles_changed.connect(link, dispatch_uid="tests.related.linking")
    yield entries
    articles_changed.disconnect(dispatch_uid="tests.related.linking")


def pages(client):
    return {
        "lantern": related_titles(client, url("Lantern and Lens", "june", 150)),
        "grafting": related_titles(client, url("Grafting Season", "july", 151)),
    }


def test_two_pieces_on_different_topics_naming_a_rare_person_are_related(
    client, ingest_paths, tmp_path, linking
):
    linking.append(person(WRENFIELD))
    ingest_paths(write_jsonl(tmp_path / "run.jsonl", records(NAMING)))
    assert Mention.objects.count() == 2
    shown = pages(client)
    assert "Grafting Season" in shown["lantern"]
    assert "Lantern and Lens" in shown["grafting"]
    # the pieces in the same words as each of them still come first
    assert shown["lantern"][0] == "Winter at the Light"
    assert shown["grafting"][0] == "Quince Stock"


def test_without_the_entry_their_few_shared_words_relate_them_not(client, ingest_paths, tmp_path):
    ingest_paths(write_jsonl(tmp_path / "run.jsonl", records(NAMING)))
    shown = pages(client)
    assert "Grafting Season" not in shown["lantern"]
    assert "Lantern and Lens" not in shown["grafting"]


def test_a_shared_entry_adds_its_weight_to_the_text_score(client, ingest_paths, tmp_path):
    # the mix: score = text cosine + ENTITY_WEIGHT × entity cosine; two articles that each
    # name only the one entry have an entity cosine of 1
    ingest_paths(write_jsonl(tmp_path / "run.jsonl", records(NAMING)))
    towpath, keeper = (Article.objects.get(title=t) for t in ("Mending the Towpath",
                                                              "A Keeper at the Lock"))  # fmt: skip
    text_only = RelatedArticle.objects.get(article=towpath, related=keeper).score
    lantern, grafting = (Article.objects.get(title=t) for t in NAMING)
    mention(person(WRENFIELD), [lantern, grafting])
    mention(person("Ada Lockwood"), [towpath, keeper])
    call_command("related", "--rebuild", verbosity=0)
    both = RelatedArticle.objects.get(article=towpath, related=keeper).score
    assert both == pytest.approx(text_only + ENTITY_WEIGHT)
    entity_only = RelatedArticle.objects.get(article=grafting, related=lantern).score
    assert entity_only == pytest.approx(text_cosine(grafting, lantern) + ENTITY_WEIGHT)
    assert entity_only < text_only  # two pieces in the same words beat a shared name


def text_cosine(one: Article, other: Article) -> float:
    def weights(article):
        rows = KeyTerm.objects.filter(article=article).exclude(term__startswith="entry:")
        return dict(rows.values_list("term", "weight"))

    mine, theirs = weights(one), weights(other)
    return sum(w * theirs[t] for t, w in mine.items() if t in theirs)


def test_older_articles_given_mentions_later_are_related_again(client, ingest_paths, tmp_path):
    ingest_paths(write_jsonl(tmp_path / "run.jsonl", records(NAMING)))
    assert "Grafting Season" not in pages(client)["lantern"]  # and the page is cached
    # an editor adds the entry: the linking finds the two articles (through the search
    # index) and says so, and their lists are made again by the next refresh
    Entry.objects.create(type=PERSON, name=WRENFIELD)
    assert Mention.objects.filter(entry__name=WRENFIELD).count() == 2
    call_command("related", verbosity=0)
    assert "Grafting Season" in pages(client)["lantern"]
    assert "Lantern and Lens" in pages(client)["grafting"]


def test_an_entry_most_articles_mention_relates_none():
    # like a common word: in a few articles of a thousand it relates them, in most none
    mentions = [(1, 7, 3), (2, 7, 1)]
    rare = key_entities(mentions, {7: 2}, total=1000)
    assert set(rare) == {1, 2}
    assert key_entities(mentions, {7: 900}, total=1000) == {}
