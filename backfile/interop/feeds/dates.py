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


def at_midnight(day: date) -> datetime:
    """A feed wants a moment, timezone-aware; an archive knows only the day."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
