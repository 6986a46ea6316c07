"""JSON API (v1): catalogue search, authenticated by session or a personal Bearer token."""
