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

import calendar
import os
import posixpath
import re
import urllib.parse
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import PurePosixPath

from backfile.ingest.language import NOT_DETECTED, detect, record_text
from backfile.ingest.pictures import picture_page
from backfile.ingest.readers.base import Output, Reader
from backfile.ingest.readers.legacy_galleries import photo_essays
from backfile.ingest.readers.legacy_page import (
    DATELINE_HINT,
    FORMAT,
    HEADLINE_FONT,
    PAGE_NAME,
    PAGE_SUFFIXES,
    Page,
    declared_charset,
    read_page,
    site_key,
)
from backfile.ingest.readers.legacy_picture_files import LegacyPictures
from backfile.ingest.readers.legacy_pictures import add_figures, picture_head
from backfile.ingest.readers.section_labels import SectionLabels
from backfile.ingest.records import (
    ArticleRecord,
    Block,
    Failure,
    IssueRecord,
    Notice,
    Source,
)
from backfile.ingest.sources import SourceFile
from backfile.workers import worker_pool


def read_folder(sources: list[tuple[str, str]]) -> list[Page | Failure]:
    """Read one folder's pages; a page that cannot be read becomes a Failure, not a lost folder.

    Runs in a worker process on large inputs, so the page texts are not sent
    back (the caller still has them).
    """
    pages: list[Page | Failure] = []
    for key, text in sources:
        try:
            page = read_page(key, text)
            add_figures(page, text)  # its pictures as figures in place (legacy_pictures)
        except Exception as error:  # one broken page must not cost the issue its other pages
            pages.append(Failure(key, f"{FORMAT} reader failed: {error!r}"))
            continue
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


class LegacyHtmlReader(Reader):
    """Pages are read folder by folder; past PARALLEL_AFTER pages a worker process reads
    the next folder while the loader stores the last one."""

    format = FORMAT
    description = "a hand-made HTML weekly site: issue folders with contents and article pages"
    priority = 30
    PARALLEL_AFTER = 60
    IN_FLIGHT = 24  # folders handed to the worker and not yet turned into records
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
        name = posixpath.basename(file.path.replace("\\", "/"))
        return bool(DATELINE_HINT.search(head) or b'width="480"' in head or PAGE_NAME.match(name))

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
        """One worker process for large inputs on a machine with a core to spare."""
        if (
            self._pool is None
            and self._pages_seen > self.PARALLEL_AFTER
            and (os.cpu_count() or 1) > 1
        ):
            self._pool = worker_pool(1)
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


FILE_NUMBER = re.compile(r"(\d+)[A-Za-z]*_")
# How many issues from the nearest issue read the run's cadence may count: further away,
# the weeks a paper skips (a summer's fortnightly issues, a holiday) make it guess wrong.
CADENCE_REACH = 2
EDITION_FOLDER = re.compile(r"(\d+)[A-Za-z]+")  # `377A`: an edition beside issue 377


def _done(read: Future | list) -> bool:
    return not isinstance(read, Future) or read.done()


@dataclass
class Placement:
    """Where the contents pages put an article."""

    section: str = ""
    kicker: str = ""
    summary: str = ""
    position: int | None = None


