"""A page's content column, on a site laid out without the weekly's own marker.

The weekly's pages set the article in a table cell 480 pixels wide, between the site's
navigation and its advertisements, and `legacy_lines` keeps that cell's lines alone.
A site made the same way to other measures (`width="500"`, `"60%"`, a list of the
latest news on the left, an advertisement on the right), or in `<div>`s (a header with
the paper's name, a sidebar, a footer), has its article in the cell or the `<div>` that
holds most of the page's text and its headline: those lines are the page's, and the
others reach neither the headline, the kicker nor the body.
"""

from __future__ import annotations

from backfile.ingest.readers.legacy_lines import Line

MOST_OF_THE_TEXT = 0.6  # of the page's characters, in the cell taken for its column
HEADLINE_SIZE = 4  # the smallest type a headline (or a kicker) is set in


def content_lines(lines: list[Line]) -> list[Line]:
    """The lines of the page's content column: the innermost table cell or `<div>` holding
    most of the page's text and a line in headline type; all of them where none does."""
    total = sum(len(line.text) for line in lines)
    text_in: dict[object, int] = {}
    for line in lines:
        for box in _boxes(line):
            text_in[box] = text_in.get(box, 0) + len(line.text)
    headed = {
        box for line in lines if line.size >= HEADLINE_SIZE and line.text for box in _boxes(line)
    }
    candidates = [
        box for box, count in text_in.items() if count >= MOST_OF_THE_TEXT * total and box in headed
    ]
    if not candidates:
        return lines
    # (boxes nest: the innermost of those holding most of the text holds the least)
    box = min(candidates, key=text_in.__getitem__)
    return [line for line in lines if box in _boxes(line)]


def _boxes(line: Line) -> list[object]:
    """What a line sits in that may be a page's column: its table cells and its `<div>`s."""
    cells = [id(frame) for frame in line.frames if frame.tag in ("td", "th")]
    return cells + [("div", number) for number in line.divs]
