"""Mention linking: articles written through the loader or the desk, entries and aliases
saved as an editor would save them, and the Mention rows that follow, in the same
transaction. Runs on SQLite and on PostgreSQL (BACKFILE_DB=postgres://…), where the
articles an entry's change concerns are found through each backend's search index."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils.text import slugify

from backfile.archive.models import Article
from backfile.authority import linking
from backfile.authority.models import PERSON, PLACE, Alias, Entry, Mention
from backfile.authority.names import name_key
from backfile.ingest.loader import load
from tests.conftest import corpus_path
from tests.editing.helpers import errors, open_body, press, row_with
from tests.replies.helpers import article_record, create_editor, sign_in

pytestmark = pytest.mark.django_db

REFERENCE = ("socialist-standard", "000_a351202cb116f3a4.txt")
ORGANISATION = "organisation"


def entry(name: str, type: str = PERSON, aliases: tuple[str, ...] = (), **fields) -> Entry:
    """An entry saved as an editor saves one (each alias saved after it)."""
    made = Entry(type=type, name=name, slug=slugify(name) or "x", key=name_key(name), **fields)
    made.letter = made.key[:1]
    made.save()
    for alias in aliases:
        Alias(entry=made, name=alias, key=name_key(alias)).save()
    return made


def mentioned(article: Article) -> dict[str, int]:
    """The article's mentions: entry name → count."""
    return dict(
        Mention.objects.filter(article=article).values_list("entry__name", "count").order_by()
    )


def stored(key: str, *paragraphs: str, **fields) -> Article:
    record = article_record(key=key, paragraphs=paragraphs, **fields)
    report = load([record])
    assert report.count("failed") == 0, report.entries
    return Article.objects.get(key=key)


def fresh_links() -> set[tuple[int, int, int, str]]:
    """Every mention as linking the whole archive afresh makes it."""
    rows = lambda: set(  # noqa: E731
        Mention.objects.values_list("article_id", "entry_id", "count", "sentence")
    )
    before = rows()
    linking.link_all()
    after = rows()
    return before, after


REFERENCE_ENTRIES = [
    ("Victor Serge", PERSON, ("Serge",)),
    ("V. I. Lenin", PERSON, ("Lenin",)),
    ("Joseph Stalin", PERSON, ("Stalin",)),
    ("Leon Trotsky", PERSON, ("Trotsky",)),
    ("Grigory Zinoviev", PERSON, ("Zinoviev",)),
    ("Lev Kamenev", PERSON, ("Kamenev",)),
    ("Kazan", PLACE, ()),
    ("Kronstadt", PLACE, ("Kronshtadt",)),
    ("Tambov", PLACE, ()),
    ("Warsaw", PLACE, ()),
    ("P.O.U.M.", ORGANISATION, ("POUM", "Workers' Party of Marxist Unification")),
]


@pytest.mark.corpus
def test_the_reference_review_links_its_people_places_and_party_once_they_are_entries(
    ingest_paths,
):
    report = ingest_paths(corpus_path(*REFERENCE))
    assert report.count("added") == 1, report.entries
    review = Article.objects.get()
    assert mentioned(review) == {}
    for name, type, aliases in REFERENCE_ENTRIES:
        entry(name, type, aliases)
    found = mentioned(review)
    assert set(found) == {name for name, _type, _aliases in REFERENCE_ENTRIES}
    assert found["V. I. Lenin"] >= 10  # Lenin, Lenin's …, not Leningrad
    assert found["Leon Trotsky"] == 3  # twice by name, once as Trotskyists
    assert found["Grigory Zinoviev"] == 2
    for mention in Mention.objects.filter(article=review).select_related("entry"):
        assert 0 < len(mention.sentence) <= linking.SENTENCE_LENGTH + 2
        assert mention.sort_key == 19370900  # September 1937
    kazan = Mention.objects.get(article=review, entry__name="Kazan").sentence
    assert "Kazan" in kazan and "Trotsky" not in kazan  # the sentence, not the paragraph
    poum = Mention.objects.get(article=review, entry__name="P.O.U.M.").sentence
    assert "P.O.U.M." in poum


@pytest.mark.corpus
def test_an_ingest_links_what_the_authority_file_already_holds(ingest_paths):
    for name, type, aliases in REFERENCE_ENTRIES:
        entry(name, type, aliases)
    ingest_paths(corpus_path(*REFERENCE))
    review = Article.objects.get()
    assert set(mentioned(review)) == {name for name, _type, _aliases in REFERENCE_ENTRIES}
    before, after = fresh_links()
    assert before == after


