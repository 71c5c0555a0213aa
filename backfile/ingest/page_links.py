"""Which printed pages an article runs on (`facsimiles.ArticlePage`), and where on them.

Three kinds of link, by `how`:

- `printed`: the article's printed `pages` (`8`, `6-7`, `Pages 6 and 7`, `pp. 12–14`,
  `páginas 6 y 7`) name pages of its issue by the labels printed on them; each page of the
  issue with such a label is linked whole. They follow the article's `pages` and the
  issue's page labels whichever is stored first, and `backfile relink-pages` makes them
  for an archive whose articles and pages were stored before.
- `zoned`: the source's article zones (`ArticleRecord.regions`, from METS/ALTO): the boxes
  on each page, replaced whenever the article's record is written.
- `editor`: marked on the desk. An ingest never removes nor changes these, and makes no
  other link to the same page for the same article.

A page linked by its zones is not linked again by its printed number.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from backfile.archive.models import Article
from backfile.facsimiles.models import ArticlePage, Page
from backfile.ingest.records import Region

PAGE_WORDS = re.compile(
    r"\b(?:pages?|pp?|pgs?|páginas?|págs?|pag|seiten?|s)\b\.?", re.IGNORECASE
)  # `Pages`, `pp.`, `páginas`, `Seite`, `S.`
SEPARATORS = re.compile(r"\s*(?:[,;&+/]|\band\b|\by\b|\bund\b|\bet\b|\be\b)\s*", re.IGNORECASE)
RANGE = re.compile(r"^([a-z]*)(\d+)\s*(?:-|–|—|\bto\b|\ba\b|\bbis\b)\s*(?:\1)?(\d+)$")
LABEL = re.compile(r"^[\w.]+$")
LONGEST_RANGE = 100  # `1-9999` is a typing slip, not an article of 9,999 pages


def printed_labels(pages: str) -> list[str]:
    """The page labels a printed `pages` names (as `label_key` gives them), in order:
    `Pages 6 and 7` → `6`, `7`; `pp. 12–14` → `12`, `13`, `14`; `A3-A4` → `a3`, `a4`."""
    text = PAGE_WORDS.sub(" ", pages.casefold()).strip(" .:")
    labels: list[str] = []
    for part in SEPARATORS.split(text):
        part = part.strip(" .:")
        if not part:
            continue
        if match := RANGE.match(part):
            prefix, first, last = match.group(1), int(match.group(2)), int(match.group(3))
            if first <= last < first + LONGEST_RANGE:
                labels += [label_key(f"{prefix}{n}") for n in range(first, last + 1)]
                continue
        if LABEL.match(part):
            labels.append(label_key(part))
    return list(dict.fromkeys(labels))


def label_key(label: str) -> str:
    """A printed page label as it is matched: case-folded, a number without leading zeros."""
    label = label.strip().casefold()
    return str(int(label)) if label.isdigit() else label


@dataclass
class Wanted:
    """What an article's links should be: its issue, its printed `pages`, and its regions
    (None where not known here: its zoned links are then left as they are)."""

    article_id: int
    issue_id: int
    pages: str
    regions: list[Region] | None = None


@dataclass
class IssuePages:
    by_sequence: dict[int, int]  # sequence → page id
    by_label: dict[str, list[int]]  # case-folded label → page ids


def issue_pages(issue_ids: Iterable[int]) -> dict[int, IssuePages]:
    """The stored pages of these issues, by sequence and by label; one query."""
    found: dict[int, IssuePages] = {}
    pages_of = Page.objects.filter(issue_id__in=set(issue_ids)).order_by("sequence")
    for pk, issue_id, sequence, label in pages_of.values_list(
        "pk", "issue_id", "sequence", "label"
    ):
        pages = found.setdefault(issue_id, IssuePages({}, defaultdict(list)))
        pages.by_sequence[sequence] = pk
        if label:
            pages.by_label[label_key(label)].append(pk)
    return found


def link(wanted: list[Wanted]) -> dict[int, list[int]]:
    """Make the articles' printed and zoned links what their `pages` and regions say, leaving
    editors' links alone. A few queries for the lot; the sequences of regions whose page is
    not stored, by article id (to try again once the pages come)."""
    by_article = {}
    for want in wanted:  # an article wanted twice: its regions, where known, win
        if want.regions is not None or want.article_id not in by_article:
            by_article[want.article_id] = want
    if not by_article:
        return {}
    pages_of = issue_pages(w.issue_id for w in by_article.values())
    existing: dict[int, dict[int, ArticlePage]] = defaultdict(dict)
    for stored in ArticlePage.objects.filter(article_id__in=list(by_article)):
        existing[stored.article_id][stored.page_id] = stored
    changes = Changes()
    missing: dict[int, list[int]] = {}
    for want in by_article.values():
        pages = pages_of.get(want.issue_id) or IssuePages({}, {})
        mine = existing.get(want.article_id, {})
        if want.regions is None:  # as they are
            zoned = {page: stored.regions for page, stored in mine.items() if stored.how == "zoned"}
        else:
            zoned, absent = boxes_by_page(want.regions, pages)
            if absent:
                missing[want.article_id] = absent
        printed = {
            page for label in printed_labels(want.pages) for page in pages.by_label.get(label, ())
        }
        changes.make(want.article_id, mine, zoned, printed)
    changes.write()
    return missing


def boxes_by_page(regions: list[Region], pages: IssuePages) -> tuple[dict, list[int]]:
    """The regions' boxes `[x, y, w, h]` by page id; the sequences of pages not stored."""
    boxes: dict[int, list[list[int]]] = {}
    absent: list[int] = []
    for region in regions:
        page = pages.by_sequence.get(region.sequence)
        if page is None:
            absent.append(region.sequence)
        else:
            boxes.setdefault(page, []).append([region.x, region.y, region.w, region.h])
    return boxes, sorted(set(absent))


