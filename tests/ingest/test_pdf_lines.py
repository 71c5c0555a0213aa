"""The PDF layout finds a column's lines for all its words at once (`line_starts`) and falls
back to the rule word by word (`line_starts_in_turn`) where it cannot be sure: whichever
answers, the lines are the rule's, so a page reads the same however fast it is read."""

from __future__ import annotations

import random

import numpy
import pytest

from backfile.ingest.readers.pdf_text import line_starts, line_starts_in_turn


def column(seed: int) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """Words of a few columns, sorted as the layout sorts them: lines of body type, a raised
    footnote number now and then, a headline in larger type, lines set close or touching."""
    chooser = random.Random(seed)
    middles, heights, groups = [], [], []
    for group in range(chooser.randint(1, 3)):
        y = chooser.uniform(20, 60)
        for _ in range(chooser.randint(1, 40)):
            size = chooser.choice([9.0, 9.0, 9.0, 11.5, 18.0, 0.6])
            for _ in range(chooser.randint(1, 9)):
                raised = chooser.random() < 0.08
                middles.append(y - (size * 0.4 if raised else chooser.uniform(0, 0.3)))
                heights.append(size * (0.6 if raised else 1.0))
                groups.append(group)
            y += size * chooser.choice([1.0, 1.1, 1.25, 0.55, 2.5])
    order = numpy.lexsort((middles, groups))
    return (
        numpy.array(middles)[order],
        numpy.array(heights)[order],
        numpy.array(groups, dtype=numpy.int64)[order],
    )


@pytest.mark.parametrize("seed", range(300))
def test_lines_found_at_once_are_the_rules_lines(seed):
    middles, heights, groups = column(seed)
    at_once = line_starts(middles, heights, groups)
    in_turn = line_starts_in_turn(middles.tolist(), heights.tolist(), groups.tolist())
    assert at_once is None or at_once == in_turn


def test_the_columns_checked_include_many_found_at_once():
    """Else the test above would only compare the rule with itself."""
    found = sum(line_starts(*column(seed)) is not None for seed in range(300))
    assert found >= 20, found
