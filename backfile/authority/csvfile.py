"""The authority file as CSV: `backfile authority import FILE.csv` and `… export [FILE]`.

Columns: `type` (person, place or organisation), `name` (the preferred name), `aliases`
(the other spellings, separated by `|`), and optionally `note` and `dates`. A header row
names them, in any order. The file is read whole and checked before anything is stored:
a row with an unknown type, no name or a value too long, a file that is not UTF-8, is
reported with the file, the line and the reason, and nothing is stored. Then every row is
stored in one transaction (`storing.store_entries`): importing the same file again changes
nothing. The export writes the same columns, every entry a row, in a stable order.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TextIO

from backfile.authority.models import IMPORTED
from backfile.authority.names import name_key
from backfile.authority.storing import (
    ALIAS_SEPARATOR,
    KNOWN_TYPES,
    check_record,
    entry_record,
    exported_entries,
)
from backfile.ingest.records import AuthorityRecord

COLUMNS = ("type", "name", "aliases", "note", "dates")
REQUIRED = ("type", "name")
SEPARATOR = ALIAS_SEPARATOR
# The other ways a type is written in a file made by hand
TYPE_SPELLINGS = {"organization": "organisation", "people": "person", "places": "place",
                  "organisations": "organisation", "organizations": "organisation"}  # fmt: skip
MOST_ERRORS = 20  # reported at most; the rest are counted


class AuthorityFileError(ValueError):
    """What is wrong with an authority CSV file: every line named, with its reason."""


def read_csv(path: Path) -> list[AuthorityRecord]:
    """The file's rows as records, checked; AuthorityFileError names each bad line."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise AuthorityFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise AuthorityFileError(
            f"{path}:{line}: not UTF-8 (byte {error.start + 1} of the file); save it as UTF-8"
        ) from None
    return read_rows(io.StringIO(text, newline=""), str(path))


def read_rows(stream: TextIO, where: str) -> list[AuthorityRecord]:
    reader = csv.reader(stream)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as error:
        raise AuthorityFileError(f"{where}:1: not CSV ({error})") from None
    if missing := [c for c in REQUIRED if c not in header]:
        raise AuthorityFileError(
            f"{where}:1: the header row lacks the column(s) {', '.join(missing)}; "
            f"the columns are {', '.join(COLUMNS)}"
        )
    if unknown := [c for c in header if c not in COLUMNS]:
        raise AuthorityFileError(
            f"{where}:1: unknown column(s) {', '.join(unknown)}; the columns are "
            f"{', '.join(COLUMNS)}"
        )
    records, problems, seen = [], [], {}
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(f"{where}:{start}: not CSV ({error})")
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        values = dict(zip(header, row, strict=False))
        try:
            if len(row) > len(header):
                raise ValueError(f"{len(row)} values in a row of {len(header)} columns")
            record = row_record(values)
        except ValueError as error:
            problems.append(f"{where}:{start}: {error}")
            continue
        identity = (record.type, name_key(record.name))
        if identity in seen:
            problems.append(f"{where}:{start}: {record.type} {record.name!r} is on line "
                            f"{seen[identity]} already; give its aliases there")  # fmt: skip
            continue
        seen[identity] = start
        records.append(record)
    if problems:
        more = len(problems) - MOST_ERRORS
        shown = problems[:MOST_ERRORS] + ([f"… and {more} more"] if more > 0 else [])
        raise AuthorityFileError(
            "nothing was imported; correct these lines and import again:\n" + "\n".join(shown)
        )
    return records


def row_record(values: dict[str, str]) -> AuthorityRecord:
    """One row as a record; ValueError says what is wrong with it."""
    given = values.get("type", "").strip().lower()
    type = TYPE_SPELLINGS.get(given, given)
    if type not in KNOWN_TYPES:
        raise ValueError(
            f"unknown type {given!r}; the type is person, place or organisation"
            if given
            else "no type; the type is person, place or organisation"
        )
    name = " ".join(values.get("name", "").split())
    if not name_key(name):
        raise ValueError("no name" if not name else f"the name {name!r} has no letters or digits")
    aliases = [" ".join(a.split()) for a in values.get("aliases", "").split(SEPARATOR)]
    aliases = [a for a in aliases if name_key(a)]
    record = AuthorityRecord(
        type=type,
        name=name,
        aliases=aliases,
        note=values.get("note", "").strip(),
        dates=" ".join(values.get("dates", "").split()),
    )
    check_record(record)  # (the lengths, checked before anything is stored)
    return record


def import_csv(path: Path, progress=None):
    """Read the file whole, then store it in one transaction; the count of each outcome."""
    from backfile.authority.storing import store_entries

    records = read_csv(path)
    return store_entries(records, IMPORTED, f"imported from {path.name}", progress)


def write_csv(out: TextIO) -> int:
    """Every entry as a row (aliases sorted as their keys sort); how many."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for entry in exported_entries():
        record = entry_record(entry)
        aliases = SEPARATOR.join(record.aliases)  # (none holds it: storing.check_record)
        writer.writerow([record.type, record.name, aliases, record.note, record.dates])
        count += 1
    return count
