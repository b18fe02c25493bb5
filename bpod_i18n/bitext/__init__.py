"""Bitext: published translations read back and lined up with the English they translate.

The part behind ``mirror import`` and the ``tm`` commands, in four steps, each plain data in,
plain data out (nothing here touches the database or prints):

* readers of localised entries: a WordPress export (``wxr.py``), the WordPress REST API
  (``rest.py``), saved pages as HTML or page text (``pages.py``); all give
  :class:`LocalizedEntry`, with dates read through Babel's month names (``dates.py``) and
  the author, credit and notice lines told apart by the locale's wording (``roles.py``);
* pairing each localised entry with its English entry (``pairing.py``): by date first,
  confirmed by content (the English machine-translated and compared through rapidfuzz);
* sentence alignment within a pair (``align.py``): 1-1, 2-1, 1-2, 1-0 and 0-1 links from a
  Gale-Church length prior combined with a Bleualign-like translation similarity, each
  link with a confidence;
* TMX 1.4b, the translation-memory exchange format, written and read with lxml (``tmx.py``).

Named ``bitext`` (the term of art for a text beside its translation) rather than "mirror",
which in this project already names the folder ``emit`` writes.
"""

from bpod_i18n.bitext.model import LocalizedEntry

__all__ = ["LocalizedEntry"]
