"""The work done beside the search index's analysis (related articles' salient terms,
`search.index.ALONGSIDE`) is done for an ingest, whose terms are stored, and not for a
reindex, which stores none."""

from __future__ import annotations

import pytest

from backfile.related.apps import SALIENT
from backfile.search.index import ALONGSIDE, reindex
from tests.helpers.served import write_jsonl
from tests.related.test_related_pages import FIRST_RUN

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(monkeypatch):
    """Each article whose salient terms are counted beside the analysis in this process
    (a batch this small is analysed here, not in the worker processes)."""
    calls = []
    counting = ALONGSIDE[SALIENT]

    def counting_here(texts, analysed):
        calls.append(texts[0])
        return counting(texts, analysed)

    monkeypatch.setitem(ALONGSIDE, SALIENT, counting_here)
    return calls


def test_an_ingest_counts_salient_terms_beside_the_analysis(ingest_paths, tmp_path, counted):
    ingest_paths(write_jsonl(tmp_path / "first.jsonl", FIRST_RUN))
    assert sorted(counted) == sorted(record.title for record in FIRST_RUN)


def test_a_reindex_counts_none(ingest_paths, tmp_path, counted):
    ingest_paths(write_jsonl(tmp_path / "first.jsonl", FIRST_RUN))
    counted.clear()
    assert reindex() == len(FIRST_RUN)
    assert counted == []
