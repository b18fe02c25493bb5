"""Play the translator: fill a PO file's msgstr from a JSON table (English → translation),
clear the fuzzy flags of what was filled, sign Last-Translator, save. This is what Poedit,
Lokalize or OmegaT do by hand; polib stands in for them (it is another tool than bpod-i18n's
own PO writer, as a translator's would be).

    python fill-po.py FILE.po TRANSLATIONS.json "Marta Puig <marta@example.org>"
"""

import json
import sys

import polib

po_file, table, translator = sys.argv[1:4]
with open(table, encoding="utf-8") as handle:
    translations = json.load(handle)
po = polib.pofile(po_file)
filled = 0
for entry in po:
    if entry.msgid in translations:
        entry.msgstr = translations[entry.msgid]
        if "fuzzy" in entry.flags:  # a machine suggestion, now checked and corrected
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgctxt = None
        filled += 1
po.metadata["Last-Translator"] = translator
po.save(po_file)
print(f"{po_file}: {filled} of {len(po)} messages translated by {translator}")