def test_derived_forms_link_but_longer_words_do_not():
    lenin, trotsky, stalin = entry("Lenin"), entry("Trotsky"), entry("Stalin")
    article = stored(
        "derived",
        "The trotskyists met in Leningrad, and a Trotskyist spoke of Stalinism.",
        "Trotsky's paper was sold outside the Stalingrad tractor works.",
    )
    found = mentioned(article)
    assert found == {"Trotsky": 3, "Stalin": 1}
    assert lenin.pk not in Mention.objects.values_list("entry_id", flat=True)
    assert trotsky.mentions.get().sentence.startswith("The trotskyists met in Leningrad")
    assert stalin.mentions.count() == 1


def test_a_capitalised_place_links_only_where_it_is_written_with_a_capital():
    entry("Reading", PLACE, capitalised=True)
    entry("Leeds", PLACE)
    quiet = stored("quiet", "Reading groups met weekly in leeds and in Reading.")
    assert mentioned(quiet) == {"Reading": 2, "Leeds": 1}
    lower = stored("lower", "Their reading of the strike was wrong.", title="A Reading List")
    assert mentioned(lower) == {"Reading": 1}  # the headline's, not the body's `reading`


def test_initialisms_dotted_or_not_link_to_one_entry():
    ussr = entry("U.S.S.R.", PLACE, ("Soviet Union",))
    article = stored(
        "ussr", "The U.S.S.R. and the USSR are one; so is the Soviet Union.", "Also the ussr."
    )
    assert mentioned(article) == {"U.S.S.R.": 4}
    assert ussr.mentions.get().sentence.startswith("The U.S.S.R. and")


def test_an_alias_added_links_the_articles_using_it_and_a_deleted_one_unlinks_them():
    article = stored("poum", "The POUM militia held the line.", "Nothing here of the party.")
    other = stored("other", "A strike at the docks.")
    poum = entry("P.O.U.M.", ORGANISATION)
    assert mentioned(article) == {"P.O.U.M.": 1}  # POUM is P.O.U.M. folded
    militia = Alias(entry=poum, name="the party", key=name_key("the party"))
    with transaction.atomic():
        militia.save()
        assert mentioned(article) == {"P.O.U.M.": 2}  # before the transaction commits
    assert mentioned(other) == {}
    militia.delete()
    assert mentioned(article) == {"P.O.U.M.": 1}
    poum.delete()
    assert mentioned(article) == {}


def test_renaming_an_entry_relinks_old_and_new_spellings():
    old = stored("old", "Comrade Bronstein spoke.")
    new = stored("new", "Comrade Trotsky spoke.")
    person = entry("Bronstein")
    assert (mentioned(old), mentioned(new)) == ({"Bronstein": 1}, {})
    person.name = "Trotsky"
    person.save()
    assert (mentioned(old), mentioned(new)) == ({}, {"Trotsky": 1})
    person.note = "Born Lev Bronstein"  # what the matcher does not read: nothing to do
    person.save()
    assert (mentioned(old), mentioned(new)) == ({}, {"Trotsky": 1})


def test_a_longer_name_wins_and_its_removal_lets_the_shorter_link():
    article = stored("smirnov", "Ivan Smirnov and his group arrived.")
    smirnov = entry("Smirnov")
    ivan = entry("Ivan Smirnov")
    assert mentioned(article) == {"Ivan Smirnov": 1}
    ivan.delete()
    assert mentioned(article) == {"Smirnov": 1}
    assert smirnov.mentions.count() == 1


def test_reingesting_a_changed_article_updates_its_mentions():
    entry("Kronstadt", PLACE)
    entry("Tambov", PLACE)
    record = article_record(key="sailors", paragraphs=("The sailors of Kronstadt rose.",))
    load([record])
    article = Article.objects.get(key="sailors")
    assert mentioned(article) == {"Kronstadt": 1}
    changed = article_record(
        key="sailors", paragraphs=("The peasants of Tambov rose.", "Tambov again.")
    )
    report = load([changed])
    assert report.count("updated") == 1, report.entries
    assert mentioned(article) == {"Tambov": 2}