class Changes:
    """The links to create, change and delete, written together."""

    def __init__(self) -> None:
        self.create: list[ArticlePage] = []
        self.update: list[ArticlePage] = []
        self.delete: list[int] = []

    def make(self, article: int, mine: dict[int, ArticlePage], zoned: dict, printed: set) -> None:
        """From the article's links now (`mine`, by page id) to its `zoned` boxes (by page id)
        and `printed` pages, its editor's links untouched."""
        for page, stored in mine.items():
            if stored.how == "editor":
                continue
            if page in zoned:
                wanted = ("zoned", zoned[page])
            elif page in printed:
                wanted = ("printed", [])
            else:
                self.delete.append(stored.pk)
                continue
            if (stored.how, stored.regions) != wanted:
                stored.how, stored.regions = wanted
                self.update.append(stored)
        for page, regions in zoned.items():
            if page not in mine:
                self.create.append(
                    ArticlePage(article_id=article, page_id=page, regions=regions, how="zoned")
                )
        for page in printed:
            if page not in mine and page not in zoned:
                self.create.append(ArticlePage(article_id=article, page_id=page, how="printed"))

    def write(self) -> None:
        if self.delete:
            ArticlePage.objects.filter(pk__in=self.delete).delete()
        if self.update:
            ArticlePage.objects.bulk_update(self.update, ["how", "regions"])
        if self.create:
            ArticlePage.objects.bulk_create(self.create)


def relink_issues(
    issue_ids: Iterable[int], regions: dict[int, list[Region]] | None = None
) -> dict[int, list[int]]:
    """Link every article of these issues to their pages by printed number (and by
    `regions`, by article id, where given: zones read before the pages came); what `link`
    returns."""
    regions = regions or {}
    wanted = [
        Wanted(pk, issue_id, pages, regions.get(pk))
        for pk, issue_id, pages in Article.objects.filter(issue_id__in=set(issue_ids))
        .order_by()
        .values_list("pk", "issue_id", "pages")
    ]
    return link(wanted)
