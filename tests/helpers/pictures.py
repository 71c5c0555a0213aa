"""Pictures made with Pillow, and archives of articles that show them, for tests and bench/media.py.

`write_picture_archive` writes what `backfile export` writes: a JSONL file of
records whose figure blocks name pictures by SHA-256, and the pictures beside it
in `assets/<ab>/<sha256>.<ext>`, so `backfile ingest FOLDER` reads it back.
Pictures vary as an archive's do: photographs (JPEG, some on their side by EXIF),
charts and cartoons (PNG, some transparent, some palette), a few GIFs and WebPs,
small and large.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from backfile.ingest.records import (
    ArticleRecord,
    AssetRecord,
    AssetUse,
    Block,
    IssueRecord,
    Source,
    record_to_dict,
)
from backfile.media.files import export_path

WIDTHS = (120, 200, 300, 300, 400, 400, 480, 640, 800, 1200, 2400)
KINDS = ("photo", "photo", "photo", "chart", "cartoon", "gif", "webp", "photo-rotated")


@dataclass
class MadePicture:
    data: bytes
    media_type: str
    filename: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def photo(width: int, height: int, seed: int = 0, orientation: int = 1) -> bytes:
    """A JPEG like a photograph: a gradient with noise (so it compresses as photos do)."""
    rng = random.Random(seed)
    base = Image.linear_gradient("L").resize((width, height))
    shade = Image.radial_gradient("L").resize((width, height))
    # Noise at an eighth of the size, enlarged: soft blotches, which compress as photos do.
    grain = Image.effect_noise((max(1, width // 8), max(1, height // 8)), 60 + seed % 30)
    image = Image.merge("RGB", (base, grain.resize((width, height)), shade))
    if rng.random() < 0.5:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation != 1:
        exif[0x0112] = orientation
    image.save(out, "JPEG", quality=85, exif=exif.tobytes())
    return out.getvalue()


def chart(width: int, height: int, seed: int = 0, transparent: bool = False) -> bytes:
    """A PNG like a bar chart: flat colours and lines (transparent background if asked)."""
    rng = random.Random(seed)
    mode = "RGBA" if transparent else "RGB"
    image = Image.new(mode, (width, height), (0, 0, 0, 0) if transparent else "white")
    draw = ImageDraw.Draw(image)
    bars = rng.randint(3, 9)
    for bar in range(bars):
        left = int(width * bar / bars) + 2
        top = rng.randint(height // 10, height - 2)
        colour = (rng.randrange(200), rng.randrange(200), rng.randrange(200), 255)
        draw.rectangle([left, top, left + max(1, width // bars - 4), height - 1], fill=colour)
    draw.line([0, height - 1, width, height - 1], fill=(0, 0, 0, 255), width=2)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def cartoon(width: int, height: int, seed: int = 0) -> bytes:
    """A palette PNG like a line drawing."""
    rng = random.Random(seed)
    image = Image.new("P", (width, height), 0)
    image.putpalette([255, 255, 255, 0, 0, 0] + [rng.randrange(256) for _ in range(762)])
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        box = (
            sorted(rng.randrange(width) for _ in range(2)),
            sorted(rng.randrange(height) for _ in range(2)),
        )
        draw.ellipse([box[0][0], box[1][0], box[0][1], box[1][1]], outline=1, width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def other(width: int, height: int, format: str, seed: int = 0) -> bytes:
    grain = Image.effect_noise((max(1, width // 8), max(1, height // 8)), 30 + seed % 20)
    image = grain.resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, format)
    return out.getvalue()


def make_picture(number: int, seed: int = 0) -> MadePicture:
    """The `number`th picture of a varied set: kinds in turn, from 120 to 2400 pixels wide, most
    of them the few hundred pixels of a periodical's web pages, a few large scans."""
    rng = random.Random(seed * 100_003 + number)
    kind = KINDS[number % len(KINDS)]
    width = rng.choice(WIDTHS) + rng.randrange(40)
    height = max(60, int(width * rng.choice((0.5, 0.66, 0.75, 1.0, 1.33))))
    if kind == "photo":
        data, media_type, ext = photo(width, height, number), "image/jpeg", "jpg"
    elif kind == "photo-rotated":
        data, media_type, ext = photo(width, height, number, orientation=6), "image/jpeg", "jpg"
        width, height = height, width
    elif kind == "chart":
        data, media_type, ext = chart(width, height, number, number % 2 == 0), "image/png", "png"
    elif kind == "cartoon":
        data, media_type, ext = cartoon(width, height, number), "image/png", "png"
    elif kind == "gif":
        data, media_type, ext = other(width, height, "GIF", number), "image/gif", "gif"
    else:
        data, media_type, ext = other(width, height, "WEBP", number), "image/webp", "webp"
    filename = f"uploads/{number // 100:03d}/picture-{number}.{ext}"
    return MadePicture(data, media_type, filename, width, height)