@pytest.fixture
def desk(client, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    create_editor("hilda")
    return sign_in(client)


def test_a_correction_at_the_desk_updates_the_mentions(desk):
    entry("Kronstadt", PLACE)
    entry("Tambov", PLACE)
    article = stored("desk", "The sailors of Kronstadt rose in March.")
    data = open_body(desk, article)
    row = row_with(data, "Kronstadt")
    response = press(desk, article, data, "save", **{f"{row}-text": "The peasants of Tambov rose."})
    assert response.status_code == 302, errors(response)
    assert mentioned(article) == {"Tambov": 1}


def test_merging_entries_by_moving_aliases_and_mentions_ends_as_a_fresh_link():
    one = stored("one", "Lev Davidovich spoke; then Trotsky.")
    two = stored("two", "Bronstein wrote to Trotsky.")
    kept = entry("Trotsky")
    merged = entry("Lev Davidovich", aliases=("Bronstein",))
    assert set(mentioned(one)) == {"Trotsky", "Lev Davidovich"}
    with transaction.atomic():  # as a merge does it: aliases and mentions moved, then delete
        for alias in merged.aliases.all():
            alias.entry = kept
            alias.save()
        Alias(entry=kept, name=merged.name, key=merged.key).save()
        Mention.objects.filter(entry=merged).exclude(
            article__in=Mention.objects.filter(entry=kept).values("article")
        ).update(entry=kept)
        merged.delete()
    assert mentioned(one) == {"Trotsky": 2}
    assert mentioned(two) == {"Trotsky": 2}
    before, after = fresh_links()
    assert before == after


def test_an_entry_added_later_finds_its_initialism_dotted_and_its_derived_forms():
    dotted = stored("dotted", "Delegates from the U.S.S.R. arrived.")
    derived = stored("derived", "The Trotskyists walked out.")
    entry("USSR", PLACE)
    entry("Trotsky")
    assert mentioned(dotted) == {"USSR": 1}
    assert mentioned(derived) == {"Trotsky": 1}


def test_many_changes_inside_suspended_are_linked_once_as_it_closes():
    from backfile.authority.receivers import suspended

    article = stored("many", "Kazan, Tambov and Warsaw.")
    with transaction.atomic(), suspended():
        for name in ("Kazan", "Tambov", "Warsaw"):
            entry(name, PLACE)
        assert mentioned(article) == {}
    assert mentioned(article) == {"Kazan": 1, "Tambov": 1, "Warsaw": 1}


def test_a_merge_made_with_bulk_updates_also_ends_as_a_fresh_link():
    one = stored("one", "Lev Davidovich spoke; then Trotsky; Bronstein listened.")
    two = stored("two", "Bronstein wrote to the Trotskyists.")
    kept = entry("Trotsky")
    merged = entry("Lev Davidovich", aliases=("Bronstein",))
    with transaction.atomic():  # moved without a save: only the delete is seen
        Alias.objects.filter(entry=merged).update(entry=kept)
        Mention.objects.filter(entry=merged).exclude(
            article__in=Mention.objects.filter(entry=kept).values("article")
        ).update(entry=kept)
        Mention.objects.filter(entry=merged).delete()
        Alias.objects.create(entry=kept, name=merged.name, key=merged.key)
        merged.delete()
    assert mentioned(one) == {"Trotsky": 3}
    assert mentioned(two) == {"Trotsky": 2}
    before, after = fresh_links()
    assert before == after


def test_a_rename_to_a_name_of_the_same_length_changes_the_generation():
    """Other processes keep their automaton while the generation holds: a misspelling put
    right (same letters, same length) must still be seen as a change."""
    from backfile.authority.matcher import generation

    person = entry("Trotksy")
    before = generation()
    person.name = "Trotsky"
    person.key = name_key("Trotsky")
    person.save()
    assert generation() != before
    alias = Alias(entry=person, name="Bronstien", key=name_key("Bronstien"))
    alias.save()
    before = generation()
    alias.name = "Bronstein"
    alias.save()
    assert generation() != before


def test_an_entry_added_finds_an_article_indexed_in_spanish():
    """A Spanish article's words are indexed under Spanish stems: the search for the
    articles an entry's name concerns asks for those too."""
    article = stored("cronica", "El Partido Comunista convocó la huelga.", language="es")
    entry("Partido Comunista", ORGANISATION)
    assert mentioned(article) == {"Partido Comunista": 1}
