"""`person:`, `place:` and `organisation:`: a search narrowed to the articles that mention
an entry of the authority file (`backfile.authority`), named as a reader would name it.

The value is folded as the authority file folds names (`authority.names.name_key`: case,
accents, the dots of an initialism), and meets the entries of that type whose preferred
name or an alias folds the same (`organisation:POUM` finds `P.O.U.M.`). Where none does, a
surname alone finds those whose name ends with it (`person:Trotsky` finds `Leon
Trotsky`), and a notice names them. A name the file does not hold finds nothing, with a
notice saying so, rather than the search without it.

Each entry named must be mentioned (`person:Lenin person:Trotsky`: both); `-person:…`
leaves out the articles that mention it. The filter is the same SQL on SQLite and
PostgreSQL: the articles are read from the mentions' index on (entry, …, article). A
search for entries alone shows, for each article, the sentence around the mention.
"""

from __future__ import annotations

from django.db.models import Q

from backfile.authority.marks import marked
from backfile.authority.models import Alias, Entry, Mention
from backfile.authority.names import name_key
from backfile.search.query import EntityRef, Query

MAX_ENTRIES = 20  # a surname shared by more entries than this is read as its first so many
ARTICLE_MENTIONS = (
    "e.article_id IN (SELECT m.article_id FROM authority_mention m WHERE m.entry_id IN ({}))"
)
LABELS = {"person": "person", "place": "place", "organisation": "organisation"}


def entries_named(ref: EntityRef, notices: list[str]) -> list[int]:
    """The ids of the entries of `ref`'s type that `ref.value` names (see the module's doc)."""
    key = name_key(ref.value)[:300]
    if not key:
        return []
    of_type = Entry.objects.filter(type=ref.type)
    exact = Q(key=key) | Q(pk__in=Alias.objects.filter(key=key).values("entry_id"))
    ids = list(of_type.filter(exact).order_by("pk").values_list("pk", flat=True)[:MAX_ENTRIES])
    if ids or " " in key:
        return ids
    ending = Q(key__endswith=f" {key}") | Q(
        pk__in=Alias.objects.filter(key__endswith=f" {key}").values("entry_id")
    )
    found = list(
        of_type.filter(ending).order_by("key", "pk").values_list("pk", "name")[:MAX_ENTRIES]
    )
    if found:
        names = ", ".join(name for _pk, name in found)
        _notice(notices, f"{ref.type}:{ref.value} was read as any of: {names}.")
    return [pk for pk, _name in found]


def apply_mentions(
    plan, query: Query, notices: list[str], within: str = ARTICLE_MENTIONS
) -> list[int]:
    """Each entry named narrows the plan to the articles that mention it (`within`: the
    condition with a `{}` for the entries' ids); each excluded one, to those that do not.
    The ids of the entries the articles found mention."""
    named: list[int] = []
    for ref, negate in [(r, False) for r in query.entities] + [
        (r, True) for r in query.excluded_entities
    ]:
        ids = entries_named(ref, notices)
        if not ids:
            outcome = "nothing was left out for it" if negate else "so nothing was found"
            _notice(
                notices,
                f"No {LABELS.get(ref.type, ref.type)} called “{ref.value}” is in the archive’s "
                f"index of names, {outcome}.",
            )
            if negate:
                continue
        test = within.format(", ".join(map(str, ids)) or "-1")
        plan.filters.append(f"NOT ({test})" if negate else test)
        named += [] if negate else ids
    return named


def with_sentences(hits: list, named: list[int], query: Query) -> None:
    """A search for entries alone (no words to show in a snippet): each hit's snippet is the
    sentence around the mention, with the names marked, as on the entry's page. Three
    queries for the page of hits, whatever its size."""
    if not hits or not named or query.include is not None:
        return
    rows = (
        Mention.objects.filter(article_id__in=[hit.article.pk for hit in hits], entry_id__in=named)
        .exclude(sentence="")
        .order_by("article_id", "entry_id")
        .values_list("article_id", "sentence")
    )
    sentences: dict[int, str] = {}
    for article_id, sentence in rows:
        sentences.setdefault(article_id, sentence)
    if not sentences:
        return
    names = [*Entry.objects.filter(pk__in=named).values_list("name", flat=True)]
    names += Alias.objects.filter(entry_id__in=named).values_list("name", flat=True)
    for hit in hits:
        if hit.article.pk in sentences:
            hit.snippet = marked(sentences[hit.article.pk], names)


def _notice(notices: list[str], text: str) -> None:
    if text not in notices:
        notices.append(text)
