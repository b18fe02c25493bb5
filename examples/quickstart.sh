#!/usr/bin/env bash
# Install bpod-i18n into .venv and run the main job on the bundled example entries:
# a project in examples/demo/ on embedded SQLite, no server, no network.
# BPOD_I18N=path/to/bpod-i18n uses an installed bpod-i18n instead of making .venv; DEMO=folder
# puts the project elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BPOD_I18N:-}" ]; then
  bash scripts/setup-env   # .venv from requirements.lock (the versions CI tested)
fi
bpod="${BPOD_I18N:-.venv/bin/bpod-i18n}"
demo="${DEMO:-examples/demo}"
rm -rf "$demo" && mkdir -p "$demo"
# init also copies the starter glossaries (en→ca, en→es) shipped with bpod-i18n.
$bpod -C "$demo" init --locale ca --locale es
$bpod -C "$demo" ingest examples/entries
# The site strings of the Catalan mirror, translated once for every entry.
$bpod -C "$demo" import locales/ca/site.po
$bpod -C "$demo" entries
if command -v apertium >/dev/null && [ -e /usr/share/apertium/modes/eng-cat.mode ]; then
  # Offline machine pre-translation (Debian's apertium-eng-cat), marked fuzzy for review.
  $bpod -C "$demo" pretranslate --locale ca --provider apertium
else
  echo "(apertium-eng-cat is not installed: skipping machine pre-translation; apt-get install apertium-eng-cat)"
fi
$bpod -C "$demo" export --locale ca
$bpod -C "$demo" status --locale ca
echo
echo "PO files for translators: $demo/locales/ca/ — open one in Poedit, then: $bpod -C $demo import <file.po>"
echo "Next: bash examples/walkthrough.sh (a translator's round trip, review, and the published page)"
