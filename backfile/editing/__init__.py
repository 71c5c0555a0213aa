"""The editors' desk for an article's body and for revisions.

`body_views` edits a body as rows of blocks (no JSON, no JavaScript needed), keeping
every block an editor did not touch exactly as it was stored; `revision_views` lists
an object's revisions, shows each as a word-level diff and restores one.
"""
