"""Identifiers a catalogue checks: ISSNs (with their check digit) and BCP 47 language tags."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

ISSN = re.compile(r"(\d{4})-?(\d{3})([\dXx])")
# A BCP 47 tag as catalogues use them: a language, then script, region or variant subtags.
LANGUAGE_TAG = re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*")


def issn_check_digit(first_seven: str) -> str:
    total = sum(int(d) * w for d, w in zip(first_seven, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def normal_issn(value: str) -> str:
    """`03784738` → `0378-4738`; ValueError for what is no ISSN (a wrong check digit too)."""
    found = ISSN.fullmatch(value.strip())
    if not found:
        raise ValueError(f"{value!r} is not an ISSN (four digits, a hyphen, four digits or X)")
    digits = found[1] + found[2]
    if issn_check_digit(digits) != found[3].upper():
        raise ValueError(f"{value!r} is not an ISSN: its check digit should be "
                         f"{issn_check_digit(digits)}")  # fmt: skip
    return f"{found[1]}-{found[2]}{found[3].upper()}"


def validate_issn(value: str) -> None:
    try:
        normal_issn(value)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def validate_languages(value: str) -> None:
    for tag in (t.strip() for t in value.split(",")):
        if tag and not LANGUAGE_TAG.fullmatch(tag):
            raise ValidationError(f"{tag!r} is not a language tag such as en, es or pt-BR")
