"""The layering of STYLE.md: domain, storage and pdf never import Qt."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["desktop_app.domain.checks", "desktop_app.storage", "desktop_app.pdf",
                                     "desktop_app.messages", "desktop_app.cli", "desktop_app.demo"])
def test_package_imports_without_pyside6(package):
    code = f"import sys, {package}; assert 'PySide6' not in sys.modules, sorted(m for m in sys.modules if 'PySide6' in m)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_domain_uses_the_standard_library_only():
    code = ("import sys; before = set(sys.modules); import desktop_app.domain.checks, desktop_app.domain.edits, "
            "desktop_app.domain.serialize, desktop_app.domain.outline; "
            "third = {m.split('.')[0] for m in set(sys.modules) - before} - {'desktop_app'}; "
            "import sys as s; std = set(s.stdlib_module_names); assert third <= std, third - std")
    subprocess.run([sys.executable, "-c", code], check=True)