class IssueFolder:
    """One issue's folder: its contents page, its articles in contents order, and what is left over."""

    def __init__(self, reader: LegacyHtmlReader, pages: list[Page], publication: str, final: bool):
        self.reader = reader
        self.publication = publication
        self.pages = pages
        self.final = final
        self.by_name = {_stem(page.name): page for page in pages}
        self.hubs = {page.key for page in pages if is_series_page(page)}
        contents = [page for page in pages if page.is_contents and page.key not in self.hubs]
        contents.sort(key=lambda page: page.dateline is None or page.dateline.issue_number is None)
        self.contents = contents[0] if contents else None
        self.notices: list[Notice] = []
        self.typo_date: tuple | None = None  # a date shown to be a slip, never an article's own

    def outputs(self) -> Iterator[Output]:
        """Records in contents order; pages of a folder seen earlier join that folder's issue."""
        where = (self.publication, self.pages[0].folder)
        earlier = self.reader._placed.get(where)
        if self.contents is None and earlier is not None:
            issue, placements, next_position = earlier
        else:
            issue, placements = self.issue(), self.placements()
            next_position = len(placements)
        for page in (p for p in self.pages if p.is_article or p.key in self.hubs):
            if issue is None:
                yield Failure(page.key, UNDATED)
                continue
            placement = placements.get(page.key)
            if placement is None:
                placement = Placement(position=next_position)
                next_position += 1
                self.notices.append(
                    Notice(
                        page.key, f"not linked from any contents page; placed in {_label(issue)}"
                    )
                )
            if page.dateline is None:
                self.notices.append(Notice(page.key, _dated_by(self.contents, issue)))
            yield self.article(page, issue, placement)
        if issue is None:
            yield from self.notices
            return
        self.reader._placed[where] = (issue, placements, next_position)
        for page in self.pages:
            if page is self.contents:
                self.notices.append(
                    Notice(
                        page.key,
                        f"contents page of {_label(issue)}: {len(placements)} articles placed",
                        kind="contents page",
                    )
                )
            elif page.key in self.hubs:
                self.notices.append(
                    Notice(
                        page.key,
                        f"series page (an introduction and links to its parts: "
                        f"{', '.join(e.href for e in page.entries)}): "
                        f"kept as an article of {_label(issue)}",
                        kind="series page",
                    )
                )
            elif page.is_article:
                continue
            elif pictures := picture_page(page.text):
                self.notices.append(Notice(page.key, pictures, kind="picture page"))
            elif page.is_contents and any(self._resolve(page, e.href) for e in page.entries):
                self.notices.append(
                    Notice(
                        page.key,
                        f"further contents page of {_label(issue)}, listing {len(page.entries)} articles",
                        kind="contents page",
                    )
                )
            elif page.entries:
                self.notices.append(
                    Notice(
                        page.key,
                        f"navigation page (links only, to {len(page.entries)} pages none of "
                        "which is in its folder): not an article",
                        kind="navigation page",
                    )
                )
            else:
                self.notices.append(
                    Notice(
                        page.key,
                        "neither an article nor a contents page (no headline or dateline)",
                        kind="other page",
                    )
                )
        yield from self.notices

    def issue(self) -> IssueRecord | None:
        """The issue from its contents page, checked against its articles' datelines and folder."""
        number = self._folder_number()
        if self.contents is None:
            known = (
                self.reader._issues.get((self.publication, number)) if number is not None else None
            )
            if known is not None and self.final:
                return known
            return self._issue_record(number, self._datelines_date(), "")
        line = self.contents.dateline
        printed = (line.date.year, line.date.month, line.date.day) if line else None
        title = line.label if line and line.issue_number is None else ""
        if line and line.date.label:  # a season or a range of months: `Winter 2004-5`
            title = line.date.label
        when = self._choose_date(printed)
        if line and line.issue_number is not None:
            number = self._checked_number(line.issue_number, when[:3] if when else None)
        elif EDITION_FOLDER.fullmatch(PurePosixPath(self.pages[0].folder).name):
            # an edition (`377A/`, a special issue beside No. 377) whose own contents page
            # prints no number has none; a folder without a contents page (`500Supp/`, a
            # supplement) still goes with the issue its name numbers
            number = None
        record = self._issue_record(number, when, title)
        if number is not None and record is not None:
            self.reader._issues.setdefault((self.publication, number), record)
            if record.day:
                self.reader._dated.setdefault(self.publication, []).append(
                    (date(record.year, record.month, record.day), number)
                )
        return record

    def _checked_number(self, printed: int, when: tuple | None) -> int:
        """The contents page's number, unless the rest of the evidence agrees on another.

        The evidence: the issue folder's name (`459/`), its pages' names (`459_08_…`)
        and the run's cadence (from the issues already read, the number this date
        should have). The number most of them give wins; a tie keeps the printed
        number, unless another issue of the run already has it.
        """
        evidence = {"contents page": printed}
        folder, names = self._folder_number(), self._file_number()
        if folder is not None:
            evidence["folder"] = folder
        if names is not None:
            evidence["page names"] = names
        expected = self.reader.expected_number(self.publication, when)
        if expected is not None:
            evidence["cadence"] = expected
        votes = Counter(evidence.values())
        taken = self._taken(printed, when)
        # a tie keeps the printed number, unless another issue of the run has it
        best, _ = max(votes.items(), key=lambda item: (item[1], (item[0] == printed) != taken))
        if best == printed:
            return printed
        others = [name for name, number in evidence.items() if number == best]
        self.notices.append(
            Notice(
                self.contents.key,
                f"contents page says No. {printed}, {' and '.join(others)} "
                f"say{'s' if len(others) == 1 else ''} {best}: "
                f"stored as {best}",
            )
        )
        return best

    def _taken(self, number: int, when: tuple | None) -> bool:
        known = self.reader._issues.get((self.publication, number))
        return (
            known is not None and when is not None and (known.year, known.month, known.day) != when
        )

    def _file_number(self) -> int | None:
        """The number most of the folder's page names begin with (`459_08_Orwell.php`)."""
        numbers = Counter(
            int(match.group(1)) for p in self.pages if (match := FILE_NUMBER.match(p.name))
        )
        return numbers.most_common(1)[0][0] if numbers else None

    def _issue_record(
        self, number: int | None, when: tuple | None, title: str
    ) -> IssueRecord | None:
        """The issue of that number and date; None when no date or year is printed anywhere
        (a date never comes from the clock)."""
        year, month, day = when[:3] if when else (self._fallback_year(), None, None)
        if year is None:
            return None
        if not title and when and len(when) > 3:
            title = when[3]
        record = IssueRecord(year=year, number=number, month=month, day=day, title=title)
        folder = PurePosixPath(self.pages[0].folder).name
        edition = EDITION_FOLDER.fullmatch(folder)
        if edition and (number is None or int(edition.group(1)) == number):
            record.slug = _issue_slug(folder.lower(), year, month, day)
        return record

    def _datelines_date(self) -> tuple | None:
        """The date most of the folder's articles print, when more than half agree: to the day,
        or to the month (a monthly's `abril de 2001`, with a season's or range's printed words
        as a fourth part: `noviembre-diciembre de 2006`)."""
        dated = Counter(
            (p.dateline.date.year, p.dateline.date.month, p.dateline.date.day)
            for p in self.pages
            if p.is_article and p.dateline
        )
        if not dated:
            return None
        when, count = dated.most_common(1)[0]
        if count * 2 <= sum(dated.values()):
            return None
        labels = Counter(
            p.dateline.date.label
            for p in self.pages
            if p.is_article
            and p.dateline
            and p.dateline.date.label
            and (p.dateline.date.year, p.dateline.date.month, p.dateline.date.day) == when
        )
        return (*when, labels.most_common(1)[0][0]) if labels else when

    def _choose_date(self, printed: tuple | None) -> tuple | None:
        """The contents page's date, unless the articles agree on another and the folder's year sides with them.

        The site's contents pages were made from the previous issue's, and now
        and then kept its date or year; article datelines have their own slips.
        """
        articles = self._datelines_date()
        if printed is None or articles is None or articles[:3] == printed:
            return printed or articles
        articles = articles[:3]
        folder_year = self._folder_year()
        chosen, rejected = articles, printed
        if printed[0] == folder_year != articles[0]:
            chosen, rejected = printed, articles
        self.typo_date = rejected
        self.notices.append(
            Notice(
                self.contents.key,
                f"contents page prints {_date_label(*printed)} but most articles are dated "
                f"{_date_label(*articles)}; {_date_label(*chosen)} is used "
                f"(the issue folder is in {folder_year})",
            )
        )
        return chosen

    def placements(self) -> dict[str, Placement]:
        """Every page the contents pages link to, in contents order (features' lists in place)."""
        found: dict[str, Placement] = {}
        if self.contents is not None:
            self._place(self.contents, "", found, {self.contents.key})
        return found

    def _place(self, page: Page, section: str, found: dict[str, Placement], seen: set[str]) -> None:
        for entry in page.entries:
            target = self._resolve(page, entry.href)
            entry_section = entry.section if page is self.contents else section
            if target is None:
                self.notices.append(  # said only if no article of the archive is its target
                    Notice(
                        page.key,
                        f"links to {entry.href} ({entry.title!r}), which is not in the archive",
                        link=entry.href,
                    )
                )
                continue
            if target.key in seen:
                continue
            seen.add(target.key)
            if target.is_article or target.key in self.hubs:
                found[target.key] = Placement(
                    entry_section, entry.kicker, entry.summary, position=len(found)
                )
            self._place(target, entry_section, found, seen)

    def _resolve(self, page: Page, href: str) -> Page | None:
        path = urllib.parse.unquote(href.split("#", 1)[0].split("?", 1)[0])
        if not path or "/" in path.strip("./"):
            return None
        return self.by_name.get(_stem(path))

    def article(self, page: Page, issue: IssueRecord, placement: Placement) -> ArticleRecord:
        line = page.dateline
        published = line.date.as_date() if line else None
        if published == _issue_date(issue) or (
            line and (line.date.year, line.date.month, line.date.day) == self.typo_date
        ):
            published = None
        section, kicker = self.reader.labels.split(page, placement.section)
        blocks = page.blocks
        title = page.title
        if page.key in self.hubs:  # a series page: its first heading, if any, and its links
            heading = next((b for b in blocks[:3] if b.type == "heading"), None)
            if heading is not None and not title:
                title, blocks = heading.text, [b for b in blocks if b is not heading]
            blocks = _linked_parts(blocks, page)
        record = ArticleRecord(
            publication=self.publication,
            key=page.key,
            issue=issue,
            title=title or page.html_title or PurePosixPath(page.key).stem,
            source=Source(page.key, FORMAT, page.sha256, page.text),
            section=section,
            kicker=kicker or placement.kicker,
            standfirst=page.standfirst,
            summary=placement.summary,
            authors=page.authors,
            contributors=page.contributors,
            pages=line.pages if line else "",
            position=placement.position,
            published=published,
            language=page.language,
            blocks=blocks,
            reviewed_works=list(page.reviewed_works),
            notes=list(page.notes),
        )
        if page.detected != NOT_DETECTED and title == page.title:
            record.detected = page.detected  # see backfile.ingest.language
        return record

    def _folder_number(self) -> int | None:
        match = re.match(r"\d+", PurePosixPath(self.pages[0].folder).name)
        return int(match.group()) if match else None

    def _fallback_year(self) -> int | None:
        """For an undated issue: the folder's year, else any year its pages print, else None
        (never the year of the clock)."""
        years = [p.dateline.date.year for p in self.pages if p.dateline]
        return self._folder_year() or (min(years) if years else None)

    def _folder_year(self) -> int | None:
        """`2003` from the period folder `2003-2` the issue folder sits in."""
        match = re.match(r"(?:1[89]|20)\d\d", PurePosixPath(self.pages[0].folder).parent.name)
        return int(match.group()) if match else None


