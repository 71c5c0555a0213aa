"""Authority rows made directly, for the pages' tests: an entry with its key and letter
filed as the authority file files them (`names.name_key`, the first letter a–z or "0")."""

from __future__ import annotations

from django.utils.text import slugify

from backfile.archive.models import Article, ReviewedWork
from backfile.authority.models import Alias, Entry, Mention
from backfile.authority.names import name_key
from backfile.search.index import issue_date_key


def letter_for(key: str) -> str:
    return next((c for c in key if "a" <= c <= "z"), "0")


def entry(name: str, type: str = "person", aliases: tuple[str, ...] = (), **fields) -> Entry:
    key = name_key(name)
    found = Entry(
        type=type,
        name=name,
        slug=fields.pop("slug", slugify(name) or "entry"),
        key=key,
        letter=fields.pop("letter", letter_for(key)),
        **fields,
    )
    # (bulk_create: no receiver links articles to it; the test sets its mentions itself)
    Entry.objects.bulk_create([found])
    found = Entry.objects.get(type=type, slug=found.slug)
    Alias.objects.bulk_create(
        [Alias(entry=found, name=alias, key=name_key(alias)) for alias in aliases]
    )
    return found


def mention(article: Article, found: Entry, sentence: str = "", count: int = 1) -> Mention:
    row = Mention(
        article=article,
        entry=found,
        count=count,
        sentence=sentence,
        sort_key=issue_date_key(article.issue)[1],
    )
    Mention.objects.bulk_create([row])
    return row


def quoted(article: Article, work: ReviewedWork, *passages: tuple[str, str, str]) -> None:
    """The article's quoted passages as the test sets them, (kind, text, pages) each, in place
    of those the quotations finder took from its body."""
    from backfile.quotations.models import Quotation

    Quotation.objects.filter(article=article).delete()
    Quotation.objects.bulk_create(
        Quotation(article=article, position=n, kind=kind, text=text, pages=pages, work=work)
        for n, (kind, text, pages) in enumerate(passages)
    )
