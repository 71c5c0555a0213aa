"""The loader's part for printed pages: storing PageRecords, and linking articles to pages.

A page is the same page across re-ingests by its publication, issue and `sequence`. Its
fingerprint (`page_fingerprint`) covers everything stored from the record: an unchanged
page is not written, a changed one is, unless an editor has corrected its text (`edited`):
then the correction is kept and the report says the source changed (a conflict), as for
an article. Each page is written in a transaction of its own, with its figures; a page the
database refuses fails alone and leaves nothing of itself.

The page image and any other asset (the issue's PDF) are stored as pictures are
(`backfile.media.store`) while the page is read, and the page's `width` and `height` are
those of its image where the loader can measure it. Figures (`PageRecord.figures`) replace
the page's figures unless an editor has added, changed or removed one there.

After each batch of pages, the articles of their issues are linked to them by printed
page number (and by their zones, where their records came before the pages:
`backfile.ingest.page_links`), and `pages_stored` is sent with the pages written.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from django.db import DatabaseError, transaction
from PIL import Image

from backfile.archive.models import Article
from backfile.archive.signals import articles_changed
from backfile.facsimiles.models import Page, PageFigure
from backfile.facsimiles.signals import pages_stored
from backfile.ingest.accounting import PAGE
from backfile.ingest.checks import page_problem
from backfile.ingest.directory import identity
from backfile.ingest.page_links import Wanted, link, relink_issues
from backfile.ingest.page_records import PageRecord, blocks_to_layout
from backfile.ingest.records import SORTED_JSON, ArticleRecord, Region, _plain, sha256_text
from backfile.media.models import Asset
from backfile.media.store import AssetStore

if TYPE_CHECKING:
    from backfile.ingest.loader import Loader

PAGE_BATCH = 20  # pages read into one batch: a page's words and boxes weigh more than an article


class PageWriter:
    """Stores one ingest's pages for its loader, and keeps its articles' links to pages."""

    def __init__(self, loader: Loader):
        self.loader = loader
        self.report = loader.report
        self._paged: set[int] | None = None  # ids of issues with pages stored (read once)
        # regions of articles whose pages were not stored when they were written:
        # issue id → article id → (regions, the record's path)
        self._waiting: dict[int, dict[int, tuple[list[Region], str]]] = {}
        self._unannounced: list[Page] = []  # pages whose images were not stored yet

    # Reading -------------------------------------------------------------------------

    def read(self, page: PageRecord, assets: AssetStore) -> bool:
        """A page the loader has read: checked, its assets stored, its size measured. False
        (and reported) where it cannot be stored."""
        if problem := page_problem(page):
            path = getattr(page.source, "path", "") or f"(page {page.sequence!r})"
            self.report.add(path, "failed", f"page not stored: {problem}", kind=PAGE)
            return False
        measure(page)
        for notice in assets.store(page) if page.assets else ():
            self.report.add(notice.path, "noted", notice.message)
        for asset in page.assets:  # the asset store keeps what it still needs
            asset.content = None
        return True

    # Writing -------------------------------------------------------------------------

    def write(self, pages: list[PageRecord]) -> None:
        """Store a batch of pages, each in its transaction; then link the articles of their
        issues to them, and send `pages_stored` with the pages written."""
        if not pages:
            return
        written: list[Page] = []
        touched: set[int] = set()
        for record in pages:
            page, status = self._write_one(record)
            if page is not None:
                touched.add(page.issue_id)
                self.report.page_issues.add(page.issue_id)
                if status in ("added", "updated"):
                    written.append(page)
        self.paged_issues().update(touched)
        relink = {page.issue_id for page in written} | (touched & self._waiting.keys())
        if relink:
            popped = {
                article: (issue, waiting)
                for issue in relink
                for article, waiting in self._waiting.pop(issue, {}).items()
            }
            with transaction.atomic():
                missing = relink_issues(relink, {a: w[1][0] for a, w in popped.items()})
            for article in missing:  # zones whose pages are still not stored wait on
                issue, waiting = popped[article]
                self._waiting.setdefault(issue, {})[article] = waiting
        if written:
            self._announce(written)

    def _announce(self, written: list[Page]) -> None:
        """Send `pages_stored` for the pages whose image is stored; a page whose image is still
        in the picture workers' hands (the IIIF tiles need its file) is announced by `finish`,
        once the loader has stored every picture."""
        images = {page.image for page in written if page.image}
        stored = set(Asset.objects.filter(sha256__in=images).values_list("sha256", flat=True))
        ready = [page for page in written if not page.image or page.image in stored]
        self._unannounced += [page for page in written if page not in ready]
        if ready:
            pages_stored.send(sender=Page, pages=ready)

    def _write_one(self, record: PageRecord) -> tuple[Page | None, str]:
        """Store one page (unless unchanged, or corrected by an editor) and report it."""
        path = record.source.path
        layout = blocks_to_layout(record.blocks)
        fingerprint = page_fingerprint(record, layout)
        try:
            with transaction.atomic():
                publication = self.loader.directory.publication(record.publication)
                redated: dict[int, Article] = {}
                issue = self.loader.directory.issue(publication, record.issue, redated)
                if redated:  # the page's source redated its issue's articles
                    articles_changed.send(sender=Article, articles=list(redated.values()))
                page = Page.objects.filter(issue=issue, sequence=record.sequence).first()
                if page is not None and page.ingested_fingerprint == fingerprint:
                    status = "unchanged"
                elif page is not None and page.edited:
                    reason = (
                        f"the source of page {record.sequence} changed but an editor has "
                        "corrected its text; review the change in the editors' desk"
                    )
                    self.report.add(path, "conflict", reason, kind=PAGE)
                    self.report.incoming[(path, reason)] = {"page": page.pk, "text": record.text}
                    return page, "conflict"
                else:
                    status = "updated" if page is not None else "added"
                    page = page or Page(issue=issue, sequence=record.sequence)
                    fill(page, record, layout, fingerprint)
                    page.skip_history_when_saving = True  # ingest is not an editorial revision
                    page.save()
                    del page.skip_history_when_saving
                    self._write_figures(page, record, new=status == "added")
        except (DatabaseError, ValueError) as error:
            self.loader.forget_cached_rows()
            self.report.add(
                path, "failed", f"page {record.sequence} not stored: {error}", kind=PAGE
            )
            return None, "failed"
        for note in record.notes:
            self.report.add(path, "noted", note)
        self.report.add(path, status, kind=PAGE)
        return page, status

    def _write_figures(self, page: Page, record: PageRecord, new: bool) -> None:
        """The record's figures in place of the page's, unless an editor has marked any."""
        if not new:
            if PageFigure.history.filter(page_id=page.pk).exclude(history_user=None).exists():
                return  # an editor's figures are kept
            PageFigure.objects.filter(page=page).delete()
        keys = {figure.article for figure in record.figures if figure.article}
        articles = (
            dict(
                Article.objects.filter(
                    publication_id=page.issue.publication_id, key__in=keys
                ).values_list("key", "pk")
            )
            if keys
            else {}
        )
        PageFigure.objects.bulk_create(
            PageFigure(
                page=page,
                x=figure.x,
                y=figure.y,
                w=figure.w,
                h=figure.h,
                caption=figure.caption,
                article_id=articles.get(figure.article),
            )
            for figure in record.figures
        )

    # Links ---------------------------------------------------------------------------

    def paged_issues(self) -> set[int]:
        """The ids of issues with pages stored: one query for the whole ingest."""
        if self._paged is None:
            self._paged = set(Page.objects.order_by().values_list("issue_id", flat=True).distinct())
        return self._paged

    def link_articles(self, records: list[ArticleRecord], written: dict[int, Article]) -> None:
        """After a transaction of articles (in it): link those in issues with pages to them by
        printed number, and every record's zones to its pages. Nothing to do, and no query,
        for articles of issues without pages and records without zones."""
        paged = self.paged_issues()
        zoned = [record for record in records if record.regions]
        printed = [article for article in written.values() if article.issue_id in paged]
        if not zoned and not printed:
            return
        by_identity = {identity(record): record for record in records}
        wanted: dict[int, Wanted] = {}
        paths: dict[int, str] = {}
        for article in printed:
            record = by_identity.get((article.publication.slug, article.key))
            regions = record.regions if record is not None else None
            wanted[article.pk] = Wanted(article.pk, article.issue_id, article.pages, regions)
            if record is not None:
                paths[article.pk] = record.source.path
        for pk, issue_id, pages, slug, key in (
            Article.objects.filter(
                publication__slug__in={identity(r)[0] for r in zoned},
                key__in=[r.key for r in zoned],
            ).values_list("pk", "issue_id", "pages", "publication__slug", "key")
            if zoned
            else ()
        ):
            if record := by_identity.get((slug, key)):
                wanted[pk] = Wanted(pk, issue_id, pages, record.regions)
                paths[pk] = record.source.path
        for article in link(list(wanted.values())):
            want = wanted[article]
            self._waiting.setdefault(want.issue_id, {})[article] = (
                want.regions or [],
                paths.get(article, ""),
            )

    def finish(self) -> None:
        """Announce the pages whose images were stored last; report the zones that name pages
        never stored."""
        if self._unannounced:
            pages_stored.send(sender=Page, pages=self._unannounced)
            self._unannounced = []
        for waiting in self._waiting.values():
            for article, (regions, path) in waiting.items():
                sequences = sorted({region.sequence for region in regions})
                self.report.add(
                    path or f"(article {article})",
                    "noted",
                    f"its zones on the pages of sequence {', '.join(map(str, sequences))} are "
                    "not linked: its issue has no such pages stored (ingest the issue's pages "
                    "with it)",
                )
        self._waiting.clear()


def fill(page: Page, record: PageRecord, layout: list[dict], fingerprint: str) -> None:
    text = record.text
    page.label = record.label
    page.image = record.image
    page.width = record.width
    page.height = record.height
    page.text = text
    page.source_text = text
    page.layout = layout
    page.text_source = record.text_source
    page.confidence = record.confidence
    page.language = record.language
    page.source_path = record.source.path
    page.ingested_fingerprint = fingerprint


def page_fingerprint(record: PageRecord, layout: list[dict]) -> str:
    """A hash of everything stored from the page record (not its issue, stored as the
    issue's; nor its source beyond the path, which is all a page keeps of it)."""
    data = {
        "figures": _plain(record.figures),
        "height": record.height,
        "image": record.image,
        "label": record.label,
        "language": record.language,
        "layout": layout,
        "source": record.source.path,
        "text_source": record.text_source,
        "width": record.width,
    }
    return sha256_text(SORTED_JSON.encode(data))


def measure(page: PageRecord) -> None:
    """Set the page's width and height to its image's, where the image can be measured (its
    header read from the bytes or file given, or its stored asset's)."""
    image = next((a for a in page.assets if a.sha256 == page.image), None) if page.image else None
    if image is None:
        return
    size = None
    source = io.BytesIO(image.content) if image.content is not None else image.location
    if source:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with Image.open(source) as opened:
                    size = opened.size
        except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
            size = None
    else:
        stored = Asset.objects.filter(sha256=image.sha256).values_list("width", "height").first()
        size = stored if stored and all(stored) else None
    if size:
        page.width, page.height = size
