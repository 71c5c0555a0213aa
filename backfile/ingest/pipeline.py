"""From paths on the command line to records: walk, detect each file's format, read.

Here the ingest limits (`backfile.ingest.limits`) meet the readers: a file that
becomes one article is refused past the bytes one article may take, and every
record past the characters one article may have is replaced by a Failure before
the loader sees it, so a stored article of the same key stays as it was.

A worker process that dies (killed, out of memory) ends the run: `ingest`
reports it as a failure in a sentence, and the batch being stored when it died
is rolled back, so what is stored is what the report says.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction

from backfile.archive.signals import ingest_finished
from backfile.ingest.language import NOT_DETECTED, Languages, detect_all, record_text
from backfile.ingest.limits import LimitExceeded, Limits
from backfile.ingest.link_check import LinkCheck
from backfile.ingest.loader import Loader
from backfile.ingest.page_records import PageRecord
from backfile.ingest.pictures import picture_file, picture_page
from backfile.ingest.readers import Output, Reader, detect, registered
from backfile.ingest.records import ArticleRecord, Block, Failure, Notice
from backfile.ingest.report import IngestReport, ReportEntry
from backfile.ingest.source_pictures import SourcePictures
from backfile.ingest.sources import SourceError, SourceFile, walk, without_path
from backfile.ingest.unpacking import UnpackError
from backfile.media.files import is_export_asset, is_picture_file
from backfile.workers import worker_processes

RUN = "(ingest)"  # the report's path for what concerns the whole run


class WorkerDied(Exception):
    """A worker process a reader or the search index relied on has ended."""


def read_paths(
    paths: list[Path],
    publication: str | None,
    report: IngestReport,
    on_file: Callable[[SourceFile], None] | None = None,
    reader_options: dict | None = None,
    limits: Limits | None = None,
    workers: Executor | None = None,
) -> Iterator[Output]:
    """Records from every file under `paths`, one reader instance per format for the run
    (their languages detected in `workers`, the ingest's worker processes, where given)."""
    pictures = SourcePictures()  # the run's picture files, for readers that ask for them
    options = {**(reader_options or {}), "source_pictures": pictures}
    try:
        yield from _read(paths, publication, report, on_file, options, limits, workers, pictures)
    finally:
        pictures.close()  # the copies of archived pictures, once every record is stored


def _read(
    paths: list[Path],
    publication: str | None,
    report: IngestReport,
    on_file: Callable[[SourceFile], None] | None,
    reader_options: dict,
    limits: Limits | None,
    workers: Executor | None,
    pictures: SourcePictures,
) -> Iterator[Output]:
    limits = limits or Limits.from_settings()
    readers: dict[type[Reader], Reader] = {}
    languages = Languages(settings.LANGUAGE_CODE)
    for path in paths:
        try:
            for file in walk([path], limits, with_skipped=True):
                report.files.append(file.path)
                if file.skipped:
                    yield Notice(file.path, file.skipped, kind="skipped")
                    continue
                report.files_read += 1
                if on_file:
                    on_file(file)
                if file.error:
                    yield Failure(file.path, file.error)
                    continue
                # an export's assets (pictures, page images, PDFs) are read by the records
                cls = None if is_export_asset(file.path) else detect(file)
                if cls is None and is_picture_file(file.path, file.head):
                    # stored through the record that shows it (backfile.media.files)
                    if why := pictures.add(file):
                        why = f"a picture not kept ({why}): the pages showing it show a placeholder"
                        yield Notice(file.path, why, kind="picture")
                    else:
                        why = picture_file(file.head) or "stored with the records that use it"
                        yield Notice(file.path, why, kind="picture")
                    continue
                if cls is None:
                    yield unknown_format_output(file)
                    continue
                if not cls.streamed:
                    try:
                        file.hold_one_article()
                    except LimitExceeded as error:
                        yield Failure(file.path, str(error))
                        continue
                if cls not in readers:
                    readers[cls] = cls.configured(publication, reader_options)
                outputs = guarded(readers[cls].feed(file), file.path, cls.format, limits)
                for output in with_languages(outputs, languages, workers):
                    if isinstance(output, (ArticleRecord, PageRecord)):
                        report.records_read[file.path] += 1
                    yield output
        except SourceError as error:
            yield Failure(str(path), without_path(str(error), path))
    for cls, reader in readers.items():
        outputs = guarded(reader.finish(), "(end of run)", cls.format, limits)
        yield from with_languages(outputs, languages, workers)


DETECT_BATCH = 16  # records a worker process is sent to detect at a time
DETECT_AHEAD = 256  # records read ahead of the first one whose language is not yet known


def with_languages(
    outputs: Iterator[Output], languages: Languages, workers: Executor | None = None
) -> Iterator[Output]:
    """The outputs in order, each record with its language settled (`backfile.ingest.language`).

    With `workers`, the language model's reading of each record (a millisecond, and a
    hundred megabytes for the model in any process that loads it) is made in the
    ingest's worker processes, DETECT_BATCH records at a time, while this process reads
    on; records a reader already had read there (`detected`) are not sent again.
    """
    if workers is None:
        for output in outputs:
            if isinstance(output, ArticleRecord):
                languages.settle(output)
            yield output
        return
    queue: deque[list] = deque()  # [output, future or None (not sent yet) or READY, index]
    unsent: list[list] = []

    def send() -> None:
        future = workers.submit(detect_all, [record_text(entry[0]) for entry in unsent])
        for entry in unsent:
            entry[1] = future
        unsent.clear()

    def settled(entry: list) -> Output:
        output, future, index = entry
        if future is not READY:
            try:
                output.detected = future.result()[index]
            except BrokenProcessPool as error:
                raise WorkerDied(
                    "a worker process detecting the articles' languages ended unexpectedly"
                ) from error
        if isinstance(output, ArticleRecord):
            languages.settle(output)
        return output

    for output in outputs:
        entry = [output, READY, 0]
        if (
            isinstance(output, ArticleRecord)
            and getattr(output, "detected", NOT_DETECTED) == NOT_DETECTED
            and isinstance(output.title, str)
        ):
            entry = [output, None, len(unsent)]
            unsent.append(entry)
            if len(unsent) == DETECT_BATCH:
                send()
        queue.append(entry)
        while queue and (queue[0][1] is READY or (queue[0][1] and queue[0][1].done())):
            yield settled(queue.popleft())
        if len(queue) > DETECT_AHEAD:
            if queue[0][1] is None:
                send()
            yield settled(queue.popleft())
    if unsent:
        send()
    while queue:
        yield settled(queue.popleft())


READY = "ready"


def guarded(
    outputs: Iterator[Output], path: str, format: str, limits: Limits | None = None
) -> Iterator[Output]:
    """A reader's outputs, each record within the limits; a file past a limit, cut short or
    hitting a bug in the reader becomes a Failure, not the end of the run. A dead worker
    process does end it (WorkerDied): every file after would fail the same way."""
    limits = limits or Limits()
    try:
        for output in outputs:
            if isinstance(output, ArticleRecord) and (refusal := too_long(output, limits)):
                yield Failure(output.source.path, refusal)
            else:
                yield output
    except (LimitExceeded, UnpackError) as error:
        yield Failure(path, str(error))
    except BrokenProcessPool as error:
        raise WorkerDied(f"a worker process of the {format} reader ended unexpectedly") from error
    except Exception as error:
        yield Failure(path, f"{format} reader failed: {error!r}")


def too_long(record: ArticleRecord, limits: Limits) -> str | None:
    """Why the record is longer than one article may be (its body or its source), or None."""
    source = len(record.source.text)
    if source > limits.article_chars:
        what = "its source"
        count = source
    else:
        what = "its body"
        count = body_chars(record.blocks)
    refusal = limits.too_many_characters(count, what)
    if refusal is None:
        return None
    return (
        f"article “{record.title[:80]}” not stored, and any stored copy left as it was: {refusal}"
    )


def body_chars(blocks: list[Block]) -> int:
    """Characters of text and markup in a body, quotations' paragraphs included."""
    return sum(
        len(b.text) + len(b.html) + (body_chars(b.blocks) if b.blocks else 0) for b in blocks
    )


def unknown_format_output(file: SourceFile) -> Output:
    """A picture (an image file, a page of pictures) is noted as one; any other file no
    reader claims fails with the reason."""
    image = picture_file(file.head)
    if image:
        return Notice(file.path, image, kind="picture")
    if b"<img" in file.head.lower():
        try:
            file.hold_one_article()
            pictures = picture_page(file.read_bytes())
        except (LimitExceeded, OSError, UnpackError):
            pictures = ""
        if pictures:
            return Notice(file.path, pictures, kind="picture page")
    return Failure(file.path, unknown_format_reason(file))


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
    limits: Limits | None = None,
    report: RunReport | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> IngestReport:
    """Read and store everything under `paths`. A worker process that dies ends the run
    with a failure in the report (the batch being stored is rolled back, and its entries
    leave the report); every other problem is one source's failure and the run goes on.
    `report`: the RunReport to fill, for a caller that shows it as it grows (the desk).
    Once all is stored, `ingest_finished` lets other apps finish their part (related
    articles), telling `on_progress` (what, done, total) how far they are."""
    report = RunReport() if report is None else report
    links = LinkCheck()
    # The run owns the worker processes it lends the loader (and the detection of
    # languages): they end with it.
    with fewer_collections(), worker_processes() as workers:
        outputs = links.watch(
            read_paths(paths, publication, report, on_file, reader_options, limits, workers)
        )
        try:
            Loader(report, workers=workers).load(outputs)
        except (WorkerDied, BrokenProcessPool) as error:
            died = (
                str(error)
                if isinstance(error, WorkerDied)
                else "a worker process ended unexpectedly"
            )
            report.stopped(died)
            return report
    finish_run(report, on_progress)
    links.report_absent(report)
    return report


def finish_run(report: RunReport, on_progress: Callable[[str, int, int], None] | None) -> None:
    """`ingest_finished`, every receiver whatever another does: one that fails (related
    articles, the desk's work items) leaves a note in the report, not a failed run, since
    every article of the run is stored and committed by then (Django logs its traceback)."""
    for receiver, result in ingest_finished.send_robust(
        sender=RunReport, report=report, progress=on_progress
    ):
        if isinstance(result, Exception):
            where = f"{getattr(receiver, '__module__', '?')}.{getattr(receiver, '__name__', '?')}"
            report.add(
                RUN,
                "noted",
                f"every article is stored, but finishing the run failed in {where}: "
                f"{result!r}; what it does at a run's end was left undone",
            )


class RunReport(IngestReport):
    """The report of a run, knowing which of its entries were written in a transaction that
    has not committed yet: if the run stops there, those were never stored."""

    def __init__(self) -> None:
        super().__init__()
        self._uncommitted: list[ReportEntry] = []

    def add(self, path: str, status: str, reason: str = "", url: str = "", kind: str = "") -> None:
        super().add(path, status, reason, url, kind)
        if transaction.get_connection().in_atomic_block:
            self._uncommitted.append(self.entries[-1])
            transaction.on_commit(self._uncommitted.clear)

    def stopped(self, why: str) -> None:
        """The run ended early because `why`: forget the entries of the transaction that
        was rolled back, and say so."""
        lost = {id(entry) for entry in self._uncommitted if entry.status in ("added", "updated")}
        self.entries = [e for e in self.entries if id(e) not in lost]
        self._uncommitted.clear()
        not_stored = f"; the {len(lost)} articles being stored then were not" if lost else ""
        self.add(
            RUN,
            "failed",
            f"the ingest stopped: {why} (killed, or out of memory){not_stored}. What was "
            "stored before is intact; run the same command again to finish",
        )


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
