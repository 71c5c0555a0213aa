"""bench/fidelity.py still runs: three entries of the ground truth, one per source family
the corpus has, ingested and scored; the table names every field and every family."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO, corpus_path

ENTRIES = [
    "legacy/443_03_Israel",
    "wxr/wxr-simple/10",
    "capture/no-397-september-1937/from-lenin-to-stalin",
]


def test_fidelity_bench_prints_the_accuracy_of_every_field_per_family():
    corpus_path("socialist-worker-2001-2005.tar.xz")
    corpus_path("wordpress-wxr", "wxr-simple.xml")
    corpus_path("socialist-standard")
    sys.path.insert(0, str(REPO / "bench"))
    from fidelity_tools import FIELDS

    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "fidelity.py"), "--ids", ",".join(ENTRIES)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert re.search(
        r"^fidelity: 3 articles checked by hand \(legacy EN 1, legacy ES 0, WXR 1, capture 1\)",
        out,
        re.M,
    ), out
    assert re.search(r"^field +overall +legacy EN +legacy ES +WXR +capture$", out, re.M), out
    cell = r" +\d+\.\d% +\d/\d"
    for name in FIELDS:
        # overall over the three, one of one in each family the corpus has, none for ES
        row = rf"^{re.escape(name)} +{cell}{cell} +–{cell}{cell}$"
        assert re.search(row, out, re.M), f"no row for {name!r} in:\n{out}"
    assert re.search(r"^mismatches: \d+$", out, re.M), out


def test_fidelity_bench_names_an_entry_it_does_not_have():
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "fidelity.py"), "--ids", "legacy/no-such-page"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "no such entries: legacy/no-such-page" in done.stderr
