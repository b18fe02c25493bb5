"""PO catalogs as plain data. Like Babel's ``catalog.py``, this module reads and writes nothing:
``reader.read_po`` builds these objects from a file, ``writer.write_po`` writes them."""

from __future__ import annotations

from dataclasses import dataclass, field

FUZZY = "fuzzy"


@dataclass(slots=True)
class PoMessage:
    """One message. Plural messages have ``msgid_plural`` and one ``msgstr_plural`` per form."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    translator_comments: tuple[str, ...] = ()  # "# ..."
    extracted_comments: tuple[str, ...] = ()  # "#. ..."
    references: tuple[str, ...] = ()  # "#: ..."
    previous_msgctxt: str | None = None  # "#| msgctxt ..."
    previous_msgid: str | None = None  # "#| msgid ...": the source the translation was made for
    line: int = 0  # 1-based line of the msgid keyword in the file read; 0 when built in memory

    @property
    def fuzzy(self) -> bool:
        return FUZZY in self.flags

    @property
    def is_plural(self) -> bool:
        return self.msgid_plural is not None

    @property
    def translations(self) -> tuple[str, ...]:
        """Every msgstr of the message: one, or one per plural form."""
        return self.msgstr_plural if self.msgid_plural is not None else (self.msgstr,)

    @property
    def untranslated(self) -> bool:
        return any(text == "" for text in self.translations)


@dataclass
class PoCatalog:
    """A PO file's content: the header entry and the messages in file order."""

    header: list[tuple[str, str]] = field(default_factory=list)  # ("Language", "ca"), in order
    header_comments: tuple[str, ...] = ()  # the "# " lines above the header entry
    header_fuzzy: bool = False
    header_line: int = 0  # 1-based line of the header's msgid; 0 when built or absent
    messages: list[PoMessage] = field(default_factory=list)
    obsolete: list[PoMessage] = field(default_factory=list)  # "#~" messages, kept aside

    def header_value(self, name: str) -> str | None:
        """A header field's value (case-insensitive name, as gettext compares them), or None."""
        wanted = name.lower()
        for key, value in self.header:
            if key.lower() == wanted:
                return value
        return None

    def set_header(self, name: str, value: str) -> None:
        for i, (key, _) in enumerate(self.header):
            if key.lower() == name.lower():
                self.header[i] = (key, value)
                return
        self.header.append((name, value))


def parse_header(text: str) -> list[tuple[str, str]]:
    """``"Name: value\\n"`` lines of a header msgstr, in order; lines without a colon are kept
    with an empty name so that nothing of the header is lost when it is written back."""
    fields = []
    for line in text.split("\n"):
        if not line:
            continue
        name, colon, value = line.partition(":")
        fields.append((name.strip(), value.strip()) if colon else ("", line))
    return fields


def header_text(fields: list[tuple[str, str]]) -> str:
    return "".join(f"{name}: {value}\n" if name else f"{value}\n" for name, value in fields)
