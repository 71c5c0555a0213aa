"""Which issue a print source is: from a sidecar file beside it or from its name.

A PDF of an issue, or a folder of its page images, says nothing a machine can trust about
which number of which publication it is. Two ways to tell Backfile (docs/facsimiles.md):

- a **sidecar file**, JSON, beside the PDF as `NAME.issue.json` (for `NAME.pdf`), or inside
  a folder of page images as `issue.json`::

      {"publication": "Federal Register", "date": "2020-08-06", "number": 152,
       "volume": 85, "language": "eng", "title": "Vol. 85, No. 152"}

  `date` is `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; `language` is Tesseract's (`eng`, `spa`,
  `deu`, `eng+deu`) for pages that need OCR; every field but the date (or a year) may be
  left out;
- `backfile ingest --issue-from 'filename:PATTERN'`: a regular expression matched against
  the PDF's file name (or the folder's name) with named groups `year`, `month`, `day`,
  `number` and `volume`, e.g. `filename:(?P<year>\\d{4})-(?P<month>\\d\\d)-(?P<day>\\d\\d)`.

A sidecar wins over the pattern. Without either, the source fails with what to add.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path

from backfile.ingest.records import IssueRecord

SIDECAR_SUFFIX = ".issue.json"
FOLDER_SIDECAR = "issue.json"
DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
GROUPS = ("year", "month", "day", "number", "volume")
OCR_LANGUAGE = re.compile(r"^[a-z_]{3,8}(?:\+[a-z_]{3,8})*$")
# Tesseract's language names → BCP 47, for the page record
BCP47 = {"eng": "en", "spa": "es", "deu": "de", "fra": "fr", "ita": "it", "frk": "de"}


class IdentityError(ValueError):
    """A sidecar or a pattern that does not say which issue a source is, and why."""


@dataclass(frozen=True)
class IssueFromFilename:
    """`--issue-from filename:PATTERN`: the issue read from a file's (or folder's) name."""

    pattern: re.Pattern

    @classmethod
    def parse(cls, value: str) -> IssueFromFilename:
        _, _, expression = value.partition(":")
        try:
            pattern = re.compile(expression)
        except re.error as error:
            raise IdentityError(
                f"--issue-from {value!r}: not a regular expression ({error})"
            ) from error
        named = set(pattern.groupindex)
        if "year" not in named or not named <= set(GROUPS):
            raise IdentityError(
                f"--issue-from {value!r}: the pattern needs a named group (?P<year>…) and may "
                f"have only these: {', '.join(GROUPS)}"
            )
        return cls(pattern)

    def issue(self, name: str) -> IssueRecord:
        match = self.pattern.search(name)
        if not match:
            raise IdentityError(
                f"the name {name!r} does not match --issue-from filename:{self.pattern.pattern}"
            )
        values = {k: int(v) for k, v in match.groupdict().items() if v and v.isdigit()}
        if "year" not in values:
            raise IdentityError(f"no year in the name {name!r} (--issue-from)")
        return checked(IssueRecord(**values), name)


def issue_from_argument(value: str):
    """`--issue-from` on the command line: `filename:PATTERN` for print sources, else the
    WordPress plans (`month`, `category:PREFIX`, `meta:KEY`); a bad value is a usage error."""
    from backfile.ingest.readers.wxr import IssuePlan

    if value.startswith("filename:"):
        try:
            return IssueFromFilename.parse(value)
        except IdentityError as error:
            raise argparse.ArgumentTypeError(str(error)) from error
    return IssuePlan.from_argument(value)


@dataclass
class Identity:
    """Which issue, of which publication, and the OCR language for its pages."""

    issue: IssueRecord
    publication: str = ""
    language: str = "eng"

    @property
    def bcp47(self) -> str:
        first = self.language.split("+")[0]
        return BCP47.get(first, "")


def sidecar_for(source: Path) -> Path:
    """Where the sidecar of this PDF (or folder of page images) is."""
    if source.is_dir():
        return source / FOLDER_SIDECAR
    return source.with_name(source.stem + SIDECAR_SUFFIX)


def is_sidecar(path: str) -> bool:
    name = Path(path).name.lower()
    return name == FOLDER_SIDECAR or name.endswith(SIDECAR_SUFFIX)


def identify(source: Path, publication: str | None, issue_from=None) -> Identity:
    """The identity of the PDF or folder at `source`: its sidecar, else `--issue-from`
    applied to its name. IdentityError names the source and what to add."""
    sidecar = sidecar_for(source)
    if sidecar.is_file():
        return read_sidecar(sidecar, publication)
    if isinstance(issue_from, IssueFromFilename):
        name = source.name if source.is_dir() else source.stem
        return Identity(issue_from.issue(name), publication or "")
    what = "folder" if source.is_dir() else "PDF"
    raise IdentityError(
        f"which issue this {what} is is not known: add a sidecar file {sidecar.name} "
        f'beside it ({{"publication": …, "date": "YYYY-MM-DD", "number": …}}) or give '
        "--issue-from 'filename:PATTERN' with named groups year, month, day, number, volume"
    )


def read_sidecar(path: Path, publication: str | None) -> Identity:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IdentityError(f"the sidecar {path.name} is not readable JSON ({error})") from error
    if not isinstance(data, dict):
        raise IdentityError(f"the sidecar {path.name} is not a JSON object")
    match = DATE.match(str(data.get("date", data.get("year", ""))).strip())
    if not match:
        raise IdentityError(
            f'the sidecar {path.name} has no date ("date": "YYYY-MM-DD", "YYYY-MM" or "YYYY")'
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    fields = {}
    for key in ("number", "volume"):
        value = data.get(key)
        if value is not None:
            if not (isinstance(value, int) or (isinstance(value, str) and value.isdecimal())):
                raise IdentityError(f"the sidecar {path.name}: {key} {value!r} is not a number")
            fields[key] = int(value)
    title = data.get("title", "")
    issue = checked(
        IssueRecord(year, month=month, day=day, title=str(title)[:200], **fields), path.name
    )
    language = str(data.get("language", "eng")).strip() or "eng"
    if not OCR_LANGUAGE.match(language):
        raise IdentityError(
            f"the sidecar {path.name}: language {language!r} is not Tesseract's (eng, spa, deu, "
            "eng+deu)"
        )
    name = str(data.get("publication", "") or publication or "").strip()
    return Identity(issue, name, language)


def checked(issue: IssueRecord, where: str) -> IssueRecord:
    from datetime import date

    try:
        date(issue.year, issue.month or 1, issue.day or 1)
    except ValueError as error:
        raise IdentityError(f"{where}: not a date ({error})") from error
    return issue
