"""What the facsimiles app does when the loader announces stored pages (`pages_stored`):
the pages' images are cut into IIIF tiles, and the page cache of their publications retired
(the issue page lists its pages; the loader's bulk writes send no post_save). An editor's
change to a page, which does, retires them too."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from backfile.archive.models import Issue
from backfile.caching.generation import bump
from backfile.facsimiles.models import Page
from backfile.facsimiles.signals import pages_stored
from backfile.facsimiles.tiles import make_for_pages


def pages_changed(sender, pages=(), make_tiles: bool = True, **kwargs) -> None:
    """Tiles for the pages' images (0.1–0.3 s a scanned page; a sender that would rather
    leave them to `backfile make-tiles` sends `make_tiles=False`), and the cache retired."""
    pages = list(pages)
    if not pages:
        return
    if make_tiles:
        make_for_pages(pages)
    issues = {page.issue_id for page in pages}
    bump(
        publications=set(
            Issue.objects.filter(pk__in=issues).values_list("publication_id", flat=True)
        )
    )


def page_edited(sender, instance: Page, using: str | None = None, **kwargs) -> None:
    """An editor's change to one page (the loader's bulk writes send `pages_stored`)."""
    publications = Issue.objects.using(using).filter(pk=instance.issue_id)
    bump(using, publications=set(publications.values_list("publication_id", flat=True)))


pages_stored.connect(pages_changed, dispatch_uid="facsimiles.pages_changed")
post_save.connect(page_edited, sender=Page, dispatch_uid="facsimiles.page_saved")
post_delete.connect(page_edited, sender=Page, dispatch_uid="facsimiles.page_deleted")
