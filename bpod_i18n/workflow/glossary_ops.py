"""Glossary operations over the project (placeholder until the glossary package lands)."""

from __future__ import annotations

from bpod_i18n.workflow.export import Annotator
from bpod_i18n.workflow.project import Project


def annotator(project: Project, locale: str) -> Annotator | None:
    return None
