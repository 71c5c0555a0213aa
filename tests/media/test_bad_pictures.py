"""Bad pictures (issue 12, line 7): a truncated JPEG, a PNG whose header claims 100,000 × 100,000
pixels and random bytes named .jpg are kept as figures with a notice naming the file and the
problem; their article still goes in, and the ingest's memory stays bounded."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from backfile.ingest.readers.jsonl import RecordError, record_from_line
from tests.helpers.pictures import (
    MadePicture,
    figure_record,
    make_picture,
    png_claiming,
    random_bytes,
    truncated_jpeg,
    write_picture_archive,
)
from tests.helpers.served import query
from tests.ingest.test_wxr_memory import MEASURE

PEAK_LIMIT_MB = 300


def bad(data: bytes, media_type: str, filename: str) -> MadePicture:
    return MadePicture(data, media_type, filename, 0, 0)


def test_bad_pictures_are_noted_their_articles_stored_and_memory_bounded(tmp_path):
    truncated = bad(truncated_jpeg(), "image/jpeg", "uploads/bad/truncated.jpg")
    bomb = bad(png_claiming(100_000, 100_000), "image/png", "uploads/bad/bomb.png")
    noise = bad(random_bytes(), "image/jpeg", "uploads/bad/noise.jpg")
    good = make_picture(0, seed=3)
    records = [
        figure_record(1, [truncated, good], caption="A damaged gallery"),
        figure_record(2, [bomb], caption="A bomb"),
        figure_record(3, [noise], language="es", title="Ruido", caption="Ruido"),
    ]
    files = {p.sha256: (p.data, p.media_type) for p in (truncated, bomb, noise, good)}
    archive = write_picture_archive(tmp_path / "archive", records, files).parent
    database = tmp_path / "archive.sqlite3"
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "backfile.cli", "--db", str(database), "ingest"]

    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command, str(archive), "--report", str(report)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    summary, peak_kb = done.stdout.strip().splitlines()[-3::2]
    assert summary.startswith("5 files: 1 export, 4 pictures;"), summary
    assert "added 3, updated 0, unchanged 0, failed 0, notes 7" in summary  # 3 bad, 4 files
    notes = {
        entry["reason"]
        for entry in json.loads(report.read_text())["entries"]
        if entry["status"] == "noted"
    }
    assert any(
        n.startswith("picture uploads/bad/truncated.jpg: a damaged or truncated picture")
        for n in notes
    ), notes
    assert any(
        n.startswith(
            "picture uploads/bad/bomb.png: it claims more pixels than BACKFILE_MEDIA_MAX_PIXELS"
        )
        for n in notes
    ), notes
    assert any(
        n.startswith("picture uploads/bad/noise.jpg: not a picture Pillow can read") for n in notes
    ), notes
    titles = {row[0] for row in query(str(database), "SELECT title FROM archive_article")}
    assert titles == {"Pictures of the harbour, part 1", "Pictures of the harbour, part 2", "Ruido"}
    kept = dict(query(str(database), "SELECT sha256, problem FROM media_asset"))
    assert set(kept) == set(files)  # every picture kept, the bad ones with their problem
    assert kept[good.sha256] == ""
    assert all(kept[p.sha256] for p in (truncated, bomb, noise))
    peak_mb = int(peak_kb) / 1024
    print(f"bad pictures: peak memory {peak_mb:.0f} MB (limit {PEAK_LIMIT_MB} MB)")
    assert peak_mb < PEAK_LIMIT_MB, f"peak memory {peak_mb:.0f} MB"


def test_a_picture_whose_file_is_missing_is_noted_and_its_article_goes_in(tmp_path):
    missing = make_picture(0, seed=5)  # a JPEG
    archive = write_picture_archive(tmp_path / "archive", [figure_record(1, [missing])], {})
    database = tmp_path / "archive.sqlite3"
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "backfile.cli", "--db", str(database), "ingest"]

    done = subprocess.run(
        [*command, str(archive.parent), "--report", str(report)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    notes = [
        e["reason"] for e in json.loads(report.read_text())["entries"] if e["status"] == "noted"
    ]
    looked_for = archive.parent / "assets" / missing.sha256[:2] / f"{missing.sha256}.jpg"
    assert notes == [
        f"picture {missing.filename}: the file is not among the sources (looked for "
        f"{looked_for}); the figure is kept without it"
    ]
    assert query(str(database), "SELECT original, derivatives FROM media_asset") == [("", "[]")]


@pytest.mark.parametrize(
    ("asset", "reason"),
    [
        ({"sha256": "not-a-hash"}, "an asset's sha256 is 'not-a-hash', not 64 lower-case hex"),
        ({"sha256": "a" * 64, "width": -3}, "an asset's width is -3, not a whole number"),
        ({"sha256": "a" * 64, "colour": "red"}, "an asset has unknown keys: colour"),
    ],
)
def test_a_jsonl_line_with_a_bad_asset_fails_with_its_reason(asset, reason):
    line = {
        "publication": "The Lantern",
        "key": "k",
        "issue": {"year": 1950},
        "title": "T",
        "source": {"path": "p", "format": "jsonl", "sha256": "s", "text": ""},
        "blocks": [],
        "assets": [asset],
    }
    with pytest.raises(RecordError, match=reason.replace("(", r"\(")):
        record_from_line(json.dumps(line).encode())
