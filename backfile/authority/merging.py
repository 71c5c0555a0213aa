"""Merging entries of the authority file: two entries found to be one person, place or
organisation (`Lenin` and `V. I. Lenin`, entered twice) become the one an editor keeps.

`merge_entries(keep, others)`, in one transaction: the others' names become aliases of
`keep`, their aliases go with them, the candidates accepted or merged into them now point
to `keep`, and the others are deleted, each revision saying so. Their mentions are not
moved by hand: the articles that mentioned them are linked again as the block ends
(`storing.linked_once`), now finding `keep` under its new aliases (an article that named
both has one mention, counted as the matcher counts). The address of each gone entry's
page redirects to `keep`'s (`housekeeping.redirects`), and the articles whose mentions
changed are announced (`articles_changed`), so their pages and the search index follow.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import NoReverseMatch

from backfile.archive.models import Article
from backfile.archive.signals import articles_changed
from backfile.authority.linking import articles_mentioning
from backfile.authority.models import Candidate, Entry
from backfile.authority.storing import add_aliases, linked_once
from backfile.housekeeping.redirects import record


def entry_path(entry: Entry) -> str | None:
    """The entry's page address, where the site has entry pages."""
    try:
        return entry.get_absolute_url()
    except NoReverseMatch:
        return None


def merge_entries(keep: Entry, others: Iterable[Entry], reason: str = "") -> list[int]:
    """Make `others` one with `keep` (see the module's docstring); the ids of the articles
    that mentioned the others (their mentions now `keep`'s)."""
    others = [other for other in others if other.pk != keep.pk]
    if not others:
        return []
    merged = ", ".join(f"{other.name} (#{other.pk})" for other in others)
    with transaction.atomic(), linked_once():
        moves = []
        affected = articles_mentioning([other.pk for other in others])
        for other in others:
            old_path = entry_path(other)
            names = [other.name, *(a.name for a in other.aliases.all())]
            add_aliases(keep, names, f"from {other.name}, merged into it")
            Candidate.objects.filter(entry=other).update(entry=keep)
            other._change_reason = (reason or f"merged into {keep.name} (#{keep.pk})")[:100]
            other.delete()
            if old_path is not None:
                moves.append(old_path)
        keep._change_reason = (reason or f"merged {merged}")[:100]
        keep.save()
        new_path = entry_path(keep)
        if new_path is not None:
            record([(old, new_path) for old in moves], f"entry merged into {keep.name}")
        articles = list(Article.objects.filter(pk__in=affected))
        if articles:
            articles_changed.send(sender=Article, articles=articles)
    return sorted(affected)
