"""NDNP / Chronicling America batches, and other issues described by a METS with ALTO pages.

A batch is folders of issues (`batch_*/data/<lccn>/<reel>/<YYYYMMDDEE>/`), each with its
issue METS (`1878010301.xml`) and per page an ALTO file (`0011.xml`), an image (`0011.jp2`,
a master `0011.tif`) and a PDF. One issue METS makes one issue (`mets`): a `PageRecord`
per page it lists, with the ALTO's text as it is (`alto`) and its image as the page's
picture, and an `ArticleRecord` per article where the METS zones them (a logical structure
map of `ARTICLE` divs pointing at ALTO blocks). Without zoning the issue reads by page.

- Files are found relative to the METS, and never outside its folder. An image the METS
  names `0011.jp2` is found as `0011.jpg` or `0011.tif` beside it: batches are often copied
  with other image formats than they list.
- A page the METS lists whose files are all missing is named in a notice, and the pages
  that are there go in. A page with an image and no OCR file goes in without text, noted
  for OCR; a page with only its PDF is noted (its text layer is for the PDF reader).
- An OCR file that cannot be read is a failure of that file; its page goes in with its
  image and no text. A METS that cannot be read is a failure; its ALTO files are then read
  one by one, as they would be without it.
- The publication is `--publication`, else the title the METS gives (`Evening star
  (Washington, D.C.)` → `Evening Star`), the same for every issue of one LCCN in a run,
  else the LCCN.

ALTO and hOCR files without a METS are read alone: one beside a page image of its name is
that image's text, read with the image (by the page-image reader, through
`ocr_files.read_ocr_file`); one without an image is a page without a picture, its issue
told by an NDNP issue folder's name (`YYYYMMDDEE`), else a failure.

The page images and PDFs of a METS's folder are claimed by this reader (so no other
reader takes them for pages of their own) and read with their METS. On disk the files
are read where they are; in an archive, OCR files before their METS are held until it
comes (and read alone at the end of the run if it never does), images are found among
the run's pictures (`source_pictures`).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import warnings
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from PIL import Image

from backfile.ingest.page_records import PageRecord
from backfile.ingest.readers.base import Output, Reader
from backfile.ingest.readers.mets import MetsError, MetsIssue, MetsPage, is_mets, read_mets
from backfile.ingest.readers.ocr_files import (
    IMAGE_SUFFIXES,
    OcrFileError,
    OcrPage,
    find_image,
    is_alto,
    is_hocr,
    read_ocr_file,
)
from backfile.ingest.readers.zoned_articles import zoned_articles
from backfile.ingest.records import ArticleRecord, AssetRecord, Failure, IssueRecord, Notice, Source
from backfile.ingest.sources import SourceFile

FORMAT = "ndnp"
ISSUE_FOLDER = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})?$")  # NDNP: 1878010301
LCCN = re.compile(r"^[a-z]{1,3}\d{8,10}$")  # sn83045350
PICTURE_HEADS = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"GIF8")
JP2_HEADS = (b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51")
MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "TIFF": "image/tiff",
               "JPEG2000": "image/jp2", "GIF": "image/gif"}  # fmt: skip
PLACE = re.compile(r"\s*\([^()]*\)\s*$")  # `Evening star (Washington, D.C.)`
SMALL_WORDS = {"a", "an", "and", "of", "the", "for", "in", "on", "at", "to", "und", "de", "la"}


class NdnpReader(Reader):
    format = FORMAT
    description = (
        "NDNP / Chronicling America batches and METS/ALTO issues (issue METS, ALTO or hOCR "
        "per page, page images); ALTO and hOCR files on their own"
    )
    priority = 24  # before the page-image and PDF readers: a METS's pages are its own
    streamed = True  # a METS names its files; each is read whole (a page's OCR, a few MB)
    options = ("source_pictures",)

    def __init__(self, publication: str | None = None, source_pictures=None):
        super().__init__(publication)
        self.pictures = source_pictures
        self._names: dict[str, str] = {}  # an LCCN (or title) → its publication in this run
        self._held: dict[str, bytes] = {}  # OCR files inside archives, waiting for their METS
        self._waiting: list[tuple[str, bytes]] = []  # METS inside archives, waiting for pages
        self._alone: dict[str, int] = {}  # a folder → pages read alone there so far

    @classmethod
    def sniff(cls, file: SourceFile) -> bool:
        head = file.head
        if is_mets(head) or is_alto(head) or is_hocr(head):
            return True
        if "!" in file.path or not head.startswith((*PICTURE_HEADS, *JP2_HEADS, b"%PDF")):
            return False
        return _issue_mets_for(file.path) is not None

    def feed(self, file: SourceFile) -> Iterator[Output]:
        head = file.head
        if "!" in file.path:  # inside an archive: held until the walk leaves its issue
            yield from self._left_behind(_folder(file.path))
            if is_mets(head):
                self._waiting.append((file.path, file.read_bytes()))
            else:
                self._held[file.path] = file.read_bytes()
        elif is_mets(head):
            yield from self._issue(file.path, file.read_bytes())
        elif is_alto(head) or is_hocr(head):
            yield from self._ocr_file(file)
        elif head.startswith(b"%PDF"):
            mets = os.path.basename(_issue_mets_for(file.path) or "")
            yield Notice(file.path, f"a page's PDF, listed by the issue METS {mets}")
        else:
            mets = os.path.basename(_issue_mets_for(file.path) or "")
            yield Notice(
                file.path, f"a page image, read with the issue METS {mets}", kind="picture"
            )

    def finish(self) -> Iterator[Output]:
        yield from self._left_behind(None)

    def _left_behind(self, folder: str | None) -> Iterator[Output]:
        """The issues (METS and OCR files held from an archive) of the folders the walk has
        left for `folder` (all of them at the end): an issue's METS first, taking its OCR
        files, then the OCR files no METS took, each read alone."""
        waiting = [w for w in self._waiting if folder is None or not _within(folder, w[0], 0)]
        for item in waiting:
            self._waiting.remove(item)
            yield from self._issue(*item)
        for path in [p for p in self._held if folder is None or not _within(folder, p, 1)]:
            yield from self._page_alone(path, self._held.pop(path))

    # -- an issue -----------------------------------------------------------------------
    def _issue(self, path: str, data: bytes) -> Iterator[Output]:
        try:
            mets = read_mets(data, path)
        except MetsError as error:
            yield Failure(path, f"issue METS: {error}")
            return
        if mets.issued is None:
            yield Failure(path, "issue METS without a date issued (MODS dateIssued): its "
                                "issue cannot be told")  # fmt: skip
            return
        publication = self._publication_name(mets, path)
        if publication == mets.lccn and not self.publication:
            yield Notice(path, f"the METS names its paper only by its LCCN {mets.lccn}: filed "
                               "under it; give --publication to name it")  # fmt: skip
        issue = _issue_record(mets)
        for note in mets.notes:
            yield Notice(path, f"issue METS: {note}")
        pages: dict[str, tuple[int, OcrPage]] = {}  # METS file id → (sequence, its OCR)
        records: list[PageRecord] = []
        for mets_page in mets.pages:
            for output in self._page(path, mets_page, publication, issue):
                if isinstance(output, tuple):
                    record, ocr = output
                    records.append(record)
                    for file_id in mets_page.file_ids:
                        pages[file_id] = (mets_page.sequence, ocr)
                else:
                    yield output
        labels = {r.sequence: r.label for r in records}
        key = mets.identifier or f"{mets.lccn or publication}/{mets.issued.isoformat()}"
        if mets.edition != 1:
            key += f"/ed-{mets.edition}"
        articles = list(zoned_articles(mets, path, key, publication, issue, pages, labels))
        made = sum(isinstance(a, ArticleRecord) for a in articles)
        zoned = f", {made} article{'s' if made != 1 else ''} zoned" if mets.articles else ""
        yield Notice(path, f"the issue METS of {publication}, {mets.issued.isoformat()}: "
                           f"{len(records)} of its {len(mets.pages)} pages here{zoned}",
                     kind="METS issue")  # fmt: skip
        yield from records
        yield from articles

    def _page(
        self, mets_path: str, mets_page: MetsPage, publication: str, issue: IssueRecord
    ) -> Iterator:
        """The page's outputs: notices and failures, and (PageRecord, OcrPage) for the page."""
        where = f"page {mets_page.label or mets_page.sequence} (sequence {mets_page.sequence})"
        ocr_path = data = None
        for href in mets_page.ocr:
            ocr_path, data, why = self._found_ocr(mets_path, href)
            if why:
                yield Notice(mets_path, f"{where}: {why}")
            if data is not None:
                break
        image = self._found_image(mets_path, mets_page, ocr_path)
        page = PageRecord(
            publication=publication, issue=issue, sequence=mets_page.sequence,
            source=Source(path=ocr_path or image or mets_path, format=FORMAT, sha256="", text=""),
            label=mets_page.label,
        )  # fmt: skip
        if image and (why := _add_image(page, image)):
            page.notes.append(f"{where}: {why}")
        if data is None:
            if not image:
                yield from self._page_missing(mets_path, mets_page, where, publication, issue)
                return
            page.notes.append(f"{where} has no OCR file here: its text is to be read by OCR")
            page.source = Source(image, FORMAT, page.image, "")
            yield page, OcrPage(text_source="")
            return
        size = (page.width, page.height) if page.image else None
        try:
            ocr = read_ocr_file(data, ocr_path, size)
        except OcrFileError as error:
            yield Failure(ocr_path, f"{where}: {error}; the page is kept without its text")
            page.source = Source(image or mets_path, FORMAT, page.image, "")
            yield page, OcrPage(text_source="")
            return
        page.source = _source(ocr_path, data)
        if not image:
            page.notes.append(f"{where}: no image of the page is here; its text is kept without")
        ocr.apply(page)
        page.label = page.label or str(page.sequence)
        yield page, ocr

    def _page_missing(
        self, mets_path: str, mets_page: MetsPage, where: str, publication: str, issue: IssueRecord
    ) -> Iterator:
        """A page without ALTO or image: read from its page PDF (its text layer, or OCR
        where it has none) where that is here, else a notice naming what is missing."""
        for href in mets_page.pdfs:
            pdf = _resolve(mets_path, href)
            if pdf and "!" not in pdf and os.path.isfile(pdf):
                yield from self._page_from_pdf(pdf, mets_path, mets_page, where, publication, issue)
                return
        named = ", ".join(mets_page.ocr + mets_page.images + mets_page.pdfs) or "no files"
        yield Notice(mets_path, f"{where}: none of its files ({named}) are among the sources; "
                                "the page is not read")  # fmt: skip

    def _page_from_pdf(self, pdf, mets_path, mets_page, where, publication, issue) -> Iterator:
        """The page as the PDF reader reads its page PDF (image and text layer), numbered and
        labelled as the METS says; the page's PDF is not the issue's, so the issue keeps none."""
        from backfile.ingest.readers import pdf as pdf_reader  # PDFium, loaded when needed
        from backfile.ingest.readers.issue_identity import Identity
        from backfile.ingest.readers.page_pictures import Scratch

        document, why = pdf_reader.open_pdf(pdf)
        if document is None:
            yield Failure(pdf, f"{where} of the issue METS {os.path.basename(mets_path)}: {why}")
            return
        scratch = Scratch()
        try:
            identity = Identity(issue=replace(issue), publication=publication)
            for output in pdf_reader.read_pdf(document, pdf, pdf, identity, scratch):
                if not isinstance(output, PageRecord):
                    yield output
                    continue
                output.issue, output.sequence = issue, mets_page.sequence
                output.label = mets_page.label or str(mets_page.sequence)  # the METS says
                output.assets = [a for a in output.assets if a.media_type != "application/pdf"]
                output.notes.append(f"{where}: read from its page PDF ({os.path.basename(pdf)})")
                yield output, OcrPage(text_source=output.text_source, blocks=output.blocks)
                break  # a page's PDF is that one page
        finally:
            document.close()
            scratch.close()

    def _found_ocr(self, mets_path: str, href: str) -> tuple[str | None, bytes | None, str]:
        """(path, bytes, why not) of a page's OCR file the METS names."""
        path = _resolve(mets_path, href)
        if path is None:
            return None, None, f"its OCR file {href!r} is outside the METS's folder; not read"
        if path in self._held:
            return path, self._held.pop(path), ""
        if "!" in path or not os.path.isfile(path):
            return path, None, ""
        try:
            return path, Path(path).read_bytes(), ""
        except OSError as error:
            return path, None, f"its OCR file {href} cannot be read ({error.strerror or error})"

    def _found_image(self, mets_path: str, mets_page: MetsPage, ocr_path: str | None) -> str:
        """The page's image on this machine: one the METS names, else one of the same name
        in another format beside it or beside the OCR file; "" where there is none."""
        candidates = [p for p in (_resolve(mets_path, h) for h in mets_page.images) if p]
        if ocr_path:
            candidates.append(ocr_path)
        for path in candidates:
            if "!" in path:
                if self.pictures is not None:
                    inner = path.split("!", 1)[1]
                    stem = posixpath.splitext(inner)[0]
                    found = self.pictures.find(inner, *(stem + s for s in IMAGE_SUFFIXES))
                    if found:
                        return found
                continue
            if path != ocr_path and os.path.isfile(path):
                return path
            if found := find_image(path):
                return str(found)
        return ""

    # -- OCR files on their own -----------------------------------------------------------
    def _ocr_file(self, file: SourceFile) -> Iterator[Output]:
        if _issue_mets_for(file.path) is not None:
            return  # read with its METS, from where it is
        if image := find_image(file.path):
            yield Notice(file.path, f"the OCR of the page image {image.name}: read with it")
            return
        yield from self._page_alone(file.path, file.read_bytes())

    def _page_alone(self, path: str, data: bytes) -> Iterator[Output]:
        """An OCR file without METS or image: a page of the issue its folder's name gives."""
        folder = posixpath.dirname(path.replace("\\", "/").split("!")[-1])
        parts = folder.split("/")
        match = ISSUE_FOLDER.match(parts[-1]) if parts else None
        if not match:
            yield Failure(path, "an OCR page with no issue METS or page image beside it, in a "
                                "folder not named for its issue (YYYYMMDDEE): its issue cannot "
                                "be told")  # fmt: skip
            return
        year, month, day, edition = (int(g) if g else None for g in match.groups())
        issue = IssueRecord(year=year, month=month, day=day)
        if edition and edition > 1:
            issue.slug = _edition_slug(None, year, month, day, edition)
        lccn = next((p for p in reversed(parts[:-1]) if LCCN.match(p)), "")
        publication = self.publication or self._names.get(lccn) or lccn or "Unnamed publication"
        sequence = self._alone[folder] = self._alone.get(folder, 0) + 1
        try:
            ocr = read_ocr_file(data, path, None)
        except OcrFileError as error:
            yield Failure(path, str(error))
            return
        page = PageRecord(publication=publication, issue=issue, sequence=sequence,
                          source=_source(path, data))  # fmt: skip
        ocr.apply(page)
        page.notes.append(f"{path}: no issue METS or image beside it; numbered {sequence} by "
                          "its place among the folder's files")  # fmt: skip
        yield page

    def _publication_name(self, mets: MetsIssue, path: str) -> str:
        if self.publication:
            return self.publication
        key = mets.lccn or mets.title
        if key and key in self._names:
            return self._names[key]
        name = plain_title(mets.title)
        if name in self._names.values():  # two papers of one name: keep their places
            name = mets.title
        name = name or mets.lccn or "Unnamed publication"
        if key:
            self._names[key] = name
        return name


