"""Keep mentions current, in the transaction of whatever changed.

- Articles written (the loader's ingest, a correction at the desk) are announced with
  `articles_changed` inside the transaction that wrote them: they are linked again there
  and then. An ingest announces them beforehand (`articles_coming`), and their mentions
  are found in its worker processes meanwhile; the write takes those found in the text
  as written against the authority file as it is. A deleted article's mentions go with
  it (cascade).
- An entry or alias saved or deleted (the admin, an import, a merge) drops the process's
  automaton and links again, in the same transaction, the articles it may concern: those
  that mention the entry now, and those the search index finds holding the name
  (`linking.articles_naming`); never the whole archive. What comes out is what linking
  those articles afresh gives, whatever order a merge moves aliases and mentions in, since
  each of them is matched whole against the authority file as it then is.
- An entry deleted with its aliases is linked once, after the entry has gone (its aliases'
  own deletes, which come first, are left to it).

After an ingest run (`ingest_finished`), a refresh of the candidate names
(`candidates.refresh`, a reading of the whole archive) is queued as a background task on
the desk's queue (django-q2, run by `backfile worker` or the worker `backfile serve`
starts), once however many runs end before it starts: the ingest does not wait for it.

Many changes at once (a seed, an import) go faster inside `suspended()`, which gathers
what they concern and links it once as it closes.
"""

from __future__ import annotations

import threading
from concurrent.futures import Executor
from contextlib import contextmanager

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from backfile.archive.models import Article
from backfile.archive.signals import (
    ArticlePreview,
    PendingWork,
    articles_changed,
    articles_coming,
    ingest_finished,
)
from backfile.authority import linking, matcher
from backfile.authority.models import Alias, Entry

_state = threading.local()


def _pending() -> dict | None:
    return getattr(_state, "pending", None)


def _deleting() -> set[int]:
    if not hasattr(_state, "deleting"):
        _state.deleting = set()
    return _state.deleting


def concerned(article_ids: set[int], names: list[str]) -> None:
    """Link again these articles and those naming these names (or note them, if suspended)."""
    matcher.forget()
    pending = _pending()
    if pending is not None:
        pending["articles"].update(article_ids)
        pending["names"].update(names)
        return
    linking.relink(article_ids | linking.articles_naming(names))


@contextmanager
def suspended():
    """Gather what entry and alias changes concern, and link it once, as the block ends
    (inside the caller's transaction, if there is one)."""
    if _pending() is not None:  # already gathering: the outer block links
        yield
        return
    _state.pending = {"articles": set(), "names": set()}
    try:
        yield
        pending = _state.pending
    finally:
        _state.pending = None
    matcher.forget()
    linking.relink(pending["articles"] | linking.articles_naming(sorted(pending["names"])))


# ---- articles ----------------------------------------------------------------------------------


@receiver(articles_coming, dispatch_uid="authority.find_coming_mentions")
def find_coming_mentions(
    sender, previews: list[ArticlePreview], workers: Executor | None = None, **kwargs
) -> PendingWork | None:
    """Find the mentions of articles about to be written in the sender's worker processes,
    before their write transaction (an ingest's; nothing without workers, nor when the
    authority file names nothing: then there is nothing to find, and no text is read)."""
    if workers is None or not previews or matcher.current().empty:
        return None
    return linking.find_ahead([linking.preview_text(p) for p in previews], workers)


@receiver(articles_changed, dispatch_uid="authority.link_changed_articles")
def link_changed_articles(sender, articles: list[Article] = (), prepared=(), **kwargs) -> None:
    written = [article for article in articles if article.pk is not None]
    if written:
        ahead = [each for each in prepared if isinstance(each, linking.MentionsAhead)]
        linking.link_articles(written, ahead)


# ---- entries -----------------------------------------------------------------------------------


@receiver(pre_save, sender=Entry, dispatch_uid="authority.entry_before_save")
def entry_before_save(sender, instance: Entry, raw: bool = False, **kwargs) -> None:
    instance._linked_as = (
        None
        if raw or instance.pk is None
        else Entry.objects.filter(pk=instance.pk).values_list("name", "capitalised").first()
    )


@receiver(post_save, sender=Entry, dispatch_uid="authority.entry_saved")
def entry_saved(sender, instance: Entry, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_linked_as", None)
    now = (instance.name, instance.capitalised)
    if before == now:  # a note or dates edited: nothing a matcher reads
        return
    names = [instance.name]
    if before is not None and before[1] != instance.capitalised:
        names += list(instance.aliases.values_list("name", flat=True))
    concerned(linking.articles_mentioning([instance.pk]), names)


@receiver(pre_delete, sender=Entry, dispatch_uid="authority.entry_before_delete")
def entry_before_delete(sender, instance: Entry, **kwargs) -> None:
    _deleting().add(instance.pk)
    instance._linked_names = [
        instance.name, *Alias.objects.filter(entry_id=instance.pk).values_list("name", flat=True)
    ]  # fmt: skip
    instance._linked_articles = linking.articles_mentioning([instance.pk])


@receiver(post_delete, sender=Entry, dispatch_uid="authority.entry_deleted")
def entry_deleted(sender, instance: Entry, **kwargs) -> None:
    _deleting().discard(instance.pk)
    concerned(getattr(instance, "_linked_articles", set()), getattr(instance, "_linked_names", []))


# ---- aliases -----------------------------------------------------------------------------------


@receiver(pre_save, sender=Alias, dispatch_uid="authority.alias_before_save")
def alias_before_save(sender, instance: Alias, raw: bool = False, **kwargs) -> None:
    instance._linked_as = (
        None
        if raw or instance.pk is None
        else Alias.objects.filter(pk=instance.pk).values_list("name", "entry_id").first()
    )


@receiver(post_save, sender=Alias, dispatch_uid="authority.alias_saved")
def alias_saved(sender, instance: Alias, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_linked_as", None)
    if before == (instance.name, instance.entry_id):
        return
    entries = {instance.entry_id} | ({before[1]} if before else set())
    concerned(linking.articles_mentioning(entries), [instance.name])


@receiver(pre_delete, sender=Alias, dispatch_uid="authority.alias_before_delete")
def alias_before_delete(sender, instance: Alias, **kwargs) -> None:
    instance._linked_articles = linking.articles_mentioning([instance.entry_id])


@receiver(post_delete, sender=Alias, dispatch_uid="authority.alias_deleted")
def alias_deleted(sender, instance: Alias, **kwargs) -> None:
    if instance.entry_id in _deleting():  # its entry goes too: linked once it has gone
        return
    concerned(getattr(instance, "_linked_articles", set()), [])


# ---- candidate names ---------------------------------------------------------------------------


REFRESH_TASK = "authority-candidates"  # the queued refresh's name


@receiver(ingest_finished, dispatch_uid="authority.refresh_candidates")
def refresh_candidates(sender, **kwargs) -> None:
    """Queue a refresh of the candidate names, unless one waits already (not yet taken by a
    worker: one that is running may have read the archive before this run's articles)."""
    from django.utils import timezone
    from django_q.models import OrmQ
    from django_q.tasks import async_task

    # (django-q2's database broker: a task waits with its `lock` in the past, and a worker
    # that takes it moves the lock to when it will give up)
    waiting = OrmQ.objects.filter(lock__lte=timezone.now())
    if any(task.name() == REFRESH_TASK for task in waiting):
        return
    async_task("backfile.authority.candidates.refresh", task_name=REFRESH_TASK)
