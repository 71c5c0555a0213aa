"""Pictures served from the media storage, cached for a year: a name never changes meaning.

Behind a web server in production, let it serve BACKFILE_MEDIA_ROOT at `/media/` with the same
`Cache-Control` (docs/pictures.md); with object storage the pages link to the bucket directly.
"""

from __future__ import annotations

import re

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from backfile.media.images import EXTENSIONS
from backfile.media.storage import FOREVER, media_storage

STORED_NAME = re.compile(
    r"(originals|pictures)/([0-9a-f]{2})/\2[0-9a-f]{62}(-\d+\.v\d+)?\.[a-z0-9]+"
)
MEDIA_TYPES = {extension: media_type for media_type, extension in EXTENSIONS.items()}
SHOWN_INLINE = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"}


@require_safe
def stored_file(request: HttpRequest, name: str) -> FileResponse:
    if not STORED_NAME.fullmatch(name):
        raise Http404("No such picture.")
    storage = media_storage()
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such picture.") from None
    media_type = MEDIA_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")
    inline = media_type in SHOWN_INLINE
    response = FileResponse(handle, content_type=media_type, as_attachment=not inline)
    response["Cache-Control"] = FOREVER
    return response
