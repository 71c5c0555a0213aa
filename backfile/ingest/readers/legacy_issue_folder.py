"""One issue's folder of a legacy site made into records: its contents page placing the
articles (section, kicker, summary, order), its issue (the printed number checked against
the folder, the page names and the run's cadence; the date from the contents page or the
datelines), series pages linked to their parts, and what is left over (`IssueFolder`).
The reader (`legacy_html.LegacyHtmlReader`) reads the pages and hands each folder here."""

from __future__ import annotations

import calendar
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from backfile.ingest.language import NOT_DETECTED
from backfile.ingest.pictures import picture_page
from backfile.ingest.readers.base import Output
from backfile.ingest.readers.legacy_page import FORMAT, PAGE_SUFFIXES, Page
from backfile.ingest.records import (
    ArticleRecord,
    Block,
    Failure,
    IssueRecord,
    Notice,
    Source,
)

if TYPE_CHECKING:  # (the reader hands its folders here: no import at run time)
    from backfile.ingest.readers.legacy_html import LegacyHtmlReader

FILE_NUMBER = re.compile(r"(\d+)[A-Za-z]*_")
EDITION_FOLDER = re.compile(r"(\d+)[A-Za-z]+")  # `377A`: an edition beside issue 377
# A folder named by its issue's whole date, year first: `2007-03-02`, `20070302`, `2007_03_02`
DATE_FOLDER = re.compile(r"((?:1[89]|20)\d\d)[-_.]?([01]\d)[-_.]?([0-3]\d)")


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
                self.notices.append(Notice(page.key, _dated_by(self.contents, issue, self.pages)))
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
            return self._issue_record(number, self._datelines_date() or self._folder_date(), "")
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
        name = PurePosixPath(self.pages[0].folder).name
        match = re.match(r"\d+", name)
        return int(match.group()) if match and not self._named_by_date(name) else None

    def _named_by_date(self, name: str) -> bool:
        """A folder named by the date its pages print (`0302/`, `2007-03-02/`, `20070302/`,
        `2007-03/` for a monthly), not by its issue's number."""
        if self._folder_date() is not None:  # a whole date, year first
            return True
        figures = [int(digits) for digits in re.findall(r"\d+", name)]
        printed = {
            (page.dateline.date.year, page.dateline.date.month, page.dateline.date.day)
            for page in self.pages
            if page.dateline is not None
        }
        return any(figures in _date_shapes(*when) for when in printed)

    def _folder_date(self) -> tuple | None:
        """(year, month, day) from a folder named by a whole date (`2007-03-02/`), if any."""
        match = DATE_FOLDER.fullmatch(PurePosixPath(self.pages[0].folder).name)
        if match is None:
            return None
        try:
            return date(*map(int, match.groups())).timetuple()[:3]
        except ValueError:  # `2007-02-30/`: no date
            return None

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


def _dated_by(contents: Page | None, issue: IssueRecord, pages: list[Page]) -> str:
    """The notice for an article page that prints no date of its own."""
    if contents is not None and contents.dateline is not None:
        source = "its contents page"
    elif issue.month and any(page.dateline for page in pages):
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


def _date_shapes(year: int, month: int, day: int | None) -> list[list[int]]:
    """The figures a folder named by this date may hold: `0302`, `2007-03-02`, `02-03-07` …"""
    if day is None:
        return [[year, month], [int(f"{year}{month:02d}")]]
    shapes = [[month, day], [year, month, day], [day, month], [day, month, year]]
    shapes += [[int(f"{y}{month:02d}{day:02d}")] for y in (year, year % 100, "")]
    return shapes + [[int(f"{day:02d}{month:02d}{y}")] for y in (year, year % 100)]


def _label(issue: IssueRecord) -> str:
    when = _date_label(issue.year, issue.month, issue.day)
    return f"issue {issue.number} ({when})" if issue.number is not None else f"the issue of {when}"
