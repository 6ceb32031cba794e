"""The layout the README promises: arrows between apps point one way, and no module imports
another that (directly or not) imports it back.

Read from the source with ``ast``, so a function-local import counts like any other: hiding an
import inside a function does not hide the arrow."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Each app and the apps it may import, lowest first.
MAY_IMPORT = {
    "core": set(),
    "documents": {"core"},
    "members": {"core", "bulletin", "documents"},
    "bulletin": {"core", "documents"},
    "news": {"core", "documents", "bulletin"},
}
APPS = set(MAY_IMPORT)


def modules():
    for app in sorted(APPS):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield app, path


def module_name(path):
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path, name=None):
    """Absolute names of the project modules ``path`` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = (name or module_name(path)).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            names.append(module)
            # "from . import workflow" imports a module, not a name of the package.
            names.extend(f"{module}.{alias.name}" for alias in node.names)
    return [name for name in names if name.split(".")[0] in APPS]


def test_arrows_between_apps_point_one_way():
    wrong = []
    for app, path in modules():
        for name in imported_modules(path):
            target = name.split(".")[0]
            if target != app and target not in MAY_IMPORT[app]:
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert wrong == []


def test_no_import_cycle_between_modules():
    known = {module_name(path): path for _app, path in modules()}
    graph = {
        name: {target for target in imported_modules(path) if target in known and target != name}
        for name, path in known.items()
    }
    # A package's __init__ is imported by its modules anyway: an arrow to the package itself is
    # not a cycle to report.
    for name, targets in graph.items():
        targets.difference_update({part for part in known if name.startswith(part + ".")})
    cycles = []
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycles.append(" → ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from news.models import NewsItem\n", ["news.models", "news.models.NewsItem"]),
        ("def f():\n    import news.views\n", ["news.views"]),
        ("from ..core import media\n", ["core", "core.media"]),
    ],
)
def test_the_reader_sees_imports_even_inside_functions(tmp_path, source, expected):
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    assert imported_modules(path, name="bulletin.probe") == expected
