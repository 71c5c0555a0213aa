"""Does the PDF reader still read born-digital pages as it did? A check for work on its speed.

    .venv/bin/python bench/pdf_text_check.py save REFERENCE.pickle   # before a change
    .venv/bin/python bench/pdf_text_check.py compare REFERENCE.pickle  # after it

Reads PDFs through `backfile.ingest.readers.pdf.read_pdf` (a generated 200-page
three-column issue, the test fixtures' generated PDFs, and the shared corpus's PDFs with a
text layer) and keeps each page's label and blocks: roles, lines, words and boxes, in
points and in the 150 dpi page image's pixels. `compare` says where a page differs: any word,
line, block or role that is not the same, or a box more than a pixel off (and a page whose
source text is not its blocks' text stops it). Keep the reference
outside the repository (it holds the corpus's text).
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPUS = Path(os.environ.get("BACKFILE_CORPUS", REPO.parent / "shared" / "corpus"))


def sources(folder: Path) -> list[tuple[str, Path]]:
    from tests.helpers import facsimiles as fx

    found = [
        ("generated-200", fx.newspaper_pdf(folder / "generated-200.pdf", pages=200, columns=3)),
        ("gazette-3", fx.newspaper_pdf(folder / "gazette.pdf", pages=3, columns=3)),
        ("two-columns", fx.newspaper_pdf(folder / "two.pdf", pages=4, columns=2)),
        ("one-column", fx.newspaper_pdf(folder / "one.pdf", pages=2, columns=1)),
    ]
    normal = fx.newspaper_page([fx.column_text(40, seed=1)], folio=3)
    fx.write_pdf([normal, fx.text_at(72, 700, "a lone line")], folder / "mixed.pdf")
    found.append(("mixed", folder / "mixed.pdf"))
    facsimiles = CORPUS / "facsimiles"
    if facsimiles.is_dir():
        for pdf in sorted(facsimiles.rglob("*.pdf")):
            found.append((str(pdf.relative_to(CORPUS)), pdf))
    return found


def pages_of(pdf: Path) -> list[dict]:
    """Each page's label and blocks as plain tuples, in points (scale 1) and in pixels."""
    import pypdfium2

    from backfile.ingest.page_records import PageRecord
    from backfile.ingest.readers.page_pictures import Scratch
    from backfile.ingest.readers.pdf import read_pdf
    from bench.facsimile import identity

    pages = []
    for render in (False, True):
        document = pypdfium2.PdfDocument(str(pdf))
        scratch = Scratch()
        for index, output in enumerate(
            read_pdf(document, str(pdf), pdf.name, identity(), scratch, None, render)
        ):
            assert isinstance(output, PageRecord), output
            text = "\n\n".join(block.text for block in output.blocks)
            assert output.source.text == text, f"{pdf.name} page {index + 1}: source text differs"
            if not render:
                pages.append({"label": output.label, "source": output.text_source})
            pages[index]["pixels" if render else "points"] = [
                (
                    block.role,
                    (block.x, block.y, block.w, block.h),
                    [[(w.text, w.x, w.y, w.w, w.h) for w in line.words] for line in block.lines],
                )
                for block in output.blocks
            ]
        scratch.close()
        document.close()
    return pages


def differences(name: str, before: list[dict], after: list[dict]) -> list[str]:
    found = []
    if len(before) != len(after):
        return [f"{name}: {len(before)} pages before, {len(after)} now"]
    for number, (old, new) in enumerate(zip(before, after, strict=True), start=1):
        where = f"{name} page {number}"
        for key in ("label", "source"):
            if old[key] != new[key]:
                found.append(f"{where}: {key} {old[key]!r} before, {new[key]!r} now")
        for unit in ("points", "pixels"):
            found += blocks_differ(f"{where} ({unit})", old[unit], new[unit])
    return found


def blocks_differ(where: str, old: list, new: list) -> list[str]:
    shape = [
        [(role, [[w[0] for w in line] for line in lines]) for role, _, lines in blocks]
        for blocks in (old, new)
    ]
    if shape[0] != shape[1]:
        for number, (a, b) in enumerate(zip(*shape, strict=False), start=1):
            if a != b:
                return [f"{where}: block {number} was {a!r:.300}, now {b!r:.300}"]
        return [f"{where}: {len(old)} blocks before, {len(new)} now"]
    for number, (a, b) in enumerate(zip(old, new, strict=True), start=1):
        boxes = [(a[1], b[1])] + [
            (wa[1:], wb[1:])
            for la, lb in zip(a[2], b[2], strict=True)
            for wa, wb in zip(la, lb, strict=True)
        ]
        for box_a, box_b in boxes:
            if max(abs(p - q) for p, q in zip(box_a, box_b, strict=True)) > 1:
                return [f"{where}: block {number} has a box {box_a} before, {box_b} now"]
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("reference", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")
    import django

    django.setup()
    with tempfile.TemporaryDirectory(prefix="pdf-text-check-") as folder:
        read = {name: pages_of(pdf) for name, pdf in sources(Path(folder))}
    if args.action == "save":
        args.reference.write_bytes(pickle.dumps(read))
        print(f"{sum(len(p) for p in read.values())} pages of {len(read)} PDFs kept")
        return
    reference = pickle.loads(args.reference.read_bytes())
    found = []
    for name, pages in reference.items():
        if name not in read:
            found.append(f"{name}: not read now")
            continue
        found += differences(name, pages, read[name])
    for line in found:
        print(line)
    words = sum(
        len(line) for pages in read.values() for page in pages for _, _, lines in page["points"]
        for line in lines
    )  # fmt: skip
    pages = sum(len(p) for p in read.values())
    print(f"{pages} pages ({words} words) of {len(read)} PDFs: {len(found)} differ")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
