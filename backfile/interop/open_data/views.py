"""`/data/`: the bulk data page, listing each publication's dumps with their terms."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backfile.caching.http import cached_page
from backfile.interop.open_data.dumps import listed_dumps
from backfile.media.storage import media_storage

RIGHTS_NAMES = {
    "rightsstatements.org/vocab/NoC-US/": "No Copyright – United States",
    "rightsstatements.org/vocab/InC/": "In Copyright",
    "rightsstatements.org/vocab/InC-EDU/": "In Copyright – Educational Use Permitted",
    "rightsstatements.org/vocab/NKC/": "No Known Copyright",
    "rightsstatements.org/vocab/CNE/": "Copyright Not Evaluated",
    "creativecommons.org/publicdomain/zero/": "CC0 (public domain dedication)",
    "creativecommons.org/publicdomain/mark/": "Public Domain Mark",
    "creativecommons.org/licenses/by/": "Creative Commons Attribution",
    "creativecommons.org/licenses/by-sa/": "Creative Commons Attribution-ShareAlike",
    "creativecommons.org/licenses/by-nc/": "Creative Commons Attribution-NonCommercial",
    "creativecommons.org/licenses/by-nc-sa/": "Creative Commons Attribution-NonCommercial-ShareAlike",
}  # fmt: skip


def rights_name(uri: str) -> str:
    """A rights statement's name for the page (`Creative Commons Attribution`), else the URI."""
    for fragment, name in RIGHTS_NAMES.items():
        if fragment in uri:
            return name
    return uri


@cached_page
def index(request: HttpRequest) -> HttpResponse:
    storage = media_storage()
    dumps = listed_dumps()
    publications = []
    for slug, group in groupby(dumps, key=lambda d: d.publication):
        files = list(group)
        for dump in files:
            dump.url = storage.url(dump.path)
        first = files[0]
        publications.append({"slug": slug, "name": first.name, "rights": first.rights,
                             "rights_name": rights_name(first.rights), "articles": first.articles,
                             "made": first.made, "files": files})  # fmt: skip
    return render(request, "data/index.html", {"publications": publications})
