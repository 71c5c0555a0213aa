"""Where a legacy page's pictures are: each figure given its file from the run's sources.

`legacy_pictures` puts figures in the pages' bodies with the addresses the pages
wrote (`../../images/march.jpg`); here, in the reading process, each address is
taken below the page's site (`images/march.jpg`) and looked for among the picture
files of the run (`backfile.ingest.source_pictures`). A record whose pictures are
not all found yet waits for the end of the walk, since a folder or archive may
hold them after the pages; then what is still missing keeps its address, alt text
and caption with no file (`sha256` empty: the page shows a placeholder), and the
report notes it.
"""

from __future__ import annotations

import posixpath
import urllib.parse
from collections.abc import Iterator

from backfile.ingest.records import ArticleRecord, AssetRecord, AssetUse, Block, Notice


def figure_uses(blocks: list[Block]) -> Iterator[tuple[Block, AssetUse]]:
    for block in blocks:
        if block.type == "figure":
            for use in block.assets:
                yield block, use
        if block.blocks:
            yield from figure_uses(block.blocks)


def site_paths(key: str, site: str, src: str) -> list[str]:
    """Where a page's picture address may be below its site: `../../images/x.jpg` from
    `2003-2/459/page.php` is `images/x.jpg`; a full address is tried by its path."""
    parts = urllib.parse.urlsplit(src)
    if parts.scheme not in ("", "http", "https") or not parts.path:
        return []
    path = urllib.parse.unquote(parts.path)
    if path.startswith("/"):
        relative = posixpath.normpath(path.lstrip("/"))
    elif parts.netloc:
        return []
    else:
        relative = posixpath.normpath(posixpath.join(posixpath.dirname(key), path))
    if relative.startswith(".."):
        return []
    return [f"{site}/{relative}", relative] if site else [relative]


class LegacyPictures:
    """The reading process's side: each record's figures given their files from the run's
    sources. A record whose pictures are not all found yet waits for the end of the walk
    (they may come later in it); then what is still missing is a placeholder, noted."""

    def __init__(self, sources=None):
        self.sources = sources  # SourcePictures of the run, or None (nothing is found)
        self.held: list[tuple[str, ArticleRecord]] = []

    def resolved(self, outputs: Iterator, site: str) -> Iterator:
        for output in outputs:
            if (
                isinstance(output, ArticleRecord)
                and any(figure_uses(output.blocks))
                and not self._attach(output, site)
                and self.sources is not None
            ):
                self.held.append((site, output))
                continue
            yield output

    def finish(self) -> Iterator:
        held, self.held = self.held, []
        for site, record in held:
            self._attach(record, site)
            for _block, use in figure_uses(record.blocks):
                if not use.sha256:
                    yield Notice(
                        record.key,
                        f"picture {use.url}: the file is not among the sources; the figure keeps "
                        "its address, alt text and caption, and shows a placeholder",
                    )
            yield record

    def _attach(self, record: ArticleRecord, site: str) -> bool:
        """Give the record's figures the files found; True when none is missing."""
        complete = True
        known = {asset.sha256 for asset in record.assets}
        for block, use in figure_uses(record.blocks):
            if use.sha256:
                continue
            location = None
            if self.sources is not None:
                location = self.sources.find(*site_paths(record.key, site, use.url))
            if location is None:
                complete = False
                continue
            try:
                asset = AssetRecord.of_file(
                    location,
                    filename=(site_paths(record.key, "", use.url) or [use.url])[0],
                    alt=use.alt,
                    caption=use.caption or (block.text if len(block.assets) == 1 else ""),
                    credit=use.credit or (block.credit if len(block.assets) == 1 else ""),
                )
            except OSError:
                complete = False
                continue
            use.sha256 = asset.sha256
            if asset.sha256 not in known:
                known.add(asset.sha256)
                record.assets.append(asset)
        return complete
