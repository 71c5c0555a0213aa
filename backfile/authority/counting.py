"""Counts beside entries (their aliases, their mentions) for the rows a page shows: a
correlated subquery each, evaluated for the rows listed, not one grouping of every
mention of the archive before the first row can be given."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce


def rows_of(model, field: str = "entry") -> Coalesce:
    """How many rows of `model` (Alias, Mention) point at the entry."""
    counted = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted), 0)


def sum_of(model, column: str, field: str = "entry") -> Coalesce:
    """The sum of `column` over the rows of `model` that point at the entry."""
    summed = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(total=Sum(column))
        .values("total")
    )
    return Coalesce(Subquery(summed), 0)
