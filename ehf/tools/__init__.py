"""Developer tools (code generators); not used at runtime."""
