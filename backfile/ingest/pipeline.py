"""From paths on the command line to records: walk, detect each file's format, read."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from backfile.ingest.loader import IngestReport, Loader
from backfile.ingest.readers import Output, Reader, detect, registered
from backfile.ingest.records import Failure
from backfile.ingest.sources import SourceError, SourceFile, walk


def read_paths(
    paths: list[Path],
    publication: str | None,
    report: IngestReport,
    on_file: Callable[[SourceFile], None] | None = None,
    reader_options: dict | None = None,
) -> Iterator[Output]:
    """Records from every file under `paths`, one reader instance per format for the run."""
    readers: dict[type[Reader], Reader] = {}
    for path in paths:
        try:
            for file in walk([path]):
                report.files_read += 1
                if on_file:
                    on_file(file)
                if file.error:
                    yield Failure(file.path, file.error)
                    continue
                cls = detect(file)
                if cls is None:
                    yield Failure(file.path, unknown_format_reason(file))
                    continue
                if cls not in readers:
                    readers[cls] = cls.configured(publication, reader_options or {})
                yield from guarded(readers[cls].feed(file), file.path, cls.format)
        except SourceError as error:
            yield Failure(str(path), str(error))
    for cls, reader in readers.items():
        yield from guarded(reader.finish(), "(end of run)", cls.format)


def guarded(outputs: Iterator[Output], path: str, format: str) -> Iterator[Output]:
    """A reader's outputs; a bug in the reader becomes a Failure, not the end of the run."""
    try:
        yield from outputs
    except Exception as error:
        yield Failure(path, f"{format} reader failed: {error!r}")


def unknown_format_reason(file: SourceFile) -> str:
    known = ", ".join(cls.format for cls in registered())
    if not file.head.strip():
        return "empty file"
    if b"\x00" in file.head:
        return f"binary file, not one of the formats Backfile reads ({known})"
    return f"not recognised as any format Backfile reads ({known})"


def ingest(
    paths: list[Path],
    publication: str | None = None,
    on_file: Callable[[SourceFile], None] | None = None,
    reader_options: dict | None = None,
) -> IngestReport:
    report = IngestReport()
    with fewer_collections():
        Loader(report).load(read_paths(paths, publication, report, on_file, reader_options))
    return report


@contextmanager
def fewer_collections(threshold: int = 20_000) -> Iterator[None]:
    """Run Python's cycle collector less often while an ingest allocates its records.

    By default it runs every 700 allocations and, now and then, walks every live
    object; an ingest makes millions of short-lived objects (blocks, rows, terms)
    and spent a tenth of its time there. Cycles are still collected, only in
    larger rounds; the worker processes forked meanwhile inherit the setting.
    """
    before = gc.get_threshold()
    gc.set_threshold(threshold, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)
