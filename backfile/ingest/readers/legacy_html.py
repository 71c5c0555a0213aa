"""A hand-made weekly site of the 2000s: one folder per issue, a contents page, article pages.

The layout is the paper's own, made with <font> tags: on an article page a
kicker and a headline (Times, sizes 4 and 5), a dateline (`July 4, 2003 |
Page 8`, Arial size 2), often a bold standfirst naming the writers in capitals,
then paragraphs, `- - - -` section breaks, and sometimes subheadings. The issue's
contents page (`459_Storylist.php`) opens with `July 4, 2003 | Issue 459` and
lists the articles under section headings, each with kicker, headline link and
summary; a feature's own page can list further articles the same way.

An article needs its contents page (section, order, summary) and the contents
page needs the articles (to check its date), so pages are buffered per issue
folder and an issue's records are emitted when the next folder starts, or at
`finish`. Folders without a contents page wait for `finish`, when every issue
number seen is known. Keys are the page's path below the site root
(`2003-2/459/459_08_Orwell.php`), the same for the archive and its unpacked
folder.
"""

from __future__ import annotations

import os
import posixpath
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date

from backfile.ingest.language import detect, record_text
from backfile.ingest.readers.base import Output, Reader
from backfile.ingest.readers.legacy_galleries import photo_essays
from backfile.ingest.readers.legacy_issue_folder import DATE_FOLDER, IssueFolder
from backfile.ingest.readers.legacy_page import (
    DATELINE_HINT,
    FORMAT,
    HEADLINE_FONT,
    PAGE_NAME,
    Page,
    declared_charset,
    read_page,
    site_key,
)
from backfile.ingest.readers.legacy_picture_files import LegacyPictures
from backfile.ingest.readers.legacy_pictures import add_figures, picture_head
from backfile.ingest.readers.section_labels import SectionLabels
from backfile.ingest.records import (
    Failure,
    IssueRecord,
)
from backfile.ingest.sources import SourceFile
from backfile.workers import READ_AHEAD_NICENESS, worker_pool


def read_folder(sources: list[tuple[str, str]]) -> list[Page | Failure]:
    """Read one folder's pages; a page that cannot be read becomes a Failure, not a lost folder.

    Runs in a worker process on large inputs, so the page texts are not sent
    back (the caller still has them).
    """
    pages: list[Page | Failure] = []
    read = [_read(key, text) for key, text in sources]
    mastheads = _shared_headlines(read)
    for (key, text), page in zip(sources, read, strict=True):
        if isinstance(page, Page) and page.title in mastheads:
            page = _read(key, text, masthead=page.title)  # its own headline, under the paper's
        if isinstance(page, Failure):
            pages.append(page)
            continue
        blocks = list(page.blocks)
        try:
            add_figures(page, text)  # its pictures as figures in place (legacy_pictures)
        except Exception as error:  # its pictures must not cost the page its text
            page.blocks = blocks
            page.notes.append(f"its pictures could not be read ({error!r}); the text is kept")
        page.text = ""
        pages.append(page)
    # The language model's work, here in the worker process, for the folder's pages one after
    # the other once they are read: reading a page between two detections pushed the model's
    # tables (some 70 MB, read at random) out of the processor's caches, and back in cost a
    # tenth of this process's time.
    for page in pages:
        if isinstance(page, Page) and page.is_article:
            page.detected = detect(record_text(page))
    return pages


def _read(key: str, text: str, masthead: str = "") -> Page | Failure:
    try:
        return read_page(key, text, masthead)
    except Exception as error:  # one broken page must not cost the issue its other pages
        return Failure(key, f"{FORMAT} reader failed: {error!r}")


def _shared_headlines(pages: list[Page | Failure]) -> set[str]:
    """Headlines set in heading tags that two article pages of a folder share: the paper's
    name over every page (`<h1>The Harbour Light</h1>`), not an article's headline."""
    counted = Counter(
        page.title
        for page in pages
        if isinstance(page, Page) and page.headline_tag and page.is_article
    )
    return {title for title, count in counted.items() if count >= 2}


