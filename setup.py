"""The one native part of Backfile: the PDF reader's words in C (`_pdf_words`).

Everything else about the package is declared in pyproject.toml. The extension is optional:
where no C compiler or Python headers are at hand, `pip install` warns and goes on, and the
PDF reader runs its Python path, which gives the same words (more slowly).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "backfile.ingest.readers._pdf_words",
            ["backfile/ingest/readers/_pdf_words.c"],
            # the same floating-point results as numpy's: no fused multiply-adds
            extra_compile_args=["-O2", "-ffp-contract=off"],
            optional=True,
        )
    ]
)
