"""Draw the picture sample's pictures (backfile/sample/the-tideway/) and write its cover record.

The Tideway is an invented harbour monthly: `tideway.xml` is its WordPress export
(hand-written), `uploads/` the pictures its posts show, and `tideway-cover.jsonl` one
record in `backfile export`'s layout that gives the June 2004 issue its cover, the
cover's file under `assets/<ab>/<sha256>.jpg`. This script draws every picture with
Pillow from fixed shapes and seeds (nothing random at run time, no text, no fonts), so
the same Pillow makes the same bytes: run it after changing a drawing, and commit what
it writes (`tests/test_demo.py` checks that the committed files are what it makes).

    .venv/bin/python scripts/sample_pictures.py [--into FOLDER]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import random
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from backfile.ingest.records import (
    ArticleRecord,
    AssetRecord,
    Block,
    IssueRecord,
    Source,
    record_to_dict,
)
from backfile.media.files import export_path

SAMPLE = Path(__file__).resolve().parent.parent / "backfile" / "sample" / "the-tideway"
UPLOADS = "uploads/2004/06"
SITE = "https://tideway.example"
Colour = tuple[int, int, int]

SEA = (28, 74, 110)
DEEP = (16, 44, 72)
SAND = (214, 196, 160)
STONE = (92, 96, 104)
TAR = (38, 34, 36)
WHITE = (244, 242, 236)
RED = (186, 58, 48)


def gradient(size: tuple[int, int], top: Colour, bottom: Colour) -> Image.Image:
    """A vertical blend from `top` to `bottom`."""
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def ripples(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], seed: int, tint: Colour):
    """Short light strokes on water, denser towards the horizon."""
    rng = random.Random(seed)
    left, top, right, bottom = box
    for _ in range(160):
        depth = rng.random() ** 2
        y = top + int(depth * (bottom - top))
        x = rng.randrange(left, right)
        length = 6 + int(depth * 40)
        draw.line([(x, y), (x + length, y)], fill=tint, width=1 + int(depth * 2))


def lighthouse(draw: ImageDraw.ImageDraw, x: int, base: int, height: int, lit: Colour):
    """A tapering tower in red and white bands, its lantern lit."""
    bands = 5
    for band in range(bands):
        low = base - height * band // bands
        high = base - height * (band + 1) // bands
        half_low = height // 9 - band * height // 90
        half_high = height // 9 - (band + 1) * height // 90
        colour = RED if band % 2 else WHITE
        draw.polygon(
            [
                (x - half_low, low),
                (x + half_low, low),
                (x + half_high, high),
                (x - half_high, high),
            ],
            fill=colour,
        )
    top = base - height
    draw.rectangle([x - height // 14, top - height // 8, x + height // 14, top], fill=lit)
    draw.polygon(
        [(x - height // 10, top - height // 8), (x + height // 10, top - height // 8),
         (x, top - height // 5)],
        fill=TAR,
    )  # fmt: skip


def boat(draw: ImageDraw.ImageDraw, x: int, y: int, length: int, hull: Colour, mast: bool):
    """A small boat side on: a hull, a wheelhouse or a mast."""
    draw.polygon(
        [(x, y), (x + length, y), (x + length * 9 // 10, y + length // 5),
         (x + length // 8, y + length // 5)],
        fill=hull,
    )  # fmt: skip
    draw.line([(x, y), (x + length, y)], fill=WHITE, width=2)
    if mast:
        draw.line([(x + length // 2, y), (x + length // 2, y - length * 3 // 4)], fill=TAR, width=3)
        draw.polygon(
            [(x + length // 2 + 3, y - length * 3 // 4), (x + length // 2 + 3, y - 6),
             (x + length * 9 // 10, y - 6)],
            fill=(236, 226, 200),
        )  # fmt: skip
    else:
        draw.rectangle([x + length // 3, y - length // 5, x + length * 3 // 5, y], fill=WHITE)


def harbour_at_dawn() -> Image.Image:
    """The harbour at dawn: the sun low over the sea, the breakwater and its light."""
    size = (800, 500)
    image = gradient(size, (250, 196, 150), (170, 200, 222))
    draw = ImageDraw.Draw(image)
    horizon = 300
    draw.ellipse([520, 210, 620, 310], fill=(255, 226, 170))
    image.paste(gradient((800, 200), (120, 150, 176), DEEP), (0, horizon))
    draw.polygon([(540, horizon), (600, horizon), (640, 500), (500, 500)], fill=(232, 196, 150))
    ripples(draw, (0, horizon + 4, 800, 500), seed=1, tint=(206, 214, 222))
    draw.polygon([(0, 360), (380, 322), (400, 332), (0, 400)], fill=STONE)
    lighthouse(draw, 380, 324, 150, (255, 236, 160))
    boat(draw, 120, 430, 120, RED, mast=True)
    return image.filter(ImageFilter.GaussianBlur(0.6))


def ferry_on_the_tide() -> Image.Image:
    """The ferry leaving on the morning tide, its wake behind it."""
    size = (720, 460)
    image = gradient(size, (196, 216, 232), (236, 232, 220))
    draw = ImageDraw.Draw(image)
    horizon = 250
    draw.polygon(
        [(0, horizon), (200, 226), (360, 238), (720, 214), (720, horizon)], fill=(120, 136, 120)
    )
    image.paste(gradient((720, 210), (84, 120, 146), SEA), (0, horizon))
    draw = ImageDraw.Draw(image)
    ripples(draw, (0, horizon + 4, 720, 460), seed=2, tint=(170, 196, 212))
    draw.polygon([(120, 330), (560, 330), (520, 372), (150, 372)], fill=(34, 52, 78))
    draw.rectangle([200, 292, 460, 330], fill=WHITE)
    draw.rectangle([230, 300, 440, 312], fill=(60, 80, 100))
    draw.rectangle([390, 250, 420, 292], fill=RED)
    draw.rectangle([390, 250, 420, 258], fill=TAR)
    for step in range(5):
        r = 10 + step * 5
        draw.ellipse([430 + step * 26 - r, 226 - step * 16 - r, 430 + step * 26 + r, 226 - step * 16 + r],
                     fill=(214 - step * 6, 214 - step * 6, 214 - step * 6))  # fmt: skip
    draw.polygon([(560, 352), (720, 340), (720, 372), (540, 370)], fill=(210, 226, 236))
    return image.filter(ImageFilter.GaussianBlur(0.6))


def boats_on_the_moorings() -> Image.Image:
    """Boats on their moorings at slack water, each over its reflection."""
    size = (720, 480)
    image = gradient(size, (200, 220, 226), (60, 104, 126))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 720, 150], fill=(150, 160, 142))  # the far shore
    draw.polygon(
        [(0, 150), (720, 150), (720, 120), (460, 96), (200, 128), (0, 110)], fill=(112, 128, 108)
    )
    rng = random.Random(3)
    hulls = [RED, (44, 120, 88), (236, 196, 72), (52, 84, 150), WHITE]
    for number, hull in enumerate(hulls):
        x = 40 + number * 136 + rng.randrange(-10, 10)
        y = 230 + (number % 2) * 90 + rng.randrange(-8, 8)
        length = 96 + rng.randrange(0, 40)
        boat(draw, x, y, length, hull, mast=number % 2 == 0)
        for line in range(6):  # the reflection, broken by the water
            wobble = rng.randrange(-6, 6)
            shade = tuple(max(0, c - 50) for c in hull)
            draw.line([(x + wobble, y + length // 5 + 6 + line * 5),
                       (x + length * 9 // 10 + wobble, y + length // 5 + 6 + line * 5)],
                      fill=shade, width=2)  # fmt: skip
    return image.filter(ImageFilter.GaussianBlur(0.8))


def net_lofts() -> Image.Image:
    """The tarred net lofts on the shingle, tall and narrow, under a pale sky."""
    size = (720, 480)
    image = gradient(size, (226, 232, 238), (176, 196, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 380, 720, 480], fill=SAND)
    rng = random.Random(4)
    for _ in range(400):  # the shingle
        x, y = rng.randrange(720), rng.randrange(384, 480)
        grey = rng.randrange(140, 200)
        draw.ellipse([x, y, x + 4, y + 3], fill=(grey, grey - 8, grey - 20))
    x = 30
    while x < 680:
        width = rng.randrange(60, 90)
        height = rng.randrange(180, 260)
        draw.rectangle([x, 380 - height, x + width, 380], fill=TAR)
        draw.polygon([(x - 4, 380 - height), (x + width + 4, 380 - height),
                      (x + width // 2, 380 - height - width // 2)], fill=(56, 48, 50))  # fmt: skip
        for board in range(x + 8, x + width, 12):
            draw.line([(board, 384 - height), (board, 380)], fill=(58, 54, 56), width=1)
        draw.rectangle([x + width // 3, 380 - height // 2, x + width * 2 // 3, 380 - height // 3],
                       fill=(196, 170, 96))  # fmt: skip
        x += width + rng.randrange(8, 24)
    return image.filter(ImageFilter.GaussianBlur(0.5))


def lighthouse_at_night() -> Image.Image:
    """The light at night, its beam across a starred sky (flat colours, so a PNG)."""
    size = (640, 400)
    image = gradient(size, (14, 20, 48), (40, 60, 100))
    draw = ImageDraw.Draw(image, "RGBA")
    rng = random.Random(5)
    for _ in range(70):
        x, y = rng.randrange(640), rng.randrange(240)
        draw.point([(x, y), (x + 1, y)], fill=(236, 236, 210, 255))
    draw.polygon([(330, 150), (640, 60), (640, 150)], fill=(255, 236, 160, 120))
    draw.polygon([(310, 150), (0, 110), (0, 170)], fill=(255, 236, 160, 80))
    draw.rectangle([0, 300, 640, 400], fill=(12, 26, 44, 255))
    draw.polygon([(180, 300), (440, 300), (400, 270), (230, 270)], fill=(40, 42, 48, 255))
    lighthouse(draw, 320, 272, 130, (255, 236, 160))
    return image.convert("P", palette=Image.Palette.ADAPTIVE, colors=64)


def tide_chart() -> Image.Image:
    """The month's tides: a bar for each day's high water, two springs and two neaps, and
    the curve of their rise and fall above."""
    size = (640, 360)
    image = Image.new("RGB", size, (250, 248, 242))
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = 50, 30, 610, 320
    for row in range(6):
        y = top + row * (bottom - top) // 5
        draw.line([(left, y), (right, y)], fill=(218, 222, 226), width=1)
    days = 30
    step = (right - left) / days
    for day in range(days):
        spring = 0.6 + 0.4 * math.cos(day / days * 4 * math.pi)
        height = int((bottom - top) * 0.85 * spring)
        x = left + int(day * step) + 3
        draw.rectangle([x, bottom - height, x + int(step) - 6, bottom], fill=(144, 184, 208))
    points = []
    for x in range(left, right + 1, 2):
        t = (x - left) / (right - left)
        level = 0.85 * (0.6 + 0.4 * math.cos(t * 4 * math.pi)) + 0.04
        points.append((x, bottom - int(level * (bottom - top))))
    draw.line(points, fill=SEA, width=2)
    draw.line([(left, top), (left, bottom), (right, bottom)], fill=(60, 60, 60), width=2)
    return image.convert("P", palette=Image.Palette.ADAPTIVE, colors=32)


def june_cover() -> Image.Image:
    """The June 2004 cover: a masthead band over a boat on a wide sea at sunset."""
    size = (480, 640)
    image = gradient(size, (238, 150, 96), (64, 56, 96))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 480, 110], fill=SEA)
    draw.rectangle([24, 34, 456, 46], fill=WHITE)
    draw.rectangle([24, 60, 300, 70], fill=(236, 196, 72))
    draw.ellipse([150, 240, 330, 420], fill=(252, 210, 120))
    image.paste(gradient((480, 260), (74, 70, 112), DEEP), (0, 380))
    draw = ImageDraw.Draw(image)
    ripples(draw, (0, 384, 480, 640), seed=7, tint=(230, 160, 110))
    boat(draw, 170, 400, 140, TAR, mast=True)
    draw.rectangle([0, 600, 480, 640], fill=WHITE)
    draw.rectangle([24, 614, 200, 624], fill=RED)
    return image.filter(ImageFilter.GaussianBlur(0.5))


# name in uploads/2004/06 (or, for the cover, the JSONL's assets/): what draws it
PICTURES: dict[str, Callable[[], Image.Image]] = {
    "harbour-at-dawn.jpg": harbour_at_dawn,
    "ferry.jpg": ferry_on_the_tide,
    "moorings.jpg": boats_on_the_moorings,
    "net-lofts.jpg": net_lofts,
    "light-at-night.png": lighthouse_at_night,
    "tide-chart.png": tide_chart,
}
COVER = "cover-june-2004.jpg"


def encoded(image: Image.Image, name: str) -> bytes:
    out = io.BytesIO()
    if name.endswith(".png"):
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "JPEG", quality=80, optimize=True, progressive=True)
    return out.getvalue()


COVER_TEXT = (
    "On the cover: the Margaret May running home at sunset, drawn for this issue.",
    "Every June the fleet comes in on the evening tide, and the quay fills with people "
    "waiting for it. This issue's cover is our picture of that hour.",
)


def cover_record(cover: bytes) -> ArticleRecord:
    """One article of the June 2004 issue, naming the cover it carries (docs/jsonl-format.md)."""
    text = "\n\n".join(COVER_TEXT)
    asset = AssetRecord(
        sha256=hashlib.sha256(cover).hexdigest(),
        media_type="image/jpeg",
        width=480,
        height=640,
        filename=COVER,
        alt="Cover of The Tideway, June 2004: a fishing boat running home under a low sun",
        credit="Drawing: Ines Calder",
    )
    return ArticleRecord(
        publication="The Tideway",
        key="tideway:cover/june-2004",
        issue=IssueRecord(year=2004, month=6, slug="june-2004", cover=asset.sha256),
        title="On the cover",
        source=Source(
            path="tideway-cover.jsonl",
            format="jsonl",
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            text=text,
        ),
        slug="on-the-cover",
        section="Editorial",
        authors=["Ines Calder"],
        language="en",
        blocks=[Block("paragraph", line) for line in COVER_TEXT],
        assets=[asset],
    )


def write(folder: Path) -> list[Path]:
    """Every file of the sample this script makes, written under `folder`; their paths."""
    written = []
    for name, draw in PICTURES.items():
        path = folder / UPLOADS / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encoded(draw(), name))
        written.append(path)
    cover = encoded(june_cover(), COVER)
    record = cover_record(cover)
    path = folder / export_path(record.issue.cover, "image/jpeg")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(cover)
    written.append(path)
    line = json.dumps(record_to_dict(record), ensure_ascii=False, sort_keys=True)
    jsonl = folder / "tideway-cover.jsonl"
    jsonl.write_text(line + "\n", encoding="utf-8")
    written.append(jsonl)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--into", type=Path, default=SAMPLE, help="default: %(default)s")
    options = parser.parse_args()
    for path in write(options.into):
        print(f"{path.stat().st_size:>7,} bytes  {path.relative_to(options.into)}")


if __name__ == "__main__":
    main()
