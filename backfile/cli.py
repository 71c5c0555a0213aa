"""The `backfile` command: `backfile [--db DB] COMMAND …`.

Every Django management command is reachable through it (`backfile migrate`,
`backfile shell`); Backfile's own are `ingest`, `export`, `search`, `serve` and
`createeditor`. The database comes from `--db` or BACKFILE_DB, and a new SQLite
file is created and migrated on first use.
"""

from __future__ import annotations

import argparse
import os
import sys

COMMANDS_NEEDING_NO_DATABASE = {
    "help",
    "makemigrations",
    "check",
    "settings",
    "version",
    "--help",
    "-h",
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="backfile", add_help=False)
    parser.add_argument("--db", help="SQLite file path or postgres:// URL (default: BACKFILE_DB)")
    options, rest = parser.parse_known_args(argv)
    if options.db:
        os.environ["BACKFILE_DB"] = options.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")

    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        django.setup()
    except ImproperlyConfigured as problem:
        print(f"backfile: {problem}", file=sys.stderr)
        raise SystemExit(2) from None
    if rest and rest[0] not in COMMANDS_NEEDING_NO_DATABASE and rest[0] != "migrate":
        migrate_if_needed()
    execute_from_command_line(["backfile", *rest] if rest else ["backfile", "help"])


def migrate_if_needed() -> None:
    """Apply outstanding migrations quietly, so a new database file just works."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


if __name__ == "__main__":
    main()
