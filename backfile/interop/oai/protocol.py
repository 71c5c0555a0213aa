"""The rules of an OAI-PMH 2.0 request: which arguments each verb takes, dates and tokens.

Nothing here touches the database: a request is checked and turned into a `Query`
before any row is read, so every malformed request gets its error code cheaply.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from django.http import QueryDict

METADATA_PREFIX = "oai_dc"  # the default, which every repository offers
METADATA_PREFIXES = ("oai_dc", "mods")
MAX_PK = 2**63 - 1  # a larger number is no row's key and would overflow the database's integer

# Arguments each verb requires and allows (resumptionToken is handled apart: exclusive).
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset()),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
}
RESUMABLE = frozenset({"ListSets", "ListIdentifiers", "ListRecords"})

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# What XML 1.0 can carry: an argument holding anything else cannot even be echoed back.
XML_CHARACTERS = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")
# The OAI-PMH schema's setSpecType, and an identifier as a URI without spaces or controls.
SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
IDENTIFIER = re.compile(r"[^\s\x00-\x1f\x7f]+")
SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class OAIError(Exception):
    """An OAI-PMH error condition: `code` is the protocol's, `message` says what was wrong."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def echoes_arguments(self) -> bool:
        """The spec forbids echoing the arguments of a request that was itself malformed."""
        return self.code not in ("badVerb", "badArgument")


@dataclass(frozen=True)
class Query:
    """What a list request selects, and where its current page starts (after pk `after`)."""

    verb: str
    metadata_prefix: str = METADATA_PREFIX
    from_: str = ""
    until: str = ""
    set_spec: str = ""
    after: int = 0
    cursor: int = 0

    def next_page(self, after: int, sent: int) -> Query:
        return Query(
            self.verb,
            self.metadata_prefix,
            self.from_,
            self.until,
            self.set_spec,
            after=after,
            cursor=self.cursor + sent,
        )

    def token(self) -> str:
        """The resumptionToken for this page: the query itself, opaque to the harvester."""
        text = json.dumps(asdict(self), separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def from_token(cls, verb: str, token: str) -> Query:
        try:
            padded = token + "=" * (-len(token) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            query = cls(**data)
        except (ValueError, TypeError, UnicodeError, binascii.Error) as error:
            raise OAIError(
                "badResumptionToken", "The resumptionToken is not one we issued."
            ) from error
        if query.verb != verb or not query.well_formed():
            raise OAIError("badResumptionToken", f"The resumptionToken was not issued for {verb}.")
        return query

    def well_formed(self) -> bool:
        """Whether a decoded token holds values of the types (and dates) this module writes."""
        texts = (self.metadata_prefix, self.from_, self.until, self.set_spec)
        if not all(isinstance(t, str) for t in texts):
            return False
        if not all(isinstance(n, int) and 0 <= n <= MAX_PK for n in (self.after, self.cursor)):
            return False
        return all(DAY.fullmatch(d) or SECOND.fullmatch(d) for d in (self.from_, self.until) if d)


def verb_and_arguments(params: QueryDict) -> tuple[str, dict[str, str]]:
    """The request's verb and its other arguments, each given once; or the error it earns."""
    verbs = params.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OAIError("badVerb", "The verb argument is missing, repeated or not an OAI-PMH verb.")
    verb = verbs[0]
    arguments: dict[str, str] = {}
    for name, values in params.lists():
        if name == "verb":
            continue
        if len(values) > 1:
            raise OAIError("badArgument", f"The argument {name} is repeated.")
        if not values[0]:
            raise OAIError("badArgument", f"The argument {name} has no value.")
        if not (XML_CHARACTERS.fullmatch(name) and XML_CHARACTERS.fullmatch(values[0])):
            raise OAIError("badArgument", f"The argument {name!r} holds control characters.")
        arguments[name] = values[0]
    check_arguments(verb, arguments)
    check_syntax(arguments)
    return verb, arguments


def check_syntax(arguments: dict[str, str]) -> None:
    """badArgument for a set or identifier that no set or record could have."""
    if "set" in arguments and not SET_SPEC.fullmatch(arguments["set"]):
        raise OAIError("badArgument", f"{arguments['set']!r} is not a setSpec.")
    if "identifier" in arguments and not IDENTIFIER.fullmatch(arguments["identifier"]):
        raise OAIError("badArgument", f"{arguments['identifier']!r} is not an identifier.")


def check_arguments(verb: str, arguments: dict[str, str]) -> None:
    """Raise badArgument unless `arguments` are exactly what `verb` takes."""
    if "resumptionToken" in arguments:
        if verb not in RESUMABLE:
            raise OAIError("badArgument", f"{verb} takes no resumptionToken.")
        if len(arguments) > 1:
            raise OAIError("badArgument", "A resumptionToken is exclusive: no other arguments.")
        return
    required, optional = VERBS[verb]
    missing = sorted(required - arguments.keys())
    if missing:
        raise OAIError("badArgument", f"{verb} requires {', '.join(missing)}.")
    unknown = sorted(arguments.keys() - required - optional)
    if unknown:
        raise OAIError("badArgument", f"{verb} does not take {', '.join(unknown)}.")


def list_query(verb: str, arguments: dict[str, str]) -> Query:
    """The query of a ListIdentifiers or ListRecords request, its dates checked."""
    if "resumptionToken" in arguments:
        return Query.from_token(verb, arguments["resumptionToken"])
    from_, until = arguments.get("from", ""), arguments.get("until", "")
    for value in (from_, until):
        if value:
            parse_datestamp(value)
    if from_ and until and len(from_) != len(until):
        raise OAIError("badArgument", "from and until must have the same granularity.")
    return Query(verb, arguments["metadataPrefix"], from_, until, arguments.get("set", ""))


def parse_datestamp(value: str) -> datetime:
    """A from/until value in either granularity this repository supports."""
    try:
        if DAY.fullmatch(value):
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
        if SECOND.fullmatch(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        pass
    raise OAIError("badArgument", f"{value!r} is not a date as YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")


def from_moment(value: str) -> datetime:
    """The first moment `from` admits (a day means its midnight, UTC)."""
    return parse_datestamp(value)


def until_bound(value: str) -> datetime:
    """The first moment after everything `until` admits: a datestamp counts whole seconds
    (and a day its whole length), so the bound is the next second (or day)."""
    moment = parse_datestamp(value)
    try:
        return moment + (timedelta(days=1) if DAY.fullmatch(value) else timedelta(seconds=1))
    except OverflowError:  # `until=9999-12-31`: everything there is
        return datetime.max.replace(tzinfo=UTC)


def datestamp(moment: datetime) -> str:
    """A moment as a datestamp in this repository's granularity: whole seconds, UTC."""
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S}Z"