def plain_title(title: str) -> str:
    """A paper's name from a catalogue's title: `Evening star (Washington, D.C.)` and `The
    Evening star` → `Evening Star`; `Der Nordstern (St. Cloud, Minn.)` → `Der Nordstern`."""
    title = PLACE.sub("", " ".join(title.split())).strip(" .,;:")
    if title.lower().startswith("the "):
        title = title[4:]
    words = title.split(" ")
    return " ".join(
        w[:1].upper() + w[1:] if w.islower() and (i == 0 or w not in SMALL_WORDS) else w
        for i, w in enumerate(words)
    ).strip()


def _edition_slug(number: int | None, year: int, month: int | None, day: int | None,
                  edition: int) -> str:  # fmt: skip
    """An issue's slug for an edition other than the first: `…-april-1-1899-edition-2`."""
    from backfile.archive.models import issue_slug  # not at import: readers load before Django

    return f"{issue_slug(number, year, month, day)}-edition-{edition}"


def _issue_record(mets: MetsIssue) -> IssueRecord:
    day = mets.issued
    issue = IssueRecord(
        year=day.year, month=day.month, day=day.day, volume=mets.volume, number=mets.number
    )
    if mets.edition != 1:
        issue.slug = _edition_slug(mets.number, day.year, day.month, day.day, mets.edition)
        issue.title = f"Edition {mets.edition}"
    return issue


