"""The layering rules: store/, core/ and exchange/ (and the CLI) never import Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import followthrough

PACKAGE_ROOT = Path(followthrough.__file__).parent
QT_FREE_PACKAGES = ["store", "core", "exchange", "cli", "demo", "desktop"]
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _modules_of(package: str) -> list[str]:
    folder = PACKAGE_ROOT / package
    names = []
    for path in sorted(folder.rglob("*.py")):
        relative = path.relative_to(PACKAGE_ROOT.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def test_every_layer_package_has_modules() -> None:
    # Guards the tests below against passing because a folder moved or emptied.
    for package in QT_FREE_PACKAGES:
        assert len(_modules_of(package)) >= 2, package


def test_importing_the_qt_free_layers_loads_no_qt() -> None:
    modules = [m for package in QT_FREE_PACKAGES for m in _modules_of(package)]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r})\n"
        "print(len(sys.modules), loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_qt_import_statement_even_inside_functions() -> None:
    offenders = []
    for package in QT_FREE_PACKAGES:
        for path in (PACKAGE_ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                offenders += [
                    f"{path.name}:{node.lineno} {n}"
                    for n in names
                    if n.split(".")[0] in QT_MODULES
                ]
    assert offenders == []


def test_a_cli_command_runs_without_loading_qt(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from followthrough.cli.main import main\n"
        f"code = main(['due', '--data-dir', {str(tmp_path)!r}])\n"
        f"loaded = [m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}]\n"
        "sys.exit(code or (3 if loaded else 0))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Follow-up list" in result.stdout
