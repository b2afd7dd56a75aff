"""The layering of the product, read from the source with `ast`.

Dependencies run one way: kierratys <- devices <- clients <- reports, and no
product module imports the benchmark (bench/). Imports inside a function body are
refused as well: they are how a cycle hides. A module over MAX_MODULE_LINES lines
is a sign that it holds more than one concern (demo data aside).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("kierratys", "devices", "clients", "reports")
BENCH = "bench"
MAX_MODULE_LINES = 450
LONG_MODULES_ALLOWED = {"demo.py"}

# accounts (users, e-mail, passwords) sits beside the chain: it may import kierratys and
# devices (donor organisations), and no app imports it.
ACCOUNTS = "accounts"
APPS = (*LAYERS, ACCOUNTS)

# What each app may not import: every layer above it, accounts, and always the benchmark.
FORBIDDEN = {app: set(LAYERS[index + 1 :]) | {ACCOUNTS, BENCH} for index, app in enumerate(LAYERS)}
FORBIDDEN[ACCOUNTS] = {"clients", "reports", BENCH}


def product_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(node, path):
    """The absolute dotted names an import statement brings in."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        return [node.module]
    # A relative import: resolve it against the importing module's package.
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    base = package[: len(package) - (node.level - 1)]
    return [".".join(base + ([node.module] if node.module else []))]


def is_type_checking_block(node):
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_with_scope(tree):
    """(import node, inside a function?, inside an `if TYPE_CHECKING:` block?)."""

    def walk(node, in_function, in_type_checking):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, in_function, in_type_checking
            yield from walk(
                child,
                in_function
                or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda),
                in_type_checking or is_type_checking_block(child),
            )

    yield from walk(tree, False, False)


def where(path, node):
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def violations_in(source, path):
    """The layering rules one module's source breaks, each as "file:line: what"."""
    app = path.relative_to(ROOT).parts[0]
    found = []
    tree = ast.parse(source)
    for node, in_function, in_type_checking in imports_with_scope(tree):
        for name in imported_modules(node, path):
            if name.split(".")[0] in FORBIDDEN[app]:
                found.append(f"{where(path, node)}: {app} imports {name}")
        if in_function and not in_type_checking:
            found.append(f"{where(path, node)}: import inside a function")
    # importlib.import_module("clients...") is an import too, one the statements above miss.
    for node in ast.walk(tree):
        name = dynamic_import(node)
        if name and name.split(".")[0] in FORBIDDEN[app]:
            found.append(f"{where(path, node)}: {app} imports {name} by name")
    return found


def dynamic_import(node):
    """The module name of an `import_module("literal")` call, else None."""
    if not (isinstance(node, ast.Call) and node.args):
        return None
    function = node.func
    called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    argument = node.args[0]
    if called == "import_module" and isinstance(argument, ast.Constant):
        return str(argument.value)
    return None


def layering_violations():
    found = []
    for path in product_modules():
        found += violations_in(path.read_text(encoding="utf-8"), path)
    return found


def long_modules():
    found = []
    for path in product_modules():
        if path.name in LONG_MODULES_ALLOWED:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            found.append(f"{path.relative_to(ROOT)}: {lines} lines (max {MAX_MODULE_LINES})")
    return found


def test_the_walk_finds_every_app():
    # Guards the test itself: a wrong ROOT would find nothing and pass.
    apps_seen = {path.relative_to(ROOT).parts[0] for path in product_modules()}
    assert apps_seen == set(APPS)


@pytest.mark.parametrize(
    ("source", "filename", "expected"),
    [
        ("from clients.models import Client\n", "devices/x.py", ["devices imports clients.models"]),
        ("from ..selectors import waiting\n", "clients/views/x.py", []),
        (
            "class A:\n    def f(self):\n        from reports import views\n",
            "clients/x.py",
            ["clients imports reports", "import inside a function"],
        ),
        ("import bench.seeding\n", "reports/x.py", ["reports imports bench.seeding"]),
        ("def f():\n    import json\n", "kierratys/x.py", ["import inside a function"]),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import json\n",
            "devices/x.py",
            [],
        ),
        ("from devices.models import Device\n", "clients/x.py", []),
        (
            "import importlib\nimportlib.import_module('reports.views')\n",
            "clients/x.py",
            ["clients imports reports.views by name"],
        ),
        ("import importlib\nimportlib.import_module('weasyprint')\n", "kierratys/x.py", []),
        ("from .models import Device\n", "devices/x.py", []),
        ("from devices.models import Donor\n", "accounts/x.py", []),
        ("from clients import selectors\n", "accounts/x.py", ["accounts imports clients"]),
        ("from accounts import services\n", "reports/x.py", ["reports imports accounts"]),
    ],
)
def test_the_checker_recognises(source, filename, expected):
    found = violations_in(source, ROOT / filename)
    assert [violation.split(": ", 1)[1] for violation in found] == expected


def test_dependencies_run_one_way_and_no_import_hides_in_a_function():
    violations = layering_violations()
    assert not violations, "\n".join(["layering violations:", *violations])


def test_no_module_is_over_the_line_limit():
    violations = long_modules()
    assert not violations, "\n".join(["modules too long:", *violations])
