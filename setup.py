"""The native part of Backfile: the PDF reader's words (`_pdf_words`) and its page layout's
lines and gutters (`_pdf_layout`), and the language detector's byte walk (`_langid_walk`),
in C.

Everything else about the package is declared in pyproject.toml. The extensions are
optional: where no C compiler or Python headers are at hand, `pip install` warns and goes
on, and each runs its Python path, which gives the same words, lines and languages (more
slowly).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        *(
            Extension(
                f"backfile.ingest.readers.{name}",
                [f"backfile/ingest/readers/{name}.c"],
                # the same floating-point results as numpy's: no fused multiply-adds
                extra_compile_args=["-O2", "-ffp-contract=off"],
                optional=True,
            )
            for name in ("_pdf_words", "_pdf_layout")
        ),
        Extension(
            "backfile.ingest._langid_walk",
            ["backfile/ingest/_langid_walk.c"],
            extra_compile_args=["-O2"],
            optional=True,
        ),
    ]
)
