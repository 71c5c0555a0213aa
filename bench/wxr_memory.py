"""Peak memory of a large WordPress import, beside a floor measured in the same run.

    .venv/bin/python bench/wxr_memory.py [--posts 200000]

A WordPress export of `--posts` published posts (with comments, categories,
tags and attachments) is generated into a temporary folder by the test helper
tests/helpers/wxr_generator.py. The figure is the peak resident memory of
`backfile --db TMP ingest big.xml`, read from the kernel (RUSAGE_CHILDREN) by a
wrapper process whose only child the ingest is. The floor is the same measure
for a process that starts Django and streams the same file through lxml's
iterparse, dropping each item as it ends: what any streaming reader of this
file must at least hold. Issue 3 asks for under 500 MB at 200,000 posts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
LIMIT_MB = 500
MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(done.returncode)\n"
)
FLOOR = (
    "import sys, django\n"
    "django.setup()\n"
    "from lxml import etree\n"
    "for _, item in etree.iterparse(sys.argv[1], tag='item', resolve_entities=False,\n"
    "                               no_network=True, huge_tree=True):\n"
    "    item.clear()\n"
    "    while item.getprevious() is not None:\n"
    "        del item.getparent()[0]\n"
)


def peak_mb(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Peak resident memory (MB) of `command` and its wall time in seconds."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env=env,
    )
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return int(done.stdout.split()[-1]) / 1024, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=200_000)
    options = parser.parse_args()
    from tests.helpers.wxr_generator import write_wxr

    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "big.xml"
        written = write_wxr(export, posts=options.posts)
        size_mb = export.stat().st_size / 1024 / 1024
        print(f"export: {options.posts:,} posts, {written['comment']:,} comments, {size_mb:.0f} MB")
        database = Path(folder) / "big.sqlite3"
        ingest = [sys.executable, "-m", "backfile.cli", "--db", str(database), "ingest"]
        figure, seconds = peak_mb([*ingest, str(export), "--quiet"])
        floor, _ = peak_mb(
            [sys.executable, "-c", FLOOR, str(export)],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "backfile.settings"},
        )
    print(f"ingest peak memory: {figure:.0f} MB ({options.posts / seconds:.0f} posts/s)")
    print(f"floor (Django + streamed lxml parse of the same file): {floor:.0f} MB")
    print(f"ratio: {figure / floor:.2f}x the floor; limit {LIMIT_MB} MB")


if __name__ == "__main__":
    main()