def _source(path: str, data: bytes) -> Source:
    """A page's source: its OCR file, by path and the SHA-256 of its bytes. The file's text is
    not carried (a page keeps only where it came from; the file is where it was)."""
    return Source(path=path, format=FORMAT, sha256=hashlib.sha256(data).hexdigest(), text="")


def _add_image(page: PageRecord, path: str) -> str:
    """Give the page its image (asset, size); why not, where it cannot be read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                kind = image.format or ""
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        return f"its image {path} is too large to be a page ({error}); the text is kept without"
    except Exception as error:  # Pillow raises many kinds for a broken file
        return f"its image {path} cannot be read ({error}); the text is kept without"
    try:
        asset = AssetRecord.of_file(
            path, media_type=MEDIA_TYPES.get(kind, ""), width=width, height=height,
            filename=os.path.basename(path),
        )  # fmt: skip
    except OSError as error:
        return f"its image {path} cannot be read ({error.strerror or error})"
    page.image = asset.sha256
    page.assets.append(asset)
    page.width, page.height = width, height
    return ""


def _resolve(mets_path: str, href: str) -> str | None:
    """The path of a file a METS names, beside or below the METS; None for anything else
    (an address, an absolute path, a path out of its folder)."""
    href = href.strip().removeprefix("file://")
    if not href or "://" in href or href.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", href):
        return None
    archive, _, inner = mets_path.rpartition("!") if "!" in mets_path else ("", "", mets_path)
    folder = posixpath.dirname(inner.replace("\\", "/"))
    joined = posixpath.normpath(posixpath.join(folder, href.replace("\\", "/")))
    if folder and not (joined + "/").startswith(folder.rstrip("/") + "/"):
        return None
    if not folder and joined.startswith(".."):
        return None
    return f"{archive}!{joined}" if archive else joined


def _folder(path: str) -> str:
    return posixpath.dirname(path.replace("\\", "/"))


def _within(folder: str, path: str, up: int) -> bool:
    """Whether `folder` is the folder of `path` (or `up` folders above it) or inside it: the
    walk is still where that file's issue may have more files."""
    scope = _folder(path)
    for _ in range(up):
        scope = posixpath.dirname(scope) if "/" in scope.split("!")[-1] else scope
    return folder == scope or folder.startswith(scope.rstrip("/") + "/")


