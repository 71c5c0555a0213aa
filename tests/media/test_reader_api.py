"""What a reader gives for pictures (docs/readers.md): files by path or by bytes, and uses of
pictures whose file is missing, which the page shows as a placeholder naming where it was."""

from __future__ import annotations

import pytest
from lxml import html

from backfile.ingest.loader import load
from backfile.ingest.records import AssetRecord, AssetUse, Block
from backfile.media.models import Asset
from backfile.media.rendering import render_figure
from tests.helpers.pictures import figure_record, make_picture
from tests.ingest.test_jsonl import media_folder  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_pictures_given_by_path_or_by_bytes_are_stored_once(tmp_path, media_folder):  # noqa: F811
    on_disk, in_memory = make_picture(0, seed=8), make_picture(3, seed=8)
    path = tmp_path / "march.jpg"
    path.write_bytes(on_disk.data)
    record = figure_record(1, [on_disk, in_memory])
    record.assets = [
        AssetRecord.of_file(str(path), filename="uploads/march.jpg"),
        AssetRecord.of_bytes(in_memory.data, filename="uploads/chart.png"),
    ]
    assert [a.sha256 for a in record.assets] == [on_disk.sha256, in_memory.sha256]

    report = load([record])

    assert report.summary()["added"] == 1 and not report.count("noted"), report.entries
    stored = {a.sha256: a for a in Asset.objects.all()}
    assert set(stored) == {on_disk.sha256, in_memory.sha256}
    assert stored[on_disk.sha256].filename == "uploads/march.jpg"
    assert all(a.derivatives and not a.problem for a in stored.values())
    assert (stored[in_memory.sha256].width, stored[in_memory.sha256].height) == (
        in_memory.width,
        in_memory.height,
    )


def test_a_picture_not_among_the_sources_shows_a_placeholder_naming_where_it_was(db):
    block = Block(
        "figure",
        "Los estibadores en huelga",
        assets=[
            AssetUse(alt="Estibadores en el muelle", url="https://example.org/uploads/huelga.jpg")
        ],
    )
    from backfile.ingest.records import block_to_dict

    tree = html.fromstring(str(render_figure(block_to_dict(block))))
    assert not tree.xpath("//img")
    (placeholder,) = tree.xpath("//p[@class='picture-missing']")
    assert "Estibadores en el muelle" in placeholder.text_content()
    assert placeholder.xpath(".//a/@href") == ["https://example.org/uploads/huelga.jpg"]
    assert tree.xpath("//figcaption")[0].text_content().strip() == "Los estibadores en huelga"


def test_a_script_address_is_never_linked(db):
    block = {"type": "figure", "text": "", "assets": [{"alt": "x", "url": "javascript:alert(1)"}]}
    assert "javascript" not in str(render_figure(block))