class LegacyHtmlReader(Reader):
    """Pages are read folder by folder; past PARALLEL_AFTER pages worker processes (two)
    read the next folders while the loader stores the last one."""

    format = FORMAT
    description = "a hand-made HTML weekly site: issue folders with contents and article pages"
    priority = 30
    PARALLEL_AFTER = 60
    IN_FLIGHT = 24  # folders handed to the workers and not yet turned into records
    # Two: with one, the ingest's main process waited on it (reading is as much work as
    # storing), and the other core was left to the search analysis' and the unpacker's
    # gaps. The folders' records still come out in the order their folders were read.
    WORKERS = 2
    options = ("source_pictures",)  # the run's picture files (backfile.ingest.source_pictures)

    def __init__(self, publication: str | None = None, source_pictures=None):
        super().__init__(publication)
        self.pictures = LegacyPictures(source_pictures)
        self._site = ""  # the site folder of the issue folder being fed
        self._folder: str | None = None
        self._sources: list[tuple[str, str]] = []
        self._pending: deque[tuple[str, list[tuple[str, str]], Future | list]] = deque()
        self._issues: dict[tuple[str, int], IssueRecord] = {}  # by (publication, number)
        self._waiting: list[tuple[str, list[Page]]] = []
        # (publication, folder) → its issue, placements and next free position, for late pages
        self._placed: dict[tuple[str, str], tuple[IssueRecord, dict, int]] = {}
        self._pages_seen = 0
        self.labels = SectionLabels()  # section labels seen so far in the run
        self._pool: ProcessPoolExecutor | None = None
        self._dated: dict[str, list[tuple[date, int]]] = {}  # publication → (date, number)

    @classmethod
    def sniff(cls, file: SourceFile) -> bool:
        """The site's font-tag headline, with a dateline, the three-column layout or its page names."""
        head = file.head
        if head.lstrip()[:5].lower() == b"<?xml" or b"<rss" in head[:4096]:
            return False
        if not HEADLINE_FONT.search(head):
            return picture_head(file.path, head)  # a page of pictures of such a site
        folder, name = posixpath.split(file.path.replace("\\", "/"))
        return bool(
            DATELINE_HINT.search(head)
            or b'width="480"' in head
            or PAGE_NAME.match(name)
            or DATE_FOLDER.fullmatch(posixpath.basename(folder))  # `2007-03-02/`
        )

    def feed(self, file: SourceFile) -> Iterator[Output]:
        site, key = site_key(file.path)
        folder = posixpath.dirname(key) or "."
        if self._folder is not None and folder != self._folder:
            self._submit_folder()
            yield from self._emit(keep=self.IN_FLIGHT)
        self._site = site
        self._folder = folder
        data = file.read_bytes()
        decoded = file.decoded(data, declared_charset(data))
        yield from decoded.notices(file.path)
        self._sources.append((key, decoded.text))
        self._pages_seen += 1

    def finish(self) -> Iterator[Output]:
        try:
            self._submit_folder()
            yield from self._emit(keep=0)
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
        waiting, self._waiting = self._waiting, []
        for site, pages in waiting:
            folder = IssueFolder(self, pages, self.publication_name(site), final=True)
            yield from self.pictures.resolved(folder.outputs(), site)
        yield from self.pictures.finish()  # records waiting for pictures later in the walk

    def _submit_folder(self) -> None:
        sources, self._sources, self._folder = self._sources, [], None
        if not sources:
            return
        pool = self._worker_pool()
        read = pool.submit(read_folder, sources) if pool else read_folder(sources)
        self._pending.append((self._site, sources, read))

    def _worker_pool(self) -> ProcessPoolExecutor | None:
        """Worker processes for large inputs on a machine with a core to spare."""
        if (
            self._pool is None
            and self._pages_seen > self.PARALLEL_AFTER
            and (os.cpu_count() or 1) > 1
        ):
            self._pool = worker_pool(self.WORKERS, niceness=READ_AHEAD_NICENESS)
        return self._pool

    def _emit(self, keep: int) -> Iterator[Output]:
        """Outputs of the folders read so far, in order, waiting only while more than
        `keep` are still being read (so the worker has folders queued while the loader
        stores a batch)."""
        while self._pending and (len(self._pending) > keep or _done(self._pending[0][2])):
            site, sources, read = self._pending.popleft()
            results = read.result() if isinstance(read, Future) else read
            pages = []
            for (_, text), page in zip(sources, results, strict=True):
                if isinstance(page, Failure):
                    yield page
                else:
                    page.text = text
                    pages.append(page)
            if pages:
                yield from self._folder_outputs(site, pages)

    def _folder_outputs(self, site: str, pages: list[Page]) -> Iterator[Output]:
        pages, taken = photo_essays(pages)  # a photo essay's pages: one gallery (legacy_galleries)
        yield from taken
        self.labels.learn(pages)
        folder = IssueFolder(self, pages, self.publication_name(site), final=False)
        if folder.contents is None:
            self._waiting.append((site, pages))
        else:
            yield from self.pictures.resolved(folder.outputs(), site)

    def expected_number(self, publication: str, when: tuple | None) -> int | None:
        """The number the run's cadence gives an issue of this date: from the nearest issue
        read so far, and the days an issue takes (the median over the issues read)."""
        known = sorted(set(self._dated.get(publication, ())))
        if len(known) < 2 or not when or not when[2]:
            return None
        day = date(*when)
        steps = sorted(
            (b[0] - a[0]).days / (b[1] - a[1])
            for a, b in zip(known, known[1:], strict=False)
            if b[1] > a[1]
        )
        if not steps:
            return None
        interval = steps[len(steps) // 2]
        nearest = min(known, key=lambda item: abs((item[0] - day).days))
        if interval <= 0 or nearest[0] == day:
            return None
        issues = round((day - nearest[0]).days / interval)
        if abs(issues) > CADENCE_REACH:
            return None  # too far from any issue read: weeks the paper skipped would count
        return nearest[1] + issues

    def publication_name(self, site: str) -> str:
        """--publication, else the site's folder: `socialist-worker` → `Socialist Worker`."""
        if self.publication:
            return self.publication
        return site.replace("-", " ").replace("_", " ").title() or "Unnamed publication"


# How many issues from the nearest issue read the run's cadence may count: further away,
# the weeks a paper skips (a summer's fortnightly issues, a holiday) make it guess wrong.
CADENCE_REACH = 2


def _done(read: Future | list) -> bool:
    return not isinstance(read, Future) or read.done()
