"""The settings table of `backfile.conf`: as Markdown for docs/deploy.md, and with the values
in force (secrets masked) for `backfile settings`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from backfile import conf

MASK = "********"


def shown(row: conf.Setting, value: Any) -> str:
    """A value as a person would write it in the environment variable."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list | tuple):
        return ",".join(str(part) for part in value)
    return str(value)


def masked(row: conf.Setting, value: Any) -> str:
    """`shown`, with secrets hidden: a secret row wholly, a database URL's password."""
    text = shown(row, value)
    if row.secret and text == shown(row, row.default):
        return f"{MASK} (the default)" if text else ""
    if row.secret and text:
        return MASK
    parts = urlsplit(text)
    if parts.scheme.startswith("postgres") and parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", f":{MASK}@", 1)
        return urlunsplit(parts._replace(netloc=netloc))
    return text


def groups() -> dict[str, list[conf.Setting]]:
    """The rows by group, groups in the order they first appear."""
    grouped: dict[str, list[conf.Setting]] = {}
    for row in conf.all_settings():
        grouped.setdefault(row.group, []).append(row)
    return grouped


def markdown_default(row: conf.Setting) -> str:
    if row.secret and row.default:
        return "*(a public development value)*"
    text = shown(row, row.default)
    return f"`{text}`" if text else "*(empty)*"


def markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table() -> str:
    """Every row of conf.all_settings(), a table per group: variable, default, meaning."""
    lines: list[str] = []
    for group, rows in groups().items():
        lines += [f"### {group}", "", "| Variable | Default | Meaning |", "|---|---|---|"]
        for row in rows:
            variable = f"`{row.env}`"
            if row.name != row.env:
                variable += f" (Django's `{row.name}`)"
            meaning = row.help
            if row.kind == "choice":
                meaning += f" One of: {', '.join(f'`{c}`' for c in row.choices)}."
            lines.append(f"| {variable} | {markdown_default(row)} | {markdown_cell(meaning)} |")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def in_force(environ: Mapping[str, str] | None = None) -> list[tuple[conf.Setting, str, str]]:
    """(row, value shown masked, where it came from) for every row."""
    environ = os.environ if environ is None else environ
    found = []
    for row in conf.all_settings():
        raw = environ.get(row.env, "")
        source = "environment" if raw.strip() else "default"
        value = getattr(settings, row.name) if row in conf.SETTINGS else row.parse(raw)
        found.append((row, masked(row, value), source))
    return found


TABLE_START = "<!-- settings-table:start -->"
TABLE_END = "<!-- settings-table:end -->"


def embedded(document: str, table: str) -> str:
    """`document` with `table` between its settings-table markers (ValueError if it has none)."""
    start = document.index(TABLE_START) + len(TABLE_START)
    end = document.index(TABLE_END, start)
    return f"{document[:start]}\n{table}{document[end:]}"
