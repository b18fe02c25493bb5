"""people add / list / remove."""

from __future__ import annotations

import typer
from rich.table import Table

from bpod_i18n.cli import common
from bpod_i18n.cli.common import JSON_OPTION, handle_errors

people_app = typer.Typer(
    help=(
        "The project's people and their roles per locale (translator, reviewer, editor). "
        "--by, BPOD_I18N_USER and a PO's Last-Translator name them; the four-eyes rule "
        "compares them."
    ),
    no_args_is_help=True,
)

LOCALE_OPTION = typer.Option(None, "--locale", "-l", help="Locale of the roles (repeat).")
ROLE_OPTION = typer.Option(None, "--role", "-r", help="translator, reviewer or editor (repeat).")


def _person_json(person: object) -> dict:
    from bpod_i18n.people import Person

    assert isinstance(person, Person)
    return {
        "handle": person.handle,
        "name": person.name,
        "email": person.email,
        "roles": [{"locale": lc, "role": role} for lc, role in sorted(person.roles)],
        "removed": person.removed,
    }


@people_app.command("add")
@handle_errors
def add(
    handle: str = typer.Argument(..., help="Short lower-case name, e.g. marta."),
    name: str | None = typer.Option(None, "--name", help='Full name, e.g. "Marta Puig" (needed for a new person).'),
    email: str | None = typer.Option(None, "--email", help="E-mail: how PO headers (Last-Translator) name them."),
    locales: list[str] | None = LOCALE_OPTION,
    roles: list[str] | None = ROLE_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Add a person, or add roles to one (each --role in each --locale).

    Old history that recorded this person by handle, e-mail, "Name <e-mail>" or their full
    name is linked to them, so the four-eyes rule knows what they wrote.
    """
    from bpod_i18n.workflow import people

    report = people.add_person(
        common.project(), handle, name=name, email=email, locales=locales or [], roles=roles or []
    )
    if json_output:
        common.print_json(
            {
                **_person_json(report.person),
                "created": report.created,
                "roles_added": [{"locale": lc, "role": role} for lc, role in report.roles_added],
                "linked_events": report.linked_events,
                "linked_texts": report.linked_texts,
            }
        )
        return
    person = report.person
    added = ", ".join(f"{role} in {lc}" for lc, role in report.roles_added) or "no new role"
    common.out().print(
        f"{'Added' if report.created else 'Updated'} {person.handle} ({person.display}): {added}", highlight=False
    )
    if report.linked_events or report.linked_texts:
        common.out().print(
            f"Linked {report.linked_events} history events and {report.linked_texts} texts recorded under their name.",
            highlight=False,
        )


@people_app.command("list")
@handle_errors
def list_(
    all_people: bool = typer.Option(False, "--all", help="Also people who were removed."),
    json_output: bool = JSON_OPTION,
) -> None:
    """The project's people and their roles."""
    from bpod_i18n.workflow import people

    found = [p for p in people.list_people(common.project()) if all_people or not p.removed]
    if json_output:
        common.print_json([_person_json(p) for p in found])
        return
    table = Table("handle", "name", "e-mail", "roles")
    for person in found:
        locales = sorted({lc for lc, _ in person.roles})
        roles = "; ".join(f"{lc}: {', '.join(person.roles_in(lc))}" for lc in locales)
        table.add_row(person.handle, person.name, person.email or "", roles + (" (removed)" if person.removed else ""))
    common.out().print(table)


@people_app.command("remove")
@handle_errors
def remove(
    handle: str = typer.Argument(..., help="Their handle."),
    locales: list[str] | None = LOCALE_OPTION,
    roles: list[str] | None = ROLE_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Take roles away (--locale / --role), or, with neither, remove the person: they can no
    longer act; history keeps naming them."""
    from bpod_i18n.workflow import people

    report = people.remove_person(common.project(), handle, locales=locales or [], roles=roles or [])
    if json_output:
        common.print_json(
            {
                **_person_json(report.person),
                "roles_removed": [{"locale": lc, "role": role} for lc, role in report.roles_removed],
            }
        )
        return
    removed = ", ".join(f"{role} in {lc}" for lc, role in report.roles_removed) or "no role"
    if report.person.removed:
        common.out().print(f"Removed {report.person.handle} ({removed} taken away); history keeps them.")
    else:
        common.out().print(f"{report.person.handle}: {removed} taken away.")


def register(app: typer.Typer) -> None:
    app.add_typer(people_app, name="people")
