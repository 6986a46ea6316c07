"""Pages every user shares: the error pages (in the app's layout, both languages, with a way back),
the favicon and the accessibility statement (tilgjengelighetserklæring)."""
