"""How much one source may hold: the ingest limits, and the refusal that names them.

A small archive can hold a great deal (a 2 MB zip of 300 MB of repeated text),
and one article of hundreds of megabytes costs memory to read, space to store
and time on every view. Three settings (group "Ingest" in `backfile.conf`)
bound what one source may bring:

- BACKFILE_INGEST_MAX_MEMBER_BYTES: the bytes one file (or archive member) may
  decompress to where it is read whole; where a format is read as a stream (a
  WordPress export, a JSONL export) it bounds one item or line instead, which is
  what such a reader holds in memory at once;
- BACKFILE_INGEST_MAX_ARTICLE_CHARS: the characters of one article, its body or
  the source it was read from, whichever is longer. A file that becomes one
  article (a page capture, a legacy HTML page) is refused as soon as it has
  more bytes than so many characters can take (four bytes a character at most);
- BACKFILE_INGEST_MAX_RATIO: how many times its compressed size a member may
  expand to, checked once it has given RATIO_CHECKED_AFTER bytes (ordinary text
  compresses five to ten times; decompression bombs a hundred to thousands).

Limits are checked while decompressing, as the bytes are counted, so reading
stops at the limit. A source past one fails with a LimitExceeded whose message
says which limit and which setting raises it; the other sources go in, and an
article stored before is left as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

RATIO_CHECKED_AFTER = 4 << 20  # bytes: below this a member may expand any number of times
MOST_BYTES_A_CHARACTER = 4  # UTF-8 (or UTF-32); every other encoding Backfile reads takes fewer
BYTE_ORDER_MARK = 4


class LimitExceeded(Exception):
    """A source past one of the ingest limits; the message says which and how to raise it."""


@dataclass(frozen=True)
class Limits:
    member_bytes: int = 64 << 20
    article_chars: int = 2_000_000
    ratio: int = 100
    ratio_after: int = RATIO_CHECKED_AFTER

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        return cls(
            member_bytes=settings.BACKFILE_INGEST_MAX_MEMBER_BYTES,
            article_chars=settings.BACKFILE_INGEST_MAX_ARTICLE_CHARS,
            ratio=settings.BACKFILE_INGEST_MAX_RATIO,
        )

    def one_article_bytes(self) -> tuple[int, str]:
        """The bytes a file that becomes one article may have, and the refusal past them."""
        by_characters = self.article_chars * MOST_BYTES_A_CHARACTER + BYTE_ORDER_MARK
        if by_characters < self.member_bytes:
            return by_characters, (
                f"larger than {size(by_characters)}, so more than the "
                f"{self.article_chars:,} characters one article may have "
                f"({raise_it('BACKFILE_INGEST_MAX_ARTICLE_CHARS')})"
            )
        return self.member_bytes, self.member_refusal("the file")

    def member_refusal(self, what: str) -> str:
        return (
            f"{what} is larger than {size(self.member_bytes)} once decompressed "
            f"({raise_it('BACKFILE_INGEST_MAX_MEMBER_BYTES')})"
        )

    def too_many_characters(self, count: int, what: str = "the text") -> str | None:
        """The refusal for `count` characters of one article, or None within the limit."""
        if count <= self.article_chars:
            return None
        return (
            f"{what} has {count:,} characters, more than the {self.article_chars:,} one "
            f"article may have ({raise_it('BACKFILE_INGEST_MAX_ARTICLE_CHARS')})"
        )

    def too_expanded(self, expanded: int, compressed: int, what: str = "it") -> str | None:
        """The refusal for `compressed` bytes that gave `expanded`, or None within the ratio."""
        if expanded <= self.ratio_after or expanded <= self.ratio * max(compressed, 1):
            return None
        return (
            f"{what} expands more than {self.ratio} times ({size(expanded)} from "
            f"{size(compressed)} compressed), as decompression bombs do "
            f"({raise_it('BACKFILE_INGEST_MAX_RATIO')})"
        )


def raise_it(setting: str) -> str:
    return f"the limit is set by {setting}"


def size(count: int) -> str:
    if count >= 10 << 20:
        return f"{count / (1 << 20):,.0f} MB"
    return f"{count:,} bytes"
