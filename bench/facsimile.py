"""Print facsimiles: how fast Backfile reads born-digital PDFs and OCRs scans, beside floors
measured in the same run, and its peak memory on a 500-page PDF.

    .venv/bin/python bench/facsimile.py [--pdf-pages 200] [--ocr-pages 8] [--memory-pages 500]

- **PDF text**: a generated three-column issue (`tests/helpers/facsimiles.py`, `--pdf-pages`
  pages) and the Federal Register PDF of the shared corpus, read through the PDF reader
  (`backfile.ingest.readers.pdf.read_pdf`: words with boxes, columns, running heads) without
  page images, beside the floor: PDFium's bare text of every page (`get_text_range`, the
  fastest way to a page's whole text).
  Target: at least half the floor. Both run in this process, one page at a time, with the
  cycle collector set as the ingest sets it, and are timed in CPU seconds (the best of
  several rounds, a round of each in turn): on a shared machine the wall clock mostly
  measures the other processes.
- **PDF with page images**: the same through the reader as `backfile ingest` runs it (each
  page rendered at 150 dpi to a JPEG), beside the floor of bare text plus the same render
  and JPEG encoding.
- **OCR**: `--ocr-pages` scanned-looking pages of known text (300 dpi, PNG) read through the
  page-images reader (`backfile.ingest.readers.page_images`), beside the floor: the bare
  `tesseract IMAGE stdout tsv` on the same files, as many at once as Backfile runs
  (`backfile.ingest.ocr.OCR_WORKERS`, OMP_THREAD_LIMIT=1). Target: at least 80% of the floor.
- **Memory**: a child process reads a generated `--memory-pages`-page PDF through the reader
  (page images included) and a tenth of it; their peak resident sets (ru_maxrss) should be
  about the same: memory bounded by the pages in flight, not the issue.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPUS = Path(os.environ.get("BACKFILE_CORPUS", REPO.parent / "shared" / "corpus"))
FEDERAL_REGISTER = CORPUS / "facsimiles" / "pdf" / "federal-register-2020-17221.pdf"
TEXT_TARGET, OCR_TARGET = 0.5, 0.8
CPU = "pages per CPU second"


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")
    import django

    django.setup()


def identity():
    from backfile.ingest.readers.issue_identity import Identity
    from backfile.ingest.records import IssueRecord

    return Identity(IssueRecord(2004, month=6), "Bench")


def reader_rate(pdf: Path, render: bool, rounds: int = 1) -> tuple[float, int]:
    """Pages per CPU second through the PDF reader (records made, nothing stored)."""
    import pypdfium2

    from backfile.ingest.page_records import PageRecord
    from backfile.ingest.readers.page_pictures import Scratch
    from backfile.ingest.readers.pdf import read_pdf

    pages = 0
    started = time.process_time()
    for _ in range(rounds):
        document = pypdfium2.PdfDocument(str(pdf))
        scratch = Scratch()
        for output in read_pdf(document, str(pdf), pdf.name, identity(), scratch, None, render):
            assert isinstance(output, PageRecord), output
            pages += 1
        scratch.close()
        document.close()
    return pages / (time.process_time() - started), pages


def floor_rate(pdf: Path, render: bool, rounds: int = 1) -> float:
    """Pages per CPU second for PDFium's bare text of each page (and, with `render`, the page
    rendered at the reader's resolution and encoded as its JPEG)."""
    import pypdfium2

    from backfile.ingest.readers.page_pictures import JPEG_QUALITY
    from backfile.ingest.readers.pdf import RENDER_DPI

    pages = 0
    started = time.process_time()
    for _ in range(rounds):
        document = pypdfium2.PdfDocument(str(pdf))
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            if render:
                image = page.render(scale=RENDER_DPI / 72).to_pil()
                image.save(io.BytesIO(), "JPEG", quality=JPEG_QUALITY)
            textpage.close()
            page.close()
            pages += 1
        document.close()
    return pages / (time.process_time() - started)


def best_of(pdf: Path, rounds: int, render: bool) -> tuple[float, float]:
    """The best rate of the reader and of the floor in `rounds` rounds, one of each in turn,
    both with Python's cycle collector set as `backfile ingest` sets it while it reads
    (`pipeline.fewer_collections`)."""
    from backfile.ingest.pipeline import fewer_collections

    readers, floors = [], []
    with fewer_collections():
        for _ in range(rounds):
            readers.append(reader_rate(pdf, render)[0])
            floors.append(floor_rate(pdf, render))
    return max(readers), max(floors)


def compare(label: str, figure: float, floor: float, target: float, unit="pages/s") -> None:
    ratio = figure / floor if floor else 0.0
    print(f"  {label}")
    digits = 1 if floor >= 10 else 2
    print(f"    reader {figure:8.{digits}f} {unit}")
    print(f"    floor  {floor:8.{digits}f} {unit}")
    print(
        f"    ratio  {ratio:8.2f}  (target {target:.2f}: {'met' if ratio >= target else 'NOT met'})"
    )


