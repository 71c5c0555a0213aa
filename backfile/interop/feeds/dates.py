"""Which date an article or issue goes by in feeds and sitemaps, and newest-first order."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.db.models import F, OrderBy


def newest_issue_first(via: str = "") -> tuple[OrderBy, ...]:
    """Newest issue first (`via` is the path to the issue, e.g. "issue__" from an article);
    an issue that gives only its year sorts after the dated ones of that year."""
    return (
        F(f"{via}year").desc(),
        F(f"{via}month").desc(nulls_last=True),
        F(f"{via}day").desc(nulls_last=True),
        F(f"{via}number").desc(nulls_last=True),
    )


def issue_cover_date(year: int, month: int | None, day: int | None) -> date | None:
    """The cover date as far as it is known: a monthly's first day, nothing for a year alone."""
    return date(year, month, day or 1) if month else None


def at_midnight(day: date) -> datetime:
    """A feed wants a moment, timezone-aware; an archive knows only the day."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
