"""The code's layers (docs/decisions.md): each module imports only from its own layer or below,
no import loop exists, and the Markdown pipeline reads no database.

Imports are read from the source with `ast`, including those inside functions, so an import
written lazily to dodge a loop still counts.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("content", "pomsite")

# From the bottom up. A module belongs to the layer of the longest name that starts it.
LAYERS = [
    (
        "site machinery",
        [
            "pomsite.env", "pomsite.cache_url", "pomsite.errors", "pomsite.request_log",
            "pomsite.security", "pomsite.audience", "pomsite.page_cache", "pomsite.page_files",
            "pomsite.views",
            "pomsite.wsgi", "pomsite.__init__", "pomsite.db_deadline",
            "pomsite.log_filters", "pomsite.postgresql",
        ],
    ),
    ("Markdown pipeline", ["content.markdown"]),
    (
        "content model",
        [
            "content.models", "content.facts", "content.workflow_models", "content.preview",
            "content.__init__",
        ],
    ),
    (
        "public site",
        [
            "content.navigation", "content.figures", "content.views", "content.urls",
            "content.tools", "content.sitemaps", "content.context_processors", "content.loader",
            "content.management",
        ],
    ),
    ("editing machinery", ["content.editing"]),
    (
        "admin registrations",
        [
            "content.admin", "content.templatetags", "content.migrations",
            "content.management.commands.create_editor",
            "content.management.commands.run_schedule",
        ],
    ),
    (
        "project",
        [
            "pomsite.urls", "pomsite.settings", "pomsite.settings_test", "pomsite.settings_bench",
            "pomsite.gunicorn.conf", "pomsite.apps", "content.apps",
        ],
    ),
]  # fmt: skip


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }


def layer_of(module: str) -> int:
    matches = [
        (len(prefix), index)
        for index, (_, prefixes) in enumerate(LAYERS)
        for prefix in prefixes
        if module == prefix or module.startswith(prefix + ".")
    ]
    assert matches, f"{module} is in no layer: add it to LAYERS"
    return max(matches)[1]


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """The project modules that `module` imports, anywhere in its source."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            while name and name not in known and f"{name}.__init__" not in known:
                name = name.rpartition(".")[0]
            if name:
                found.add(name if name in known else f"{name}.__init__")
    found.discard(module)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(name, path, set(modules)) for name, path in modules.items()}


def test_every_module_imports_only_from_its_own_layer_or_below():
    upward = [
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for module, targets in import_graph().items()
        for target in targets
        if layer_of(target) > layer_of(module)
    ]
    assert upward == []


def test_there_is_no_import_loop():
    graph = import_graph()
    loops, done = [], set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            loops.append(trail[trail.index(module) :] + [module])
            return
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert loops == []


@pytest.mark.parametrize("module", ["django.db", "django.apps"])
def test_the_markdown_pipeline_reads_no_database(module):
    for path in (ROOT / "content" / "markdown").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert f"from {module}" not in source and f"import {module}" not in source, path
