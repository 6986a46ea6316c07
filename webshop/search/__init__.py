"""Catalogue search index (tantivy)."""
