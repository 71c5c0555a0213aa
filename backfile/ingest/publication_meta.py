"""`backfile ingest --publication-meta FILE`: a publication's catalogue record from a file.

The file is JSON: one object, or a list of them, each naming its publication by `name`
with any of the fields below. It is checked whole before anything is ingested (a bad
ISSN, an unknown field, a rights value that is no URI: the command stops, naming the file
and the field), and applied after the ingest, creating a publication it names that the
sources did not.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from backfile.archive.identifiers import normal_issn
from backfile.archive.models import Publication
from backfile.ingest.directory import publication_slug
from backfile.ingest.records import CATALOGUE_FIELDS, PublicationRecord

FIELDS = CATALOGUE_FIELDS


class MetadataError(ValueError):
    """What is wrong with a publication metadata file, naming it."""


def read(path: Path) -> list[dict]:
    """The file's records, each checked as the desk checks a publication; MetadataError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise MetadataError(f"{path}: not a JSON file of publication metadata ({error})") from None
    records = data if isinstance(data, list) else [data]
    checked = []
    for number, record in enumerate(records, start=1):
        where = f"{path}: publication {number}"
        if not isinstance(record, dict) or not isinstance(record.get("name"), str):
            raise MetadataError(f'{where}: an object with a "name" is wanted')
        unknown = sorted(record.keys() - {"name", *FIELDS})
        if unknown:
            raise MetadataError(f"{where}: unknown field(s) {', '.join(unknown)}; "
                                f"known: name, {', '.join(FIELDS)}")  # fmt: skip
        checked.append(_checked(record, where))
    return checked


def _checked(record: dict, where: str) -> dict:
    values = {name: record.get(name, "") for name in FIELDS if name in record}
    for name, value in values.items():
        if not isinstance(value, str):
            raise MetadataError(f"{where}: {name} is {value!r}, not text")
    try:
        for name in ("issn", "eissn"):
            if values.get(name):
                values[name] = normal_issn(values[name])
        probe = Publication(name=record["name"], slug="probe", **values)
        probe.full_clean(exclude=["slug"], validate_unique=False)
    except (ValueError, ValidationError) as error:
        messages = error.message_dict if isinstance(error, ValidationError) else {"": [str(error)]}
        said = "; ".join(f"{k}: {' '.join(v)}" if k else " ".join(v) for k, v in messages.items())
        raise MetadataError(f"{where}: {said}") from None
    return {"name": record["name"], **values}


def apply(records: list[dict]) -> list[Publication]:
    """Store the records on their publications (made where missing), in one transaction."""
    stored = []
    with transaction.atomic():
        for record in records:
            fields = {k: v for k, v in record.items() if k != "name"}
            publication = Publication.objects.filter(name=record["name"]).first()
            if publication is None:
                publication = Publication(
                    name=record["name"], slug=publication_slug(record["name"])
                )
            for name, value in fields.items():
                setattr(publication, name, value)
            publication.save()
            stored.append(publication)
    return stored


def store(record: PublicationRecord) -> str:
    """Store a JSONL publication line's catalogue record; what is wrong with it, or ""."""
    try:
        [checked] = [_checked({"name": record.name, **record.catalogue}, record.name)]
    except MetadataError as error:
        return str(error)
    apply([checked])
    return ""


def catalogue_of(publication: Publication) -> dict[str, str]:
    """The catalogue fields a publication sets (empty ones left out): its JSONL line's."""
    return {name: getattr(publication, name) for name in FIELDS if getattr(publication, name)}
