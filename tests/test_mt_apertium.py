"""Apertium provider: real translations through Debian's apertium-eng-cat / apertium-eng-spa."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from mt_fixtures import require_apertium

from bpod_i18n.mt import (
    ApertiumProvider,
    ProviderSettings,
    ProviderTimeout,
    ProviderUnavailable,
    make_provider,
)
from bpod_i18n.mt.protect import GlossaryGuard, SimpleTerm, translate_with_glossary

CORPUS_SENTENCES = [
    "On the front line of the immune system’s battle with pathogens, T cells raise the alarm.",
    "T-cell receptors are organised into minute nano-clusters, or protein islands.",
    "This image shows bright receptor micro-clusters in a mouse T cell.",
    "Written by Emmanuelle Briolat",
    "Massing to Defend",
    "Is it?",
    "T cells [in red] & B cells <here> ^x$ @y / \\ back",
]


def logging_wrapper(tmp_path: Path, body: str) -> tuple[Path, Path]:
    """An ``apertium`` stand-in that logs each start, then runs ``body`` (a shell snippet)."""
    log = tmp_path / "starts.log"
    script = tmp_path / "apertium"
    script.write_text(f'#!/bin/sh\necho "$*" >> {log}\n{body}\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, log


def translation_starts(log: Path) -> list[str]:
    return [line for line in log.read_text(encoding="utf-8").splitlines() if line != "-l"]


@pytest.mark.apertium
def test_translates_english_to_catalan() -> None:
    require_apertium("eng-cat")
    provider = make_provider("apertium")
    out = provider.translate_batch(
        ["The mice were treated with a new drug.", "Scientists study the brain."], "en", "ca"
    )
    assert out == ["Els ratolins van ser tractats amb una droga nova.", "Els científics estudien el cervell."]
    assert provider.engine_id("en", "ca") == "apertium/eng-cat"


@pytest.mark.apertium
def test_translates_english_to_spanish() -> None:
    require_apertium("eng-spa")
    out = make_provider("apertium").translate_batch(["Scientists study the brain."], "en", "es")
    assert out == ["Los científicos estudian el cerebro."]


@pytest.mark.apertium
def test_valencian_variant_from_settings_or_locale() -> None:
    require_apertium("eng-cat_valencia")
    sentence = ["The child prefers this service."]
    assert make_provider("apertium").translate_batch(sentence, "en", "ca") == ["El nen prefereix aquest servei."]
    valencian = make_provider("apertium", ProviderSettings(variant="valencia"))
    assert valencian.translate_batch(sentence, "en", "ca") == ["El xiquet prefereix aquest servici."]
    assert make_provider("apertium").translate_batch(sentence, "en", "ca@valencia") == [
        "El xiquet prefereix aquest servici."
    ]
    assert valencian.engine_id("en", "ca") == "apertium/eng-cat_valencia"


@pytest.mark.apertium
def test_one_process_per_batch_and_same_output_as_alone(tmp_path: Path) -> None:
    require_apertium("eng-cat")
    real = shutil.which("apertium")
    wrapper, log = logging_wrapper(tmp_path, f'exec {real} "$@"')
    texts = [f"{s} ({n})" if n >= len(CORPUS_SENTENCES) else s for n, s in enumerate(CORPUS_SENTENCES * 4)]
    provider = ApertiumProvider(ProviderSettings(concurrency=1), executable=str(wrapper))
    seen: dict[int, str] = {}

    out = provider.translate_batch(texts, "en", "ca", on_result=seen.__setitem__)

    assert len(out) == len(texts) == 28
    assert translation_starts(log) == ["-u -f txt eng-cat"]
    assert seen == dict(enumerate(out))
    # Each text is translated as if it were alone: no context leaks across the separators.
    for i in (3, 6):
        assert ApertiumProvider(ProviderSettings()).translate_batch([texts[i]], "en", "ca") == [out[i]]
    assert out[3] == "Escrit per Emmanuelle Briolat"
    assert out[6] == "T cel·les [en vermell] i B cel·les <aquí> ^x$ @y / \\ enrere"

    log.write_text("", encoding="utf-8")
    small_batches = ApertiumProvider(ProviderSettings(concurrency=2), executable=str(wrapper), batch_size=10)
    assert small_batches.translate_batch(texts, "en", "ca") == out
    assert len(translation_starts(log)) == 3  # 28 texts in batches of 10


@pytest.mark.apertium
def test_unknown_words_carry_no_marks_and_whitespace_is_kept() -> None:
    require_apertium("eng-cat")
    out = make_provider("apertium").translate_batch(
        ["Blobbyness of zorgles.", " \n", "\tThe cells divide.\n"], "en", "ca"
    )
    assert out == ["Blobbyness de zorgles.", " \n", "\tLes cel·les divideixen.\n"]


@pytest.mark.apertium
def test_protected_terms_survive_apertium_exactly() -> None:
    require_apertium("eng-cat", "eng-spa")
    guard = GlossaryGuard(
        [SimpleTerm("BRCA1", "BRCA1", dnt=True), SimpleTerm("Mus musculus", "Mus musculus", dnt=True)]
    )
    text = "The BRCA1 gene in Mus musculus cells"
    protected = guard.protect(text)
    assert protected.text == "The ZXQ0 gene in ZXQ1 cells"

    provider = make_provider("apertium")
    catalan = translate_with_glossary(provider, [text], "en", "ca", guard)
    spanish = translate_with_glossary(provider, [text], "en", "es", guard)

    assert catalan[0].text == "El BRCA1 gen dins Mus musculus cel·les"
    assert spanish[0].text == "El BRCA1 gen en Mus musculus celdas"
    assert catalan[0].notes == () and spanish[0].notes == ()


@pytest.mark.apertium
def test_glossary_target_replaces_apertium_wording() -> None:
    require_apertium("eng-cat")
    guard = GlossaryGuard([SimpleTerm("stem cells", "cèl·lules mare")])
    provider = make_provider("apertium")
    renderings = guard.learn_renderings(provider, "en", "ca")
    assert renderings == {"stem cells": "cel·les de tija"}

    [result] = translate_with_glossary(
        provider, ["Stem cells can become any tissue."], "en", "ca", guard, renderings=renderings
    )

    assert result.text == "Cèl·lules mare poden esdevenir qualsevol teixit."
    assert [(n.kind, n.message) for n in result.notes] == [
        ("glossary-replaced", "'cel·les de tija' replaced by 'cèl·lules mare' (stem cells)")
    ]
    assert not result.flagged


@pytest.mark.apertium
def test_missing_mode_names_the_package() -> None:
    require_apertium()
    with pytest.raises(ProviderUnavailable) as caught:
        make_provider("apertium").translate_batch(["Hello"], "en", "xx")
    assert str(caught.value) == "apertium mode eng-xx not installed (apt-get install apertium-eng-xx)"


def test_missing_binary_is_unavailable_with_a_hint() -> None:
    provider = ApertiumProvider(ProviderSettings(), executable="/nonexistent/apertium")
    with pytest.raises(ProviderUnavailable) as caught:
        provider.translate_batch(["Hello"], "en", "ca")
    assert str(caught.value) == (
        "apertium is not installed (/nonexistent/apertium not found; "
        "apt-get install apertium apertium-eng-cat apertium-eng-spa)"
    )


def test_missing_mode_with_a_fake_apertium(tmp_path: Path) -> None:
    wrapper, _ = logging_wrapper(tmp_path, 'echo "  eng-spa"')
    with pytest.raises(
        ProviderUnavailable, match=r"^apertium mode eng-cat not installed \(apt-get install apertium-eng-cat\)$"
    ):
        ApertiumProvider(ProviderSettings(), executable=str(wrapper)).translate_batch(["Hello"], "en", "ca")


def test_a_stuck_apertium_times_out(tmp_path: Path) -> None:
    wrapper, _ = logging_wrapper(tmp_path, 'if [ "$1" = "-l" ]; then echo eng-cat; exit 0; fi\nexec sleep 30')
    provider = ApertiumProvider(ProviderSettings(timeout=1), executable=str(wrapper))
    with pytest.raises(ProviderTimeout, match=r"^apertium eng-cat: no answer within 1 s for a batch of 2 texts$"):
        provider.translate_batch(["One.", "Two."], "en", "ca")


def test_a_short_reply_is_refused_not_misaligned(tmp_path: Path) -> None:
    # An engine that loses a block must not shift every later translation onto the wrong text.
    wrapper, _ = logging_wrapper(tmp_path, 'if [ "$1" = "-l" ]; then echo eng-cat; exit 0; fi\nprintf "Un.\\n"')
    provider = ApertiumProvider(ProviderSettings(), executable=str(wrapper))
    with pytest.raises(Exception, match=r"^apertium eng-cat: sent 2 texts, got 1 back$"):
        provider.translate_batch(["One.", "Two."], "en", "ca")