UNDATED = (
    "no date: the page prints none, and neither its contents page nor its folder gives one "
    "(a date is never taken from the clock)"
)


def _dated_by(contents: Page | None, issue: IssueRecord) -> str:
    """The notice for an article page that prints no date of its own."""
    if contents is not None and contents.dateline is not None:
        source = "its contents page"
    elif issue.month:
        source = "the other pages of its issue folder"
    else:
        source = "its folder's name"
    return f"prints no date; dated {_date_label(issue.year, issue.month, issue.day)} by {source}"


def is_series_page(page: Page) -> bool:
    """A page listing articles (no headline, no issue number of its own) that also has an
    introduction: paragraphs of prose besides what its list says of each article."""
    if not page.is_contents or page.dateline is not None and page.dateline.issue_number:
        return False
    listed = {text for e in page.entries for text in (e.title, e.kicker, e.summary)}
    prose = [
        b.text
        for b in page.blocks
        if b.type == "paragraph" and b.text not in listed and "<a " not in b.html
        if len(b.text) >= 80
    ]
    return len(prose) >= 2 and sum(len(text) for text in prose) >= 400


def _linked_parts(blocks: list[Block], page: Page) -> list[Block]:
    """A series page's headings that name its parts, as links to them (the site points them
    at the parts' pages in the archive)."""
    hrefs = {entry.title: entry.href for entry in page.entries if entry.title}
    return [
        Block(
            b.type, b.text, f'<a href="{escape(hrefs[b.text])}">{escape(b.text, quote=False)}</a>'
        )
        if not b.html and b.text in hrefs
        else b
        for b in blocks
    ]


def _stem(name: str) -> str:
    lowered = name.lower()
    for suffix in PAGE_SUFFIXES:
        if lowered.endswith(suffix):
            return lowered[: -len(suffix)]
    return lowered


def _issue_slug(name: str, year: int, month: int | None, day: int | None) -> str:
    """`no-377a-september-14-2001`: like the archive's own slugs, with the folder's suffix kept."""
    parts = [f"no-{name}"]
    if month:
        parts.append(calendar.month_name[month].lower())
        if day:
            parts.append(str(day))
    return "-".join([*parts, str(year)])


def _issue_date(issue: IssueRecord) -> date | None:
    if issue.month and issue.day:
        return date(issue.year, issue.month, issue.day)
    return None


def _date_label(year: int, month: int | None, day: int | None) -> str:
    """`2003-07-04`, `2003-07` or `2003`, as far as the date is known."""
    return "-".join(f"{part:02d}" for part in (year, month, day) if part)


def _label(issue: IssueRecord) -> str:
    number = f"issue {issue.number}" if issue.number is not None else "the issue"
    return f"{number} ({_date_label(issue.year, issue.month, issue.day)})"