# Bad files a real archive holds (line 7 of issue 12).
def truncated_jpeg(seed: int = 0) -> bytes:
    data = photo(800, 600, seed)
    return data[: len(data) // 2]


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels (a decompression bomb's header)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def random_bytes(size: int = 4096, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(size)


def figure_record(
    number: int,
    pictures: list[MadePicture],
    publication: str = "The Lantern",
    language: str = "en",
    title: str = "",
    caption: str = "",
    credit: str = "",
) -> ArticleRecord:
    """An article whose body has a paragraph, then one figure showing `pictures` (a gallery
    when there are several), each with its own alt text and caption."""
    title = title or f"Pictures of the harbour, part {number}"
    uses = [
        AssetUse(
            sha256=p.sha256,
            alt=f"Picture {number}.{i}: boats at low water"
            if language == "en"
            else f"Imagen {number}.{i}: barcas con la marea baja",
            caption=f"View {i + 1}" if len(pictures) > 1 else "",
            url=f"https://lantern.example.org/{p.filename}",
        )
        for i, p in enumerate(pictures)
    ]
    assets = {
        p.sha256: AssetRecord(
            sha256=p.sha256,
            media_type=p.media_type,
            width=p.width or None,
            height=p.height or None,
            filename=p.filename,
            source_url=f"https://lantern.example.org/{p.filename}",
        )
        for p in pictures
    }
    body = "The harbour at dawn." if language == "en" else "El puerto al amanecer."
    return ArticleRecord(
        publication=publication,
        key=f"pictures:{number}",
        issue=IssueRecord(year=1950 + number // 200, number=1 + number // 20 % 10, month=3),
        title=title,
        language=language,
        position=number % 20,
        blocks=[
            Block("paragraph", body),
            Block("figure", text=caption, assets=uses, credit=credit),
        ],
        assets=list(assets.values()),
        source=Source.of(f"pictures/{number}.json", "test", f"{title}\n{body}"),
    )


def write_picture_archive(
    folder: Path, records: list[ArticleRecord], files: dict[str, tuple[bytes, str]]
) -> Path:
    """Write `records` as `folder/records.jsonl` and `files` (sha256 → bytes and media type) in
    the export's layout beside it; the JSONL file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    for sha256, (data, media_type) in files.items():
        target = folder / export_path(sha256, media_type)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    path = folder / "records.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record_to_dict(record), ensure_ascii=False, sort_keys=True))
            out.write("\n")
    return path


def generated_archive(
    folder: Path, pictures: int, per_article: int = 4, seed: int = 0
) -> tuple[Path, list[MadePicture]]:
    """An archive of `pictures` generated pictures, `per_article` to an article (one figure
    each: galleries), written in the export's layout. The JSONL path and the pictures."""
    made = [make_picture(n, seed) for n in range(pictures)]
    records = [
        figure_record(n, made[start : start + per_article])
        for n, start in enumerate(range(0, pictures, per_article))
    ]
    files = {p.sha256: (p.data, p.media_type) for p in made}
    return write_picture_archive(folder, records, files), made
