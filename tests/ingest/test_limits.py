"""Ingest limits: a source past one fails with its reason, the rest go in, nothing stored is
overwritten by a refused source (bombs measured in a subprocess: test_bomb.py)."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from backfile.archive.models import Article
from backfile.ingest.records import Block, IssueRecord, record_to_dict
from tests.conftest import FIXTURES
from tests.helpers.records import invented_record

LAMPLIGHTER = FIXTURES / "wxr" / "lamplighter.xml"
PARAGRAPH = "The tide went out and the strike went on through the whole of the winter. "


def capture(title: str, body: str = "The tide went out.") -> str:
    return f"1950s >> 1951 >> no-8-april-1951\n\n{title}\n\n{body}\n\nA. Writer\n"


def failures(report) -> dict[str, str]:
    return {e.path: e.reason for e in report.entries if e.status == "failed"}


def stored(title: str) -> tuple[list, str]:
    article = Article.objects.get(title=title)
    return article.blocks, article.source.text


@pytest.fixture
def lantern(tmp_path) -> Path:
    folder = tmp_path / "the-lantern"
    folder.mkdir()
    return folder


def test_a_capture_longer_than_an_article_may_be_fails_and_the_stored_one_stays(
    ingest_paths, lantern, settings
):
    settings.BACKFILE_INGEST_MAX_ARTICLE_CHARS = 5000
    low_water = lantern / "low-water.txt"
    low_water.write_text(capture("Low Water"), encoding="utf-8")
    ingest_paths(lantern)
    before = stored("Low Water")
    low_water.write_text(capture("Low Water", PARAGRAPH * 100), encoding="utf-8")  # 7,400
    (lantern / "high-water.txt").write_text(capture("High Water"), encoding="utf-8")
    (lantern / "spring-tide.txt").write_text(capture("Spring Tide", PARAGRAPH * 400), "utf-8")

    report = ingest_paths(lantern)

    refused = failures(report)
    assert set(refused) == {str(low_water), str(lantern / "spring-tide.txt")}
    assert "more than the 5,000 one article may have" in refused[str(low_water)]
    assert "BACKFILE_INGEST_MAX_ARTICLE_CHARS" in refused[str(low_water)]
    # 29,600 bytes: refused unread, being more than 5,000 characters can take
    assert "larger than 20,004 bytes" in refused[str(lantern / "spring-tide.txt")]
    assert stored("Low Water") == before
    assert Article.objects.filter(title="High Water").exists()
    assert not Article.objects.filter(title="Spring Tide").exists()


def jsonl_line(title: str, body: str) -> str:
    record = invented_record(
        "The Lantern",
        IssueRecord(year=1951, number=8, month=4),
        title,
        key=f"lantern:{title}",
        blocks=[Block("paragraph", text=body)],
    )
    return json.dumps(record_to_dict(record), ensure_ascii=False) + "\n"


def test_a_record_longer_than_an_article_may_be_is_refused_before_it_is_stored(
    ingest_paths, tmp_path, settings
):
    settings.BACKFILE_INGEST_MAX_ARTICLE_CHARS = 5000
    export = tmp_path / "lantern.jsonl"
    export.write_text(jsonl_line("Low Water", "Short."), encoding="utf-8")
    ingest_paths(export)
    before = stored("Low Water")
    export.write_text(
        jsonl_line("Low Water", PARAGRAPH * 100) + jsonl_line("High Water", "Short."),
        encoding="utf-8",
    )

    report = ingest_paths(export)

    [(path, reason)] = failures(report).items()
    assert path == "tests/lantern:Low Water.txt"  # the record's own source, as its report line
    assert "“Low Water” not stored, and any stored copy left as it was" in reason
    assert "its body has 7,400 characters" in reason
    assert stored("Low Water") == before
    assert Article.objects.filter(title="High Water").exists()


def test_a_jsonl_line_past_the_member_limit_is_skipped_and_the_next_read(
    ingest_paths, tmp_path, settings
):
    settings.BACKFILE_INGEST_MAX_MEMBER_BYTES = 4096
    export = tmp_path / "lantern.jsonl"
    export.write_text(
        jsonl_line("Low Water", "Short.")
        + jsonl_line("Spring Tide", PARAGRAPH * 100)
        + jsonl_line("High Water", "Short."),
        encoding="utf-8",
    )

    report = ingest_paths(export)

    assert failures(report) == {
        f"{export}:2": "the line is larger than 4,096 bytes once decompressed (the limit is "
        "set by BACKFILE_INGEST_MAX_MEMBER_BYTES)"
    }
    assert set(Article.objects.values_list("title", flat=True)) == {"Low Water", "High Water"}


def lamplighter_with(tmp_path: Path, content: str) -> Path:
    """The Lamplighter's export, post 103's content replaced by `content`."""
    text = LAMPLIGHTER.read_text(encoding="utf-8")
    old = "<![CDATA[Week three: the agent has stopped coming.]]>"
    assert old in text
    export = tmp_path / "lamplighter.xml"
    export.write_text(text.replace(old, f"<![CDATA[{content}]]>"), encoding="utf-8")
    return export


def test_a_wordpress_post_longer_than_an_article_may_be_is_refused_alone(
    ingest_paths, tmp_path, settings
):
    whole = ingest_paths(LAMPLIGHTER).count("added")
    settings.BACKFILE_INGEST_MAX_ARTICLE_CHARS = 6000  # the longest post's source has 5,218
    Article.objects.all().delete()

    report = ingest_paths(lamplighter_with(tmp_path, f"<p>{PARAGRAPH * 100}</p>"))

    [(path, reason)] = failures(report).items()
    assert path.endswith("lamplighter.xml#post-103")
    assert "BACKFILE_INGEST_MAX_ARTICLE_CHARS" in reason
    assert report.count("added") == whole - 1


def test_a_wordpress_item_past_the_member_limit_ends_the_export_there(
    ingest_paths, tmp_path, settings
):
    settings.BACKFILE_INGEST_MAX_MEMBER_BYTES = 64 << 10
    export = lamplighter_with(tmp_path, f"<p>{PARAGRAPH * 6000}</p>")  # 450 kB

    report = ingest_paths(export)

    [(path, reason)] = failures(report).items()
    assert path == str(export)
    assert reason.startswith("the item starting at line 164 is larger than 65,536 bytes")
    assert "BACKFILE_INGEST_MAX_MEMBER_BYTES" in reason
    assert "items read before it: 3" in reason
    assert set(Article.objects.values_list("key", flat=True)) == {
        "wxr:https://lamplighter.example:101",
        "wxr:https://lamplighter.example:102",
    }


def test_a_wordpress_item_is_held_to_the_member_limit_by_its_own_bytes_not_the_mended_ones(
    ingest_paths, tmp_path, settings
):
    settings.BACKFILE_INGEST_MAX_MEMBER_BYTES = 320 << 10
    export = lamplighter_with(tmp_path, "<p>MARKER</p>")
    # 200 kB in a UTF-8 export, 160,000 of them Windows-1252 quotes and dashes: 520 kB mended
    export.write_bytes(export.read_bytes().replace(b"MARKER", b"\x93\x92\x94\x96 " * 40_000))

    report = ingest_paths(export)

    assert failures(report) == {}
    [body] = Article.objects.get(key="wxr:https://lamplighter.example:103").blocks
    assert body["text"].startswith("\u201c\u2019\u201d\u2013 \u201c")
    notices = [e.reason for e in report.entries if e.path == str(export)]
    assert any(r.startswith("160000 byte(s) that are not UTF-8 (line 169)") for r in notices), (
        notices
    )


def bomb_text(megabytes: int) -> bytes:
    """A page capture of repeated text: it compresses hundreds of times."""
    return capture("Low Water", PARAGRAPH * (megabytes * 14_000)).encode()


def test_a_zip_member_that_expands_past_the_ratio_is_refused_unread(
    ingest_paths, lantern, tmp_path
):
    (lantern / "low-water.txt").write_text(capture("Low Water"), encoding="utf-8")
    ingest_paths(lantern)
    before = stored("Low Water")
    archive = tmp_path / "lantern.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        out.writestr("the-lantern/high-water.txt", capture("High Water"))
        out.writestr("the-lantern/low-water.txt", bomb_text(12))

    report = ingest_paths(archive)

    [(path, reason)] = failures(report).items()
    assert path == f"{archive}!the-lantern/low-water.txt"
    assert reason.startswith("it expands more than 100 times (")
    assert "BACKFILE_INGEST_MAX_RATIO" in reason
    assert stored("Low Water") == before
    assert Article.objects.filter(title="High Water").exists()


@pytest.mark.parametrize("mode", ["w:gz", "w:xz"])
def test_a_tar_that_expands_past_the_ratio_stops_there_keeping_what_came_before(
    ingest_paths, lantern, tmp_path, mode
):
    (lantern / "low-water.txt").write_text(capture("Low Water"), encoding="utf-8")
    ingest_paths(lantern)
    before = stored("Low Water")
    archive = tmp_path / f"lantern.tar.{mode[2:]}"
    with tarfile.open(archive, mode) as out:
        for name, data in [
            ("the-lantern/high-water.txt", capture("High Water").encode()),
            ("the-lantern/low-water.txt", bomb_text(12)),
            ("the-lantern/neap-tide.txt", capture("Neap Tide").encode()),
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))

    report = ingest_paths(archive)

    refused = failures(report)
    assert refused[str(archive)].startswith("the archive expands more than 100 times (")
    assert "BACKFILE_INGEST_MAX_RATIO" in refused[str(archive)]
    assert "stopped in the-lantern/low-water.txt" in refused[str(archive)]
    assert stored("Low Water") == before
    assert Article.objects.filter(title="High Water").exists()
    assert not Article.objects.filter(title="Neap Tide").exists()  # after the bomb: not read
