"""A page's content column, on a site laid out in a table without the weekly's own marker.

The weekly's pages set the article in a table cell 480 pixels wide, between the site's
navigation and its advertisements, and `legacy_lines` keeps that cell's lines alone.
A site made the same way to other measures (`width="500"`, `"60%"`, a list of the
latest news on the left, an advertisement on the right) has its article in the cell
that holds most of the page's text and its headline: that cell's lines are the page's,
and the other cells' reach neither the kicker nor the body.
"""

from __future__ import annotations

from backfile.ingest.readers.legacy_lines import Line

MOST_OF_THE_TEXT = 0.6  # of the page's characters, in the cell taken for its column
HEADLINE_SIZE = 4  # the smallest type a headline (or a kicker) is set in


def content_lines(lines: list[Line]) -> list[Line]:
    """The lines of the page's content column: the innermost table cell holding most of the
    page's text and a line in headline type; all of them where no cell does."""
    total = sum(len(line.text) for line in lines)
    text_in: dict[int, int] = {}
    depth: dict[int, int] = {}
    cells: dict[int, object] = {}
    for line in lines:
        for level, frame in enumerate(line.frames):
            if frame.tag in ("td", "th"):
                key = id(frame)
                cells[key] = frame
                depth[key] = level
                text_in[key] = text_in.get(key, 0) + len(line.text)
    candidates = [key for key, count in text_in.items() if count >= MOST_OF_THE_TEXT * total]
    headlines = [line for line in lines if line.size >= HEADLINE_SIZE and line.text]
    headed = [
        key
        for key in candidates
        if any(any(frame is cells[key] for frame in line.frames) for line in headlines)
    ]
    if not headed:
        return lines
    cell = cells[max(headed, key=depth.__getitem__)]
    return [line for line in lines if any(frame is cell for frame in line.frames)]
