"""Print sources made here, with text we know: PDFs written by hand (Helvetica, one to three
columns, running heads, a folio, a line printed sideways in the margin), pages of text drawn
with Pillow and DejaVu fonts (scanned-looking with `scanned`), broken PDFs, and images that
claim too many pixels. Nothing random at run time: seeds are fixed.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_FOLDER = Path("/usr/share/fonts/truetype/dejavu")
SERIF = FONT_FOLDER / "DejaVuSerif.ttf"
PT = 72

ENGLISH = [
    "The harbour board met on Tuesday to hear the dockers' case for a shorter",
    "week. Forty men stood in the gallery while the chairman read the letter",
    "from the union, and when he came to the figures for overtime the room",
    "went quiet. Nobody disputed them. The board adjourned until Friday.",
    "Meanwhile the ferry to the island will run twice a day, weather allowing,",
    "and the new lamps on the quay should be lit before the end of the month.",
]
SPANISH = [
    "La junta del puerto se reunió el martes para escuchar a los estibadores,",
    "que piden una semana más corta. Cuarenta hombres esperaban en la galería",
    "mientras el presidente leía la carta del sindicato; cuando llegó a las",
    "horas extraordinarias, nadie dijo nada. La sesión seguirá el viernes.",
    "Entretanto, el transbordador a la isla saldrá dos veces al día, si el",
    "tiempo lo permite, y las farolas del muelle se encenderán este mes.",
]
GERMAN = [
    "Der Hafenausschuss tagte am Dienstag, um die Forderung der Schauerleute",
    "nach einer kürzeren Woche zu hören. Vierzig Männer standen auf der",
    "Galerie, während der Vorsitzende den Brief der Gewerkschaft verlas. Als",
    "er zu den Überstunden kam, wurde es still. Niemand widersprach ihm.",
    "Die Fähre zur Insel fährt vorerst zweimal täglich, wenn das Wetter es",
    "zulässt, und die neuen Laternen am Kai brennen noch vor Monatsende.",
]
TEXTS = {"eng": ENGLISH, "spa": SPANISH, "deu": GERMAN}


# ---------------------------------------------------------------- PDFs written by hand


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi (Latin-1 covers the fixtures' letters)."""
    data = text.encode("cp1252")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def write_pdf(
    pages: list[bytes], path: Path | None = None, size=(612, 792), trailer=b"", sizes=None
) -> bytes:
    """A PDF of these content streams (Helvetica as /F1), written object by object; `sizes`,
    each page's size in points where they differ."""
    objects: list[bytes] = []
    count = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count))
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for i, content in enumerate(pages):
        size = sizes[i] if sizes else size
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font "
            b"<< /F1 3 0 R >> >> /Contents %d 0 R >>" % (size[0], size[1], 5 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    data = out.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


def text_at(x: float, y: float, text: str, size: float = 10, sideways: bool = False) -> bytes:
    matrix = b"0 1 -1 0" if sideways else b"1 0 0 1"
    return b"BT /F1 %g Tf %s %g %g Tm %s Tj ET\n" % (size, matrix, x, y, pdf_string(text))


def newspaper_page(
    columns: list[list[str]], folio: int, head: str = "The Tideway Gazette / June 2004"
) -> bytes:
    """A page: a running head with the folio, the columns' lines, a folio at the foot and a
    production line printed sideways in the left margin."""
    parts = [text_at(56, 752, head, 9), text_at(540, 752, str(folio), 9)]
    width = 500 / len(columns)
    for index, lines in enumerate(columns):
        x = 56 + index * width
        for row, line in enumerate(lines):
            parts.append(text_at(x, 712 - row * 12, line, 9))
    parts.append(text_at(300, 40, f"- {folio} -", 9))
    parts.append(text_at(30, 200, f"Printed by the Tideway Press, sheet {folio}", 6, True))
    return b"".join(parts)


def column_text(words: int, seed: int, width_chars: int = 28) -> list[str]:
    """Lines of plausible words (fixed by `seed`), each at most `width_chars` long."""
    vocabulary = " ".join(ENGLISH).replace(",", "").replace(".", "").split()
    chooser = random.Random(seed)
    lines, line = [], ""
    for _ in range(words):
        word = chooser.choice(vocabulary)
        if len(line) + len(word) + 1 > width_chars:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines


def newspaper_pdf(path: Path, pages: int = 3, columns: int = 3, first_folio: int = 7) -> Path:
    """A born-digital issue of `pages` pages of `columns` columns each."""
    contents = []
    for page in range(pages):
        cols = [column_text(180, seed=page * 10 + c, width_chars=90 // columns) for c in
                range(columns)]  # fmt: skip
        contents.append(newspaper_page(cols, first_folio + page))
    write_pdf(contents, path)
    return path


def scanned_pdf(path: Path, images: list[Image.Image], dpi: int = 300) -> Path:
    """A PDF of page images only (no text layer), as a scanner makes one."""
    first, *rest = [image.convert("L") for image in images]
    first.save(path, "PDF", resolution=dpi, save_all=True, append_images=rest)
    return path


def encrypted_pdf(path: Path) -> Path:
    """A one-page PDF encrypted with the standard handler (RC4, 40 bits) and a user password
    nobody knows: the /U and /O entries are not what an empty password makes."""
    encrypt = (
        b"/Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -44 "
        b"/O <" + b"4a" * 32 + b"> /U <" + b"7f" * 32 + b"> >> "
        b"/ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] "
    )
    write_pdf([text_at(72, 700, "secret")], path, trailer=encrypt)
    return path


def zero_page_pdf(path: Path) -> Path:
    write_pdf([], path)
    return path


def corrupt_pdf(path: Path) -> Path:
    """A PDF cut off a third of the way in, with garbage after."""
    data = newspaper_pdf(path, pages=2).read_bytes()
    path.write_bytes(data[: len(data) // 3] + b"\x00garbage\xff" * 20)
    return path


# ---------------------------------------------------------------- pages drawn with Pillow


def has_fonts() -> bool:
    return SERIF.is_file()


def text_page(lines: list[str], dpi: int = 300, size_pt: float = 11, margin_in=0.6) -> Image.Image:
    """Lines of text as printed at `size_pt` and scanned at `dpi`, black on white."""
    font = ImageFont.truetype(str(SERIF), round(size_pt * dpi / PT))
    leading = round(size_pt * 1.5 * dpi / PT)
    margin = round(margin_in * dpi)
    width = max(round(font.getlength(line)) for line in lines) + 2 * margin
    height = leading * len(lines) + 2 * margin
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((margin, margin + row * leading), line, font=font, fill=0)
    return image


def scanned(
    image: Image.Image,
    seed: int = 1,
    angle: float = 0.6,
    blur: float = 0.8,
    specks: int = 2000,
    quality: int = 60,
) -> Image.Image:
    """The page as a scanner gives it back: a little turned, blurred, speckled, a JPEG
    (`specks`: one pixel of dust or toner in that many)."""
    chooser = random.Random(seed)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(blur))
    pixels = image.load()
    for _ in range(image.width * image.height // specks):
        x, y = chooser.randrange(image.width), chooser.randrange(image.height)
        pixels[x, y] = chooser.choice((0, 90, 200))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("L")


# ---------------------------------------------------------------- too many pixels


def huge_png(path: Path, width: int = 20_000, height: int = 20_000) -> Path:
    """A white grey PNG of width × height pixels in a few hundred kilobytes (written row by
    row, never held): a decompression bomb for whoever decodes it."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * width
    with path.open("wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)))
        data = io.BytesIO()
        for _ in range(height):
            data.write(compressor.compress(row))
        data.write(compressor.flush())
        out.write(chunk(b"IDAT", data.getvalue()))
        out.write(chunk(b"IEND", b""))
    return path


def chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )
