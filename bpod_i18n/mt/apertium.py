"""Offline machine translation with Debian's Apertium (``apertium-eng-cat``, ``apertium-eng-spa``).

Apertium starts a pipeline of a dozen programs per call (~0.2 s), then translates hundreds
of sentences per second, so texts go in batches: one process per batch, one text per block,
blocks separated by a blank line. Apertium's plain-text deformatter turns each blank line
into a sentence boundary (it inserts a period that the reformatter removes again), so every
text is translated exactly as it would be alone — checked on the corpus: same output, same
count — and the blocks come back in order. ``-u`` drops the ``*``/``#``/``@`` marks of
unknown words.

Texts with inline tags (bpod_i18n.markup) go through Apertium's HTML mode (``-f html``),
which carries each tag along with the words it encloses: one ``<p>`` per text (in that mode a
blank line is no sentence boundary, a ``<p>`` is), links as ``<a href="N">`` so that their
numbers survive a reordering; the answer is read back with lxml.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Sequence

import lxml.html

from bpod_i18n import markup
from bpod_i18n.mt.base import (
    Provider,
    ProviderFailure,
    ProviderSettings,
    ProviderTimeout,
    ProviderUnavailable,
    ResultCallback,
)
from bpod_i18n.mt.pool import translate_in_pool

# ISO 639-1 (what the project's locales use) → ISO 639-3 (what Apertium's modes use).
ISO639_3 = {
    "en": "eng",
    "ca": "cat",
    "es": "spa",
    "fr": "fra",
    "pt": "por",
    "it": "ita",
    "gl": "glg",
    "oc": "oci",
    "eu": "eus",
    "de": "deu",
    "nl": "nld",
    "ro": "ron",
    "eo": "epo",
    "an": "arg",
}
# Debian packages holding a pair, whichever direction is asked for.
_PACKAGES = {frozenset({"eng", "cat"}): "apertium-eng-cat", frozenset({"eng", "spa"}): "apertium-eng-spa"}
_BLOCK_SEPARATOR = "\n\n"
_LINE_BREAKS = re.compile(r"\s*\n\s*")
_MARKS = "*#@"


def split_locale(code: str) -> tuple[str, str | None]:
    """``ca``, ``ca_ES``, ``ca-valencia``, ``ca@valencia`` → (language, variant or None)."""
    parts = re.split(r"[-_@]", code.strip().lower())
    variant = "valencia" if "valencia" in parts[1:] else None
    return parts[0], variant


class ApertiumProvider(Provider):
    """Apertium through its ``apertium`` command, in batches of ``batch_size`` texts."""

    name = "apertium"
    keeps_markup = True

    def __init__(self, settings: ProviderSettings, *, executable: str = "apertium", batch_size: int = 500):
        if batch_size < 1:
            raise ValueError(f"batch_size must be 1 or more, not {batch_size}")
        self.settings = settings
        self.executable = executable
        self.batch_size = batch_size
        self._installed: frozenset[str] | None = None
        self._lock = threading.Lock()

    def mode_for(self, source: str, target: str) -> str:
        """The Apertium mode for a pair: settings.modes[target], else e.g. eng-cat(_valencia)."""
        if target in self.settings.modes:
            return self.settings.modes[target]
        src, _ = split_locale(source)
        tgt, locale_variant = split_locale(target)
        mode = f"{ISO639_3.get(src, src)}-{ISO639_3.get(tgt, tgt)}"
        variant = self.settings.variant or locale_variant
        return f"{mode}_{variant}" if variant else mode

    def engine_id(self, source: str, target: str) -> str:
        return f"apertium/{self.mode_for(source, target)}"

    def installed_modes(self) -> frozenset[str]:
        """Modes ``apertium -l`` lists (asked once); ProviderUnavailable if apertium is missing."""
        with self._lock:
            if self._installed is None:
                if shutil.which(self.executable) is None:
                    raise ProviderUnavailable(
                        f"apertium is not installed ({self.executable} not found; "
                        "apt-get install apertium apertium-eng-cat apertium-eng-spa)",
                        provider=self.name,
                    )
                try:
                    listing = subprocess.run(
                        [self.executable, "-l"],
                        capture_output=True,
                        text=True,
                        timeout=self.settings.timeout,
                        check=False,
                    )
                except subprocess.TimeoutExpired:
                    raise ProviderTimeout(
                        f"apertium -l gave no answer within {self.settings.timeout:g} s", provider=self.name
                    ) from None
                self._installed = frozenset(listing.stdout.split())
            return self._installed

    def check_mode(self, mode: str) -> None:
        if mode not in self.installed_modes():
            base = mode.split("_", 1)[0]
            langs = frozenset(base.split("-"))
            package = _PACKAGES.get(langs, f"apertium-{base}")
            raise ProviderUnavailable(
                f"apertium mode {mode} not installed (apt-get install {package})", provider=self.name
            )

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        on_result: ResultCallback | None = None,
    ) -> list[str]:
        mode = self.mode_for(source, target)
        self.check_mode(mode)
        # One apertium process per batch of distinct texts; a running process is left to finish.
        return translate_in_pool(
            texts,
            lambda batch, _stop: self._run(mode, batch),
            concurrency=self.settings.concurrency,
            batch_size=self.batch_size,
            on_result=on_result,
        )

    def _run(self, mode: str, texts: list[str]) -> list[str]:
        """A batch of non-blank texts: those with inline tags through the HTML mode."""
        tagged = [i for i, text in enumerate(texts) if markup.has_tags(text)]
        if not tagged:
            return self._run_text(mode, texts)
        results = dict(zip(tagged, self._run_html(mode, [texts[i] for i in tagged]), strict=True))
        plain_indices = [i for i in range(len(texts)) if i not in results]
        if plain_indices:
            results.update(zip(plain_indices, self._run_text(mode, [texts[i] for i in plain_indices]), strict=True))
        return [results[i] for i in range(len(texts))]

    def _run_html(self, mode: str, texts: list[str]) -> list[str]:
        payload = "".join(f"<p>{markup.to_html(markup.shape(text))}</p>\n" for text in texts)
        output = self._apertium(mode, ["-f", "html"], payload, len(texts))
        blocks = lxml.html.fragment_fromstring(f"<div>{output}</div>").findall("p")
        if len(blocks) != len(texts):
            raise ProviderFailure(
                f"apertium {mode}: sent {len(texts)} texts, got {len(blocks)} back", provider=self.name
            )
        out = []
        for block, text in zip(blocks, texts, strict=True):
            builder = markup.Builder()
            _read_html(builder, block)
            translated = markup.write(builder.build(), numbered=True, keep_numbers=True)[0]
            out.append(_tidy(translated, markup.plain(text), text))
        return out

    def _run_text(self, mode: str, texts: list[str]) -> list[str]:
        """One apertium process for a batch of non-blank texts."""
        cores = [_LINE_BREAKS.sub(" ", text.strip()) for text in texts]
        payload = _BLOCK_SEPARATOR.join(cores) + "\n"
        output = self._apertium(mode, ["-f", "txt"], payload, len(texts))
        blocks = output.strip("\n").split(_BLOCK_SEPARATOR)
        if len(blocks) != len(texts):
            # Never pair a translation with the wrong sentence.
            raise ProviderFailure(
                f"apertium {mode}: sent {len(texts)} texts, got {len(blocks)} back", provider=self.name
            )
        return [_tidy(block, core, text) for block, core, text in zip(blocks, cores, texts, strict=True)]

    def _apertium(self, mode: str, format_args: list[str], payload: str, count: int) -> str:
        # Apertium's tools read and write UTF-8 whatever the caller's locale is; make it explicit.
        env = {**os.environ, "LC_ALL": "C.UTF-8"}
        try:
            done = subprocess.run(
                [self.executable, "-u", *format_args, mode],
                input=payload.encode("utf-8"),
                capture_output=True,
                timeout=self.settings.timeout,
                env=env,
                check=False,  # its exit status is read below, with its stderr
            )
        except subprocess.TimeoutExpired:
            raise ProviderTimeout(
                f"apertium {mode}: no answer within {self.settings.timeout:g} s for a batch of {count} texts",
                provider=self.name,
            ) from None
        except OSError as exc:
            raise ProviderUnavailable(f"apertium {mode}: cannot start ({exc.strerror})", provider=self.name) from None
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            reason = said[-1] if said else f"exit status {done.returncode}"
            raise ProviderUnavailable(f"apertium {mode}: {reason}", provider=self.name)
        return done.stdout.decode("utf-8", "replace")


def _read_html(builder: markup.Builder, el: lxml.html.HtmlElement) -> None:
    """One <p> of Apertium's HTML answer into ``builder``: our tags back, the rest as text."""
    builder.text(el.text or "")
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            builder.br()
        elif tag in markup.FORMAT_TAGS or (tag == "a" and child.get("href")):
            builder.open(tag, child.get("href") if tag == "a" else None)
            _read_html(builder, child)
            builder.close()
        elif tag:
            _read_html(builder, child)
        builder.text(child.tail or "")


def _tidy(output: str, core: str, original: str) -> str:
    """Clean one translated block and give it the original's edge whitespace."""
    out = output.strip()
    for mark in _MARKS:
        # -u removes the unknown-word marks; if one still shows where the source had none, drop it.
        if mark in out and mark not in core:
            out = re.sub(re.escape(mark) + r"(?=\w)", "", out)
    if "  " not in core:
        out = re.sub(r" {2,}", " ", out)  # transfer sometimes leaves a doubled blank
    lead = original[: len(original) - len(original.lstrip())]
    trail = original[len(original.rstrip()) :]
    return lead + out + trail
