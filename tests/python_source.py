"""A module as the interpreter runs it, for tests that replace one of its functions.

The extraction modules are installed compiled where a C compiler was at hand (setup.py). A compiled
module calls its own functions directly, so replacing one with monkeypatch changes nothing inside it.
A copy made from the module's .py file (installed beside the compiled one) is run by the interpreter,
where replacing a function is seen by every call.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def python_copy(module: ModuleType) -> ModuleType:
    """A new module run from `module`'s .py source (its imports are the installed modules)."""
    source = Path(module.__file__).parent / (module.__name__.rpartition(".")[2] + ".py")
    name = module.__name__ + "__python"
    spec = importlib.util.spec_from_file_location(name, source)
    copy = importlib.util.module_from_spec(spec)
    sys.modules[name] = copy  # dataclasses look their module up while the classes are made
    try:
        spec.loader.exec_module(copy)
    finally:
        del sys.modules[name]
    return copy


def is_compiled(module: ModuleType) -> bool:
    return not module.__file__.endswith(".py")
