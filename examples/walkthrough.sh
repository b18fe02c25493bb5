#!/usr/bin/env bash
# Goes on from the quick start (run first if examples/demo/ is not there): one entry's round
# trip from the PO file a translator receives to the page the Catalan mirror publishes.
#   1. export the entry's PO file        4. a second person reviews and approves it
#   2. the translator fills it            5. emit writes the localised page
#   3. check and import it back
# Ends by printing the emitted page's path. Same variables as quickstart.sh: BPOD_I18N (an
# installed bpod-i18n instead of .venv), DEMO (the project folder), PYTHON (with polib).
set -euo pipefail
cd "$(dirname "$0")/.."
demo="${DEMO:-examples/demo}"
if [ ! -f "$demo/bpod-i18n.toml" ]; then
  bash examples/quickstart.sh
fi
bpod="${BPOD_I18N:-.venv/bin/bpod-i18n}"
python="${PYTHON:-.venv/bin/python}"
slug=2016-07-22-massing-to-defend
po="$demo/locales/ca/2016/$slug.po"

echo "== 1. The PO file the translator receives"
$bpod -C "$demo" export --locale ca --entry "$slug"

echo "== 2. Marta translates it (in Poedit; here a script fills the same file)"
"$python" examples/translator/fill-po.py "$po" "examples/translator/$slug.ca.json" "Marta Puig <marta@example.org>"

echo "== 3. The CI gate on her file, then import (her name comes from the file's Last-Translator)"
$bpod -C "$demo" check --locale ca "$po"
$bpod -C "$demo" import "$po"

echo "== 4. Joan reviews: one look at the entry, then approval (no one approves their own text)"
$bpod -C "$demo" show "$slug"
$bpod -C "$demo" review --locale ca --approve "$slug" --by joan
$bpod -C "$demo" status --locale ca

echo "== 5. The Catalan mirror page"
$bpod -C "$demo" emit --locale ca --out "$demo/mirror" --entry "$slug"
page="$demo/mirror/2016/$slug.html"
test -f "$page"
echo
echo "Published page: $page"
