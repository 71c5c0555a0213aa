"""bench/facsimile.py and bench/ocr.py still run: tiny inputs, every figure printed beside
its floor."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from tests.conftest import REPO, skip_unless
from tests.helpers.facsimiles import has_fonts


def run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_facsimile_bench_prints_each_rate_beside_its_floor():
    skip_unless(shutil.which("tesseract") is not None, "tesseract is not installed")
    skip_unless(has_fonts(), "DejaVu fonts are not installed")
    out = run(str(REPO / "bench" / "facsimile.py"), "--pdf-pages", "4", "--ocr-pages", "2",
              "--memory-pages", "20", "--rounds", "1")  # fmt: skip
    assert re.search(r"^the PDF reader.s words, lines and gutters: in (C|Python)", out, re.M), out
    assert re.search(r"^pdf text: generated three-column issue, 4 pages", out, re.M), out
    assert len(re.findall(r"^    reader +\d+\.\d+ ", out, re.M)) >= 3, out
    assert len(re.findall(r"^    floor +\d+\.\d+ ", out, re.M)) >= 3, out
    assert len(re.findall(r"^    ratio +\d+\.\d\d", out, re.M)) >= 3, out
    assert re.search(r"^ocr: 2 scanned pages", out, re.M), out
    assert re.search(r"^ +20 pages .* peak \d+ MB", out, re.M), out


def test_ocr_bench_prints_the_character_error_rate():
    skip_unless(shutil.which("tesseract") is not None, "tesseract is not installed")
    skip_unless(has_fonts(), "DejaVu fonts are not installed")
    out = run(str(REPO / "bench" / "ocr.py"), "--pages-per-language", "1", "--no-alto")
    for language in ("eng", "spa", "deu"):
        assert re.search(rf"^  {language}  CER +\d+\.\d\d%", out, re.M), out
    cer = re.search(r"^  all  CER +(\d+\.\d\d)%", out, re.M)
    assert cer and float(cer.group(1)) <= 2.0, out  # the target, on easy pages too
