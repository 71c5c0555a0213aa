"""Which links of a run's pages name no article of the archive, said once the run is stored.

A reader sees only its own run, so it cannot tell whether a page it links to was
ingested before; nor, while it reads, whether a later folder of the same run holds
it. So the links are gathered as the records pass to the loader (the body's links
of every article, and the links of contents pages a reader could not place, as
notices with a `link`), and after the run each is looked up in the archive: a link
is reported "not in the archive" only when no stored article is its target.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from backfile.archive.links import HREF, link_targets, stored_keys
from backfile.ingest.readers.base import Output
from backfile.ingest.records import ArticleRecord, Block, Notice
from backfile.ingest.report import IngestReport


class LinkCheck:
    def __init__(self) -> None:
        self._links: list[tuple[str, list[str], str]] = []  # (report path, targets, message)
        self.resolved = 0
        self.absent = 0

    def watch(self, outputs: Iterable[Output]) -> Iterator[Output]:
        """The outputs, less the conditional notices, with every link noted on the way."""
        for output in outputs:
            if isinstance(output, Notice) and output.link:
                self._add(output.path, output.link, output.message)
                continue
            if isinstance(output, ArticleRecord):
                base = output.source.path
                for href in dict.fromkeys(block_hrefs(output.blocks)):
                    self._add(base, href, f"links to {href}, which is not in the archive")
            yield output

    def _add(self, path: str, href: str, message: str) -> None:
        targets = link_targets(path, href)
        if targets:
            self._links.append((path, targets, message))

    def report_absent(self, report: IngestReport) -> None:
        """Note each link no stored article answers; count those that resolve."""
        found = stored_keys(key for _, targets, _ in self._links for key in targets)
        for path, targets, message in self._links:
            if any(key in found for key in targets):
                self.resolved += 1
            else:
                self.absent += 1
                report.add(path, "noted", message)
        report.links_resolved, report.links_absent = self.resolved, self.absent
        self._links = []


def block_hrefs(blocks: list[Block]) -> Iterator[str]:
    for block in blocks:
        if block.html:
            yield from (match.group(2) for match in HREF.finditer(block.html))
        if block.blocks:
            yield from block_hrefs(block.blocks)
