"""Storing authority records (`ingest.records.AuthorityRecord`) idempotently, whoever read
them: the CSV import, the JSONL export read back, the seed.

An entry is found by its type and folded name (`names.name_key`), or failing that by one of
its aliases of that type; what the record says is added to it and nothing is taken away:
the spellings it lacks, as aliases, a note or dates where the record has them, `capitalised` where the
record asks for it (not on an editor's entry, whose flag is the editor's choice). An editor's preferred name stays as the editor wrote it. Storing the
same records again changes nothing (and records no revision).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import transaction

from backfile.authority.models import EDITOR, TYPES, Alias, Entry
from backfile.authority.names import name_key
from backfile.authority.receivers import suspended
from backfile.ingest.records import AuthorityRecord

KNOWN_TYPES = {value for value, _ in TYPES}
ADDED, CHANGED, UNCHANGED = "added", "changed", "unchanged"
# What parts the aliases in the CSV file's one column: no alias may hold it
ALIAS_SEPARATOR = "|"


def find_entry(type: str, name: str) -> Entry | None:
    """The entry of `type` this name is, by its preferred name or else an alias."""
    key = name_key(name)
    found = Entry.objects.filter(type=type, key=key).order_by("pk").first()
    if found is None:
        alias = Alias.objects.filter(entry__type=type, key=key).order_by("pk").first()
        found = alias.entry if alias is not None else None
    return found


def lengths() -> dict[str, int]:
    """The longest name, alias and dates the columns hold."""
    return {
        "name": Entry._meta.get_field("name").max_length,
        "aliases": Alias._meta.get_field("name").max_length,
        "dates": Entry._meta.get_field("dates").max_length,
    }


def check_record(record: AuthorityRecord) -> None:
    """ValueError where the record cannot be stored as it is: no entry of a known type,
    a value longer than its column (which PostgreSQL would refuse mid-transaction), or an
    alias holding `ALIAS_SEPARATOR` (the CSV export could not write it)."""
    if record.type not in KNOWN_TYPES or not name_key(record.name):
        raise ValueError(f"not an entry of the authority file: {record.type} {record.name!r}")
    most = lengths()
    stored = [
        ("the name is", "name", record.name),
        *(("an alias is", "aliases", " ".join(a.split())) for a in record.aliases),
        ("the dates are", "dates", record.dates.strip()),
    ]
    for label, what, value in stored:
        if len(value) > most[what]:
            raise ValueError(f"{label} longer than {most[what]} characters")
    for alias in record.aliases:
        if ALIAS_SEPARATOR in alias:
            raise ValueError(
                f"the alias {alias!r} holds {ALIAS_SEPARATOR!r}, which parts the aliases in the "
                "CSV file; give each spelling as an alias of its own"
            )


def store_entry(record: AuthorityRecord, origin: str, reason: str = "") -> str:
    """Store one record (its entry added or completed); ADDED, CHANGED or UNCHANGED.
    ValueError (`check_record`) where it cannot be stored."""
    check_record(record)
    entry = find_entry(record.type, record.name)
    outcome = UNCHANGED
    if entry is None:
        entry = Entry(type=record.type, name=record.name, origin=origin)
        outcome = ADDED
    fields = {"note": record.note.strip(), "dates": record.dates.strip()}
    for name, value in fields.items():
        if value and getattr(entry, name) != value:
            setattr(entry, name, value)
            outcome = outcome if outcome == ADDED else CHANGED
    # (an editor's entry keeps the editor's choice: linked however written, or not)
    if record.capitalised and not entry.capitalised and entry.origin != EDITOR:
        entry.capitalised = True
        outcome = outcome if outcome == ADDED else CHANGED
    if outcome != UNCHANGED:
        entry._change_reason = reason[:100] or None
        entry.save()
    if add_aliases(entry, [record.name, *record.aliases], reason) and outcome == UNCHANGED:
        outcome = CHANGED
    return outcome


def add_aliases(entry: Entry, names: Iterable[str], reason: str = "") -> int:
    """Give `entry` each name it does not already have, as an alias; how many. A spelling
    that folds as the preferred name does but is written otherwise (`POUM` for `P.O.U.M.`)
    is kept too, so the entry shows it; two aliases folding alike are one."""
    known = set(entry.aliases.values_list("key", flat=True))
    added = 0
    for name in names:
        name, key = " ".join(name.split()), name_key(name)
        if not key or key in known or name == entry.name:
            continue
        alias = Alias(entry=entry, name=name)
        alias._change_reason = reason[:100] or None
        alias.save()
        known.add(key)
        added += 1
    return added


def linked_once():
    """A block of many entry and alias changes whose articles are linked again once, as it
    ends (`receivers.suspended`, where mention linking is installed), not after each."""
    return suspended()


def store_entries(
    records: Iterable[AuthorityRecord], origin: str, reason: str = "", progress=None
) -> Counter:
    """Store every record in one transaction; the count of each outcome. `progress`, where
    given, is called with (records done, outcomes so far) every 200 records."""
    counts: Counter = Counter()
    with transaction.atomic(), linked_once():
        for done, record in enumerate(records, start=1):
            counts[store_entry(record, origin, reason)] += 1
            if progress is not None and done % 200 == 0:
                progress(done, counts)
    return counts


def entry_record(entry: Entry) -> AuthorityRecord:
    """An entry as a record (its aliases sorted as their keys sort, then as written)."""
    aliases = sorted(entry.aliases.all(), key=lambda a: (a.key, a.name))
    return AuthorityRecord(
        type=entry.type,
        name=entry.name,
        aliases=[a.name for a in aliases],
        note=entry.note,
        dates=entry.dates,
        capitalised=entry.capitalised,
    )


def exported_entries() -> Iterable[Entry]:
    """Every entry in a stable order: by type, then folded name (the CSV and JSONL exports')."""
    return Entry.objects.order_by("type", "key", "name", "pk").prefetch_related("aliases")
