"""Candidate names: recurring names that no entry holds, listed with counts and examples,
refreshed after an ingest; an editor's verdict is kept across refreshes."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.module_loading import import_string
from django.utils.text import slugify

from backfile.archive.models import Article
from backfile.authority import candidates
from backfile.authority.models import PERSON, Candidate, Entry
from backfile.authority.names import name_key
from backfile.ingest.loader import load
from tests.replies.helpers import article_record

pytestmark = pytest.mark.django_db

PARAGRAPHS = {
    "one": (
        "The strike began when Tony Blair spoke at the Bank of England on Monday.",
        "But the workers of Eastgate were not moved. In March they marched again.",
        "Home Secretary David Blunkett said nothing, and V. I. Lenin was quoted.",
    ),
    "two": (
        "Tony Blair's speech angered the Eastgate branch of the Transport Union.",
        "When the workers met, David Blunkett was absent; the Bank of England was silent.",
        "V. I. Lenin's pamphlet was read aloud on Monday.",
    ),
    "three": (
        "Prime Minister Tony Blair was booed in Eastgate, where the workers met again.",
        "A letter from David Blunkett came in March. The Bank of England raised its rate.",
        "Those who read V. I. Lenin know why; the workers struck.",
    ),
    "four": ("Only Eastgate and the workers again; nothing of Tony Blair here.",),
}


def store_all():
    load(
        [
            article_record(key=key, title=f"Report {key}", paragraphs=paragraphs)
            for key, paragraphs in PARAGRAPHS.items()
        ]
    )


def listed() -> dict[str, Candidate]:
    return {c.name: c for c in Candidate.objects.all()}


def test_recurring_names_are_listed_with_counts_and_examples_and_fragments_are_not():
    store_all()
    candidates.refresh()
    found = listed()
    assert set(found) == {
        "Tony Blair",
        "Eastgate",
        "Bank of England",
        "David Blunkett",
        "V. I. Lenin",
    }
    blair = found["Tony Blair"]
    assert (blair.count, blair.articles) == (4, 4)  # Tony Blair's, Prime Minister Tony Blair
    assert blair.key == "tony blair"
    assert len(blair.examples) == 3
    assert all("Tony Blair" in example["sentence"] for example in blair.examples)
    stored = dict(Article.objects.values_list("pk", "key"))
    assert [stored[e["article"]] for e in blair.examples] == ["one", "two", "three"]
    assert found["V. I. Lenin"].articles == 3


def test_a_verdict_is_kept_and_a_name_that_became_an_entry_drops_out():
    store_all()
    candidates.refresh()
    blunkett = Candidate.objects.get(key="david blunkett")
    blunkett.status = Candidate.REJECTED
    blunkett.save()
    Entry.objects.create(
        type=PERSON, name="Tony Blair", slug=slugify("Tony Blair"), key=name_key("Tony Blair")
    )
    out = StringIO()
    call_command("link-mentions", "--candidates", "--quiet", stdout=out)
    assert "open candidate names" in out.getvalue()
    found = listed()
    assert "Tony Blair" not in found
    assert found["David Blunkett"].status == Candidate.REJECTED
    assert found["David Blunkett"].count == 3
    assert found["Eastgate"].status == Candidate.OPEN


def test_the_command_links_every_article(db, capsys):
    store_all()
    Entry.objects.bulk_create(  # as a bulk import might: no receiver runs
        [Entry(type=PERSON, name="Eastgate", slug="eastgate", key="eastgate")]
    )
    from backfile.caching.generation import current

    before = current()
    out = StringIO()
    call_command("link-mentions", "--quiet", stdout=out)
    assert out.getvalue().startswith("4 mentions linked")
    assert current() != before  # cached article pages, which show mentions, are retired
    assert capsys.readouterr().err == ""
    # in a log (no terminal), plain lines say how far it has come, and how fast
    call_command("link-mentions", "--all", "--candidates", stdout=out)
    said = capsys.readouterr().err
    assert "link mentions: 4 of 4 articles, " in said and "/s" in said


def test_an_ingest_queues_one_refresh_in_the_background_and_the_worker_lists_the_names():
    from django_q.models import OrmQ

    from backfile.archive.signals import ingest_finished
    from backfile.authority.receivers import REFRESH_TASK

    store_all()
    ingest_finished.send(sender=None, report=None, progress=None)  # a run ends: queued, not run
    ingest_finished.send(sender=None, report=None, progress=None)  # another, before it starts
    assert not Candidate.objects.exists()
    queued = [task for task in OrmQ.objects.all() if task.name() == REFRESH_TASK]
    assert len(queued) == 1

    # the worker runs what was queued (here, in this process: the test's database is its own)
    task = queued[0]
    import_string(task.func())(*task.args(), **task.kwargs())

    assert "Tony Blair" in listed()


def test_spanish_months_days_and_offices_are_no_names():
    paragraphs = {
        "uno": (
            "El Presidente Ramón Olmedo habló en Puertoalto el Lunes pasado.",
            "En Enero los estibadores de Puertoalto pararon, y Ramón Olmedo e Inés Barcala callaron.",
        ),
        "dos": (
            "Desde Marzo, la Ministra Inés Barcala visita Puertoalto cada Domingo.",
            "Ramón Olmedo e Inés Barcala no respondieron en Enero.",
        ),
        "tres": (
            "La huelga de Puertoalto siguió en Diciembre; Ramón Olmedo no la nombró.",
            "El Sábado, Inés Barcala dijo que volvería en Enero.",
        ),
    }
    load(
        [
            article_record(key=key, title=f"Crónica {key}", paragraphs=texts, language="es")
            for key, texts in paragraphs.items()
        ]
    )
    candidates.refresh()
    assert set(listed()) == {"Ramón Olmedo", "Inés Barcala", "Puertoalto"}


def test_a_rejected_name_longer_than_its_column_stays_rejected_through_refreshes():
    """A run of forty capitalised words (a list of delegates, say) is one candidate whose key
    is longer than the column: once rejected, the next refreshes still find its row."""
    run = " ".join(f"Zorvakine{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(40))
    assert len(name_key(run)) > 300
    load(
        [
            article_record(
                key=f"list-{n}", title=f"Delegates {n}", paragraphs=(f"Present: {run}.",)
            )
            for n in range(3)
        ]
    )
    candidates.refresh()
    (long,) = [c for c in Candidate.objects.all() if len(c.key) == 300]
    long.status = Candidate.REJECTED
    long.save()
    candidates.refresh()
    candidates.refresh()
    assert Candidate.objects.get(pk=long.pk).status == Candidate.REJECTED
    assert Candidate.objects.filter(key=long.key).count() == 1
