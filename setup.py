"""Build: the extraction modules are compiled to C with mypyc where a C compiler is at hand.

The compiled modules give the same records as the Python ones, about 1.2 times as fast. Without a
compiler, when the compile fails, in an editable install (where edits to the .py files must count)
or with TARGETTRACK_PURE_PYTHON=1, the package installs as plain Python and works the same.
Everything else (name, version, dependencies) is in pyproject.toml.
"""

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

# The modules every sentence goes through: sentence and year finding, the quantity scan, places,
# classification and the engine that assembles records; and the JSON line of each record.
COMPILED = [
    "src/targettrack/extraction/engine.py",
    "src/targettrack/extraction/classify.py",
    "src/targettrack/extraction/context.py",
    "src/targettrack/extraction/scan.py",
    "src/targettrack/extraction/jsonline.py",
    "src/targettrack/geo.py",
]


def _warn(message: str) -> None:
    print(f"targettrack: {message}; installing the plain Python modules", file=sys.stderr)


class OptionalBuildExt(build_ext):
    """Build the compiled modules if possible; on any failure, none of them (plain Python instead)."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # noqa: BLE001 - a missing or failing compiler must not stop the install
            self._remove_built()
            _warn(f"compiling failed ({type(error).__name__}: {error})")

    def _remove_built(self) -> None:
        # The modules import a shared library built with them: keep all of them or none.
        for extension in self.extensions:
            path = self.get_ext_fullpath(extension.name)
            if os.path.exists(path):
                os.remove(path)

    def get_outputs(self) -> list[str]:
        return [path for path in super().get_outputs() if os.path.exists(path)]


# The commands that build what gets installed; the others (egg_info, dist_info, sdist) only need metadata,
# and pip runs some of them before the build: translating the modules for them would be wasted.
_BUILDS = {"bdist_wheel", "build", "build_ext", "install"}


def _extensions() -> list:
    commands = set(sys.argv[1:])
    if "editable_wheel" in commands or "develop" in commands:
        # An editable install runs the source tree: a compiled copy would hide edits to the .py files.
        _warn("editable install")
        return []
    if not commands & _BUILDS:
        return []
    if os.environ.get("TARGETTRACK_PURE_PYTHON", "") not in ("", "0"):
        _warn("TARGETTRACK_PURE_PYTHON is set")
        return []
    try:
        from mypyc.build import mypycify

        return mypycify(COMPILED, group_name="targettrack", opt_level="3")
    except (Exception, SystemExit) as error:  # noqa: BLE001 - type errors or no mypyc: plain Python
        _warn(f"mypyc could not translate the modules ({type(error).__name__}: {error})")
        return []


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
