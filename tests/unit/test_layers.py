"""The layers of ../shared/DESIGN.md, read from the code: which package imports which.

Every ``import`` counts, inside functions and ``TYPE_CHECKING`` blocks too: an import that
only runs later is still a dependency a newcomer must know about.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "mock_portal",
    "pages",
    "flows",
    "runtime",
    "fixtures",
    "monitor",
    "guides",
    "bench",
    "sentinel",
)
# What each package may import of the others (itself always). The bundled portal is a
# separate system; the CLI (sentinel) is the top, and only the benchmarks, which measure the
# Allure observer too, may use the pytest glue.
MAY_IMPORT: Mapping[str, frozenset[str]] = {
    "mock_portal": frozenset(),
    "pages": frozenset(),
    "flows": frozenset({"pages"}),
    "runtime": frozenset({"flows", "pages"}),
    "fixtures": frozenset({"runtime", "flows", "pages"}),
    "monitor": frozenset({"runtime", "flows", "pages"}),
    "guides": frozenset({"runtime", "flows", "pages"}),
    "bench": frozenset({"runtime", "flows", "pages", "fixtures", "monitor", "guides"}),
    "sentinel": frozenset({"mock_portal", "runtime", "flows", "pages", "monitor", "guides"}),
}
# Page objects use Playwright and nothing else outside the standard library.
PAGES_THIRD_PARTY = frozenset({"playwright"})


def imported_names(source: str) -> set[str]:
    """Every top-level module name the source imports (relative imports are its own), by
    statement or by name (``importlib.import_module("x")``, ``__import__("x")``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and (module := _imported_by_name(node)):
            names.add(module.split(".")[0])
    return names


def _imported_by_name(call: ast.Call) -> str | None:
    """The module ``import_module("x")`` or ``__import__("x")`` imports, if it is one."""
    name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
    first = call.args[0] if call.args else None
    if name in ("import_module", "__import__") and isinstance(first, ast.Constant):
        return first.value if isinstance(first.value, str) else None
    return None


def top_level_packages(root: Path) -> set[str]:
    """Every folder at the top of the tree that holds Python code, but the tests."""
    return {
        path.name
        for path in root.iterdir()
        if path.is_dir()
        and not path.name.startswith((".", "_"))
        and path.name not in ("tests", "node_modules", "reports")
        and not path.name.endswith(".egg-info")
        and any(path.rglob("*.py"))
    }


def package_imports(root: Path, package: str) -> dict[str, set[str]]:
    """For each module of ``package`` (relative path), the top-level names it imports."""
    return {
        str(path.relative_to(root)): imported_names(path.read_text(encoding="utf-8"))
        for path in sorted((root / package).rglob("*.py"))
    }


def graph(root: Path, packages: Iterable[str] = PACKAGES) -> dict[str, dict[str, set[str]]]:
    """package -> imported package -> the modules that import it."""
    known = set(packages)
    edges: dict[str, dict[str, set[str]]] = {p: {} for p in known}
    for package in known:
        for module, names in package_imports(root, package).items():
            for name in names & known - {package}:
                edges[package].setdefault(name, set()).add(module)
    return edges


def forbidden(edges: Mapping[str, Mapping[str, set[str]]]) -> list[str]:
    """Each import the layout forbids, as ``module imports package``."""
    return [
        f"{module} imports {target}"
        for source, targets in sorted(edges.items())
        for target, modules in sorted(targets.items())
        if target not in MAY_IMPORT[source]
        for module in sorted(modules)
    ]


def cycles(edges: Mapping[str, Mapping[str, set[str]]]) -> list[list[str]]:
    """Every package that can reach itself, with the path it takes."""
    found = []
    for start in sorted(edges):
        stack = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, path = stack.pop()
            for target in sorted(edges.get(node, {})):
                if target == start:
                    found.append([*path, start])
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, [*path, target]))
    return found


def test_every_package_has_a_place_in_the_layers() -> None:
    """A new top-level folder of code must be given its layer here, or nothing checks it."""
    assert sorted(top_level_packages(ROOT) - set(PACKAGES)) == []


def test_every_package_imports_only_the_layers_below_it() -> None:
    assert forbidden(graph(ROOT)) == []


def test_the_packages_import_one_another_without_a_cycle() -> None:
    assert cycles(graph(ROOT)) == []


def test_page_objects_use_playwright_and_the_standard_library_only() -> None:
    import sys

    outside = {
        f"{module} imports {name}"
        for module, names in package_imports(ROOT, "pages").items()
        for name in names - PAGES_THIRD_PARTY - {"pages", "__future__"}
        if name not in sys.stdlib_module_names
    }
    assert outside == set()


def test_a_forbidden_import_is_found_wherever_it_is_written(tmp_path: Path) -> None:
    """The checks above can fail: a tree where the monitor imports the pytest glue inside a
    function, the page objects import the runtime under TYPE_CHECKING, and the runtime the
    CLI, is refused on each, and the runtime <-> CLI loop is a cycle."""
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "monitor" / "check.py").write_text(
        "def later():\n    from fixtures.portal import Target\n"
    )
    (tmp_path / "pages" / "base.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import runtime.journey\n"
    )
    (tmp_path / "runtime" / "go.py").write_text("from sentinel import cli\n")
    (tmp_path / "guides" / "late.py").write_text(
        "import importlib\nplugin = importlib.import_module('fixtures.plugin')\n"
    )
    (tmp_path / "reporting").mkdir()
    (tmp_path / "reporting" / "x.py").write_text("import fixtures\n")
    (tmp_path / "sentinel" / "cli.py").write_text("from runtime import go\n")
    edges = graph(tmp_path)
    assert top_level_packages(tmp_path) - set(PACKAGES) == {"reporting"}
    assert forbidden(edges) == [
        "guides/late.py imports fixtures",
        "monitor/check.py imports fixtures",
        "pages/base.py imports runtime",
        "runtime/go.py imports sentinel",
    ]
    assert ["runtime", "sentinel", "runtime"] in cycles(edges)


def test_nothing_but_the_tests_imports_the_pytest_glue_or_the_cli() -> None:
    """Read from the rules: no package but the benchmarks may import ``fixtures``, and none
    may import ``sentinel`` (the rules above would be weaker if these slipped in)."""
    assert [p for p, allowed in MAY_IMPORT.items() if "fixtures" in allowed] == ["bench"]
    assert [p for p, allowed in MAY_IMPORT.items() if "sentinel" in allowed] == []
