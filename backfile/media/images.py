"""What Pillow makes of a picture's bytes: its kind and size, and the sizes the site shows.

Nothing here touches the database or the storage: `examine` and `derivatives` take
bytes and give plain values, so the loader, the bench's floor and a worker process
can all call them.

Bad pictures are a fact of old archives: a truncated upload, a file named `.jpg`
that is something else, a PNG whose header claims 100,000 × 100,000 pixels. Pillow
opens lazily (only the header is read), so a picture's size is checked against
`BACKFILE_MEDIA_MAX_PIXELS` before a single pixel is decoded; what cannot be read
is described in a sentence (`Picture.problem`) and never raised.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field

from PIL import Image, ImageOps, UnidentifiedImageError

# The widths (in CSS pixels) the site offers a browser in `srcset`; a picture narrower
# than the widest gets its own width as the last. The first is also the thumbnail.
DISPLAY_WIDTHS = (320, 640, 1024, 1600)
THUMBNAIL_WIDTH = DISPLAY_WIDTHS[0]
# Every display size in WebP, with a JPEG beside it for browsers without WebP (AVIF would
# be smaller still, but Pillow encodes it ten times slower than WebP).
FORMATS = (("webp", "image/webp"), ("jpg", "image/jpeg"))
WEBP_QUALITY = 80
JPEG_QUALITY = 82
# Changing how derivatives are made changes this, and so every derivative's name: a name,
# once served, always means the same bytes (they are cached by browsers for a year).
RECIPE = "v1"

# Media types by Pillow's format names; the export names a picture's file by its type.
MEDIA_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "AVIF": "image/avif",
    "TIFF": "image/tiff",
    "BMP": "image/bmp",
}
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/avif": "avif",
    "image/tiff": "tif",
    "image/bmp": "bmp",
    "image/svg+xml": "svg",
    "application/pdf": "pdf",
}
UNKNOWN_TYPE = "application/octet-stream"


def extension(media_type: str) -> str:
    return EXTENSIONS.get(media_type, "bin")


@dataclass
class Derivative:
    """One display size in one format."""

    width: int
    height: int
    format: str  # the file extension: webp, jpg
    data: bytes = field(repr=False, default=b"")


@dataclass
class Picture:
    """What the bytes turned out to be. `problem` says why no display size could be made."""

    media_type: str = UNKNOWN_TYPE
    width: int | None = None
    height: int | None = None
    problem: str = ""
    derivatives: list[Derivative] = field(default_factory=list)


def set_pixel_limit(max_pixels: int) -> None:
    """Pillow refuses (DecompressionBombError) pictures past twice its limit by itself;
    `open_picture` refuses everything past it."""
    Image.MAX_IMAGE_PIXELS = max_pixels


def open_picture(data: bytes, max_pixels: int) -> tuple[Image.Image | None, Picture]:
    """The picture opened lazily (its header read, no pixels decoded) and what it is, or
    None and the problem. Past `max_pixels` it is refused before it is decoded."""
    picture = Picture()
    if not data:
        picture.problem = "the file is empty"
        return None, picture
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        picture.problem = (
            f"it claims more pixels than BACKFILE_MEDIA_MAX_PIXELS ({max_pixels:,}) allows "
            "(a decompression bomb, or a scan too large to show)"
        )
        return None, picture
    except UnidentifiedImageError:
        picture.problem = "not a picture Pillow can read (unknown or damaged format)"
        return None, picture
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        picture.problem = f"a damaged picture ({error})"
        return None, picture
    picture.media_type = MEDIA_TYPES.get(image.format or "", UNKNOWN_TYPE)
    width, height = image.size
    picture.width, picture.height = width, height
    if width * height > max_pixels:
        picture.problem = (
            f"{width:,} × {height:,} pixels, more than BACKFILE_MEDIA_MAX_PIXELS "
            f"({max_pixels:,}) allows (a decompression bomb, or a scan too large to show)"
        )
        return None, picture
    return image, picture


def examine(data: bytes, max_pixels: int, make_derivatives: bool = True) -> Picture:
    """The picture's kind and size and, unless it has a problem, its display sizes. Never
    raises: whatever goes wrong in Pillow (a bug meeting a strange file) costs only this
    picture, as its problem."""
    try:
        return _examine(data, max_pixels, make_derivatives)
    except Exception as error:  # noqa: BLE001 (see the docstring)
        return Picture(problem=f"Pillow could not read it ({type(error).__name__}: {error})")


def _examine(data: bytes, max_pixels: int, make_derivatives: bool) -> Picture:
    image, picture = open_picture(data, max_pixels)
    if image is None or not make_derivatives:
        return picture
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture.derivatives, (picture.width, picture.height) = display_sizes(image)
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
        picture.problem = f"a damaged or truncated picture ({error})"
        picture.derivatives = []
    finally:
        image.close()
    return picture


def widths_for(width: int) -> list[int]:
    """The display widths a picture `width` pixels wide gets: each offered width narrower than
    it, and its own width where it is narrower than the widest (never enlarged)."""
    widths = [w for w in DISPLAY_WIDTHS if w < width]
    if width <= DISPLAY_WIDTHS[-1]:
        widths.append(width)
    return widths


def display_sizes(image: Image.Image) -> tuple[list[Derivative], tuple[int, int]]:
    """Every display size of an opened picture in every format, widest first, and the
    picture's upright size. A JPEG is decoded at the least scale (1/2, 1/4, 1/8) that still
    covers the widest size, and each size is reduced from the one before, so a large photo
    costs little more than its largest display size."""
    upright = _upright_size(image)
    widths = widths_for(upright[0])
    widest = max(widths)
    target = (widest, max(1, round(upright[1] * widest / upright[0])))
    if image.format == "JPEG":
        image.draft("RGB", target if upright == image.size else target[::-1])
    image.load()
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    frame = ImageOps.exif_transpose(image)
    frame = _displayable(frame)
    made: list[Derivative] = []
    for width in sorted(widths, reverse=True):
        height = max(1, round(upright[1] * width / upright[0]))
        if frame.size != (width, height):
            frame = frame.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for extension_, _type in FORMATS:
            made.append(Derivative(width, height, extension_, encode(frame, extension_)))
    return made, upright


def encode(frame: Image.Image, format: str) -> bytes:
    out = io.BytesIO()
    if format == "webp":
        frame.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        if frame.mode != "RGB":
            frame = _flattened(frame)
        frame.save(out, "JPEG", quality=JPEG_QUALITY, progressive=True)
    return out.getvalue()


def _upright_size(image: Image.Image) -> tuple[int, int]:
    """The picture's size as it is meant to be seen (EXIF orientation 5–8 turn it on its side)."""
    try:
        orientation = image.getexif().get(0x0112, 1)
    except (OSError, SyntaxError, ValueError):
        orientation = 1
    width, height = image.size
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _displayable(image: Image.Image) -> Image.Image:
    """RGB, or RGBA where the picture has transparency (palette, grey, CMYK, 16-bit converted)."""
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.mode in ("LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        return ImageOps.autocontrast(image.convert("L")).convert("RGB")
    return image.convert("RGB")


def _flattened(image: Image.Image) -> Image.Image:
    """An RGBA picture on white, for JPEG (which has no transparency)."""
    if image.mode != "RGBA":
        return image.convert("RGB")
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background
