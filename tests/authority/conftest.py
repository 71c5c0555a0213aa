"""The invented Lamplighter archive of tests/archive, for the authority file's pages."""

from tests.archive.conftest import lamplighter  # noqa: F401
