"""An issue's METS: what the issue is, its pages and their files, and its zoned articles.

`read_mets(data, path)` reads the issue METS of an NDNP / Chronicling America batch
(profile `urn:library-of-congress:mets:profiles:ndnp:issue`) or of the METS/ALTO
newspaper profile Europeana Newspapers and others use, into plain data (`MetsIssue`):

- the issue, from its MODS: title (or the METS `LABEL` without its date), LCCN, date
  issued, volume, issue number, edition;
- its pages, from the physical structure map (NDNP's `np:page` divs, or `page` divs):
  sequence (NDNP's `mods:extent/mods:start`, else `ORDER`, else their order), printed page
  number (NDNP's `mods:detail type="page number"`, else `ORDERLABEL`) and the files each
  names, by use: `ocr` (ALTO or hOCR), `image`, `pdf`;
- its articles, from a logical structure map (`TYPE="LOGICAL"`, divs of `TYPE="ARTICLE"`):
  each article's id, label and the ALTO blocks it is made of (`area` `FILEID` and `BEGIN`),
  in order, each marked as a heading where a `HEADING`/`TITLE` div holds it.

It reads nothing else and touches no other file; `ndnp` puts the pages together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from backfile.ingest.readers.ocr_files import SAFE_XML, first_tag

XLINK = "{http://www.w3.org/1999/xlink}href"
HEADING_TYPES = {"HEADING", "TITLE", "HEADLINE", "TITLE_SECTION"}
IMAGE_SUFFIXES = (".jp2", ".jpg", ".jpeg", ".tif", ".tiff", ".png", ".j2k", ".jpx", ".gif")
OCR_SUFFIXES = (".xml", ".alto", ".hocr", ".html", ".htm")
LABEL_DATE = re.compile(r",?\s*\d{4}-\d{2}-\d{2}\s*$")


class MetsError(Exception):
    """A METS file that cannot be read as an issue; says why."""


@dataclass
class MetsPage:
    sequence: int
    label: str = ""
    ocr: list[str] = field(default_factory=list)  # hrefs, as the METS gives them
    images: list[str] = field(default_factory=list)  # the service copy first, then others
    pdfs: list[str] = field(default_factory=list)
    file_ids: set[str] = field(default_factory=set)


@dataclass
class MetsArea:
    file_id: str  # the METS file id of the page's OCR
    begin: str  # the ALTO block's id
    heading: bool = False


@dataclass
class MetsArticle:
    id: str
    label: str = ""
    areas: list[MetsArea] = field(default_factory=list)
    xml: str = ""  # the article's div as the METS has it, kept as its record's source


@dataclass
class MetsIssue:
    title: str = ""
    lccn: str = ""
    issued: date | None = None
    volume: int | None = None
    number: int | None = None
    edition: int = 1
    identifier: str = ""  # the METS OBJID, where it has one
    pages: list[MetsPage] = field(default_factory=list)
    articles: list[MetsArticle] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def is_mets(head: bytes) -> bool:
    return first_tag(head) == "mets" and b"http://www.loc.gov/METS/" in head


def read_mets(data: bytes, path: str) -> MetsIssue:
    try:
        root = etree.fromstring(data, etree.XMLParser(**SAFE_XML))
    except etree.XMLSyntaxError as error:
        line = f" at line {error.lineno}" if error.lineno else ""
        raise MetsError(f"not well-formed XML{line} ({error.msg})") from error
    if _local(root.tag) != "mets":
        raise MetsError("not a METS file")
    issue = MetsIssue(identifier=root.get("OBJID") or "")
    dmd = {sec.get("ID"): sec for sec in root.iter("{*}dmdSec")}
    files = _files(root)
    maps = list(root.iter("{*}structMap"))
    logical = [m for m in maps if (m.get("TYPE") or "").upper() == "LOGICAL"]
    physical = [m for m in maps if m not in logical]
    if not physical:
        raise MetsError("no physical structure map: the METS lists no pages")
    issue_div, page_divs = _page_divs(physical[0])
    _issue_metadata(issue, root, issue_div, dmd, logical)
    for position, div in enumerate(page_divs, start=1):
        issue.pages.append(_page(div, position, dmd, files))
    _check_sequences(issue)
    for structure in logical:
        for div in structure.iter("{*}div"):
            if (div.get("TYPE") or "").upper() == "ARTICLE":
                issue.articles.append(_article(div))
    return issue


def _files(root) -> dict[str, tuple[str, str, str]]:
    """file id → (href, USE of the file or its group, MIMETYPE)."""
    files = {}
    for group in root.iter("{*}fileGrp"):
        for file in group.findall("{*}file"):
            location = file.find("{*}FLocat")
            href = location.get(XLINK) or location.get("href") if location is not None else None
            if file.get("ID") and href:
                use = (file.get("USE") or group.get("USE") or group.get("ID") or "").lower()
                files[file.get("ID")] = (href.strip(), use, (file.get("MIMETYPE") or "").lower())
    return files


def _page_divs(structure) -> tuple:
    """The issue's div (or None) and its page divs, in order."""
    divs = list(structure.iter("{*}div"))
    pages = [d for d in divs if _local(d.get("TYPE") or "").lower() == "page"]
    if not pages:  # a map of divs with file pointers, untyped
        pages = [d for d in divs if d.find("{*}fptr") is not None]
    issue = next((d for d in divs if _local(d.get("TYPE") or "").lower() == "issue"), None)
    return issue, pages


