"""The picture files among one ingest's sources, found by the path a page gives them.

A hand-made site's pages name their pictures by relative paths (`../../images/march.jpg`);
the files are in the same folder or archive as the pages, before or after them in the
walk. `read_paths` hands every picture file it passes to `SourcePictures.add`; a reader
that declares the reader option `source_pictures` is given the run's instance and asks
`find` for a path below its site. Files on disk are read where they are; a picture inside
a `.zip` or `.tar.*` archive (streamed, never unpacked) is copied to a temporary folder
that the run removes when it ends. Only files among the sources are ever found: a page's
`../../../../etc/passwd` names nothing.
"""

from __future__ import annotations

import posixpath
import shutil
import tempfile
from pathlib import Path

from django.conf import settings

from backfile.ingest.sources import SourceFile

MAX_SUFFIX_PARTS = 8  # a picture is found by up to this many trailing parts of its path


class SourcePictures:
    def __init__(self) -> None:
        self._by_suffix: dict[str, str] = {}  # trailing parts of a path, case-folded → file
        self._spool: Path | None = None
        self._count = 0

    def add(self, file: SourceFile) -> str:
        """Note a picture file of the walk (copied aside when it is inside an archive); why it
        could not be kept, or "" where it was."""
        inner = file.path.split("!", 1)[-1] if "!" in file.path else file.path
        if "!" in file.path:
            location, why = self._copy(file)
            if location is None:
                return why
        else:
            location = file.path
        parts = [p for p in inner.replace("\\", "/").split("/") if p not in ("", ".")]
        for start in range(max(0, len(parts) - MAX_SUFFIX_PARTS), len(parts)):
            self._by_suffix["/".join(parts[start:]).casefold()] = location
        return ""

    def find(self, *paths: str) -> str | None:
        """The file on this machine for the first of `paths` (relative paths below a site,
        `socialist-worker/images/march.jpg`, then `images/march.jpg`) that is a picture among
        the sources; case is ignored, as the web servers of such sites often did."""
        for path in paths:
            path = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
            if not path or path.startswith("..") or path == ".":
                continue
            found = self._by_suffix.get(path.casefold())
            if found:
                return found
        return None

    def _copy(self, file: SourceFile) -> tuple[str | None, str]:
        limit = settings.BACKFILE_INGEST_MAX_MEMBER_BYTES
        if self._spool is None:
            self._spool = Path(tempfile.mkdtemp(prefix="backfile-pictures-"))
        self._count += 1
        target = self._spool / f"{self._count}{posixpath.splitext(file.path)[1][:8]}"
        written = 0
        try:
            with target.open("wb") as out:
                while chunk := file.stream.read(1 << 20):
                    written += len(chunk)
                    if written > limit:
                        target.unlink(missing_ok=True)
                        return None, "larger than BACKFILE_INGEST_MAX_MEMBER_BYTES allows"
                    out.write(chunk)
        except Exception as error:  # a broken member costs only itself: its figure is a placeholder
            target.unlink(missing_ok=True)
            return None, str(error) or type(error).__name__
        return str(target), ""

    def close(self) -> None:
        """Remove the copies (once the run's records are stored)."""
        if self._spool is not None:
            shutil.rmtree(self._spool, ignore_errors=True)
            self._spool = None
        self._by_suffix.clear()
