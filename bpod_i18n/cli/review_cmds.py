"""review (interactive, listed and scripted), history, db upgrade."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.panel import Panel
from rich.prompt import Prompt
from rich.table import Table
from rich.text import Text

from bpod_i18n.cli import common
from bpod_i18n.cli.common import JSON_OPTION, handle_errors
from bpod_i18n.errors import EXIT_GATE_FAILED, BpodError, UsageError
from bpod_i18n.model import State

if TYPE_CHECKING:
    from bpod_i18n.checks import UnitWarning
    from bpod_i18n.workflow.project import Project
    from bpod_i18n.workflow.review import ReviewItem

KEYS = {"a": "approve", "r": "reject", "e": "edit", "u": "use suggestion", "s": "skip", "q": "quit"}
LABEL_WIDTH = 12


@handle_errors
def review(
    targets: list[str] = typer.Argument(
        ..., help="Entry slugs; with --approve/--reject also unit ids, as UNIT@VERSION to decide only what you saw."
    ),
    locale: str = typer.Option(..., "--locale", "-l", help="Locale under review, e.g. ca."),
    approve: bool = typer.Option(
        False, "--approve", help="Approve every translated unit of the entries, or the units named (no prompts)."
    ),
    reject: bool = typer.Option(False, "--reject", help="Reject the targets back to needs-work (needs --comment)."),
    list_units: bool = typer.Option(
        False, "--list", help="Show the units with their UNIT@VERSION, to approve exactly what you saw."
    ),
    comment: str | None = typer.Option(None, "--comment", "-m", help="Why: required with --reject."),
    force_qa: str | None = typer.Option(
        None, "--force-qa", help="Approve units with QA errors too, for this reason (recorded in history)."
    ),
    by: str | None = typer.Option(
        None, "--by", help="Reviewer: a handle or e-mail (default: BPOD_I18N_USER, else your login name)."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Review translations of one locale.

    Without --approve/--reject/--list, walks the units of each entry one at a time: the whole
    English and translation, state, author, the reviewer's and translator's notes, suggestions,
    glossary hints and QA warnings; keys [a]pprove, [r]eject with a comment, [e]dit (starts
    from the current text), [u]se a translator's suggestion, [s]kip, [q]uit. Every decision is
    stored at once, so quitting keeps progress, and only if the unit is still what you saw.

    A reviewer cannot approve a text they wrote themselves (four-eyes rule), nor a text with QA
    errors without --force-qa "reason". When nothing was approved, the exit code is 1.
    """
    # Imported here, like every workflow module: each command starts with only what it uses.
    from bpod_i18n.workflow import review as review_ops
    from bpod_i18n.workflow.review import Decision

    project = common.project()
    reviewer = by or project.config.user
    if sum((approve, reject, list_units)) > 1:
        raise UsageError("--approve, --reject and --list exclude each other")
    if force_qa is not None and not force_qa.strip():
        raise UsageError('--force-qa needs the reason, e.g. --force-qa "54 nm is right: the source has a typo"')
    if list_units:
        _list(review_ops.listing(project, locale, targets), locale, json_output)
        return
    if approve or reject:
        decision = Decision.APPROVE if approve else Decision.REJECT
        report = review_ops.decide_many(
            project, locale, targets, decision, by=reviewer, comment=comment, force_qa=force_qa
        )
        if json_output:
            common.print_json(
                {
                    "decided": [{"unit": uid, "state": state.value} for uid, state in report.decided],
                    "skipped": [{"unit": uid, "why": why} for uid, why in report.skipped],
                    "forced_qa": report.forced_qa,
                }
            )
        else:
            decided, skipped = len(report.decided), len(report.skipped)
            done = "approved" if decision is Decision.APPROVE else "rejected"
            common.out().print(
                f"{_units(decided)} {done}, {_units(skipped)} left as {'it was' if skipped == 1 else 'they were'}"
            )
            for uid, why in report.skipped:
                common.err().print(f"  skipped {uid}: {why}", highlight=False)
        # Nothing approved because something stood in the way (QA errors, a change since it was
        # seen, the four-eyes rule): exit 1. Everything already reviewed: a re-run, exit 0.
        if decision is Decision.APPROVE and not report.decided and len(report.skipped) > len(report.already):
            if not json_output:
                common.err().print("nothing was approved", highlight=False)
            raise typer.Exit(EXIT_GATE_FAILED)
        return
    _interactive(project, locale, targets, reviewer)


