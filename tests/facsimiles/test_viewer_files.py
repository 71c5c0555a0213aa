"""The page viewer's script is served from the site's own static files: the copy committed in
backfile/facsimiles/static is OpenSeadragon exactly as package-lock.json pins it (`make
openseadragon` makes the copy), with its licence beside it."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.staticfiles import finders

from tests.conftest import REPO, skip_unless

MODULE = REPO / "node_modules" / "openseadragon"
COPIED = (
    "build/openseadragon/openseadragon.min.js",
    "build/openseadragon/openseadragon.min.js.map",
)


def test_the_served_openseadragon_is_the_pinned_one():
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/openseadragon"]["version"]
    served = finders.find("facsimiles/openseadragon/openseadragon.min.js")
    assert served, "the viewer's script is not among the static files"
    with open(served, encoding="utf-8") as script:
        assert f"openseadragon {pinned}" in script.readline()
    assert finders.find("facsimiles/openseadragon/LICENSE.txt")
    skip_unless(MODULE.exists(), f"{MODULE} not installed (make setup runs npm ci)")
    for name in COPIED:
        copy = finders.find(f"facsimiles/openseadragon/{name.rsplit('/', 1)[-1]}")
        assert Path(copy).read_bytes() == (MODULE / name).read_bytes(), (
            f"make openseadragon: {name}"
        )
