"""The one table of settings: documented in docs/deploy.md, shown by `backfile settings`,
and the documented production settings pass `backfile check --deploy`."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys

from backfile import conf
from backfile.deploy.table import TABLE_END, TABLE_START, embedded, markdown_table
from tests.conftest import REPO
from tests.deploy.production import documented_production_settings

DEPLOY_DOC = REPO / "docs" / "deploy.md"
STRIPPED = {row.env for row in conf.all_settings()} | {"DJANGO_SETTINGS_MODULE"}


def backfile(*arguments: str, env: dict[str, str] | None = None, tmp_path=None):
    environment = {k: v for k, v in os.environ.items() if k not in STRIPPED}
    if tmp_path is not None:
        environment["BACKFILE_DB"] = str(tmp_path / "db.sqlite3")
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "backfile.cli", *arguments],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def test_every_setting_is_documented_in_deploy_md():
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    table = text.split(TABLE_START)[1].split(TABLE_END)[0]
    missing = [row.env for row in conf.all_settings() if f"| `{row.env}`" not in table]
    assert not missing, f"docs/deploy.md does not document {missing}"


def test_the_documented_table_is_the_generated_one():
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    assert embedded(text, markdown_table()) == text, (
        "docs/deploy.md's settings table is stale: "
        "run `backfile settings --markdown --into docs/deploy.md`"
    )


def test_settings_shows_values_in_force_with_secrets_masked(tmp_path):
    key = secrets.token_urlsafe(50)
    shown = backfile(
        "settings",
        env={
            "BACKFILE_SECRET_KEY": key,
            "BACKFILE_DB": "postgres://backfile:hunter2-secret@db.example:5432/papers",
            "BACKFILE_BASE_URL": "https://archive.example.org/",
            "BACKFILE_HSTS_SECONDS": "3600",
        },
    )
    assert shown.returncode == 0, shown.stderr
    lines = {line.split()[0]: line for line in shown.stdout.splitlines() if line.strip()}
    assert key not in shown.stdout and "hunter2-secret" not in shown.stdout
    assert "********" in lines["BACKFILE_SECRET_KEY"]
    assert "postgres://backfile:********@db.example:5432/papers" in lines["BACKFILE_DB"]
    assert "https://archive.example.org" in lines["BACKFILE_BASE_URL"]
    assert "[environment]" in lines["BACKFILE_BASE_URL"]
    assert "3600" in lines["BACKFILE_HSTS_SECONDS"]
    assert "[default]" in lines["BACKFILE_REPLIES_RATE"]
    assert set(lines) >= {row.env for row in conf.all_settings()}


def test_a_bad_value_stops_the_command_naming_the_variable(tmp_path):
    result = backfile("settings", env={"BACKFILE_HSTS_SECONDS": "a year"}, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "BACKFILE_HSTS_SECONDS='a year' is not valid" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_value_of_a_variable_read_outside_django_stops_the_command_too(tmp_path):
    """BACKFILE_OCR_TIMEOUT is read by the OCR workers, yet checked as the command starts,
    before any page is read."""
    result = backfile("ingest", "--quiet", str(tmp_path), env={"BACKFILE_OCR_TIMEOUT": "ten"},
                      tmp_path=tmp_path)  # fmt: skip
    assert result.returncode == 2
    assert "BACKFILE_OCR_TIMEOUT='ten' is not valid: it must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    result = backfile(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=documented_production_settings(),
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_with_the_loopback_defaults(tmp_path):
    result = backfile("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path)
    assert result.returncode != 0
    report = result.stdout + result.stderr
    for issue in (
        "backfile.W001",  # no base URL
        "backfile.W002",  # the development key
        "backfile.W004",  # no address for harvesters
        "security.W004",  # no HSTS
        "security.W008",  # no HTTPS redirect
        "security.W012",  # session cookie not Secure
        "security.W016",  # CSRF cookie not Secure
    ):
        assert issue in report, issue


def test_every_variable_the_code_names_is_in_the_table():
    """A variable read straight from the environment (in a worker, before Django) is a
    setting like any other: declared once, and so documented."""
    declared = {row.env for row in conf.all_settings()} | {row.name for row in conf.all_settings()}
    named = {
        name
        for path in (REPO / "backfile").rglob("*.py")
        for name in re.findall(r"[\"'](BACKFILE_[A-Z0-9_]*[A-Z0-9])[\"']", path.read_text())
    }
    assert named - declared == set()