def _units(count: int) -> str:
    return f"{count} unit" if count == 1 else f"{count} units"


def _console() -> Console:
    """Review's console: like common.out(), but wrapping (a sentence is never cut to one line)."""
    return Console(markup=False, emoji=False, highlight=False)


def _rows(item: ReviewItem, hints: list[str], warnings: list[UnitWarning]) -> Table:
    """The unit as a grid: a label column, and each value wrapped beside it."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=LABEL_WIDTH, no_wrap=True)
    grid.add_column(overflow="fold")

    def row(label: str, value: str | Text, style: str = "bold") -> None:
        # The reviewer sees every control character (common.visible): an ESC sequence in a
        # translation must not hide text from them or retitle their terminal.
        grid.add_row(Text(label, style=style), value if isinstance(value, Text) else Text(common.visible(value)))

    row("English", item.source)
    row("Translation", item.text or "—")
    row("State", f"{item.state} · origin {item.origin or '—'} · by {item.author or '—'} · version {item.token}")
    for note in item.notes:
        row(note.kind.capitalize(), f"{note.who} {note.at:%Y-%m-%d}: {note.text}", "bold magenta")
    for n, suggestion in enumerate(item.suggestions, 1):
        row(f"Suggestion {n}" if len(item.suggestions) > 1 else "Suggestion", suggestion.text, "bold cyan")
        row(
            "",
            Text(common.visible(f"by {suggestion.author} {suggestion.at:%Y-%m-%d}: {suggestion.reason}"), style="dim"),
        )
    if item.note:
        row("Note", item.note)
    for line in hints:
        row("Glossary", line)
    for warning in warnings:
        error = warning.severity == "error"
        row(
            "QA error" if error else "QA",
            f"{warning.check_id}: {warning.message}",
            "bold red" if error else "bold yellow",
        )
    return grid


def _ask_key(console: Console, item: ReviewItem) -> str:
    keys = [k for k in KEYS if k != "u" or item.suggestions]
    question = " ".join(f"[{k}]{KEYS[k][1:]}" if k != "u" else "[u]se suggestion" for k in keys)
    return Prompt.ask(common.literal(question), choices=keys, default="s", console=console)


def _read_line(console: Console, question: str, prefill: str = "") -> str:
    """A line of input; on a terminal it starts as ``prefill``, ready to edit (readline)."""
    if prefill and sys.stdin.isatty():
        import readline

        readline.set_startup_hook(lambda: readline.insert_text(prefill))
        try:
            return input(question)
        finally:
            readline.set_startup_hook()
    console.print(question, end="")
    return input()


def _interactive(project: Project, locale: str, slugs: list[str], reviewer: str) -> None:
    from bpod_i18n.workflow import review as review_ops
    from bpod_i18n.workflow.glossary_ops import annotator
    from bpod_i18n.workflow.review import ChangedSinceSeen, Decision

    console = _console()
    annotate = annotator(project, locale).hints
    qa = review_ops.qa_checker(project, locale)
    done = 0
    try:
        for slug in slugs:
            items = review_ops.queue(project, locale, slug)
            if not items:
                console.print(f"{slug}: nothing to review in {locale}")
            for n, item in enumerate(items, 1):
                warnings = qa(item.source, item.text)
                title = common.literal(common.visible(f"{slug} · {item.field} · {n}/{len(items)} · {item.uid}"))
                console.print(Panel(_rows(item, annotate(item.source), warnings), title=title, title_align="left"))
                key = _ask_key(console, item)
                if key == "q":
                    console.print(f"Stopped; {done} decisions stored.")
                    return
                if key == "s":
                    continue
                comment = text = force_qa = None
                if key == "r":
                    comment = Prompt.ask("What needs work?", console=console)
                elif key == "e":
                    text = _read_line(console, "New text (empty: keep it as it is): ", item.text).strip()
                    if not text or text == item.text:
                        console.print("unchanged; nothing stored")
                        continue
                elif key == "a" and any(w.severity == "error" for w in warnings):
                    force_qa = _read_line(console, "QA errors above: why approve anyway? (empty: not approved) ")
                    if not force_qa.strip():
                        console.print("not approved")
                        continue
                try:
                    state = review_ops.decide(
                        project,
                        locale,
                        item.uid,
                        Decision.TAKE if key == "u" else Decision(KEYS[key]),
                        by=reviewer,
                        comment=comment,
                        text=text,
                        seen=item.token,
                        force_qa=force_qa,
                        suggestion=item.suggestions[-1].id if key == "u" else None,
                        qa=qa,
                    )
                except ChangedSinceSeen as exc:
                    common.err().print(Text.assemble(("not stored:", "red"), " ", str(exc)), highlight=False)
                    continue
                except BpodError as exc:  # a refused decision is shown and the walk goes on
                    common.err().print(Text.assemble(("not stored:", "red"), " ", str(exc)), highlight=False)
                    continue
                done += 1
                console.print(f"→ {state}")
    except EOFError:  # the input ended (Ctrl-D, a script's input ran out): that is quitting
        console.print(f"\nInput ended; {done} decisions stored.")
        return
    console.print(f"Done; {done} decisions stored.")


def _list(items: list[ReviewItem], locale: str, json_output: bool) -> None:
    if json_output:
        common.print_json([item.to_dict() for item in items])
        return
    console = _console()
    for item in items:
        title = common.literal(common.visible(f"{item.slug} · {item.field} · {item.target}"))
        console.print(Panel(_rows(item, [], []), title=title, title_align="left"))
    approvable = [item.target for item in items if item.state is State.TRANSLATED]
    if approvable:
        console.print(
            f"To approve exactly these texts: bpod-i18n review -l {locale} --approve {' '.join(approvable)}",
            soft_wrap=True,
        )


@handle_errors
def history(
    target: str = typer.Argument(..., help="Entry slug or unit id."),
    locale: str | None = typer.Option(None, "--locale", "-l", help="Only this locale."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Who changed what and when: the append-only history of an entry or a unit."""
    from bpod_i18n.workflow import review as review_ops

    events = review_ops.history(common.project(), target, locale=locale)
    if json_output:
        common.print_json([event.to_dict() for event in events])
        return
    table = Table("when (UTC)", "unit", "locale", "who", "action", "from → to", "text", "comment")
    for event in events:
        table.add_row(
            f"{event.at:%Y-%m-%d %H:%M:%S}",
            *map(
                common.visible,
                (
                    event.uid,
                    event.locale,
                    event.actor,
                    event.action,
                    f"{event.from_state} → {event.to_state}",
                    event.new_text or "",
                    event.comment or "",
                ),
            ),
        )
    common.out().print(table)


db_app = typer.Typer(help="Database schema: upgrade an existing database in place.", no_args_is_help=True)


@db_app.command("upgrade")
@handle_errors
def db_upgrade(json_output: bool = JSON_OPTION) -> None:
    """Apply the schema migrations shipped with this version; all data is kept."""
    project = common.project(check_schema=False)
    before, after = project.store.upgrade()
    if json_output:
        common.print_json({"from": before, "to": after})
    elif before == after:
        common.out().print(f"Database is up to date (revision {after}).")
    elif before is None:
        common.out().print(f"Database schema created (revision {after}).")
    else:
        common.out().print(f"Database upgraded from revision {before or 'empty'} to {after}.")


@db_app.command("current")
@handle_errors
def db_current() -> None:
    """Print the database's schema revision."""
    project = common.project(check_schema=False)
    common.out().print(project.store.current_revision() or "empty")


def register(app: typer.Typer) -> None:
    app.command()(review)
    app.command()(history)
    app.add_typer(db_app, name="db")
