"""Pictures through the real `backfile ingest` and `backfile export`: stored once by SHA-256, made
into display sizes, and carried losslessly through an export and back, files included."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.pictures import figure_record, make_picture, write_picture_archive
from tests.helpers.served import query, run_backfile


def picture_archive(folder: Path) -> Path:
    """Three articles, English and Spanish: a gallery of three, a single photograph, and a
    Spanish article showing the same photograph again (one asset, two uses)."""
    pictures = [make_picture(n, seed=7) for n in range(4)]
    shared = pictures[3]
    records = [
        figure_record(1, pictures[:3], caption="Boats at the quay", credit="Lantern staff"),
        figure_record(2, [shared], caption="The harbour wall"),
        figure_record(
            3,
            [shared],
            language="es",
            title="El muro del puerto",
            caption="El muro del puerto al amanecer",
            credit="Archivo",
        ),
    ]
    files = {p.sha256: (p.data, p.media_type) for p in pictures}
    return write_picture_archive(folder, records, files).parent


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_pictures_are_stored_once_with_display_sizes_and_a_second_ingest_changes_nothing(
    tmp_path,
):
    archive = picture_archive(tmp_path / "archive")
    database = str(tmp_path / "archive.sqlite3")

    first = run_backfile(database, "ingest", str(archive))

    assert first.returncode == 0, first.stderr[-3000:]
    assert "added 3," in first.stdout and "failed 0" in first.stdout, first.stdout
    assets = query(database, "SELECT sha256, width, height, derivatives, problem FROM media_asset")
    assert len(assets) == 4  # the shared photograph once
    for _sha256, width, height, derivatives, problem in assets:
        assert problem == ""
        sizes = json.loads(derivatives)
        assert {d["format"] for d in sizes} == {"webp", "jpg"}
        assert max(d["width"] for d in sizes) == min(width, 1600)
        assert all(abs(d["height"] / d["width"] - height / width) < 0.02 for d in sizes)
    media = tmp_path / "archive-media"  # beside the archive by default
    stored = files_under(media)
    originals = [name for name in stored if name.startswith("originals/")]
    assert len(originals) == 4
    assert len(stored) == 4 + sum(len(json.loads(a[3])) for a in assets)

    again = run_backfile(database, "ingest", str(archive))

    assert "added 0, updated 0, unchanged 3, failed 0" in again.stdout, again.stdout
    assert len(query(database, "SELECT id FROM media_asset")) == 4
    assert files_under(media) == stored


def test_export_writes_the_pictures_beside_the_jsonl_and_the_round_trip_is_byte_identical(
    tmp_path,
):
    archive = picture_archive(tmp_path / "archive")
    first_db, second_db = str(tmp_path / "first.sqlite3"), str(tmp_path / "second.sqlite3")
    assert run_backfile(first_db, "ingest", str(archive)).returncode == 0
    out1, out2 = tmp_path / "out1", tmp_path / "out2"
    out1.mkdir()
    out2.mkdir()

    exported = run_backfile(first_db, "export", "-o", str(out1 / "archive.jsonl"))
    assert exported.returncode == 0, exported.stderr[-3000:]
    assert "exported 3 articles and 4 pictures" in exported.stderr
    back = run_backfile(second_db, "ingest", str(out1))
    assert back.returncode == 0 and "added 3," in back.stdout, back.stdout + back.stderr
    assert run_backfile(second_db, "export", "-o", str(out2 / "archive.jsonl")).returncode == 0

    assert files_under(out1) == files_under(out2)
    assert files_under(out1 / "assets") == {
        name: data
        for name, data in files_under(archive / "assets").items()  # the very bytes given
    }
    lines = [json.loads(line) for line in (out1 / "archive.jsonl").read_text().splitlines()]
    spanish = next(line for line in lines if line["language"] == "es")
    figure = spanish["blocks"][1]
    assert figure["type"] == "figure"
    assert figure["text"] == "El muro del puerto al amanecer"
    assert figure["credit"] == "Archivo"
    assert [use["alt"] for use in figure["assets"]] == ["Imagen 3.0: barcas con la marea baja"]
    assert [asset["sha256"] for asset in spanish["assets"]] == [figure["assets"][0]["sha256"]]
    assert spanish["assets"][0]["media_type"].startswith("image/")
