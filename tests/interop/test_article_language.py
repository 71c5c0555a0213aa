"""A Spanish article of a month-only issue, as every outside reader sees it: its page's
`lang`, OAI's dc:language and dc:date, and the language and month of each citation format.

The article is invented for these tests; its language is not declared but detected at
ingest, as for any reader's records."""

from __future__ import annotations

import json

import pytest
from lxml import html

from backfile.archive.models import Article
from backfile.ingest.loader import load
from backfile.ingest.records import Block, IssueRecord
from tests.helpers.records import invented_record
from tests.interop.test_citations import bibtex_entry, download, ris_values
from tests.interop.test_oai import dc_values, get_record

pytestmark = pytest.mark.django_db

NOVEMBER_2006 = IssueRecord(year=2006, number=60, month=11, title="noviembre-diciembre de 2006")
TEXT = (
    "Los estibadores del muelle votaron ayer la huelga indefinida. La asamblea decidió que "
    "las grúas quedarían paradas hasta que la empresa aceptara negociar los turnos."
)


@pytest.fixture
def huelga(db) -> Article:
    record = invented_record(
        "La Luz del Puerto",
        NOVEMBER_2006,
        "Huelga en el muelle",
        pages="2 y 3",
        authors=["Lucía Prado"],
        blocks=[Block("paragraph", text=TEXT)],
    )
    assert record.language == ""  # nothing declared: detected when stored
    report = load([record])
    assert report.count("failed") == 0, report.entries
    return Article.objects.get()


def test_the_article_page_marks_its_language(client, huelga):
    page = html.fromstring(client.get(huelga.get_absolute_url()).content)
    assert page.get("lang") == "en"  # the site's own
    assert page.xpath("//article")[0].get("lang") == "es"
    assert "noviembre-diciembre de 2006" in page.text_content()


def test_oai_gives_the_language_and_the_month(client, huelga):
    record = get_record(client, huelga)
    assert dc_values(record, "language") == ["es"]
    assert dc_values(record, "date") == ["2006-11"]


def test_csl_json_carries_the_language_and_the_month(client, huelga):
    [item] = json.loads(download(client, huelga, "json").content)
    assert item["language"] == "es"
    assert item["issued"] == {"date-parts": [[2006, 11]]}


def test_ris_carries_the_language(client, huelga):
    text = download(client, huelga, "ris").content.decode()
    assert ris_values(text, "LA") == ["es"]
    assert ris_values(text, "PY") == ["2006"]


def test_bibtex_carries_the_language_and_the_month(client, huelga):
    _kind, _key, fields = bibtex_entry(download(client, huelga, "bib").content.decode())
    assert fields["language"] == "es"
    assert fields["month"] == "nov" and "day" not in fields
