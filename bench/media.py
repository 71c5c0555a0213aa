"""Picture ingest speed: a generated archive of pictures through the real pipeline, beside a floor.

    .venv/bin/python bench/media.py [--pictures 2000] [--per-article 4]

The archive is made by the test helpers (tests/helpers/pictures.py) with Pillow:
photographs (JPEG, some turned by EXIF), charts and cartoons (PNG, some
transparent or with a palette), GIFs and WebPs from about 120 to 2,400 pixels
wide, four to an article's figure, written as `backfile export` writes them (a
JSONL file and `assets/<ab>/<sha256>.<ext>` beside it).

The pipeline run ingests that folder into a fresh SQLite database (migrated in a
temporary folder) with `backfile.ingest.pipeline.ingest`, exactly as `backfile
ingest` does: records read, every picture hashed, measured, reduced to its
display sizes in WebP and JPEG and written to the media storage, the articles and
their search index stored. The floor, measured in the same run, opens the same
files with Pillow and makes the same sizes in the same formats, in memory: what
any ingest of these pictures must at least cost. Issue 12 asks for at least half
the floor's rate.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.5


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def pipeline_seconds(archive: Path, folder: Path) -> tuple[float, int, int, float]:
    """Seconds for the real ingest into a fresh database, the articles and pictures it stored,
    and the CPU seconds it took (this process and its workers)."""
    os.environ["BACKFILE_DB"] = str(folder / "bench.sqlite3")
    os.environ["BACKFILE_MEDIA_ROOT"] = str(folder / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")
    import django

    django.setup()
    from django.core.checks import run_checks
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    run_checks()  # as `backfile ingest` does before it reads a file
    from backfile.ingest.pipeline import ingest
    from backfile.media.models import Asset

    cpu = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    report = ingest([archive])
    seconds = time.perf_counter() - started
    cpu = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN) - cpu
    failed = report.count("failed")
    if failed:
        print(f"warning: {failed} files or items failed", file=sys.stderr)
    pictures = Asset.objects.exclude(derivatives=[]).count()
    return seconds, report.count("added"), pictures, cpu


def floor_seconds(files: list[Path]) -> tuple[float, float]:
    """Seconds for Pillow to open every picture and make its display sizes in every format, in
    memory (each size reduced from the one before, as a careful hand would)."""
    from PIL import Image, ImageOps

    from backfile.media.images import FORMATS, JPEG_QUALITY, WEBP_QUALITY, widths_for

    cpu = cpu_seconds(resource.RUSAGE_SELF)
    started = time.perf_counter()
    for path in files:
        with Image.open(path) as image:
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "RGBA"):
                image = image.convert("RGBA" if "transparency" in image.info else "RGB")
            width, height = image.size
            for target in sorted(widths_for(width), reverse=True):
                image.thumbnail((target, max(1, round(height * target / width))))
                for extension, _type in FORMATS:
                    out = io.BytesIO()
                    if extension == "webp":
                        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
                    else:
                        image.convert("RGB").save(
                            out, "JPEG", quality=JPEG_QUALITY, progressive=True
                        )
    seconds = time.perf_counter() - started
    return seconds, cpu_seconds(resource.RUSAGE_SELF) - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=2000)
    parser.add_argument("--per-article", type=int, default=4)
    options = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from tests.helpers.pictures import generated_archive

    with tempfile.TemporaryDirectory(prefix="backfile-bench-media-") as folder:
        made_at = time.perf_counter()
        archive = Path(folder) / "archive"
        jsonl, made = generated_archive(archive, options.pictures, options.per_article)
        made_in = time.perf_counter() - made_at
        files = sorted(p for p in (archive / "assets").rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in files)
        floor, floor_cpu = floor_seconds(files)
        seconds, articles, pictures, cpu = pipeline_seconds(archive, Path(folder))
    rate, floor_rate = pictures / seconds, len(files) / floor
    ratio = rate / floor_rate
    print(
        f"media: {len(files)} pictures ({size / 1e6:.0f} MB, made in {made_in:.0f} s) "
        f"in {articles} articles; {pictures} stored with display sizes in {seconds:.2f} s"
    )
    print(f"  pipeline  {rate:8.1f} pictures/s")
    print(
        f"  floor     {floor_rate:8.1f} pictures/s   (Pillow open + the same sizes, {floor:.2f} s)"
    )
    print(f"  ratio     {ratio:8.2f}                (target >= {TARGET_RATIO:.2f})")
    print(f"  cores     {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")
    print(f"  cpu       pipeline {cpu:.1f} s (workers included); floor {floor_cpu:.1f} s")
    if pictures != len(made):
        sys.exit(f"only {pictures} of {len(made)} pictures were stored with their sizes")


if __name__ == "__main__":
    main()
