"""Machine translation keeps the tags: web providers through placeholders (a local server that
speaks LibreTranslate's API), and a result whose tags differ is flagged."""

from __future__ import annotations

import json
from pathlib import Path

from mt_fixtures import libre_server  # noqa: F401 - pytest fixture
from mt_server import LibreServer
from test_pretranslate_mt import use_libre

from bpod_i18n.mt import GlossaryGuard
from bpod_i18n.mt.protect import NoteKind


def test_tags_travel_to_a_web_provider_as_placeholders() -> None:
    guard = GlossaryGuard([], extra_dnt={"Danio rerio"})
    text = "Read <a1>here</a1> about <em>Danio rerio</em> and CO<sub>2</sub>."
    protected = guard.protect(text)
    assert "<" not in protected.text and ">" not in protected.text
    assert [slot.original for slot in protected.slots] == [
        "<a1>",
        "</a1>",
        "<em>",
        "Danio rerio",
        "</em>",
        "<sub>",
        "</sub>",
    ]
    # The engine keeps the placeholders (moved with their words): the tags come back.
    moved = protected.text.replace("Read", "Llegiu").replace("about", "sobre").replace("and", "i")
    assert (
        guard.finish(protected, moved, {}).text == "Llegiu <a1>here</a1> sobre <em>Danio rerio</em> i CO<sub>2</sub>."
    )
    # An engine that swaps an opening and a closing tag: flagged for the translator.
    swapped = protected.text.replace("ZXQ0", "@@").replace("ZXQ1", "ZXQ0").replace("@@", "ZXQ1")
    result = guard.finish(protected, swapped, {})
    assert result.flagged and [n.kind for n in result.notes] == [NoteKind.TAGS_CHANGED]
    assert result.notes[0].message == "inline tags: badly nested: </a1> without <a1>"
    # Apertium keeps tags itself: only the terms are shielded, never a term inside a tag.
    assert GlossaryGuard([], extra_dnt={"a1"}).protect("See <a1>a1</a1>", shield_tags=False).text == "See <a1>ZXQ0</a1>"


def test_pretranslate_with_a_web_provider_keeps_the_tags(
    cli,
    project_dir: Path,
    tmp_path: Path,
    libre_server: LibreServer,
) -> None:
    use_libre(project_dir, libre_server.url)
    entry = tmp_path / "tags.json"
    entry.write_text(
        json.dumps(
            {
                "title": "Glowing Genes",
                "date": "2020-03-05",
                "paragraphs": ["Genes of <em>zebrafish</em> and CO<sub>2</sub>; read <a href='https://a.org'>it</a>."],
            }
        )
    )
    assert cli("ingest", str(entry)).exit_code == 0
    result = cli("pretranslate", "-l", "ca", "--entry", "2020-03-05-glowing-genes", "--json")
    assert result.exit_code == 0, result.output
    sent = [r.params["q"] for r in libre_server.translate_requests]
    assert sent and not any("<" in text for text in sent)  # no tag went over the wire
    shown = json.loads(cli("show", "2020-03-05-glowing-genes", "--json").stdout)
    [unit] = [u for u in shown["units_detail"] if u["field"] == "body.1"]
    assert (
        unit["translations"]["ca"]["text"] == "[ca] Genes of <em>zebrafish</em> and CO<sub>2</sub>; read <a1>it</a1>."
    )
