"""Optical character recognition of page images with Tesseract, run as the `tesseract` program.

Debian's `tesseract-ocr` 5 (with `tesseract-ocr-eng`, `-spa`, `-deu`) reads a page image and
writes TSV: one row per page, block, paragraph, line and word, each with its box in the
image's pixels and, for words, a confidence from 0 to 100. `read_tsv` turns that into the
page's `TextBlock`s (a Tesseract paragraph is a block), lines and words.

Pages are read in parallel: one `tesseract` process per core (`OCR_WORKERS`), each limited to
one thread (OMP_THREAD_LIMIT=1: Tesseract's own threads only slow a machine that is already
busy). `in_parallel` streams: the page images are made one at a time in the calling process
(a PDF page rendered, a TIFF decoded) and written to a temporary file, at most a few pages
ahead of the page handed on, so memory stays bounded however many pages an issue has. The
Tesseract processes are the worker processes; the threads that wait for them do no work.

A page Tesseract has not finished after `BACKFILE_OCR_TIMEOUT` seconds (default 900) is
stopped, and `OcrError` says so; the reader keeps the page without text with a notice.

A page scanned upside down or on its side reads as nonsense of low confidence. Where a
page's words are read with a mean confidence under `TURN_BELOW`, Tesseract's orientation
detection (`--psm 0`, Debian's `tesseract-ocr-osd`, installed with `tesseract-ocr`) is asked
how the page lies; if it says turned, the page is read again turned upright, and that
reading is kept if it is the surer one, its boxes turned back to the image as it is stored
(the scan is kept as it came; `OcrPage.turned` says by how much it was turned to be read).
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from typing import TypeVar

from backfile.conf import from_environment
from backfile.ingest.page_records import TextBlock, TextLine, Word

TESSERACT = from_environment("BACKFILE_TESSERACT")
OCR_TIMEOUT = from_environment("BACKFILE_OCR_TIMEOUT")
OCR_WORKERS = max(1, os.cpu_count() or 1)
AHEAD = 2  # page images made and waiting beyond one per worker
TURN_BELOW = 60.0  # a page read with a lower mean confidence is checked for its orientation
TURN_SURE = 5.0  # the least orientation confidence (Tesseract's OSD) to read a page turned
MIN_READING_SECONDS = 1.0  # a turned page's second reading is not begun with less time left

T = TypeVar("T")
R = TypeVar("R")


class OcrError(Exception):
    """Tesseract could not read a page (missing, a language not installed, timed out)."""


@dataclass
class OcrPage:
    blocks: list[TextBlock] = field(default_factory=list)
    seconds: float = 0.0
    turned: int = 0  # degrees clockwise the image was turned to be read (0, 90, 180, 270)

    @property
    def words(self) -> int:
        return sum(len(line.words) for block in self.blocks for line in block.lines)


@cache
def installed_languages() -> frozenset[str]:
    """The languages this machine's Tesseract has (`tesseract --list-langs`); empty if none."""
    try:
        done = subprocess.run(
            [TESSERACT, "--list-langs"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = (done.stdout + done.stderr).splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and " " not in line.strip())


def missing_languages(language: str) -> list[str]:
    """The languages of `eng+deu` this machine's Tesseract lacks (all of them when Tesseract
    itself is missing)."""
    have = installed_languages()
    return [name for name in language.split("+") if name not in have]


def recognise(image_path: str, language: str = "eng", timeout: float | None = None) -> OcrPage:
    """The text of the page image at `image_path` (a file Tesseract reads: PNG, PNM, TIFF,
    JPEG), as blocks of lines of words with their boxes and confidence."""
    if missing := missing_languages(language):
        raise OcrError(
            f"Tesseract has no {'+'.join(missing)} (install tesseract-ocr-{missing[0]}; "
            f"`{TESSERACT} --list-langs` lists what it has)"
            if installed_languages()
            else f"the `{TESSERACT}` program is not installed (Debian: apt-get install "
            "tesseract-ocr tesseract-ocr-eng)"
        )
    timeout = OCR_TIMEOUT if timeout is None else timeout
    started = time.perf_counter()
    page = OcrPage(read_tsv(tesseract(image_path, ["-l", language, "--psm", "3", "tsv"], timeout)))
    if mean_confidence(page.blocks) < TURN_BELOW:  # within the page's one timeout
        page = read_upright(image_path, language, started + timeout, page)
    page.seconds = time.perf_counter() - started
    return page


def tesseract(image_path: str, arguments: list[str], timeout: float) -> str:
    """What `tesseract IMAGE stdout ARGUMENTS…` prints, with one thread."""
    try:
        done = subprocess.run(
            [TESSERACT, image_path, "stdout", *arguments],
            capture_output=True,
            timeout=timeout,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except subprocess.TimeoutExpired as error:
        raise OcrError(f"OCR stopped after {timeout:g} seconds (BACKFILE_OCR_TIMEOUT)") from error
    except OSError as error:
        raise OcrError(f"Tesseract could not be run ({error})") from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"Tesseract failed: {message[-1] if message else done.returncode}")
    return done.stdout.decode("utf-8", "replace")


def mean_confidence(blocks: list[TextBlock]) -> float:
    """The mean confidence of the words read (0 for none)."""
    scores = [score for block in blocks for line in block.lines for score in line.scores()]
    return sum(scores) / len(scores) if scores else 0.0


def orientation(image_path: str, timeout: float) -> int:
    """How far clockwise the page must be turned to stand upright (0, 90, 180 or 270), by
    Tesseract's orientation detection; 0 where it is unsure or cannot tell (no osd data, a
    page without enough text, no time left)."""
    if timeout < MIN_READING_SECONDS:
        return 0
    try:
        found = tesseract(image_path, ["--psm", "0"], timeout)
    except OcrError:
        return 0
    said = dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in found.splitlines())
    )
    try:
        turn, sure = int(said.get("Rotate", "0")), float(said.get("Orientation confidence", "0"))
    except ValueError:
        return 0
    return turn if turn in (90, 180, 270) and sure >= TURN_SURE else 0


