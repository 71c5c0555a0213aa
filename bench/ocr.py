"""OCR accuracy: Backfile's OCR of pages whose text we know, and beside the shared ALTO pages.

    .venv/bin/python bench/ocr.py [--pages-per-language 2] [--no-alto]

- **Known text**: pages of the project's own text in English, Spanish and German
  (`tests/helpers/facsimiles.py`), set in DejaVu Serif at 11 and 9 pt, drawn at 300 dpi
  and made to look scanned (turned 0.5° or 1.5°, a Gaussian blur of 0.8 or 1.2 pixels, a
  speck of dust or toner in every 2,000 or 600 pixels, saved as a JPEG at quality 60 or
  40), are read through the page-images reader as `backfile ingest` reads a folder of
  scans, each in its issue's language. Printed: the character error rate (Levenshtein
  distance between the known text and the OCR, spaces and line ends made single spaces, ÷
  the known text's length), per language and overall. Target: 2% or better.
- **Agreement with the shared ALTO**: the Chronicling America pages of the shared corpus
  (`facsimiles/chronam`: a JPEG beside its ALTO, ALTO in inch1200 units, pixel = value ÷ 8)
  are OCR'd by Backfile (`backfile.ingest.ocr.recognise`, English or German as the METS
  says) and compared with the ALTO's words. The ALTO is uncorrected production OCR, so
  this is agreement, not accuracy. Printed: word agreement (the words both read, counted
  as a multiset, F1 of the two word lists lower-cased without punctuation: order does not
  count, since the engines cut the page into blocks differently) and character agreement
  (rapidfuzz's normalised Indel similarity of the two texts with their words sorted).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPUS = Path(os.environ.get("BACKFILE_CORPUS", REPO.parent / "shared" / "corpus"))
CHRONAM = CORPUS / "facsimiles" / "chronam"
TARGET_CER = 0.02
ALTO_PAGES = [  # (JPEG beside its ALTO, Tesseract language, what it is)
    ("batch_dlc_manyyears_ver01/data/sn83045462/0028065856A/1916082601/0007.jpg", "eng",
     "Evening Star, 1916-08-26, page 7 (English)"),
    ("batch_mnhi_german_ver01/data/sn83045350/00295876384/1878010301/0011.jpg", "deu",
     "Der Nordstern, 1878-01-03, page 1 (German, Fraktur)"),
]  # fmt: skip
STRING = re.compile(rb"<(?:\w+:)?String\b[^>]*?\bCONTENT=\"([^\"]*)\"")
WORD = re.compile(r"\w+")


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")
    import django

    django.setup()


def normalised(text: str) -> str:
    return " ".join(text.split())


def known_text_pages(folder: Path, per_language: int) -> dict[str, list[tuple[Path, str]]]:
    """Issue folders of scanned-looking pages, one a language: each page's file and text."""
    from tests.helpers.facsimiles import TEXTS, scanned, text_page

    made = {}
    for language, lines in TEXTS.items():
        issue = folder / f"issue-{language}"
        issue.mkdir()
        sidecar = {"publication": "Bench", "date": "2004-06", "language": language}
        (issue / "issue.json").write_text(json.dumps(sidecar))
        made[language] = []
        for number in range(per_language):
            # each page a different cut of the lines, size and scan: the harder of the two
            # kinds of page is 9 pt, turned 1.5°, blurred more, with more dust, a JPEG at 40
            page_lines = lines[number % 2 :] + lines[: number % 2]
            hard = number % 2
            image = scanned(
                text_page(page_lines, size_pt=9 if hard else 11),
                seed=number + 7,
                angle=1.5 if hard else 0.5,
                blur=1.2 if hard else 0.8,
                specks=600 if hard else 2000,
                quality=40 if hard else 60,
            )
            path = issue / f"page{number + 1:02d}.png"
            image.save(path)
            made[language].append((path, "\n".join(page_lines)))
    return made


def bench_known_text(folder: Path, per_language: int) -> float:
    from rapidfuzz.distance import Levenshtein

    from backfile.ingest.page_records import PageRecord
    from backfile.ingest.pipeline import read_paths
    from backfile.ingest.report import IngestReport

    made = known_text_pages(folder, per_language)
    started = time.perf_counter()
    outputs = list(read_paths([folder], None, IngestReport()))
    seconds = time.perf_counter() - started
    read = {o.source.path: o for o in outputs if isinstance(o, PageRecord)}
    print(f"ocr, known text: {sum(map(len, made.values()))} pages at 300 dpi, scanned-looking, "
          f"read in {seconds:.1f} s")  # fmt: skip
    errors = characters = 0
    for language, pages in made.items():
        lang_errors = lang_chars = 0
        for path, truth in pages:
            page = read.get(str(path))
            ocr = normalised(page.text) if page else ""
            lang_errors += Levenshtein.distance(normalised(truth), ocr)
            lang_chars += len(normalised(truth))
        print(f"  {language}  CER {lang_errors / lang_chars:6.2%}  ({lang_errors} of "
              f"{lang_chars} characters)")  # fmt: skip
        errors += lang_errors
        characters += lang_chars
    cer = errors / characters
    met = "met" if cer <= TARGET_CER else "NOT met"
    print(f"  all  CER {cer:6.2%}  (target {TARGET_CER:.0%} or better: {met})")
    return cer


def alto_words(alto: Path) -> list[str]:
    """The words of an ALTO file (its String CONTENTs), for comparison only: Backfile's own
    ALTO reader is the NDNP reader's."""
    return [
        match.group(1).decode("utf-8", "replace").replace("&amp;", "&").replace("&quot;", '"')
        for match in STRING.finditer(alto.read_bytes())
    ]


def word_list(text: str) -> list[str]:
    return [word.lower() for word in WORD.findall(text)]


def agreement(ours: list[str], theirs: list[str]) -> tuple[float, float]:
    from rapidfuzz.distance import Indel

    common = sum((Counter(ours) & Counter(theirs)).values())
    f1 = 2 * common / (len(ours) + len(theirs)) if ours or theirs else 1.0
    chars = Indel.normalized_similarity(" ".join(sorted(ours)), " ".join(sorted(theirs)))
    return f1, chars


def bench_alto() -> None:
    from backfile.ingest.ocr import recognise

    print("ocr beside the shared ALTO (uncorrected production OCR: agreement, not accuracy)")
    for relative, language, what in ALTO_PAGES:
        image = CHRONAM / relative
        alto = image.with_suffix(".xml")
        if not (image.is_file() and alto.is_file()):
            print(f"  {what}: not found under {CHRONAM}")
            continue
        started = time.perf_counter()
        page = recognise(str(image), language, timeout=1800)
        seconds = time.perf_counter() - started
        ours = word_list(" ".join(w.text for b in page.blocks for ln in b.lines for w in ln.words))
        theirs = word_list(" ".join(alto_words(alto)))
        words, chars = agreement(ours, theirs)
        print(f"  {what}: {len(ours)} words ours, {len(theirs)} ALTO's; word agreement "
              f"{words:.1%}, character agreement {chars:.1%}; {seconds:.0f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages-per-language", type=int, default=2)
    parser.add_argument("--no-alto", action="store_true", help="Leave out the ALTO pages.")
    args = parser.parse_args()
    setup()
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as folder:
        bench_known_text(Path(folder), args.pages_per_language)
    if not args.no_alto:
        bench_alto()


if __name__ == "__main__":
    main()
