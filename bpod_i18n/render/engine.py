"""Render a :class:`LocalisedEntry` as HTML, Markdown or JSON.

Templates are Jinja2: the built-ins live in ``bpod_i18n/templates/``; a mirror can pass its
own folder, searched first (a ChoiceLoader), and may extend a built-in under the name
``builtin/entry.html.j2`` to override only some blocks. Translations are only ever template
*values*, never template source, so "{{ 7*7 }}" in a translation is text.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Literal

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)

from bpod_i18n.errors import InputError, UsageError
from bpod_i18n.render.escape import json_document, markdown_finalize
from bpod_i18n.render.manifest import TextVersions
from bpod_i18n.render.model import LocalisedEntry
from bpod_i18n.render.page import EntryPage, build_page
from bpod_i18n.render.sync import RenderedFile

Format = Literal["html", "markdown", "json"]
FORMATS: tuple[Format, ...] = ("html", "markdown", "json")
EXTENSIONS: dict[str, str] = {"html": ".html", "markdown": ".md", "json": ".json"}
TEMPLATE_NAMES: dict[str, str] = {"html": "entry.html.j2", "markdown": "entry.md.j2"}
BUILTIN_TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"

# A slug becomes a file name: no separators, no leading dot, nothing a shell or URL mangles.
_SAFE_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def output_relpath(entry: LocalisedEntry, fmt: Format) -> PurePosixPath:
    """Where an entry goes inside the output folder: ``<YYYY>/<slug>.html|.md|.json``."""
    return relpath_for(entry.slug, entry.date, fmt)


def relpath_for(slug: str, date: dt.date, fmt: Format) -> PurePosixPath:
    """:func:`output_relpath` from a slug and a date, without building the entry first."""
    _check_format(fmt)
    if not _SAFE_SLUG.match(slug) or len(slug) > 200:
        raise UsageError(f"slug {slug!r} cannot be a file name (letters, digits, '.', '_', '-' only)")
    return PurePosixPath(f"{date.year:04d}") / f"{slug}{EXTENSIONS[fmt]}"


def render_entry(entry: LocalisedEntry, fmt: Format, *, template_dir: Path | None = None) -> str:
    """The page for ``entry`` in ``fmt``; HTML/Markdown via templates, JSON via json.dumps."""
    _check_format(fmt)
    page = build_page(entry)
    if fmt == "json":
        return json_document(page.to_json_data())
    return _render_template(page, fmt, template_dir)


def render_file(
    entry: LocalisedEntry, fmt: Format, *, versions: TextVersions = "", template_dir: Path | None = None
) -> RenderedFile:
    """``entry`` rendered and placed (``<YYYY>/<slug>.<ext>``), ready for :func:`plan_sync`."""
    relpath = output_relpath(entry, fmt)
    return RenderedFile(str(relpath), render_entry(entry, fmt, template_dir=template_dir), versions)


# The blocks of the HTML page that are the entry's own content: what a CMS puts in a post's
# body (its theme shows the title, date and label itself).
BODY_BLOCKS = ("body", "footer")


def render_html_body(entry: LocalisedEntry, *, template_dir: Path | None = None) -> str:
    """The ``body`` and ``footer`` blocks of ``entry``'s HTML page: the same template (the
    built-in or the mirror's own), the same autoescaping, without the page around them."""
    page = build_page(entry)
    env = _environment(str(template_dir) if template_dir is not None else None, True)
    name = TEMPLATE_NAMES["html"]
    try:
        template = env.get_template(name)
    except TemplateSyntaxError as exc:
        raise InputError(f"template syntax error: {exc.message}", path=exc.filename, line=exc.lineno) from None
    except TemplateNotFound:
        raise UsageError(f"template {name} not found", path=template_dir or BUILTIN_TEMPLATE_DIR) from None
    missing = [block for block in BODY_BLOCKS if block not in template.blocks]
    if missing:
        raise UsageError(f"template {name} has no block {', '.join(missing)}", path=template.filename)
    try:
        # The whole page is rendered once and dropped: that defines the template's top-level
        # macros in the context, which the blocks call.
        context = template.new_context({"page": page})
        for _ in template.root_render_func(context):
            pass
        html = "".join("".join(template.blocks[block](context)) for block in BODY_BLOCKS)
    except TemplateError as exc:
        raise InputError(f"template error: {exc.message}", path=template.filename) from None
    return html.strip() + "\n"


def _render_template(page: EntryPage, fmt: Format, template_dir: Path | None) -> str:
    env = _environment(str(template_dir) if template_dir is not None else None, fmt == "html")
    name = TEMPLATE_NAMES[fmt]
    try:
        template = env.get_template(name)
    except TemplateSyntaxError as exc:
        raise InputError(f"template syntax error: {exc.message}", path=exc.filename, line=exc.lineno) from None
    except TemplateNotFound:  # only if the built-ins were removed from the installation
        raise UsageError(f"template {name} not found", path=template_dir or BUILTIN_TEMPLATE_DIR) from None
    try:
        return template.render(page=page)
    except TemplateError as exc:
        raise InputError(f"template error: {exc.message}", path=template.filename) from None


@lru_cache(maxsize=16)
def _environment(template_dir: str | None, html: bool) -> Environment:
    builtin = FileSystemLoader(BUILTIN_TEMPLATE_DIR)
    loaders: list[FileSystemLoader | PrefixLoader] = []
    if template_dir is not None:
        folder = Path(template_dir)
        if not folder.is_dir():
            raise UsageError("template folder does not exist", path=folder)
        loaders.append(FileSystemLoader(folder))
    loaders += [builtin, PrefixLoader({"builtin": builtin})]
    return Environment(
        loader=ChoiceLoader(loaders),
        # HTML: Jinja's autoescape. Markdown: no HTML autoescape (it would double-escape
        # entities), but every printed value goes through escape_markdown via finalize.
        autoescape=html,
        finalize=None if html else markdown_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UsageError(f"unknown output format {fmt!r}: choose html, markdown or json")
