"""Source bytes to text, where one bad byte costs at most itself, never the file.

A file that is UTF-8 but for a few bytes (a character pasted from a Windows
program into a UTF-8 page) keeps UTF-8 for everything else: each bad byte is
read as Windows-1252 (what it almost always was) and the notice names its
lines. A file in a legacy encoding throughout (no valid UTF-8 beyond ASCII) is
decoded by its declared charset or charset-normalizer, as before. Control
characters no text means (C0 but tab and line ends, DEL, and C1 characters
with no Windows-1252 meaning) are removed and counted; C1 characters that are
Windows-1252 in disguise (`\\x92` for ’) become what they meant.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from backfile.ingest.records import Notice

HIGH_BYTES = bytes(range(128, 256))
# A character of two, three or four bytes as UTF-8 writes it: text in a legacy encoding
# almost never holds one, so a file without any is decoded as a whole, as before.
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
SHOWN_LINES = 5
# C0 controls but tab, line feed and carriage return; DEL; the C1 block.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13)) + b"\x7f"
_salvaged = threading.local()


def _salvage(error: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: the bad bytes read as Windows-1252, their place remembered."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _salvaged.spans.append((error.start, error.end))
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("backfile-salvage", _salvage)


@dataclass
class Decoded:
    text: str
    bad_bytes: int = 0
    bad_lines: list[int] = field(default_factory=list)  # the first few, 1-based
    controls: int = 0
    control_lines: list[int] = field(default_factory=list)

    def notices(self, path: str) -> list[Notice]:
        found = []
        if self.bad_bytes:
            found.append(
                Notice(
                    path,
                    f"{self.bad_bytes} byte(s) that are not UTF-8 ({_lines(self.bad_lines)}) "
                    "were read as Windows-1252; the rest of the file is UTF-8",
                )
            )
        if self.controls:
            found.append(
                Notice(
                    path,
                    f"{self.controls} control character(s) removed "
                    f"({_lines(self.control_lines)}); they are not text",
                )
            )
        return found


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:SHOWN_LINES])
    more = " …" if len(numbers) > SHOWN_LINES else ""
    return f"line{'s' if len(numbers) > 1 else ''} {shown}{more}"


def decode_source(data: bytes, declared: str | None = None) -> Decoded:
    """The text of a source file and what had to be mended on the way (see the module)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        decoded = Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        return without_controls(_mostly_utf8(data, declared))
    # Checked on the bytes, which is several times faster than a search of the text:
    # C0 controls and DEL are single bytes in UTF-8, a C1 control is \xc2 and one more.
    if len(data.translate(None, CONTROL_BYTES)) == len(data) and b"\xc2" not in data:
        return decoded
    return without_controls(decoded)


def _mostly_utf8(data: bytes, declared: str | None) -> Decoded:
    if UTF8_SEQUENCE.search(data) is None:
        return Decoded(decode_text(data, declared))
    _salvaged.spans = []
    try:
        text = data.decode("utf-8", errors="backfile-salvage")
        spans = _salvaged.spans
    finally:
        _salvaged.spans = []
    bad = sum(end - start for start, end in spans)
    if bad == len(data) - len(data.translate(None, HIGH_BYTES)):
        # No valid UTF-8 beyond ASCII at all: a legacy encoding, decoded as a whole.
        return Decoded(decode_text(data, declared))
    lines = []
    for start, _end in spans:
        line = data.count(b"\n", 0, start) + 1
        if not lines or lines[-1] != line:
            lines.append(line)
        if len(lines) > SHOWN_LINES:
            break
    return Decoded(text, bad_bytes=bad, bad_lines=lines)


def without_controls(decoded: Decoded) -> Decoded:
    """`decoded` with its control characters removed (or, for C1, read as Windows-1252)."""
    text = decoded.text
    if CONTROL.search(text) is None:
        return decoded
    lines: list[int] = []
    removed = 0

    def mend(match: re.Match) -> str:
        nonlocal removed
        char = match.group()
        if "\x80" <= char <= "\x9f":
            meant = char.encode("latin-1").decode("cp1252", errors="ignore")
            if meant:
                return meant
        removed += 1
        if len(lines) <= SHOWN_LINES:
            line = text.count("\n", 0, match.start()) + 1
            if not lines or lines[-1] != line:
                lines.append(line)
        return ""

    decoded.text = CONTROL.sub(mend, text)
    decoded.controls = removed
    decoded.control_lines = lines
    return decoded


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: UTF-8 when it is, else the declared charset, else what charset-normalizer finds.

    Pages that declare ISO-8859-1 are decoded as Windows-1252, as browsers do, so
    curly quotes typed on Windows survive.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        declared = declared.lower()
        if declared in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
            declared = "cp1252"
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    return data.decode("cp1252", errors="replace")
