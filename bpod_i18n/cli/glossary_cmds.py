"""glossary add | list | remove | import | export | suggest | check.

Help texts keep one paragraph per line: the app's rich markup mode keeps single line breaks.
Examples go in fenced code blocks: an indented block right after a heading loses its indent to
Typer's dedent and becomes one run-on paragraph.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from bpod_i18n.cli import common
from bpod_i18n.cli.common import JSON_OPTION, handle_errors
from bpod_i18n.errors import EXIT_GATE_FAILED
from bpod_i18n.glossary import Case, Status, Term

# Glossary_ops (the glossary and the QA checks) is imported inside the commands, so that every other
# `bpod-i18n` command starts without loading it.

glossary_app = typer.Typer(
    help=(
        "The scientific glossary of a locale: `glossary/<source>-<locale>.csv`, one row per rendering "
        "(source, target, part of speech, preferred/admitted/forbidden, do-not-translate, note).\n\n"
        "Its terms become hints in exported PO files (#. glossary: T cell → limfòcit T), and "
        "`glossary check` finds stored translations that do not follow it."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
)

LOCALE_OPTION = typer.Option(..., "--locale", "-l", help="Target locale of the glossary, e.g. ca.")


def _term_dict(term: Term) -> dict[str, Any]:
    return asdict(term)


@glossary_app.command("add")
@handle_errors
def add(
    source: str = typer.Argument(..., help='English term, e.g. "T cell".'),
    target: str = typer.Argument("", help="Its rendering; may be left out with --dnt."),
    locale: str = LOCALE_OPTION,
    pos: str = typer.Option("", "--pos", help="Part of speech: noun, properNoun, adjective, verb, adverb, other."),
    status: Status = typer.Option(
        Status.PREFERRED, "--status", help="preferred, admitted, or forbidden (a rendering to avoid)."
    ),
    dnt: bool = typer.Option(False, "--dnt", help="Do not translate: the term must appear unchanged in translations."),
    case: Case = typer.Option(
        Case.AUTO, "--case", help="Matching: auto (symbols such as DNA, Sox2 keep their case), sensitive, insensitive."
    ),
    note: str = typer.Option("", "--note", help="Where the rendering comes from, or why it is forbidden."),
    replace: bool = typer.Option(False, "--replace", help="Overwrite the details of an existing source → target."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Add one rendering of an English term to the locale's glossary.

    A term may have several renderings: one preferred, others admitted, and forbidden ones that translations
    must avoid. The file stays sorted, so its git diff is one line.

    **Examples**

    ```
    bpod-i18n glossary add "T cell" "limfòcit T" -l ca --pos noun --note TERMCAT
    bpod-i18n glossary add "stem cells" "cèl·lules de tija" -l ca --status forbidden
    bpod-i18n glossary add "Mus musculus" -l ca --dnt
    ```
    """
    from bpod_i18n.workflow import glossary_ops

    change = glossary_ops.add_term(
        common.project(),
        locale,
        source,
        target,
        pos=pos,
        status=status,
        dnt=dnt,
        case=case,
        note=note,
        replace=replace,
    )
    if json_output:
        common.print_json({"outcome": change.outcome.value, "term": _term_dict(change.term), "path": str(change.path)})
        return
    term = change.term
    what = f"{term.source} (do not translate)" if term.dnt else f"{term.source} → {term.target} ({term.status})"
    common.out().print(f"{change.outcome.value}: {what} in {change.path}", highlight=False, markup=False)