def bench_pdfs(folder: Path, pages: int, rounds: int) -> None:
    from tests.helpers.facsimiles import newspaper_pdf

    generated = newspaper_pdf(folder / "generated.pdf", pages=pages, columns=3)
    sources = [(f"generated three-column issue, {pages} pages", generated, rounds)]
    if FEDERAL_REGISTER.is_file():
        sources.append(("Federal Register, 15 pages, three columns", FEDERAL_REGISTER, rounds * 4))
    from backfile.ingest.readers import pdf_text, pdf_words

    native = pdf_words.NATIVE is not None and pdf_text.NATIVE is not None
    built = "in C (_pdf_words, _pdf_layout)" if native else "in Python (the C is not built)"
    print(f"the PDF reader's words, lines and gutters: {built}")
    for name, pdf, rounds in sources:
        reader_rate(pdf, render=False)  # warm the caches alike
        floor_rate(pdf, render=False)
        # rounds of the reader and the floor taken in turn, the best of each kept: the
        # machine is shared, and a round another process slowed says nothing about the code
        text, text_floor = best_of(pdf, rounds, render=False)
        print(f"pdf text: {name}, best of {rounds} rounds")
        compare("text with word boxes, reading order", text, text_floor, TEXT_TARGET, CPU)
        renders = min(rounds, 2)
        full, full_floor = best_of(pdf, renders, render=True)
        print(f"pdf with page images: {name}, best of {renders} rounds")
        compare("text and a 150 dpi JPEG of each page", full, full_floor, TEXT_TARGET, CPU)


def bench_ocr(folder: Path, pages: int) -> None:
    from backfile.ingest.ocr import OCR_WORKERS, TESSERACT
    from backfile.ingest.page_records import PageRecord
    from backfile.ingest.pipeline import read_paths
    from backfile.ingest.report import IngestReport
    from tests.helpers.facsimiles import TEXTS, scanned, text_page

    issue = folder / "scans"
    issue.mkdir()
    (issue / "issue.json").write_text(json.dumps({"publication": "Bench", "date": "2004-06"}))
    lines = [line for text in TEXTS.values() for line in text][:18]
    lines = [line for line in lines for _ in (0, 1)][:36]  # a column's worth of print
    images = []
    for number in range(1, pages + 1):
        path = issue / f"page{number:03d}.png"
        scanned(text_page(lines, size_pt=10), seed=number).save(path)
        images.append(path)
    started = time.perf_counter()
    outputs = list(read_paths([issue], None, IngestReport()))
    figure = pages / (time.perf_counter() - started)
    assert sum(isinstance(o, PageRecord) for o in outputs) == pages, outputs

    def bare(path: Path) -> bytes:
        return subprocess.run(
            [TESSERACT, str(path), "stdout", "-l", "eng", "--psm", "3", "tsv"],
            capture_output=True, check=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        ).stdout  # fmt: skip

    started = time.perf_counter()
    with ThreadPoolExecutor(OCR_WORKERS) as pool:
        list(pool.map(bare, images))
    floor = pages / (time.perf_counter() - started)
    width, height = __import__("PIL.Image").Image.open(images[0]).size
    print(f"ocr: {pages} scanned pages of {width} x {height} pixels, {OCR_WORKERS} at a time")
    compare("page-images reader (Tesseract, TSV parsed)", figure, floor, OCR_TARGET)


MEMORY_CHILD = """
import os, resource, sys
sys.path.insert(0, {repo!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")
import django; django.setup()
import pypdfium2
from bench.facsimile import identity
from backfile.ingest.readers.page_pictures import Scratch
from backfile.ingest.readers.pdf import read_pdf
document = pypdfium2.PdfDocument({pdf!r})
pages = sum(1 for _ in read_pdf(document, {pdf!r}, "x.pdf", identity(), Scratch()))
print(pages, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def bench_memory(folder: Path, pages: int) -> None:
    from tests.helpers.facsimiles import newspaper_pdf

    figures = []
    for count in (max(1, pages // 10), pages):
        pdf = newspaper_pdf(folder / f"memory-{count}.pdf", pages=count, columns=3)
        done = subprocess.run(
            [sys.executable, "-c", MEMORY_CHILD.format(repo=str(REPO), pdf=str(pdf))],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        read, peak = (int(n) for n in done.stdout.split()[-2:])
        assert read == count, done.stdout
        figures.append((count, peak, pdf.stat().st_size))
    print("memory: peak resident set of a child reading a PDF through the reader (images too)")
    for count, peak, size in figures:
        print(f"  {count:5d} pages ({size / 1e6:.1f} MB PDF)  peak {peak} MB")
    (_, small, _), (_, large, _) = figures
    print(f"  growth {large - small} MB from {figures[0][0]} to {figures[1][0]} pages")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdf-pages", type=int, default=200)
    parser.add_argument("--ocr-pages", type=int, default=8)
    parser.add_argument("--memory-pages", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5, help="Rounds of the PDF text (x4 for "
                        "the Federal Register); the best is kept.")  # fmt: skip
    args = parser.parse_args()
    setup()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    with tempfile.TemporaryDirectory(prefix="bench-facsimile-") as folder:
        bench_pdfs(Path(folder), args.pdf_pages, args.rounds)
        if args.ocr_pages:
            bench_ocr(Path(folder), args.ocr_pages)
        if args.memory_pages:
            bench_memory(Path(folder), args.memory_pages)
    used = resource.getrusage(resource.RUSAGE_SELF)
    print(f"cpu: {used.ru_utime - cpu.ru_utime + used.ru_stime - cpu.ru_stime:.1f} s in this "
          "process")  # fmt: skip


if __name__ == "__main__":
    main()
