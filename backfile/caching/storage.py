"""Static files under hashed names (`site.3f9c1e2a7b4d.css`), compressed, cached for good.

`backfile serve` runs collectstatic, which writes each file under a name holding
a hash of its content (and .gz/.br copies beside it) and a manifest; pages then
link the hashed names and WhiteNoise sends those with a ten-year, `immutable`
Cache-Control (a changed file gets a new name, so no reader keeps an old one).

Where collectstatic has not run (tests, development with the finders), there is
no manifest: pages link the plain names, which WhiteNoise serves from the apps.
Once a manifest exists, a name missing from it is an error, as in Django.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def stored_name(self, name: str) -> str:
        if not self.hashed_files:  # no manifest: collectstatic has not run here
            return name
        return super().stored_name(name)
