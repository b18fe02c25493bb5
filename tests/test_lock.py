"""requirements.lock is what a fresh machine installs: it must satisfy pyproject.toml's ranges.

A dependency added to pyproject.toml without refreshing the lock (scripts/refresh-lock) would
install on a developer's machine through `pip install -e .` and be missing on CI's.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def _pins() -> dict[str, list[str]]:
    pins: dict[str, list[str]] = {}
    for name, version in _PIN.findall((REPO / "requirements.lock").read_text(encoding="utf-8")):
        pins.setdefault(canonicalize_name(name), []).append(version)
    return pins


def test_every_dependency_and_extra_is_pinned_within_its_range() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted += extra
    pins = _pins()
    problems = []
    for spec in wanted:
        requirement = Requirement(spec)
        versions = pins.get(canonicalize_name(requirement.name))
        if not versions:
            problems.append(f"{requirement.name}: not in requirements.lock")
        elif not any(requirement.specifier.contains(v, prereleases=True) for v in versions):
            problems.append(f"{requirement.name}: locked {versions} outside {requirement.specifier}")
    assert not problems, "run scripts/refresh-lock: " + "; ".join(problems)


def test_every_pin_carries_hashes() -> None:
    text = (REPO / "requirements.lock").read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    unhashed = [block.split()[0] for block in blocks if _PIN.match(block) and "--hash=sha256:" not in block]
    assert not unhashed
