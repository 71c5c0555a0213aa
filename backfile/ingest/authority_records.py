"""Storing the JSONL export's authority lines (`{"record": "authority", …}`) as the loader
reads them: each entry added, or completed where the file already has it, at once, before
the articles that mention it are linked (`backfile.authority.storing`)."""

from __future__ import annotations

from django.db import transaction

from backfile.authority.models import IMPORTED
from backfile.authority.storing import store_entry
from backfile.ingest.records import AuthorityRecord


def store(record: AuthorityRecord) -> str:
    """Store the entry; what is wrong with it, or ""."""
    try:
        with transaction.atomic():
            store_entry(record, IMPORTED, "ingested from a JSONL export")
    except ValueError as error:
        return str(error)
    return ""
