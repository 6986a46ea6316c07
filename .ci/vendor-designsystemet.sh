#!/usr/bin/env bash
# Refresh the committed Designsystemet CSS (MIT, Digdir) in webshop/static/vendor/designsystemet/.
# Run by hand when upgrading; the app and CI use the committed copy and need no npm.
set -euo pipefail
DS_VERSION=${DS_VERSION:-1.22.0}
DEST=webshop/static/vendor/designsystemet
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "@digdir/designsystemet-css@$DS_VERSION" >/dev/null && tar -xzf digdir-designsystemet-css-*.tgz)
mkdir -p "$DEST"
cp "$TMP/package/dist/src/index.css"            "$DEST/designsystemet.css"
cp "$TMP/package/dist/theme/designsystemet.css" "$DEST/designsystemet-theme.css"
cp "$TMP/package/LICENSE"                       "$DEST/LICENSE"
echo "@digdir/designsystemet-css@$DS_VERSION" > "$DEST/VERSION"
