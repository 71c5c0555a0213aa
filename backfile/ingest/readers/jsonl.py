"""Reads Backfile's own JSONL export back in (the lossless round trip).

Each line stands alone: a line that is not JSON, not an object, or a record
with a wrong type or an impossible date (`"title": 7`, `"month": 13`) fails by
itself, named by its line number and reason, and every other line goes in.
A line `{"record": "page", …}` is a printed page (a PageRecord), one
`{"record": "authority", …}` an entry of the authority file (an AuthorityRecord); any other
is an article (whose derived fields, `mentions` and `quotations` among them, are not read:
the ingest works them out again).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime

from backfile.ingest.checks import page_problem, record_problem
from backfile.ingest.page_records import PageRecord, blocks_from_layout
from backfile.ingest.readers.base import Output, Reader
from backfile.ingest.records import (
    AUTHORITY_TYPES,
    CATALOGUE_FIELDS,
    ArticleRecord,
    AuthorityRecord,
    Contributor,
    Failure,
    IssueRecord,
    PublicationRecord,
    Region,
    ReplyRecord,
    ReviewedWork,
    Source,
    asset_from_dict,
    block_from_dict,
)
from backfile.ingest.sources import SourceFile
from backfile.media.files import locate

REQUIRED_KEYS = {"publication", "key", "issue", "title", "source", "blocks"}
PAGE_KEYS = {"publication", "issue", "sequence", "source", "blocks"}
REGION_KEYS = {"sequence", "x", "y", "w", "h", "caption", "article"}
AUTHORITY_KEYS = {"record", "type", "name", "aliases", "note", "dates", "capitalised"}


class JsonlReader(Reader):
    format = "jsonl"
    description = "Backfile's JSONL export, one article or printed page per line"
    priority = 10
    streamed = True  # a line at a time, each at most BACKFILE_INGEST_MAX_MEMBER_BYTES

    @classmethod
    def sniff(cls, file: SourceFile) -> bool:
        head = file.head.lstrip()
        named_jsonl = file.path.lower().endswith((".jsonl", ".ndjson"))
        return head.startswith(b'{"') and (named_jsonl or b'"blocks": [' in head)

    def feed(self, file: SourceFile) -> Iterator[Output]:
        for number, raw in enumerate(_lines(file), start=1):
            where = f"{file.path}:{number}"
            if raw is None:
                yield Failure(where, file.limits.member_refusal("the line"))
                continue
            if not raw.strip():
                continue
            try:
                record = record_from_line(raw, self.publication)
            except RecordError as error:
                yield Failure(where, f"line {number}: not a Backfile JSONL record: {error}")
                continue
            if getattr(record, "assets", None):
                locate(record.assets, file.path)  # the export's assets/ folder beside it
            yield record


class RecordError(ValueError):
    """Why one line is not a record that can be stored."""


def record_from_line(raw: bytes, publication: str | None = None) -> ArticleRecord | PageRecord:
    """One line of the export as a checked record; RecordError says what is wrong with it."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise RecordError(f"not UTF-8 (byte {error.start + 1} of the line)") from error
    except ValueError as error:
        raise RecordError(f"not JSON ({error})") from error
    except RecursionError as error:
        raise RecordError("nested too deep to be a record") from error
    if not isinstance(data, dict):
        raise RecordError(f"a JSON {type(data).__name__}, not an object")
    if data.get("record") == "publication":
        return publication_from_line(data, publication)
    if data.get("record") == "authority":
        return authority_from_line(data)
    if data.get("record", "article") != "article":
        return page_from_line(data, publication)
    missing = REQUIRED_KEYS - data.keys()
    if missing:
        raise RecordError(f"missing keys: {', '.join(sorted(missing))}")
    try:
        record = record_from_json(data, publication)
    except RecursionError as error:
        raise RecordError("blocks nested too deep to be a record") from error
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise RecordError(_field_error(error)) from error
    problem = record_problem(record)
    if problem:
        raise RecordError(problem)
    return record


def publication_from_line(data: dict, publication: str | None = None) -> PublicationRecord:
    """A publication line: its name and catalogue fields, each text; RecordError otherwise
    (the loader checks the values themselves, as the desk does)."""
    name = publication or data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RecordError("a publication line without a name")
    catalogue = {k: v for k, v in data.items() if k not in ("record", "name")}
    unknown = sorted(catalogue.keys() - set(CATALOGUE_FIELDS))
    if unknown:
        raise RecordError(f"a publication line with unknown keys: {', '.join(unknown)}")
    wrong = sorted(k for k, v in catalogue.items() if not isinstance(v, str))
    if wrong:
        raise RecordError(f"a publication line whose {', '.join(wrong)} is not text")
    return PublicationRecord(name=name, catalogue=catalogue)


def authority_from_line(data: dict) -> AuthorityRecord:
    """An authority line: a known type, a name, aliases a list of text, note and dates text;
    RecordError otherwise."""
    if unknown := sorted(data.keys() - AUTHORITY_KEYS):
        raise RecordError(f"an authority line with unknown keys: {', '.join(unknown)}")
    if data.get("type") not in AUTHORITY_TYPES:
        raise RecordError(
            f"an authority line whose type is {data.get('type')!r}, not one of "
            f"{', '.join(AUTHORITY_TYPES)}"
        )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RecordError("an authority line without a name")
    aliases = data.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise RecordError("an authority line whose aliases are not a list of text")
    if wrong := sorted(k for k in ("note", "dates") if not isinstance(data.get(k, ""), str)):
        raise RecordError(f"an authority line whose {', '.join(wrong)} is not text")
    if not isinstance(data.get("capitalised", False), bool):
        raise RecordError("an authority line whose capitalised is not true or false")
    return AuthorityRecord(
        type=data["type"],
        name=name,
        aliases=aliases,
        note=data.get("note", ""),
        dates=data.get("dates", ""),
        capitalised=data.get("capitalised", False),
    )


