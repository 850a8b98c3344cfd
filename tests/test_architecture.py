"""The layering of the package, as written in pyproject.toml's import contracts.

import-linter reads the package from disk, and setuptools' `package-dir`
mapping (one folder per subpackage at the top of the repository) is not a
tree it can walk; so the test assembles the `presswash` package in a
temporary folder, the way a wheel lays it out, and lints that copy.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = REPO / "pyproject.toml"
# How long a function body may be (its signature and docstring aside).
MAX_BODY_LINES = 60


def package_dirs() -> dict[str, Path]:
    """Each import package of the distribution and the folder it comes from."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["setuptools"]
    return {name: REPO / folder for name, folder in config["package-dir"].items()}


def assemble(dest: Path) -> Path:
    """The `presswash` package laid out as installed, below `dest`."""
    for name, folder in sorted(package_dirs().items()):
        target = dest.joinpath(*name.split("."))
        shutil.copytree(folder, target, ignore=shutil.ignore_patterns("__pycache__", "data"))
    return dest


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("lint-imports")
    if not script.exists():
        pytest.skip("import-linter is not installed (it is in the dev dependency group)")
    return subprocess.run(
        [str(script), "--no-cache", str(PYPROJECT)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_import_contract_is_kept(tmp_path: Path) -> None:
    done = lint_imports(assemble(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_a_core_module_that_imports_the_runner_breaks_the_contracts(tmp_path: Path) -> None:
    root = assemble(tmp_path)
    module = root / "presswash" / "parsers" / "text_stats.py"
    module.write_text(
        module.read_text(encoding="utf-8") + "\nimport presswash.runner.engine  # noqa\n",
        encoding="utf-8",
    )
    done = lint_imports(root)
    assert done.returncode != 0
    assert "presswash.parsers.text_stats -> presswash.runner.engine" in done.stdout


def test_every_folder_says_in_its_docstring_what_belongs_there() -> None:
    for name, folder in package_dirs().items():
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
        assert doc, f"{folder.name}/__init__.py has no docstring"
        assert len(doc.splitlines()[0]) > 20, f"{name}: {doc!r}"


def body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function's body, its docstring left out."""
    body = node.body
    first = body[0]
    is_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    if is_doc and isinstance(first.value.value, str):
        if len(body) == 1:
            return 0
        first = body[1]
    return (node.end_lineno or first.lineno) - first.lineno + 1


def test_no_function_body_is_longer_than_sixty_lines() -> None:
    long = []
    for folder in package_dirs().values():
        for path in sorted(folder.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if (lines := body_lines(node)) > MAX_BODY_LINES:
                    long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} {lines}")
    assert not long, "\n".join(long)