@glossary_app.command("list")
@handle_errors
def list_(
    locale: str = LOCALE_OPTION,
    search: str | None = typer.Option(
        None, "--search", "-s", help="Only terms whose source, target or note contains this."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """List the terms of the locale's glossary.

    **Examples**

    ```
    bpod-i18n glossary list -l ca
    bpod-i18n glossary list -l es --search cell --json
    ```
    """
    from bpod_i18n.workflow import glossary_ops

    listing = glossary_ops.list_terms(common.project(), locale, search=search)
    if json_output:
        common.print_json(
            {
                "pair": listing.pair,
                "path": str(listing.path),
                "exists": listing.exists,
                "terms": [_term_dict(t) for t in listing.terms],
            }
        )
        return
    console = common.out()
    table = Table("source", "target", "pos", "status", "dnt", "note", title=f"Glossary {listing.pair}")
    for term in listing.terms:
        table.add_row(
            *map(Text, (term.source, term.target, term.pos, term.status.value, "yes" if term.dnt else "", term.note))
        )
    console.print(table)
    where = str(listing.path) if listing.exists else f"{listing.path} (no file yet)"
    console.print(
        f"{len(listing.terms)} terms{' matching' if search else ''} in {where}", highlight=False, markup=False
    )


@glossary_app.command("remove")
@handle_errors
def remove(
    source: str = typer.Argument(..., help="English term."),
    target: str | None = typer.Argument(None, help="Only this rendering (default: every rendering of the term)."),
    locale: str = LOCALE_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Remove a term: every rendering of it, or only the one given.

    **Examples**

    ```
    bpod-i18n glossary remove "fruit fly" -l ca
    bpod-i18n glossary remove "fruit fly" "mosca de la fruita" -l ca
    ```
    """
    from bpod_i18n.workflow import glossary_ops

    removal = glossary_ops.remove_term(common.project(), locale, source, target)
    if json_output:
        common.print_json({"removed": [_term_dict(t) for t in removal.removed], "path": str(removal.path)})
        return
    for term in removal.removed:
        common.out().print(
            f"removed: {term.source} → {term.target} ({term.status}) from {removal.path}", highlight=False, markup=False
        )


@glossary_app.command("import")
@handle_errors
def import_(
    file: Path = typer.Argument(..., help="A termbase file: .csv (the glossary's columns) or .tbx (TBX v2 or v3)."),
    locale: str = LOCALE_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Merge a CSV or TBX termbase (e.g. from a partner's terminology tool) into the glossary.

    A row of the file wins over the glossary's for the same source → target, except that an empty part of speech
    or note keeps the glossary's. The file is checked whole first: a malformed one is reported with file:line,
    the glossary is left byte for byte as it was, and the exit code is 2.

    **Examples**

    ```
    bpod-i18n glossary import termcat-biologia.tbx -l ca
    bpod-i18n glossary import reviewed-terms.csv -l es --json
    ```
    """
    from bpod_i18n.workflow import glossary_ops

    result = glossary_ops.import_terms(common.project(), locale, file)
    report = result.report
    if json_output:
        common.print_json(
            {
                "path": str(result.path),
                "from": str(file),
                "added": report.added,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "skipped": report.skipped,
                "total": result.total,
            }
        )
        return
    skipped = f", {report.skipped} skipped (no term in both languages)" if report.skipped else ""
    common.out().print(
        f"{result.path}: {report.added} added, {report.updated} updated, {report.unchanged} unchanged{skipped} "
        f"from {file}; {result.total} terms",
        highlight=False,
        markup=False,
    )


@glossary_app.command("export")
@handle_errors
def export(
    file: Path = typer.Argument(..., help="File to write, e.g. bpod-en-ca.tbx."),
    locale: str = LOCALE_OPTION,
    fmt: str | None = typer.Option(
        None, "--format", "-f", help="tbx (TBX v3, TBX-Basic) or csv; default: from the file's suffix."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Write the glossary as TBX (for terminology and CAT tools, partners) or CSV.

    **Examples**

    ```
    bpod-i18n glossary export bpod-en-ca.tbx -l ca
    bpod-i18n glossary export terms.xml -l es --format tbx
    ```
    """
    from bpod_i18n.workflow import glossary_ops

    result = glossary_ops.export_terms(common.project(), locale, file, fmt)
    if json_output:
        common.print_json({"path": str(result.path), "format": result.fmt, "terms": result.terms})
        return
    common.out().print(
        f"{result.terms} terms written to {result.path} ({result.fmt.upper()})", highlight=False, markup=False
    )


@glossary_app.command("suggest")
@handle_errors
def suggest(
    locale: str = LOCALE_OPTION,
    min_count: int = typer.Option(3, "--min-count", "-n", help="Only phrases seen at least this often (2 or more)."),
    limit: int | None = typer.Option(None, "--limit", help="At most this many candidates."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Suggest terms: recurring 2–4 word phrases of the ingested English that the glossary lacks.

    Plural and singular are counted together; a phrase never starts or ends with a stop word; image credits are
    left out. Each candidate comes with its count, the first sentence it was seen in, and that sentence's entry.

    **Examples**

    ```
    bpod-i18n glossary suggest -l ca
    bpod-i18n glossary suggest -l es --min-count 5 --limit 20 --json
    ```
    """
    from bpod_i18n.workflow import glossary_ops

    found = glossary_ops.suggest_terms(common.project(), locale, min_count, limit=limit)
    if json_output:
        common.print_json([asdict(c) for c in found.candidates])
        return
    console = common.out()
    if not found.candidates:
        console.print(
            f"No phrase recurs {min_count} or more times in {found.sentences} English sentences outside the glossary.",
            highlight=False,
        )
        return
    # Examples cut short so the table stays scannable (--json has them whole).
    table = Table("count", "phrase", "also seen as", "example", "entry", title=f"Term candidates for {found.locale}")
    for candidate in found.candidates:
        example = candidate.example if len(candidate.example) <= 60 else candidate.example[:59] + "…"
        cells = (str(candidate.count), candidate.text, ", ".join(candidate.forms[1:]), example, candidate.slug)
        table.add_row(*map(Text, cells))
    console.print(table)
    console.print(
        f'Add one with: bpod-i18n glossary add "<phrase>" "<translation>" -l {found.locale}',
        highlight=False,
        markup=False,
    )


@glossary_app.command("check")
@handle_errors
def check(
    locale: str = LOCALE_OPTION,
    entry: list[str] | None = typer.Option(None, "--entry", "-e", help="Only this entry (repeat)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Check stored translations against the glossary; exit 1 if any does not follow it.

    Looks at every translated, reviewed, needs-work and machine unit of the locale: each term of the English
    must be rendered as the glossary says, forbidden renderings must not appear, and do-not-translate terms (and
    recognised gene symbols) must stay unchanged.

    **Examples**

    ```
    bpod-i18n glossary check -l ca
    bpod-i18n glossary check -l ca --entry 2016-07-22-massing-to-defend --json
    ```
    """
    from bpod_i18n.workflow import glossary_ops

    problems = glossary_ops.glossary_problems(common.project(), locale, entry)
    if json_output:
        common.print_json([asdict(p) for p in problems])
    else:
        console = common.out()
        for problem in problems:
            console.print(
                f"{problem.slug} · {problem.field} · {problem.uid}: {problem.kind}: {problem.message}",
                highlight=False,
                markup=False,
            )
            console.print(f"    en: {problem.source}", highlight=False, markup=False)
            console.print(f"    {locale}: {problem.text}", highlight=False, markup=False)
        if problems:
            units = len({p.uid for p in problems})
            console.print(
                f"{len(problems)} glossary problems in {units} units ({locale})", highlight=False, markup=False
            )
        else:
            console.print(f"No glossary problems in {locale}.", highlight=False, markup=False)
    if problems:
        raise typer.Exit(EXIT_GATE_FAILED)


def register(app: typer.Typer) -> None:
    app.add_typer(glossary_app, name="glossary")
