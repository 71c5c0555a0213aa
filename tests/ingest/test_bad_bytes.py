"""A bad byte costs at most itself: captures and legacy pages that are UTF-8 but for a
byte or two, control characters, and pages nested too deep. All text is invented."""

from __future__ import annotations

from pathlib import Path

from backfile.archive.models import Article
from backfile.ingest.text import decode_source

CAPTURE = (
    "1960s >> 1962 >> no-9-june-1962\n\n"
    "Book Review: ‘The Salt Road’\n\n"
    "A journey along the old salt road, from the marsh to the market.\n\n"
    "The author walks it in June, when the dykes are dry.\n\n"
    "Ada Flint\n"
)


def capture_folder(tmp_path: Path, data: bytes) -> Path:
    folder = tmp_path / "the-quarry-bell"
    folder.mkdir()
    (folder / "no-9-june-1962_salt-road.txt").write_bytes(data)
    return folder


def notices(report) -> list[str]:
    return [e.reason for e in report.entries if e.status == "noted"]


def test_one_bad_byte_in_a_utf8_capture_costs_only_itself_with_a_notice(tmp_path, ingest_paths):
    data = CAPTURE.encode("utf-8").replace(b"when the dykes", b"when\x92s the dykes")
    report = ingest_paths(capture_folder(tmp_path, data))

    article = Article.objects.get()
    assert article.title == "The Salt Road"  # the curly quotes elsewhere stay UTF-8
    texts = [b["text"] for b in article.blocks]
    assert "The author walks it in June, when’s the dykes are dry." in texts
    assert any("1 byte(s) that are not UTF-8 (line 7)" in n for n in notices(report))


def test_a_capture_in_windows_1252_throughout_is_read_without_a_notice(tmp_path, ingest_paths):
    report = ingest_paths(capture_folder(tmp_path, CAPTURE.encode("cp1252")))
    assert Article.objects.get().title == "The Salt Road"
    assert not any("byte" in n for n in notices(report))


def test_control_characters_are_removed_and_counted(tmp_path, ingest_paths):
    data = CAPTURE.replace("old salt road", "old\x00 salt\x1b road").encode("utf-8")
    report = ingest_paths(capture_folder(tmp_path, data))
    texts = [b["text"] for b in Article.objects.get().blocks]
    assert "A journey along the old salt road, from the marsh to the market." in texts
    assert any("2 control character(s) removed (line 5)" in n for n in notices(report))


def test_c1_characters_that_were_windows_1252_become_what_they_meant():
    decoded = decode_source("It\u0092s late\u0081.".encode("utf-8"))
    assert decoded.text == "It’s late."
    assert decoded.controls == 1


def test_a_legacy_page_with_a_bad_byte_keeps_its_utf8_and_deep_nesting_keeps_its_text(
    tmp_path, ingest_paths
):
    folder = tmp_path / "the-deep" / "2010-1" / "121"
    folder.mkdir(parents=True)
    head = (
        '<html><head><title>Deep water</title></head><body><table width="744"><tr>'
        '<td width="480" valign="top"><font face="Times New Roman, Times, serif" size="5">'
        '<b>Deep water</b></font><p><font face="Arial" size="2">March 12, 2010 | Page 3</font>'
        '<p><font size="3">Soundings were taken off the pier — twice.'
    )
    deep = "<div>" * 100_000 + "The harbour was deeper than the chart." + "</div>" * 100_000
    tail = "<p>A caf\x01 stood on the quay.</p></td></tr></table></body></html>"
    page = (head + deep + tail).encode("utf-8").replace(b"\x01", b"\xe9")
    (folder / "121_01_Deep.php").write_bytes(page)

    report = ingest_paths(tmp_path / "the-deep")

    article = Article.objects.get()
    texts = [b["text"] for b in article.blocks]
    assert texts[0] == "Soundings were taken off the pier — twice."  # UTF-8 kept
    assert "The harbour was deeper than the chart." in texts
    assert "A café stood on the quay." in texts
    assert any("1 byte(s) that are not UTF-8" in n for n in notices(report))
