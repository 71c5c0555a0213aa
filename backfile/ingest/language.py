"""An article's language, as a BCP 47 tag: the source's own word where it is plausible,
else what its text is written in, else its publication's usual language.

Detection is py3langid's (the langid.py model, shipped inside the wheel: nothing is
downloaded). It reads the title, standfirst and first paragraphs of a record; a text of
fewer than MIN_WORDS words, or one the model is unsure of, says nothing, and the record
takes the language most of its publication's articles in the run were found to be in
(else the site's). A declaration (a WordPress export's `<language>`, an HTML page's
`lang`, a JSONL record's `language`) is kept unless the text is long and the model is
all but certain it is another language: a blog that declares `en-US` once for all its
posts may still hold Spanish ones.

Readers leave `ArticleRecord.language` empty where their source declares nothing; the
ingest pipeline (and the loader, for records handed to it directly) settles it here.
"""

from __future__ import annotations

import hashlib
import io
import lzma
import math
import mmap
import os
import re
import struct
import tempfile
import threading
import zipfile
import zlib
from array import array
from collections import Counter
from functools import lru_cache
from pathlib import Path

from backfile.ingest.records import ArticleRecord, Block

MIN_WORDS = 12  # fewer words than this is too little to tell a language by
SAMPLE_CHARS = 600  # the opening of the text (a hundred words) is enough, and keeps detection cheap
CONFIDENT = (
    0.7  # a weaker detection (the model spreads short texts over kindred languages) falls back
)
OVERRULE = 0.99  # how sure the model must be to overrule a declaration …
OVERRULE_WORDS = 40  # … in a text of at least this many words
TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
MAX_TAG = 20
UNDETERMINED = frozenset({"und", "zxx", "mul", "mis"})

_lock = threading.Lock()
# A reader that reads in worker processes may detect there (`detect(record_text(page))`)
# and hand the result on as the record's `detected` attribute (not a field of the record
# format): the ingest's main process then only decides.
NOT_DETECTED = "not detected"