def read_upright(image_path: str, language: str, deadline: float, page: OcrPage) -> OcrPage:
    """The page read again turned upright, if Tesseract says it lies turned and the reading
    is surer than `page`'s; its boxes turned back to the image as it is. Both readings end
    by `deadline` (`time.perf_counter`), the page's own, or the first reading stands."""
    turn = orientation(image_path, deadline - time.perf_counter())
    if not turn or deadline - time.perf_counter() < MIN_READING_SECONDS:
        return page
    from PIL import Image  # only for the rare turned page

    try:
        with Image.open(image_path) as image:
            width, height = image.size
            with tempfile.NamedTemporaryFile(suffix=".png", prefix="backfile-upright-") as upright:
                image.rotate(-turn, expand=True).save(upright.name)
                left = deadline - time.perf_counter()
                tsv = tesseract(upright.name, ["-l", language, "--psm", "3", "tsv"], left)
    except (OcrError, OSError, ValueError, Image.DecompressionBombError):
        return page  # the second reading failed: the first one stands, not lost with it
    blocks = read_tsv(tsv)
    if mean_confidence(blocks) <= mean_confidence(page.blocks):
        return page
    return OcrPage(turned_back(blocks, turn, width, height), turned=turn)


def turned_back(blocks: list[TextBlock], turn: int, width: int, height: int) -> list[TextBlock]:
    """Boxes found on the page turned `turn` degrees clockwise, as boxes on the page as it
    lies (`width` × `height` pixels)."""

    def back(x: int, y: int, w: int, h: int) -> tuple[int, int, int, int]:
        if turn == 90:
            return y, height - x - w, h, w
        if turn == 180:
            return width - x - w, height - y - h, w, h
        return width - y - h, x, h, w  # 270

    for block in blocks:
        block.x, block.y, block.w, block.h = back(block.x, block.y, block.w, block.h)
        for line in block.lines:
            for word in line.words:
                word.x, word.y, word.w, word.h = back(word.x, word.y, word.w, word.h)
    return blocks


def read_tsv(tsv: str) -> list[TextBlock]:
    """Tesseract's TSV as blocks (its paragraphs) of lines of words, in its reading order."""
    blocks: dict[tuple, TextBlock] = {}
    lines: dict[tuple, TextLine] = {}
    rows = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    next(rows, None)  # the header
    for row in rows:
        if len(row) < 12 or not row[0].isdigit():
            continue
        level = int(row[0])
        block_key = (row[2], row[3])
        x, y, w, h = (int(value) for value in row[6:10])
        if level == 3:
            blocks[block_key] = TextBlock("text", x, y, w, h)
        elif level == 5:
            text = "\t".join(row[11:]).strip()
            if not text:
                continue
            block = blocks.setdefault(block_key, TextBlock("text", x, y, w, h))
            line_key = (*block_key, row[4])
            if line_key not in lines:
                lines[line_key] = TextLine()
                block.lines.append(lines[line_key])
            confidence = max(0.0, min(100.0, round(float(row[10]), 2)))
            lines[line_key].words.append(Word(text, x, y, w, h, confidence))
    return [block for block in blocks.values() if block.lines]


def in_parallel(
    items: Iterable[T],
    work: Callable[[T], R],
    wanted: Callable[[T], bool] = lambda item: True,
    workers: int = OCR_WORKERS,
) -> Iterator[tuple[T, Future]]:
    """Each item with the future of `work(item)`, in the items' order, at most `workers` +
    AHEAD of them made and not yet handed on (so a 500-page issue holds a few pages at a
    time). `work` runs in threads: it is meant to wait for a `tesseract` process. An item
    not `wanted` (a page with its text already) gets a future done with None at once."""
    pending: deque[tuple[T, Future]] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr") as pool:
        try:
            for item in items:
                if wanted(item):
                    future = pool.submit(work, item)
                else:
                    future = Future()
                    future.set_result(None)
                pending.append((item, future))
                while len(pending) > workers + AHEAD or (pending and pending[0][1].done()):
                    first = pending.popleft()
                    first[1].exception()  # wait for it
                    yield first
            while pending:
                first = pending.popleft()
                first[1].exception()
                yield first
        finally:
            for _, future in pending:
                future.cancel()


class Progress:
    """Pages read of a source and the rate, said to `say` (the ingest's progress line) at most
    every second."""

    def __init__(self, name: str, total: int, say: Callable[[str], None] | None):
        self.name, self.total, self.say = name, total, say
        self.done = 0
        self.started = self.last = time.perf_counter()

    def page(self) -> None:
        self.done += 1
        now = time.perf_counter()
        if self.say and (now - self.last >= 1 or self.done == self.total):
            self.last = now
            rate = self.done / max(now - self.started, 1e-6)
            self.say(f"{self.name[-40:]}: page {self.done} of {self.total}, {rate:.1f} pages/s")
