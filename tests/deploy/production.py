"""The production settings docs/deploy.md gives, read from the page itself."""

from __future__ import annotations

import re
import secrets

from tests.conftest import REPO

DEPLOY_DOC = REPO / "docs" / "deploy.md"


def documented_production_settings() -> dict[str, str]:
    """The variables of docs/deploy.md's production block, as a deployment would set them."""
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    block = text.split("<!-- production-env:start -->")[1].split("<!-- production-env:end -->")[0]
    found = dict(re.findall(r"^(BACKFILE_[A-Z_]+)=(.*)$", block, flags=re.MULTILINE))
    assert {"BACKFILE_BASE_URL", "BACKFILE_SECRET_KEY", "BACKFILE_ALLOWED_HOSTS"} <= set(found)
    found["BACKFILE_SECRET_KEY"] = secrets.token_urlsafe(50)  # the doc shows a placeholder
    found.pop("BACKFILE_DB")  # the check needs no database; the test's own is SQLite
    return found