@lru_cache(maxsize=1)
def _identifier():
    """The model, loaded once per process that detects (a hundred megabytes: the ingest
    detects in its worker processes, see `pipeline.with_languages`)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = _walked_natively(LanguageIdentifier)
    native = identifier is not LanguageIdentifier
    ptc, pc, classes, nextmove, rows, output = _model_arrays(MODEL_DIR / MODEL_FILE, native)
    # (what LanguageIdentifier.from_model_file makes of py3langid's own loading)
    model = identifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=rows)
    # The automaton py3langid walks a byte at a time looks up two tables of its 100,000
    # states, kept as lists of int objects (some 8 MB scattered over the heap); as packed
    # arrays (under 1 MB) they stay in the processor's caches beside the page reading of
    # the worker process that detects, and the same ints come out.
    model._rowbase = array("q", model._rowbase)
    model.tk_output = array("i", model.tk_output)
    return model


def _walked_natively(identifier: type) -> type:
    """py3langid's identifier with its byte walk in C (`_langid_walk.c`, built by `pip
    install -e .`: the same feature counts, three quarters of detection's time); as
    shipped where the extension is not built or the tables are not packed arrays."""
    try:
        from backfile.ingest._langid_walk import visit_counts
    except ImportError:
        return identifier

    class Walked(identifier):
        __slots__ = ()

        def _raw_score(self, text):
            import numpy as np

            try:
                visits = visit_counts(
                    self.tk_nextmove, self._rowbase, self.tk_output, text, len(self.nb_ptc), True
                )
            except (TypeError, ValueError, BufferError):  # tables as lists: py3langid's walk
                return super()._raw_score(text)
            if visits:
                # py3langid's `_sparse_score`, from the arrays the walk filled (no dict of
                # int objects made and read back a feature)
                features, counts = visits
                features = np.frombuffer(features, dtype=np.int64)
                counts = np.frombuffer(counts, dtype=np.float32)
                return np.log1p(counts) @ self.nb_ptc[features] + self.nb_pc
            return super()._raw_score(text)  # no feature: py3langid's own floor

    return Walked


def _model_arrays(packed: Path, native: bool = False) -> tuple:
    """The model's tables, as py3langid's `load_model` gives them, from an unpacked copy
    of its file (`unpacked_model`) where one can be kept, else from the file itself.

    The model ships LZMA-compressed (4.5 MB, 97 MB as unpacked here): unpacking it took 0.6 s
    of every process that detected, at the start of every ingest, before its first
    article could be stored. The copy is mapped into memory (`_mapped_arrays`), not read:
    each worker process that detects read and copied it (0.2 s of CPU), and now
    shares the pages with the others. Where the byte walk is `native` (`_walked_natively`)
    the automaton's transitions stay the mapped array; py3langid's own walk gets them as
    the stdlib array it walks fastest.
    """
    from py3langid.modelio import load_model

    unpacked = unpacked_model(packed)
    if unpacked is None:
        return load_model(packed)
    try:
        data = _mapped_arrays(unpacked)
        nextmove = data["nextmove"]
        return (
            data["ptc"],
            data["pc"],
            data["classes"].tolist(),
            nextmove if native else _stdlib_array(nextmove),
            _stdlib_array(data["nextmove_row"]),
            data["out_feat"].tolist(),
        )
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
        # a copy damaged since it was made (a disk that filled, a hand): made again next time
        unpacked.unlink(missing_ok=True)
        return load_model(packed)


def _mapped_arrays(path: Path) -> dict:
    """The arrays of an uncompressed `.npz` (what `np.savez` writes) as read-only views of
    the file mapped into memory, each member checked against its CRC as `np.load` does.

    A copy cut short or otherwise damaged raises (BadZipFile, EOFError, ValueError). The
    copy is only ever replaced whole (`unpacked_model`), never rewritten in place, so
    the mapping stays valid for the life of the process."""
    import numpy as np

    with zipfile.ZipFile(path) as archive, open(path, "rb") as file:
        members = archive.infolist()
        mapped = memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
    arrays = {}
    for member in members:
        if member.compress_type != zipfile.ZIP_STORED or not member.filename.endswith(".npy"):
            raise ValueError(f"{member.filename}: not an array stored uncompressed")
        local = bytes(mapped[member.header_offset : member.header_offset + ZIP_LOCAL_HEADER])
        if len(local) < ZIP_LOCAL_HEADER or local[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"{member.filename}: no local header")
        name_length, extra_length = struct.unpack("<HH", local[26:30])
        start = member.header_offset + ZIP_LOCAL_HEADER + name_length + extra_length
        data = mapped[start : start + member.file_size]
        if len(data) < member.file_size:
            raise EOFError(f"{member.filename}: cut short")
        if zlib.crc32(data) != member.CRC:
            raise zipfile.BadZipFile(f"{member.filename}: bad CRC")
        header = io.BytesIO(data[:NPY_HEADER_MAX])
        version = np.lib.format.read_magic(header)
        if version == (1, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(header)
        elif version == (2, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(header)
        else:
            raise ValueError(f"{member.filename}: .npy version {version}")
        if dtype.hasobject:
            raise ValueError(f"{member.filename}: objects (pickles) are not read")
        count = math.prod(shape)
        array = np.frombuffer(data, dtype=dtype, count=count, offset=header.tell())
        arrays[member.filename[: -len(".npy")]] = array.reshape(
            shape, order="F" if fortran_order else "C"
        )
    return arrays


ZIP_LOCAL_HEADER = 30  # bytes before a zip member's name: signature, versions, sizes, lengths
NPY_HEADER_MAX = 1 << 16  # bytes: a .npy header of these arrays is a hundred or so


def _stdlib_array(values) -> array:
    """A NumPy array of unsigned ints as the stdlib array py3langid walks (its `_to_array`)."""
    import numpy as np

    packed = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
    packed.frombytes(np.ascontiguousarray(values).tobytes())
    return packed


def unpacked_model(packed: Path) -> Path | None:
    """An unpacked copy of the compressed model file `packed`, made now if missing, in the
    user's cache folder (`$XDG_CACHE_HOME/backfile`, else `~/.cache/backfile`), named by
    the packed file's hash, so a new model gets a copy of its own; None where no copy can
    be kept (a cache folder that cannot be written: the model is then read as shipped).

    The copy keeps the model's weights (`ptc`) as float32, not the float16 it ships:
    scoring a text multiplies its features' rows of them, and NumPy widened those rows
    from float16 in software for every text, at twice the cost of the product itself.
    Every float16 is exactly a float32, so the scores are the same to the bit."""
    try:
        digest = hashlib.sha256(packed.read_bytes()).hexdigest()[:16]
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "backfile"
        unpacked = folder / f"language-model-{digest}{UNPACKED_SUFFIX}"
        if not unpacked.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            for older in folder.glob("language-model-*.npz"):
                if not older.name.endswith(UNPACKED_SUFFIX):  # a copy in the earlier layout
                    older.unlink(missing_ok=True)
            # written beside it, then renamed: a copy is whole or absent, whoever reads it
            with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as part:
                try:
                    _write_widened(packed, part)
                    part.close()
                    os.replace(part.name, unpacked)
                finally:
                    if os.path.exists(part.name):
                        os.unlink(part.name)
        return unpacked
    except (OSError, RuntimeError, lzma.LZMAError, ValueError, zipfile.BadZipFile):
        # (RuntimeError: no home folder; ValueError, BadZipFile: a packed file not an .npz)
        return None


UNPACKED_SUFFIX = ".float32.npz"


def _write_widened(packed: Path, file) -> None:
    """The packed model's arrays, uncompressed, its weights as float32 (`unpacked_model`)."""
    import numpy as np

    with lzma.open(packed) as source, np.load(io.BytesIO(source.read())) as model:
        arrays = {name: model[name] for name in model.files}  # (np.load reads no pickle)
    arrays["ptc"] = arrays["ptc"].astype(np.float32)
    np.savez(file, **arrays)


def normalise_tag(tag: str) -> str:
    """`en_US` → `en-US`, `ES` → `es`; "" for anything that is not a plausible BCP 47 tag."""
    tag = (tag or "").strip().replace("_", "-")
    if not TAG.fullmatch(tag):
        return ""
    primary, *rest = tag.split("-")
    if primary.lower() in UNDETERMINED:
        return ""
    subtags = [s.upper() if len(s) == 2 else s.title() if len(s) == 4 else s for s in rest]
    whole = "-".join([primary.lower(), *subtags])
    return whole if len(whole) <= MAX_TAG else primary.lower()  # Article.language's length


def primary(tag: str) -> str:
    return tag.split("-", 1)[0].lower()


def detect(text: str) -> tuple[str, float, int] | None:
    """(language, confidence, words read) of a text long enough to tell, else None."""
    sample = text[:SAMPLE_CHARS]
    count = len(sample.split())
    if count < MIN_WORDS:
        return None
    with _lock:
        language, confidence = _identifier().classify(sample)
    return str(language), float(confidence), count


def detect_all(texts: list[str]) -> list[tuple[str, float, int] | None]:
    """`detect` for each text: what the ingest's worker processes are sent, a few at a time."""
    return [detect(text) for text in texts]


def choose(declared: str, text: str, fallback: str) -> str:
    """The language tag for a text: `declared` where plausible, else detected, else `fallback`."""
    return decide(declared, detect(text), fallback)


def decide(declared: str, found: tuple[str, float, int] | None, fallback: str) -> str:
    """`choose` with the detection already made."""
    declared = normalise_tag(declared)
    if declared:
        if (
            found is not None
            and found[1] >= OVERRULE
            and found[2] >= OVERRULE_WORDS
            and found[0] != primary(declared)
        ):
            return found[0]
        return declared
    if found is not None and found[1] >= CONFIDENT:
        return found[0]
    return normalise_tag(fallback) or "en"


def record_text(record: ArticleRecord) -> str:
    """The opening of a record's text: title, standfirst, then its paragraphs (of anything
    with those three: a reader's page will do)."""
    parts = [record.title, record.standfirst]
    size = sum(len(p) for p in parts)
    for text in _block_texts(record.blocks):
        if size >= SAMPLE_CHARS:
            break
        parts.append(text)
        size += len(text) + 1
    return "\n".join(p for p in parts if p)


def _block_texts(blocks: list[Block]):
    for block in blocks:
        if block.text:
            yield block.text
        for use in block.assets:  # a gallery's captions
            if use.caption:
                yield use.caption
        if block.blocks:
            yield from _block_texts(block.blocks)


class Languages:
    """Settles the records of one run, remembering each publication's usual language."""

    def __init__(self, default: str = "en"):
        self.default = default
        self.found: dict[str, Counter] = {}

    def fallback(self, publication: str) -> str:
        counts = self.found.get(publication)
        return counts.most_common(1)[0][0] if counts else self.default

    def settle(self, record: ArticleRecord) -> None:
        """Give the record its language (its declaration is checked, not replaced blindly)."""
        if not isinstance(record.language, str) or not isinstance(record.title, str):
            return  # a broken record: the loader's check reports it
        found = getattr(record, "detected", NOT_DETECTED)  # made in a reader's worker process
        if found is NOT_DETECTED:
            found = detect(record_text(record))
        record.language = decide(record.language, found, self.fallback(record.publication))
        if found is not None and found[1] >= CONFIDENT:
            counts = self.found.setdefault(record.publication, Counter())
            counts[primary(record.language)] += 1
