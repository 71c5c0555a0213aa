"""Plain multi-row INSERTs for the loader's bulk path.

Django's `bulk_create` prepares every value of every object through its field
classes; for a large ingest that cost more than SQLite's own work. The loader
knows its values are already what the columns hold, so it writes them here as
they are: one `INSERT … VALUES (…), (…) RETURNING id` per chunk, on SQLite and
PostgreSQL alike, returning the new ids in the order of the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import connection
from django.db.models import Model

from backfile.database import MAX_PARAMETERS
from backfile.ingest.records import PLAIN_JSON


def insert_rows(model: type[Model], columns: Sequence[str], rows: list[tuple]) -> list[int]:
    """Insert `rows` (values in `columns` order) into the model's table; their new ids.

    JSON columns take their value already encoded (`json_text`), dates as `date`
    objects; no defaults are applied, so every column without one must be given.
    """
    if not rows:
        return []
    quote = connection.ops.quote_name
    placeholders = "(" + ", ".join(_placeholder(model, column) for column in columns) + ")"
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) VALUES "
    per_chunk = max(1, MAX_PARAMETERS // len(columns))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_chunk):
            chunk = rows[start : start + per_chunk]
            cursor.execute(
                f"{head}{', '.join([placeholders] * len(chunk))} RETURNING id",
                [_adapt(value) for row in chunk for value in row],
            )
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def json_text(value) -> str:
    """A JSON column's value as the database stores it."""
    return PLAIN_JSON.encode(value)


def _placeholder(model: type[Model], column: str) -> str:
    field = next(f for f in model._meta.concrete_fields if f.column == column)
    if connection.vendor == "postgresql" and field.get_internal_type() == "JSONField":
        return "%s::jsonb"
    return "%s"


def _adapt(value):
    """Dates and times as Django stores them (ISO text on SQLite, which PostgreSQL reads too)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value.isoformat() if isinstance(value, date) else value
