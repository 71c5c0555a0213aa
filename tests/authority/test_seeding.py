"""`backfile authority seed`: the authority file started from bylines, reviewed works and
(with --places) the gazetteer; seeding again adds nothing twice."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from backfile.archive.models import Author, AuthorAlias, ReviewedWork, name_key
from backfile.authority.models import BYLINE, GAZETTEER, REVIEWED_WORK, Alias, Entry


class Terminal(io.StringIO):
    """Standard error as a terminal, where the progress line is shown."""

    def isatty(self) -> bool:
        return True


def seed(*arguments: str) -> tuple[str, str]:
    out, err = io.StringIO(), Terminal()
    call_command("authority", "seed", *arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def known(db):
    serge = Author.objects.create(name="Victor Serge", slug="victor-serge")
    AuthorAlias.objects.create(author=serge, name="V. Serge", key=name_key("V. Serge"))
    AuthorAlias.objects.create(author=serge, name="Victor Serge", key=name_key("Victor Serge"))
    Author.objects.create(name="Anon", slug="anon")
    # a sentence's first words taken for a byline by a reader
    Author.objects.create(name="One Hundred", slug="one-hundred")
    Author.objects.create(name="A Harbour", slug="a-harbour")
    ReviewedWork.objects.create(
        title="A Primer of Tides", author="R. Fenn and Mary Quill (eds.)",
        publisher="Saltmarsh Press",
    )  # fmt: skip
    ReviewedWork.objects.create(title="Second Thoughts", author="Victor Serge")


def test_seeding_takes_people_from_bylines_and_reviewed_works(known):
    out, err = seed()

    serge = Entry.objects.get(type="person", name="Victor Serge")
    assert [a.name for a in serge.aliases.all()] == ["V. Serge"]
    assert serge.origin == BYLINE
    assert Entry.objects.get(name="R. Fenn").origin == REVIEWED_WORK
    assert Entry.objects.filter(type="person", name="Mary Quill").exists()
    assert Entry.objects.get(name="Saltmarsh Press").type == "organisation"
    assert not Entry.objects.filter(name__in=["Anon", "One Hundred", "A Harbour"]).exists()
    # linked only where written with capitals, as names from the archive are
    assert all(entry.capitalised for entry in Entry.objects.all())
    assert Entry.objects.count() == 4
    assert "people from bylines: 1 added" in out
    assert "\rseeding people from bylines: 1 names, 1 added" in err


def test_seeding_again_adds_nothing_and_keeps_the_editors_entries(known):
    Entry.objects.create(type="person", name="Serge", note="The editor's own")
    Alias.objects.create(entry=Entry.objects.get(name="Serge"), name="Victor Serge")
    seed()
    entries, aliases, revisions = (
        Entry.objects.count(),
        Alias.objects.count(),
        Entry.history.count(),
    )

    out, _ = seed()

    assert (Entry.objects.count(), Alias.objects.count()) == (entries, aliases)
    assert Entry.history.count() == revisions
    assert "0 added, 0 changed" in out
    editors = Entry.objects.get(name="Serge")
    assert editors.note == "The editor's own"
    assert not editors.capitalised  # the editor left it linking however written
    assert sorted(a.name for a in editors.aliases.all()) == ["V. Serge", "Victor Serge"]


@pytest.mark.django_db
def test_places_come_from_the_gazetteer_capitalised_less_common_words():
    out, _ = seed("--places")

    places = Entry.objects.filter(type="place")
    for name in ("Warsaw", "Kazan", "Tambov", "Poland", "United Kingdom"):
        place = places.get(name=name)
        assert place.capitalised and place.origin == GAZETTEER
    britain = places.get(name="United Kingdom")
    assert {"Britain", "Great Britain", "U.K."} <= {a.name for a in britain.aliases.all()}
    assert "Burma" in [a.name for a in places.get(name="Myanmar").aliases.all()]
    for word in ("Nice", "Reading", "Buffalo", "Van"):
        assert not places.filter(name=word).exists()
    assert places.count() > 1000
    assert "places from the gazetteer" in out

    again, _ = seed("--places")
    assert "places from the gazetteer: 0 added, 0 changed" in again
