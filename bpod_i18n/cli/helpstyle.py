"""How options read in `--help`: flags show no value, repeatable options show one.

Typer (0.2x) labels every option with its Python type: a flag reads ``--json <bool>`` as if it
took a value, and a repeatable option ``--entry <list[str]>``. Rather than a ``metavar=`` on
every option of every command (which the next option added would forget), the app's group
class tidies the whole command tree once it is built: a flag gets an empty label, a repeatable
option the label of one value (its help says "repeat"). An option that sets its own ``metavar``
keeps it.
"""

from __future__ import annotations

from typing import Any

from typer import _click
from typer.core import TyperArgument, TyperGroup, TyperOption

HELP_OPTION_NAMES = ["-h", "--help"]


class TidyHelpGroup(TyperGroup):
    """The app's group: builds as Typer does, then tidies the options of every command in it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        tidy(self)


def tidy(command: _click.Command) -> None:
    """Tidy ``command`` and every command under it (sub-apps are groups of their own)."""
    ctx = _click.Context(command, help_option_names=HELP_OPTION_NAMES)
    for param in command.params:
        if isinstance(param, TyperOption):
            _tidy_option(param, ctx)
        elif type(param) is TyperArgument:
            # An argument's label is not its metavar (that is its name): its class says it.
            param.__class__ = _OneValueArgument
    # The --help option is made on first use and then kept (click caches it so that callbacks
    # run in order); making it now lets it be tidied like the others.
    help_option = command.get_help_option(ctx)
    if isinstance(help_option, TyperOption):
        _tidy_option(help_option, ctx)
    for sub in getattr(command, "commands", {}).values():
        tidy(sub)


def _tidy_option(option: TyperOption, ctx: _click.Context) -> None:
    if option.metavar is not None:
        return
    if option.is_flag:
        option.metavar = ""
    elif option.multiple:
        option.metavar = _one_value(option.display_type(ctx))


class _OneValueArgument(TyperArgument):
    """An argument taking several values shows the type of one (its name already ends in "...")."""

    def display_type_rich(self, ctx: _click.Context) -> str | None:
        label = super().display_type_rich(ctx)
        return _one_value(label) if label is not None else None


def _one_value(label: str) -> str:
    """ "<list[str]>" → "<str>"; "<list[Path]>" → "<path>", as a single path option reads."""
    if label.startswith("<list[") and label.endswith("]>"):
        inner = label[len("<list[") : -len("]>")]
        return f"<{'path' if inner == 'Path' else inner}>"
    return label
