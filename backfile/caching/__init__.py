"""HTTP caching for a read-mostly archive: validators, a page cache, compressed and hashed statics.

- `generation`: the archive's version, a few database rows every write that can
  change a page bumps (signals of the archive models, replies and `articles_changed`).
- `http`: `cached_page` (ETag/Last-Modified, 304 on revalidation, the page cache)
  for views; pages a visitor sees on their own (signed in, a message waiting, a
  POST) are never cached nor answered 304.
- `packing`: stored pages kept compressed, each reader's CSRF token spliced in.
- `config`: BACKFILE_CACHE_URL as Django's CACHES.
- `storage`: hashed static names (WhiteNoise's manifest storage) that still work
  where collectstatic has not run (tests, development).
"""
