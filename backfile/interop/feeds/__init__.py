"""Atom feeds of new issues and articles, and sitemaps for search engines."""
