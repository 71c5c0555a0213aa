"""What happens at a run's end (`ingest_finished`) cannot undo what the run stored: a
receiver that fails leaves a note in the report, and the run is not a failure."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from backfile.archive.models import Article
from backfile.related.models import RelatedArticle
from tests.helpers.served import write_jsonl
from tests.related.test_related_pages import FIRST_RUN, related_titles, url

pytestmark = pytest.mark.django_db


def test_relating_that_fails_at_the_run_end_is_a_note_and_the_articles_stay(
    client, ingest_paths, tmp_path, monkeypatch
):
    from backfile.related import signals

    def broken(progress=None):
        raise MemoryError("no room to relate")

    monkeypatch.setattr(signals, "refresh", broken)
    report = ingest_paths(write_jsonl(tmp_path / "first.jsonl", FIRST_RUN))
    assert report.count("added") == len(FIRST_RUN)
    assert report.count("failed") == 0
    notes = [e.reason for e in report.entries if e.status == "noted"]
    assert len(notes) == 1
    assert "every article is stored" in notes[0]
    assert "relate_after_ingest" in notes[0] and "no room to relate" in notes[0]
    assert "notes 1" in report.summary_line()
    assert Article.objects.count() == len(FIRST_RUN)
    address = url("Mending the Towpath", "june", 150)
    assert related_titles(client, address) == []  # the page is served, without them

    monkeypatch.undo()
    call_command("related", verbosity=0)  # what was left undone, done later
    assert RelatedArticle.objects.exists()
    assert related_titles(client, address)[0] == "A Keeper at the Lock"
