"""Printed pages in the JSONL export (docs/jsonl-format.md): a line `{"record": "page", …}`
for each page, after its issue's articles; an article's zones (`regions`) and its issue's
PDF on its own line.

What a page line holds is what the loader stores from a PageRecord, so that the round trip
(export → ingest into an empty archive → export) gives the same bytes: the page image, the
issue's cover and PDF are among its `assets` (their files in the export's assets folder),
its words are compact arrays as `Page.layout` keeps them, its figures name their article by
its key. A page's text as an editor corrected it is not part of the line: a page is
exported as its source gave it.
"""

from __future__ import annotations

import json
from typing import TextIO

from django.db.models import Prefetch

from backfile.archive.models import Article, Issue
from backfile.facsimiles.models import Page, PageFigure
from backfile.ingest.records import AssetRecord, Region, _plain
from backfile.media.export import AssetFiles, asset_record
from backfile.media.models import Asset

ISSUE_ORDER = ("publication__slug", "year", "month", "day", "number", "slug")


class IssuePages:
    """The export's pages, issue by issue, each issue's once; its issues' pictures and PDFs
    as asset records (a query for each, once)."""

    def __init__(self, publication: str | None = None) -> None:
        self.publication = publication  # a slug: only that publication's pages
        self._paged: set[int] | None = None  # ids of issues with pages (read at first need)
        self._done: set[int] = set()
        self._assets: dict[str, AssetRecord | None] = {}
        self.count = 0

    def paged(self) -> set[int]:
        if self._paged is None:
            pages = Page.objects.order_by()
            if self.publication is not None:
                pages = pages.filter(issue__publication__slug=self.publication)
            self._paged = set(pages.values_list("issue_id", flat=True).distinct())
        return self._paged

    def asset(self, sha256: str) -> AssetRecord | None:
        """The stored asset as a record with its file's location; None where not stored."""
        if not sha256:
            return None
        if sha256 not in self._assets:
            stored = Asset.objects.filter(sha256=sha256).first()
            self._assets[sha256] = asset_record(stored, with_location=True) if stored else None
        return self._assets[sha256]

    def pdf(self, issue: Issue) -> AssetRecord | None:
        """The issue's PDF, where it has one stored."""
        return self.asset(issue.pdf) if issue.pdf else None

    def write(self, out: TextIO, issue_id: int | None, files: AssetFiles) -> None:
        """The issue's pages, one line each in order, unless written already."""
        if issue_id is None or issue_id in self._done or issue_id not in self.paged():
            return
        self._done.add(issue_id)
        pages = (
            Page.objects.filter(issue_id=issue_id)
            .select_related("issue__publication")
            .prefetch_related(
                Prefetch(
                    "figures",
                    queryset=PageFigure.objects.select_related("article").order_by("y", "x", "pk"),
                )
            )
            .order_by("sequence")
        )
        for page in pages:
            data = self.page_to_json(page)
            files.add([a for a in map(self.asset, data["_assets"]) if a is not None])
            del data["_assets"]
            out.write(json.dumps(data, ensure_ascii=False, sort_keys=True))
            out.write("\n")
            self.count += 1

    def write_the_rest(self, out: TextIO, files: AssetFiles) -> None:
        """The pages of issues that have no articles, after everything else."""
        rest = self.paged() - self._done
        if rest:
            for issue in Issue.objects.filter(pk__in=rest).order_by(*ISSUE_ORDER).only("pk"):
                self.write(out, issue.pk, files)

    def page_to_json(self, page: Page) -> dict:
        """The page line (with `_assets`, the hashes of its assets, for their files)."""
        issue = page.issue
        image, cover, pdf = (self.asset(sha) for sha in (page.image, issue.cover, issue.pdf))
        assets = list({a.sha256: a for a in (image, cover, pdf) if a is not None}.values())
        issue_data = {
            "year": issue.year,
            "number": issue.number,
            "month": issue.month,
            "day": issue.day,
            "volume": issue.volume,
            "slug": issue.slug,
            "title": issue.title,
            "decade": f"{issue.decade}s",
        }
        if cover is not None:
            issue_data["cover"] = cover.sha256
        if pdf is not None:
            issue_data["pdf"] = pdf.sha256
        return {
            "record": "page",
            "publication": issue.publication.name,
            "issue": issue_data,
            "sequence": page.sequence,
            "label": page.label,
            "image": image.sha256 if image is not None else "",
            "width": page.width,
            "height": page.height,
            "text_source": page.text_source,
            "language": page.language,
            "blocks": page.layout,
            "figures": [figure_to_dict(f) for f in page.figures.all()],
            "source": {"path": page.source_path},
            "assets": [_plain(a) for a in assets],
            "_assets": [a.sha256 for a in assets],
        }


def figure_to_dict(figure) -> dict:
    """A page's figure: its box, and its caption and article's key where it has them."""
    data = {"x": figure.x, "y": figure.y, "w": figure.w, "h": figure.h}
    if figure.caption:
        data["caption"] = figure.caption
    if figure.article_id is not None:
        data["article"] = figure.article.key
    return data


def article_regions(article: Article) -> list[Region]:
    """The article's boxes on its pages (its zones, and boxes an editor marked), by page
    order; whole-page links (its printed pages) are its `pages`, not regions."""
    return [
        Region(link.page.sequence, *box)
        for link in article.page_links.all()
        if link.how in ("zoned", "editor")
        for box in link.regions
        if isinstance(box, list) and len(box) == 4 and all(isinstance(n, int) for n in box)
    ]