# What METS writers put where a page's printed number is unknown.
NO_LABEL = frozenset({"n/a", "na", "none", "unknown", "?", "-"})


def _page(div, position: int, dmd: dict, files: dict) -> MetsPage:
    mods = _mods(dmd.get(div.get("DMDID", "").split(" ")[0]))
    sequence = _int(_text(mods, ".//{*}extent/{*}start")) or _int(div.get("ORDER")) or position
    label = (
        _text(mods, ".//{*}detail[@type='page number']/{*}number") or div.get("ORDERLABEL") or ""
    )
    label = label.strip()
    if label.strip("[]").casefold() in NO_LABEL:  # NDNP's `N/A`: no number printed or read
        label = ""
    page = MetsPage(sequence=sequence, label=label[:40])
    for pointer in div.iter("{*}fptr", "{*}area"):
        file_id = pointer.get("FILEID")
        if file_id not in files:
            continue
        page.file_ids.add(file_id)
        href, use, mimetype = files[file_id]
        suffix = "." + href.rsplit(".", 1)[-1].lower() if "." in href else ""
        if suffix == ".pdf" or "pdf" in mimetype:
            page.pdfs.append(href)
        elif suffix in IMAGE_SUFFIXES or mimetype.startswith("image/"):
            # the service copy (what a reader sees) first, the master after
            (page.images.insert(0, href) if "service" in use else page.images.append(href))
        elif suffix in OCR_SUFFIXES or "ocr" in use or "alto" in use or "xml" in mimetype:
            page.ocr.append(href)
    return page


def _issue_metadata(issue: MetsIssue, root, issue_div, dmd: dict, logical: list) -> None:
    mods = None
    if issue_div is not None and issue_div.get("DMDID"):
        mods = _mods(dmd.get(issue_div.get("DMDID").split(" ")[0]))
    if mods is None:  # the first MODS with a date (Europeana's, on the logical issue div)
        for section in dmd.values():
            candidate = _mods(section)
            if candidate is not None and _text(candidate, ".//{*}dateIssued"):
                mods = candidate
                break
    label = root.get("LABEL") or ""
    if mods is not None:
        issue.title = _text(mods, "./{*}titleInfo/{*}title") or _text(
            mods, "./{*}relatedItem[@type='host']/{*}titleInfo/{*}title"
        )
        issue.lccn = _text(mods, ".//{*}identifier[@type='lccn']")
        issue.volume = _int(_text(mods, ".//{*}detail[@type='volume']/{*}number"))
        issue.number = _int(_text(mods, ".//{*}detail[@type='issue']/{*}number"))
        issue.edition = _int(_text(mods, ".//{*}detail[@type='edition']/{*}number")) or 1
        issued = _text(mods, ".//{*}dateIssued")
        issue.issued = _date(issued)
        if issued and issue.issued is None:
            issue.notes.append(f"its date issued {issued!r} is not a date")
    if not issue.title and label:
        issue.title = LABEL_DATE.sub("", label).strip()
    if issue.issued is None:
        match = re.search(r"\d{4}-\d{2}-\d{2}", label)
        issue.issued = _date(match.group(0)) if match else None


def _check_sequences(issue: MetsIssue) -> None:
    seen: set[int] = set()
    for position, page in enumerate(issue.pages, start=1):
        if page.sequence in seen:
            issue.notes.append(
                f"two pages have the sequence {page.sequence}; the later is numbered {position}"
            )
            page.sequence = position
        seen.add(page.sequence)


def _article(div) -> MetsArticle:
    article = MetsArticle(id=div.get("ID") or "", label=(div.get("LABEL") or "").strip())
    article.xml = etree.tostring(div, encoding="unicode")
    for area in div.iter("{*}area"):
        if not area.get("FILEID") or not area.get("BEGIN"):
            continue
        heading = False
        for ancestor in area.iterancestors("{*}div"):
            if ancestor is div:
                break
            if (ancestor.get("TYPE") or "").upper() in HEADING_TYPES:
                heading = True
        article.areas.append(MetsArea(area.get("FILEID"), area.get("BEGIN"), heading))
    return article


def _mods(section):
    if section is None:
        return None
    return next(iter(section.iter("{http://www.loc.gov/mods/v3}mods")), None)


def _text(element, xpath: str) -> str:
    if element is None:
        return ""
    found = element.find(xpath)
    return " ".join((found.text or "").split()) if found is not None else ""


def _int(value: str | None) -> int | None:
    digits = re.sub(r"[,.\s]", "", value or "")
    return int(digits) if digits.isdigit() and len(digits) < 10 else None


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _local(tag) -> str:
    return tag.rpartition("}")[2].rpartition(":")[2] if isinstance(tag, str) else ""
