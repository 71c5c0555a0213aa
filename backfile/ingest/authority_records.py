"""Storing the JSONL export's authority lines (`{"record": "authority", …}`) as the loader
reads them: each entry added, or completed where the file already has it, at once, before
the articles that mention it are linked (`backfile.authority.storing`). The articles a line
concerns are linked once, as it is stored, not after each of its entry's and aliases' saves
(`storing.linked_once`)."""

from __future__ import annotations

from django.db import transaction

from backfile.authority.models import IMPORTED
from backfile.authority.storing import linked_once, store_entry
from backfile.ingest.records import AuthorityRecord


def store(record: AuthorityRecord) -> str:
    """Store the entry; what is wrong with it, or ""."""
    try:
        with transaction.atomic(), linked_once():
            store_entry(record, IMPORTED, "ingested from a JSONL export")
    except ValueError as error:
        return str(error)
    return ""