def _issue_mets_for(path: str) -> str | None:
    """The issue METS beside a file (or in the folder above it) that names it, in any image
    format; None where there is none (or it cannot be read)."""
    folder = os.path.dirname(path)
    key = _name_key(path)
    for where in (folder, os.path.dirname(folder)):
        try:  # the folder's time of change keys the cache: a METS added later is seen
            changed = os.stat(where or ".").st_mtime_ns
        except OSError:
            continue
        names = _named_in_folder(where, changed)
        if found := names.get(key):
            return found
    return None


def _name_key(path: str) -> str:
    """A file's path without its suffix, as compared: `a/0011.jp2` and `a/0011.jpg` match."""
    return os.path.splitext(os.path.normcase(os.path.normpath(path)))[0].lower()


@lru_cache(maxsize=64)
def _named_in_folder(folder: str, changed: int) -> dict[str, str]:
    """For the readable issue METS files in a folder: every file they name (its path without
    suffix, `_name_key`) → the METS's path."""
    names: dict[str, str] = {}
    try:
        entries = sorted(e for e in os.listdir(folder or ".") if e.lower().endswith(".xml"))
    except OSError:
        return names
    for entry in entries:
        path = os.path.join(folder, entry)
        try:
            with open(path, "rb") as file:
                head = file.read(8192)
                if not is_mets(head):
                    continue
                mets = read_mets(head + file.read(), path)
        except (OSError, MetsError):
            continue
        for page in mets.pages:
            for href in page.ocr + page.images + page.pdfs:
                if resolved := _resolve(path, href):
                    names.setdefault(_name_key(resolved), path)
    return names
