"""Merging entries of the authority file: two entries found to be one person, place or
organisation (`Lenin` and `V. I. Lenin`, entered twice) become the one an editor keeps.

`merge_entries(keep, others)`, in one transaction: the others' names become aliases of
`keep`, their aliases and their mentions move to it (an article that mentioned both keeps
one mention: the counts summed, the sentence the earlier of the two in the article), the
candidates accepted or merged into them now point to `keep`, and the others are deleted,
each revision saying so. The address of each gone entry's page redirects to `keep`'s
(`housekeeping.redirects`), and the articles whose mentions changed are announced
(`articles_changed`), so their pages and the search index follow.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import NoReverseMatch

from backfile.archive.models import Article
from backfile.archive.signals import articles_changed
from backfile.authority.models import Candidate, Entry, Mention
from backfile.authority.storing import add_aliases, linked_once
from backfile.housekeeping.redirects import record
from backfile.search.index import body_text


def entry_path(entry: Entry) -> str | None:
    """The entry's page address, where the site has entry pages."""
    try:
        return entry.get_absolute_url()
    except NoReverseMatch:
        return None


def merge_entries(keep: Entry, others: Iterable[Entry], reason: str = "") -> list[int]:
    """Make `others` one with `keep` (see the module's docstring); the ids of the articles
    whose mentions moved."""
    others = [other for other in others if other.pk != keep.pk]
    if not others:
        return []
    merged = ", ".join(f"{other.name} (#{other.pk})" for other in others)
    with transaction.atomic(), linked_once():
        moves, affected = [], set()
        for other in others:
            old_path = entry_path(other)
            affected |= move_mentions(other, keep)
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


def move_mentions(other: Entry, keep: Entry) -> set[int]:
    """Move `other`'s mentions to `keep`; where an article mentions both, one mention, its
    count the sum and its sentence the one that comes first in the article. The ids of
    the articles concerned."""
    moving = list(Mention.objects.filter(entry=other))
    if not moving:
        return set()
    articles = [m.article_id for m in moving]
    kept = {m.article_id: m for m in Mention.objects.filter(entry=keep, article_id__in=articles)}
    texts = {}
    if kept:
        rows = Article.objects.filter(pk__in=kept).values_list("pk", "title", "blocks")
        texts = {pk: f"{title}\n{body_text(blocks)}" for pk, title, blocks in rows}
    both, alone = [], []
    for mention in moving:
        existing = kept.get(mention.article_id)
        if existing is None:
            mention.entry = keep
            alone.append(mention)
            continue
        existing.count += mention.count
        text = texts.get(mention.article_id, "")
        if earlier(text, mention.sentence, existing.sentence):
            existing.sentence = mention.sentence
        both.append(existing)
    Mention.objects.filter(entry=other, article_id__in=kept).delete()
    Mention.objects.bulk_update(alone, ["entry"], batch_size=500)
    Mention.objects.bulk_update(both, ["count", "sentence"], batch_size=500)
    return set(articles)


def earlier(text: str, sentence: str, than: str) -> bool:
    """Does `sentence` come before `than` in the article's text? (One not found comes last;
    an empty one never wins.)"""
    if not sentence:
        return False
    if not than:
        return True
    here, there = text.find(sentence), text.find(than)
    if here < 0:
        return False
    return there < 0 or here < there
