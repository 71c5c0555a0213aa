"""A WordPress export's bytes made into XML its parser takes, as WordPress's importer would.

WordPress's importer reads an export with a real XML parser and, when that
fails, again with regular expressions (`WXR_Parser_Regex`), so exports that are
not quite XML import all the same. This stream mends, on the fly and in bounded
memory, what that fallback tolerates and what commonly breaks exports:

- a byte that is not UTF-8 (or not in the declared encoding) is read as
  Windows-1252, or as U+FFFD where it means nothing there, and counted;
- control characters XML forbids (C0 but tab and line ends, U+FFFE/U+FFFF) are
  removed and counted;
- a CDATA section inside a CDATA section (a post whose HTML carries its own
  `<![CDATA[ … ]]>`, as scripts pasted into posts do) keeps its text: the inner
  `]]>` is split the standard way (`]]]]><![CDATA[>`), which is what the regex
  parser's reading amounts to; so is a stray `]]>` that does not end the section
  (one followed by neither a closing tag nor another CDATA section).

The output is always UTF-8 (the parser is told so) and keeps every line where it
was, so the parser's line numbers still point into the file. `mended` chains this
stream behind the ingest limit's counting one; `mending_notices` says what they mended.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import BinaryIO

from backfile.ingest.readers.wxr_stream import WithoutControlBytes
from backfile.ingest.records import Notice
from backfile.ingest.text import _salvaged  # the codec error handler's record of bad bytes

XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CDATA_TOKEN = re.compile(r"<!\[CDATA\[|\]\]>")
OPEN, CLOSE = "<![CDATA[", "]]>"
SPLIT_CLOSE = "]]]]><![CDATA[>"
LOOKAHEAD = 64  # characters held back so a token or what follows it is never cut in two


class WxrStream:
    """A readable byte stream (`read(size)`) of the mended export; counts what it mended."""

    def __init__(self, raw: BinaryIO, chunk_size: int = 1 << 16):
        self.raw = raw
        self.chunk_size = chunk_size
        self.decoder: codecs.IncrementalDecoder | None = None
        self.encoding = "utf-8"
        self.bad_bytes = 0
        self.bad_lines: list[int] = []
        self.controls_removed = 0
        self.cdata_mended = 0
        self.lines = 0  # line ends read so far
        self.depth = 0  # CDATA sections open (more than one: nested)
        self.pending = ""  # text held back for the next chunk
        self.out = b""
        self.done = False

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size < 0 or len(self.out) < size):
            self._fill()
        if size < 0:
            size = len(self.out)
        data, self.out = self.out[:size], self.out[size:]
        return data

    def _fill(self) -> None:
        chunk = self.raw.read(self.chunk_size)
        final = not chunk
        if self.decoder is None:
            self._start(chunk)
        _salvaged.spans = []
        try:
            text = self.decoder.decode(chunk, final)
            spans = _salvaged.spans
        finally:
            _salvaged.spans = []
        for start, end in spans:
            self.bad_bytes += end - start
            if len(self.bad_lines) <= 5:
                line = self.lines + chunk.count(b"\n", 0, max(start, 0)) + 1
                if not self.bad_lines or self.bad_lines[-1] != line:
                    self.bad_lines.append(line)
        if FORBIDDEN.search(text):
            text, removed = FORBIDDEN.subn("", text)
            self.controls_removed += removed
        self.lines += chunk.count(b"\n")
        text = self._mend_cdata(self.pending + text, final)
        self.out += text.encode("utf-8")
        self.done = final

    def _start(self, head: bytes) -> None:
        declared = XML_DECLARATION.match(head)
        encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            encoding = "utf-8"
        if encoding in ("iso8859-1", "latin-1", "ascii"):
            encoding = "cp1252"  # as browsers, and WordPress's own pages, read them
        if encoding.startswith("utf-8"):
            self.decoder = codecs.getincrementaldecoder("utf-8-sig")("backfile-salvage")
        else:
            self.decoder = codecs.getincrementaldecoder(encoding)("backfile-salvage")
        self.encoding = encoding

    def _mend_cdata(self, text: str, final: bool) -> str:
        """`text` with nested and stray `]]>` split; the unsure tail is kept in `pending`."""
        limit = len(text) if final else max(0, len(text) - LOOKAHEAD)
        if self.depth == 0 and "<![" not in text and "]]>" not in text:
            self.pending = text[limit:]
            return text[:limit]
        pieces: list[str] = []
        at = processed = 0
        for match in CDATA_TOKEN.finditer(text):
            if match.start() >= limit:
                break
            processed = match.end()
            token = match.group()
            if token == OPEN:
                self.depth += 1
                continue
            if self.depth == 0:
                continue  # a `]]>` outside any section: the parser will say so
            if self.depth == 1 and _ends_section(text, match.end()):
                self.depth = 0
                continue
            pieces.append(text[at : match.start()])
            pieces.append(SPLIT_CLOSE)
            at = match.end()
            self.depth = max(1, self.depth - 1)
            self.cdata_mended += 1
        cut = len(text) if final else max(limit, processed)
        pieces.append(text[at:cut])
        self.pending = text[cut:]
        return "".join(pieces)


def _ends_section(text: str, after: int) -> bool:
    """Does the `]]>` ending at `after` close its CDATA section? It does when a closing tag
    or another CDATA section follows (whitespace aside), or the text ends."""
    rest = text[after : after + LOOKAHEAD].lstrip()
    return not rest or rest.startswith(("</", OPEN))


# What the mending stream reads at a time: what the parser asks for (lxml's iterparse reads
# 32 kB), so the bytes read ahead of the parser, counted against the item being parsed, stay few.
MENDING_CHUNK = 32 << 10


def mended(raw: BinaryIO, item_bytes: int) -> tuple[WithoutControlBytes, WxrStream]:
    """The export's bytes as the parser reads them, in two streams chained: the first counts
    the raw bytes of each item against the ingest limit (`item_done()` after each) and drops
    the control bytes XML forbids; the second mends what WordPress's importer tolerates."""
    limited = WithoutControlBytes(raw, item_bytes)
    return limited, WxrStream(limited, chunk_size=MENDING_CHUNK)


def mending_notices(path: str, stream: WxrStream, limited: WithoutControlBytes) -> Iterator[Notice]:
    """What the streams mended on the way to the parser, in one notice each."""
    controls_removed = limited.removed + stream.controls_removed
    if stream.bad_bytes:
        lines = ", ".join(str(n) for n in stream.bad_lines[:5])
        more = " …" if len(stream.bad_lines) > 5 else ""
        yield Notice(
            path,
            f"{stream.bad_bytes} byte(s) that are not {stream.encoding.upper()} (line {lines}{more}) "
            "were read as Windows-1252 or replaced with �; the rest of the export is read as it is",
        )
    if controls_removed:
        yield Notice(
            path,
            f"{controls_removed} control characters, which XML does not allow, were removed",
        )
    if stream.cdata_mended:
        yield Notice(
            path,
            f"{stream.cdata_mended} CDATA section end(s) inside post text (a CDATA section within "
            "another, or a stray “]]>”) were kept as text, as WordPress's importer keeps them",
        )
