"""One issue of a number: a publication never gets a second issue of one number and
another date, unless the source marks the two as editions."""

from __future__ import annotations

from collections.abc import Iterable

from backfile.archive.models import Issue, issue_slug
from backfile.ingest.records import IssueRecord


def refuse_a_second_number(stored: Iterable[Issue], record: IssueRecord, slug: str) -> None:
    """Refuse (IssueNumberTaken) a record of an issue whose number (and volume) one of
    `stored` (the publication's issues of that number) has with a different date, unless
    the source marks them as editions (a slug of its own, `no-377a-…`). A number may come
    again a year on or more: some publications number each year's or volume's issues
    from 1."""
    if record.number is None or is_edition(record.number, slug, record):
        return
    when = (record.year, record.month, record.day)
    for other in stored:
        if (
            (other.year, other.month, other.day) != when
            and other.volume == record.volume
            and not is_edition(other.number, other.slug, other)
            and months_apart(other, record) < 12
        ):
            raise IssueNumberTaken(
                f"issue {record.number} is already stored as {other.date_label} "
                f"({other.slug}); a second issue {record.number} dated "
                f"{issue_slug(None, *when)} is refused, not merged: correct the number "
                "in the source, or mark the two as editions"
            )


class IssueNumberTaken(ValueError):
    """A second issue of one number and another date in one publication."""


def months_apart(one, other) -> int:
    """Whole months between two issues' dates (an issue without a month is taken as January)."""
    return abs((one.year * 12 + (one.month or 1)) - (other.year * 12 + (other.month or 1)))


def is_edition(number: int, slug: str, issue) -> bool:
    """Does the issue's slug mark an edition (`no-377a-…`), not the plain `no-377-…`?"""
    return bool(slug) and slug != issue_slug(number, issue.year, issue.month, issue.day)
