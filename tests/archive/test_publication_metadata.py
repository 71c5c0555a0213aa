"""A publication's catalogue record: set at ingest with --publication-meta, checked as a
catalogue checks it (ISSN check digits, language tags, a rights URI), edited on the desk with
revisions."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User

from backfile.archive.identifiers import normal_issn
from backfile.archive.models import Publication
from tests.helpers.served import run_backfile

CATALOGUE = {
    "name": "The Quarry Bell",
    "full_title": "The Quarry Bell: a weekly for the slate districts",
    "issn": "03785955",
    "publisher": "North Wales Quarrymen's Union",
    "place": "Bethesda",
    "languages": "en, cy",
    "frequency": "weekly",
    "rights": "http://rightsstatements.org/vocab/NoC-US/1.0/",
    "first_issue": "No. 1 (January 1921)",
}


def test_issns_are_checked_by_their_check_digit_and_written_with_a_hyphen():
    assert normal_issn("03785955") == "0378-5955"
    assert normal_issn("0000-006x") == "0000-006X"
    with pytest.raises(ValueError, match="check digit should be 5"):
        normal_issn("0378-5956")


def test_ingest_stores_the_catalogue_record_from_a_file(tmp_path):
    database = str(tmp_path / "archive.sqlite3")
    meta = tmp_path / "bell.json"
    meta.write_text(json.dumps(CATALOGUE), encoding="utf-8")
    empty = tmp_path / "sources"
    empty.mkdir()

    result = run_backfile(database, "ingest", str(empty), "--publication-meta", str(meta))

    assert "catalogue record of The Quarry Bell stored" in result.stdout, result.stderr
    shown = run_backfile(database, "shell", "-c",
        "from backfile.archive.models import Publication as P; "
        "p = P.objects.get(); print(p.issn, p.frequency, p.language_list, p.slug)")  # fmt: skip
    assert "0378-5955 weekly ['en', 'cy'] the-quarry-bell" in shown.stdout.splitlines()


@pytest.mark.parametrize(
    "change, said",
    [
        ({"issn": "0378-5956"}, "check digit should be 5"),
        ({"languages": "English"}, "'English' is not a language tag"),
        ({"rights": "all rights reserved"}, "rights: Enter a valid URL"),
        ({"frequency": "hourly"}, "frequency: Value 'hourly' is not a valid choice"),
        ({"colour": "red"}, "unknown field(s) colour"),
    ],
)
def test_a_bad_catalogue_file_stops_the_ingest_naming_file_and_field(tmp_path, change, said):
    database = str(tmp_path / "archive.sqlite3")
    meta = tmp_path / "bell.json"
    meta.write_text(json.dumps({**CATALOGUE, **change}), encoding="utf-8")

    result = run_backfile(database, "ingest", str(tmp_path), "--publication-meta", str(meta))

    assert result.returncode == 2
    assert str(meta) in result.stderr and said in result.stderr


@pytest.mark.django_db
def test_an_editor_edits_the_catalogue_record_on_the_desk_as_a_revision(client):
    publication = Publication.objects.create(name="The Quarry Bell", slug="the-quarry-bell")
    editor = User.objects.create_superuser("editor", "editor@example.org", "a long password")
    client.force_login(editor)
    url = f"/admin/archive/publication/{publication.pk}/change/"

    form = {"name": "The Quarry Bell", "full_title": "", "description": "", "issn": "0378-5955",
            "eissn": "", "publisher": "Quarrymen", "place": "", "languages": "en",
            "frequency": "weekly", "first_issue": "", "last_issue": "", "rights": ""}  # fmt: skip
    refused = client.post(url, {**form, "issn": "0378-5956"})
    saved = client.post(url, form)

    assert refused.status_code == 200 and "check digit" in refused.content.decode()
    assert saved.status_code == 302
    publication.refresh_from_db()
    assert publication.publisher == "Quarrymen"
    assert [h.publisher for h in publication.history.all()] == ["Quarrymen", ""]
