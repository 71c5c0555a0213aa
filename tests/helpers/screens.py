"""Screens of pages as test artefacts: full-page PNGs at desktop (1280 px) and mobile (390 px)
widths, light and dark, written to BACKFILE_ARTEFACTS (default test-artefacts/ in the
repository, which git ignores) for a person to look at after a run (CI keeps the folder).

    save_screens(page, "article")            # the page as it is: four screens
    save_screen(page, "article", MOBILE, "dark")  # one

A name becomes the file's stem: article-1280-light.png, article-390-dark.png.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "mobile": MOBILE}
SCHEMES = ("light", "dark")


def artefacts() -> Path:
    folder = Path(os.environ.get("BACKFILE_ARTEFACTS") or REPO / "test-artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screen_path(name: str, viewport: dict, scheme: str) -> Path:
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return artefacts() / f"{stem}-{viewport['width']}-{scheme}.png"


def save_screen(page, name: str, viewport: dict | None = None, scheme: str | None = None) -> Path:
    """One full-page screen of `page` at `viewport` in `scheme` (both as the page is now if
    not given; the page keeps the ones given)."""
    if viewport:
        page.set_viewport_size(viewport)
    if scheme:
        page.emulate_media(color_scheme=scheme)
    viewport = page.viewport_size
    scheme = scheme or page.evaluate(
        "matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'"
    )
    path = screen_path(name, viewport, scheme)
    page.screenshot(path=str(path), full_page=True)
    return path


def save_screens(page, name: str) -> list[Path]:
    """The page at 1280 and 390 px, light and dark: four screens; the page is left at
    1280 px, light."""
    saved = [
        save_screen(page, name, viewport, scheme)
        for viewport in (MOBILE, DESKTOP)
        for scheme in ("dark", "light")
    ]
    return saved


@pytest.fixture
def screens():
    """`save_screens`, for a test to call on its pages: `screens(page, "article")`."""
    return save_screens