def page_from_line(data: dict, publication: str | None = None) -> PageRecord:
    """A page line as a checked PageRecord; RecordError says what is wrong with it."""
    if data["record"] != "page":
        raise RecordError(
            f"record is {data['record']!r}; a line is an article, a page or a publication"
        )
    missing = PAGE_KEYS - data.keys()
    if missing:
        raise RecordError(f"a page line missing keys: {', '.join(sorted(missing))}")
    try:
        page = page_from_json(data, publication)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise RecordError(_field_error(error)) from error
    if problem := page_problem(page):
        raise RecordError(f"page {data['sequence']!r}: {problem}")
    return page


def page_from_json(data: dict, publication: str | None = None) -> PageRecord:
    source = _object(data, "source")
    sequence = data["sequence"]
    return PageRecord(
        publication=publication or data["publication"],
        issue=_issue(_object(data, "issue")),
        sequence=sequence,
        source=Source(
            path=source["path"],
            format=source.get("format", ""),
            sha256=source.get("sha256", ""),
            text=source.get("text", ""),
        ),
        label=data.get("label", ""),
        image=data.get("image", ""),
        width=data.get("width"),
        height=data.get("height"),
        text_source=data.get("text_source", ""),
        language=data.get("language", ""),
        blocks=blocks_from_layout(data["blocks"]),
        figures=[_region({"sequence": sequence, **f}, "a figure") for f in _list(data, "figures")],
        assets=[asset_from_dict(a) for a in _list(data, "assets")],
    )


def _region(value: object, what: str = "a region") -> Region:
    if not isinstance(value, dict) or not {"sequence", "x", "y", "w", "h"} <= value.keys():
        raise ValueError(f"{what} is {value!r}, not an object with a sequence, x, y, w and h")
    if unknown := value.keys() - REGION_KEYS:
        raise ValueError(f"{what} has unknown keys: {', '.join(sorted(unknown))}")
    return Region(**value)


def _issue(issue: dict) -> IssueRecord:
    return IssueRecord(
        year=issue["year"],
        number=issue.get("number"),
        month=issue.get("month"),
        day=issue.get("day"),
        volume=issue.get("volume"),
        slug=issue.get("slug", ""),
        title=issue.get("title", ""),
        cover=issue.get("cover", ""),
        pdf=issue.get("pdf", ""),
    )


def _field_error(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing key {error}"
    return str(error) or type(error).__name__


def _date(value: object, name: str) -> date | None:
    if not value:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} is {value!r}, not an ISO date")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"{name} {value!r} is not a real date ({error})") from None


def _datetime(value: object) -> datetime | None:
    if not value:
        return None
    if not isinstance(value, str):
        raise ValueError(f"a reply's created is {value!r}, not an ISO date and time")
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"a reply's created {value!r} is not a real date ({error})") from None


def _object(data: dict, name: str) -> dict:
    value = data[name]
    if not isinstance(value, dict):
        raise ValueError(f"{name} is {value!r}, not an object")
    return value


def _contributor(value: object) -> Contributor:
    if not isinstance(value, dict) or set(value) != {"name", "role"}:
        raise ValueError(f"a contributor is {value!r}, not an object with name and role")
    return Contributor(name=value["name"], role=value["role"])


def _list(data: dict, name: str) -> list:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise ValueError(f"{name} is {value!r}, not a list")
    return value


def _lines(file: SourceFile) -> Iterator[bytes | None]:
    """The file's lines; None for one longer than the limits allow, which is skipped unread."""
    most = file.limits.member_bytes
    while line := file.stream.readline(most + 1):
        if len(line) <= most or line.endswith(b"\n"):
            yield line
            continue
        while (rest := file.stream.readline(1 << 20)) and not rest.endswith(b"\n"):
            pass
        yield None


def record_from_json(data: dict, publication: str | None = None) -> ArticleRecord:
    issue = _object(data, "issue")
    source = _object(data, "source")
    if not isinstance(data["blocks"], list):
        raise ValueError(f"blocks is {data['blocks']!r}, not a list")
    return ArticleRecord(
        publication=publication or data["publication"],
        key=data["key"],
        issue=_issue(issue),
        title=data["title"],
        source=Source(
            path=source["path"],
            format=source["format"],
            sha256=source["sha256"],
            text=source.get("text", ""),
        ),
        slug=data.get("slug", ""),
        section=data.get("section", ""),
        kicker=data.get("kicker", ""),
        standfirst=data.get("standfirst", ""),
        summary=data.get("summary", ""),
        authors=list(data.get("authors", [])),
        contributors=[_contributor(c) for c in data.get("contributors", [])],
        pages=data.get("pages", ""),
        position=data.get("position"),
        published=_date(data.get("published"), "published"),
        language=data.get("language", ""),
        reviewed_works=[ReviewedWork(**w) for w in data.get("reviewed_works", [])],
        blocks=[block_from_dict(b) for b in data["blocks"]],
        subjects=list(data.get("subjects", [])),
        original_url=data.get("original_url", ""),
        attachments=list(data.get("attachments", [])),
        assets=[asset_from_dict(a) for a in _list(data, "assets")],
        replies=[
            ReplyRecord(
                **{
                    **r,
                    "created": _datetime(r.get("created")),
                }
            )
            for r in data.get("replies", [])
        ],
        regions=[_region(r) for r in _list(data, "regions")],
    )
