"""The core never pulls in Textual or Rich, and the modules the UI loads never pull in numpy."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import tutor.core

CORE_MODULES = sorted(
    m.name for m in pkgutil.walk_packages(tutor.core.__path__, "tutor.core.") if not m.ispkg
)


def imported_after(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


def test_core_modules_exist():
    assert {"tutor.core.lesson.load", "tutor.core.run.recorder", "tutor.core.run.runner"} <= set(CORE_MODULES)


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_no_ui_library(module):
    loaded = imported_after(module)
    assert "textual" not in loaded
    assert "rich" not in loaded


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_leaves_numpy_to_the_worker(module):
    # numpy costs ~90 ms to import; the UI process only needs it for lessons with arrays.
    assert "numpy" not in imported_after(module)
