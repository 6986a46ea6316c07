#!/usr/bin/env bash
# Every build step of the production image, in one script: the Dockerfile runs it, and CI runs it
# on the host in a fresh venv (tests/integration/test_build_image.py), because no container engine
# here can pull a base image. Any failed step fails the build (errexit; no failure is swallowed).
#
#   scripts/build-image.sh [SOURCE_DIR]      (default: this checkout)
#   VENV=/opt/venv                           where the virtual environment goes (default SOURCE_DIR/.venv-image)
#   PIP_NO_CACHE_DIR=1                       set by the Dockerfile; CI may reuse pip's cache
#
# The app runs from SOURCE_DIR (an editable install), so the Alembic migrations, the compiled
# translations and the UBL 2.1 schemas (package data of ehf) are the files in SOURCE_DIR.
set -euo pipefail
SRC=$(cd "${1:-$(dirname "$0")/..}" && pwd)
VENV=${VENV:-$SRC/.venv-image}
PYTHON=${PYTHON:-python3}

echo "build-image: source $SRC, venv $VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -e "$SRC"

# Translations: the .po files are the source, the .mo files the build output (git-ignored).
shopt -s nullglob
catalogues=("$SRC"/webshop/translations/*/LC_MESSAGES/messages.po)
(( ${#catalogues[@]} > 0 )) || { echo "build-image: no translation catalogues found" >&2; exit 1; }
for po in "${catalogues[@]}"; do
    "$VENV/bin/pybabel" -q compile -i "$po" -o "${po%.po}.mo"
done

# Refuse an image that would fail at run time: every piece must be in place and importable.
cd "$SRC"
"$VENV/bin/python" - <<'PY'
import sys
from pathlib import Path

import gunicorn  # noqa: F401  (the server the image runs)
from ehf.xsd import xsd_dir

import webshop  # noqa: F401  (the app and every blueprint import)

schemas = xsd_dir()
for name in ("maindoc/UBL-Order-2.1.xsd", "maindoc/UBL-OrderResponse-2.1.xsd", "maindoc/UBL-DespatchAdvice-2.1.xsd",
             "maindoc/UBL-Catalogue-2.1.xsd", "common/UBL-CommonAggregateComponents-2.1.xsd"):
    if not (schemas / name).is_file():
        sys.exit(f"build-image: UBL schema {name} missing in {schemas}")
mo = sorted(Path("webshop/translations").glob("*/LC_MESSAGES/messages.mo"))
if not mo:
    sys.exit("build-image: no compiled translations")
if not Path("migrations/env.py").is_file():
    sys.exit("build-image: migrations/ missing")
print(f"build-image: ok ({len(mo)} translation(s), schemas in {schemas})")
PY
