"""The README's screenshots: docs/screenshots/article.png and docs/screenshots/search.png.

Builds a small demo archive from Backfile's own sample (backfile/sample: The Northern Review's
page captures and The Tideway's pictures; written for Backfile, so the screens show no one's
text), serves it with `backfile serve`, and takes each page at 1280 px wide in the light
scheme with Playwright in Chromium (BACKFILE_CHROMIUM, default /usr/bin/chromium). The PNGs
are reduced to 256 colours with Pillow to keep them small.

    make screenshots        # or: .venv/bin/python scripts/screenshots.py [--out FOLDER]
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

from backfile.loopback import free_port

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "backfile" / "sample"
CHROMIUM = Path(os.environ.get("BACKFILE_CHROMIUM", "/usr/bin/chromium"))
VIEWPORT = {"width": 1280, "height": 960}
# The article (the one with a figure, its caption and its credit) and the search shown.
ARTICLE_TITLE = "Morning on the quay"
SEARCH = "/search/?q=strike"
# the address of the article, asked of the archive itself (`backfile shell`)
FIND_ARTICLE = (
    "from backfile.archive.models import Article; "
    f"print(Article.objects.get(title={ARTICLE_TITLE!r}).get_absolute_url())"
)


def backfile(database: Path, *args: str, **run) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "backfile.cli", "--db", str(database), *args]
    return subprocess.run(command, check=True, text=True, **run)


def wait_for(port: int, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("screenshots: `backfile serve` stopped; see its output above")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"screenshots: the server did not answer within {seconds:.0f} s")


def shoot(base: str, pages: dict[str, str], out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport=VIEWPORT, color_scheme="light")
        for name, path in pages.items():
            response = page.goto(f"{base}{path}")
            if response.status != 200:
                raise SystemExit(f"screenshots: {path} answered {response.status}")
            page.wait_for_load_state("networkidle")
            target = out / f"{name}.png"
            page.screenshot(path=str(target))
            small(target)
            print(f"{target}: {target.stat().st_size // 1024} KB")
        browser.close()


def small(path: Path) -> None:
    """The PNG in 256 colours (text and flat colour survive it well), optimised."""
    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    reduced.save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    options = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"screenshots: Chromium not found at {CHROMIUM} (set BACKFILE_CHROMIUM)")
    options.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="backfile-screens-") as folder:
        database = Path(folder) / "demo.sqlite3"
        print("screenshots: building the demo archive from backfile/sample")
        for source in ("the-northern-review", "the-tideway"):
            backfile(database, "ingest", str(SAMPLE / source), stdout=subprocess.DEVNULL)
        article = backfile(database, "shell", "-c", FIND_ARTICLE, capture_output=True)
        port = free_port()
        env = {**os.environ, "BACKFILE_STATIC_ROOT": str(Path(folder) / "static")}
        env.pop("BACKFILE_DB", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "backfile.cli", "--db", str(database), "serve"]
            + ["--port", str(port), "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for(port, server)
            pages = {"article": article.stdout.split()[-1], "search": SEARCH}  # its last line
            shoot(f"http://127.0.0.1:{port}", pages, options.out)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
