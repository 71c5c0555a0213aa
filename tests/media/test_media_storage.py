"""Where pictures are kept: beside the archive by default, S3-compatible object storage by
setting, its URL checked when Backfile starts (no request is made to a real server here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from storages.backends.s3 import S3Storage

from backfile.media.storage import default_root, image_origins, s3_settings


def test_the_media_folder_is_beside_the_archive_by_default(tmp_path):
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "archive.sqlite3")}
    assert default_root(sqlite) == tmp_path / "archive-media"
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "lantern"}
    assert default_root(postgres) == Path.cwd() / "lantern-media"


def test_s3_storage_gives_public_year_cached_urls_on_its_endpoint_or_domain():
    entry = s3_settings("s3://pictures/lantern?endpoint=https://s3.example.org&region=eu-1")
    assert entry["BACKEND"] == "storages.backends.s3.S3Storage"
    options = entry["OPTIONS"]
    assert options["object_parameters"]["CacheControl"].endswith("immutable")
    name = "pictures/ab/" + "ab" * 32 + "-640.v1.webp"
    assert S3Storage(**options).url(name) == f"https://s3.example.org/pictures/lantern/{name}"
    assert image_origins(entry) == ["https://s3.example.org"]
    domain = s3_settings("s3://pictures?domain=img.example.org")
    assert S3Storage(**domain["OPTIONS"]).url(name) == f"https://img.example.org/{name}"
    assert image_origins(domain) == ["https://img.example.org"]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://pictures", "give s3://BUCKET/PREFIX"),
        ("s3://pictures?bucket=x", "unknown option bucket"),
        ("s3://pictures?endpoint=s3.example.org", "endpoint must be an http:// or https://"),
    ],
)
def test_a_wrong_storage_url_is_refused_naming_the_variable(url, reason):
    with pytest.raises(ImproperlyConfigured, match="BACKFILE_MEDIA_STORAGE_URL=") as refused:
        s3_settings(url)
    assert reason in str(refused.value)


def test_backfile_will_not_start_with_a_wrong_storage_url(tmp_path):
    environment = {**os.environ, "BACKFILE_MEDIA_STORAGE_URL": "ftp://pictures"}
    done = subprocess.run(
        [sys.executable, "-m", "backfile.cli", "--db", str(tmp_path / "a.sqlite3"), "check"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert done.returncode != 0
    assert "BACKFILE_MEDIA_STORAGE_URL='ftp://pictures' is not valid" in done.stderr
    assert "Traceback" not in done.stderr
