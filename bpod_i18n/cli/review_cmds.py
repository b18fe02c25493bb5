"""review (interactive and scripted), history, db upgrade."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.panel import Panel
from rich.prompt import Prompt
from rich.table import Table
from rich.text import Text

from bpod_i18n.cli import common
from bpod_i18n.cli.common import JSON_OPTION, handle_errors
from bpod_i18n.errors import BpodError, UsageError

if TYPE_CHECKING:
    from bpod_i18n.workflow.project import Project

KEYS = {"a": "approve", "r": "reject", "e": "edit", "s": "skip", "q": "quit"}


@handle_errors
def review(
    targets: list[str] = typer.Argument(..., help="Entry slugs (or unit ids with --approve/--reject)."),
    locale: str = typer.Option(..., "--locale", "-l", help="Locale under review, e.g. ca."),
    approve: bool = typer.Option(False, "--approve", help="Approve every translated unit of the targets (no prompts)."),
    reject: bool = typer.Option(False, "--reject", help="Reject the targets back to needs-work (needs --comment)."),
    comment: str | None = typer.Option(None, "--comment", "-m", help="Why: required with --reject."),
    by: str | None = typer.Option(None, "--by", help="Reviewer name (default: BPOD_I18N_USER or your login)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Review translations of one locale.

    Without --approve/--reject, walks the units of each entry one at a time in the terminal:
    English, translation, origin, glossary hints; keys [a]pprove, [r]eject with a comment,
    [e]dit, [s]kip, [q]uit. Every decision is stored at once, so quitting keeps progress.
    A reviewer cannot approve a text they wrote themselves (four-eyes rule).
    """
    # Imported here, like every workflow module: each command starts with only what it uses.
    from bpod_i18n.workflow import review as review_ops
    from bpod_i18n.workflow.review import Decision

    project = common.project()
    reviewer = by or project.config.user
    if approve and reject:
        raise UsageError("--approve and --reject exclude each other")
    if approve or reject:
        decision = Decision.APPROVE if approve else Decision.REJECT
        report = review_ops.decide_many(project, locale, targets, decision, by=reviewer, comment=comment)
        if json_output:
            common.print_json(
                {
                    "decided": [{"unit": uid, "state": state.value} for uid, state in report.decided],
                    "skipped": [{"unit": uid, "why": why} for uid, why in report.skipped],
                }
            )
            return
        decided, skipped = len(report.decided), len(report.skipped)
        done = "approved" if decision is Decision.APPROVE else "rejected"
        common.out().print(
            f"{_units(decided)} {done}, {_units(skipped)} left as {'it was' if skipped == 1 else 'they were'}"
        )
        for uid, why in report.skipped:
            common.err().print(f"  skipped {uid}: {why}", highlight=False)
        return
    _interactive(project, locale, targets, reviewer)


def _units(count: int) -> str:
    return f"{count} unit" if count == 1 else f"{count} units"


def _interactive(project: Project, locale: str, slugs: list[str], reviewer: str) -> None:
    from bpod_i18n.workflow import review as review_ops
    from bpod_i18n.workflow.glossary_ops import annotator
    from bpod_i18n.workflow.review import Decision

    console = common.out()
    annotate = annotator(project, locale).hints
    qa = review_ops.qa_checker(project, locale)
    done = 0
    try:
        for slug in slugs:
            items = review_ops.queue(project, locale, slug)
            if not items:
                console.print(f"{slug}: nothing to review in {locale}")
            for n, item in enumerate(items, 1):
                body = Text()
                # The reviewer sees every control character (common.visible): an ESC sequence
                # in a translation must not hide text from them or retitle their terminal.
                shown = common.visible
                body.append("English      ", style="bold").append(shown(item.source) + "\n")
                body.append("Translation  ", style="bold").append(shown(item.text or "—") + "\n")
                body.append("State        ", style="bold").append(
                    shown(f"{item.state}  origin: {item.origin or '—'}  by: {item.author or '—'}") + "\n"
                )
                for line in annotate(item.source):
                    body.append("Glossary     ", style="bold").append(shown(line) + "\n")
                if item.note:
                    body.append("Note         ", style="bold").append(shown(item.note) + "\n")
                for warning in qa(item.source, item.text):
                    body.append("QA           ", style="bold yellow").append(
                        shown(f"{warning.check_id}: {warning.message}") + "\n"
                    )
                title = common.literal(shown(f"{slug} · {item.field} · {n}/{len(items)} · {item.uid}"))
                console.print(Panel(body, title=title, expand=False))
                key = Prompt.ask(
                    common.literal("[a]pprove [r]eject [e]dit [s]kip [q]uit"),
                    choices=list(KEYS),
                    default="s",
                    console=console,
                )
                if key == "q":
                    console.print(f"Stopped; {done} decisions stored.")
                    return
                if key == "s":
                    continue
                comment = text = None
                if key == "r":
                    comment = Prompt.ask("What needs work?", console=console)
                elif key == "e":
                    text = Prompt.ask("New text", default=item.text, console=console)
                try:
                    state = review_ops.decide(
                        project,
                        locale,
                        item.uid,
                        Decision(KEYS[key]),
                        by=reviewer,
                        comment=comment,
                        text=text,
                        seen_version=item.version,
                    )
                except BpodError as exc:  # a refused decision is shown and the walk goes on
                    common.err().print(Text.assemble(("not stored:", "red"), " ", str(exc)), highlight=False)
                    continue
                done += 1
                console.print(f"→ {state}")
    except EOFError:  # the input ended (Ctrl-D, a script's input ran out): that is quitting
        console.print(f"\nInput ended; {done} decisions stored.")
        return
    console.print(f"Done; {done} decisions stored.")


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
