"""bench/related.py still runs: a few invented articles ingested without related articles,
with them, and with them and mentions of the authority file, each cost beside the floor."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.archive.conftest import LAMPLIGHTER, paragraph
from tests.conftest import REPO
from tests.helpers.records import invented_record
from tests.helpers.served import write_jsonl
from tests.related.test_related_pages import FIRST_RUN, JULY


def test_related_bench_prints_its_cost_beside_the_ingest_without_it(tmp_path):
    named = [
        invented_record(
            LAMPLIGHTER, JULY, f"Letter {n}", position=10 + n,
            blocks=[paragraph("Tobias Wrenfield wrote again, and so did Ada Lockwood.")],
        )
        for n in range(3)
    ]  # fmt: skip
    path = write_jsonl(tmp_path / "run.jsonl", FIRST_RUN + named)
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "related.py"), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"^run\.jsonl: 9 articles$", done.stdout, re.M), done.stdout
    assert re.search(r"^  ingest without related articles: +\d+\.\d\d CPU s", done.stdout, re.M)
    shares = re.findall(
        r"^    related: \d+\.\d\d CPU s .* = \d+\.\d% of the ingest", done.stdout, re.M
    )
    assert len(shares) == 2, done.stdout
    # the stand-in linker's two names, each in the three letters
    assert "(6 mentions stored, 6 entries kept as key terms)" in done.stdout, done.stdout
