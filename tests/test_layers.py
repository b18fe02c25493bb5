"""The house rule on dependencies, read from the code's own imports (those inside functions
too): cli → workflow → parts, one way, and no two modules importing each other."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bpod_i18n"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:  # Alembic's scripts, run by Alembic only
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the package's modules it imports (a name imported from a package counts as
    its submodule when there is one, else as the package)."""

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package
                    for _ in range(node.level - 1):
                        anchor = anchor.rpartition(".")[0]
                    base = f"{anchor}.{base}" if base else anchor
                targets.update(
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
                )
        graph[module] = {t for name in targets if name.startswith("bpod_i18n") and (t := known(name)) and t != module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that reach each other (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return cycles


def test_no_two_modules_import_each_other() -> None:
    assert _cycles(_imports(_modules())) == []


def test_parts_never_import_the_workflow_or_the_cli() -> None:
    upper = ("bpod_i18n.workflow", "bpod_i18n.cli")
    wrong = {
        module: sorted(t for t in targets if t.startswith(upper))
        for module, targets in _imports(_modules()).items()
        if not module.startswith(upper) and module != "bpod_i18n.__main__"
    }
    assert {module: targets for module, targets in wrong.items() if targets} == {}


def test_nothing_imports_the_cli() -> None:
    graph = _imports(_modules())
    users = {m for m, targets in graph.items() if any(t.startswith("bpod_i18n.cli") for t in targets)}
    assert {m for m in users if not m.startswith("bpod_i18n.cli")} == {"bpod_i18n.__main__"}
