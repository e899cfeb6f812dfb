"""The file-based commands without Django: ``lint``, ``codegen``, ``check_compat``, ``diagram --file``.

The one documented way to call each stays ``manage.py NAME …`` (see the README). ``manage.py``
hands these commands to :func:`main` *before* it sets Django up: they read files and call the
pure core, so no settings, database or app is involved, and Django's start-up (most of a second
with this project's apps) was most of the wall time of a small lint. The Django management
commands of the same names wrap the same modules (``designer.catalog.management.filecommand``),
so ``call_command("lint", …)`` and ``manage.py lint`` parse the same options, print the same
lines and exit with the same codes. ``diagram`` runs here only with ``--file``; ``--team`` needs
the database and goes through Django.

Each command module has ``HELP``, ``add_arguments(parser)`` and ``run(options, out, err) -> int``
where ``out``/``err`` write one line each (no trailing newline) and the result is the exit code.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

FILE_COMMANDS: tuple[str, ...] = ("lint", "codegen", "check_compat", "diagram")

Writer = Callable[[str], None]


def command_module(name: str) -> ModuleType:
    """The module implementing the file command ``name``."""
    return importlib.import_module(f"designer.cli.{name}")


def handles(argv: Sequence[str]) -> bool:
    """True when ``manage.py`` ``argv`` names a file command this package runs without Django."""
    if len(argv) < 2 or argv[1] not in FILE_COMMANDS:
        return False
    if argv[1] == "diagram":  # --team reads the database: Django's job
        return any(a == "--file" or a.startswith("--file=") for a in argv[2:]) and not any(
            a == "--team" or a.startswith("--team=") for a in argv[2:])
    return True


def _django_options(parser: argparse.ArgumentParser) -> None:
    # Django's options on every command, accepted (and meaningless here) so that a command line
    # that works through Django works here too.
    parser.add_argument("-v", "--verbosity", type=int, choices=[0, 1, 2, 3], default=1, help=argparse.SUPPRESS)
    parser.add_argument("--settings", help=argparse.SUPPRESS)
    parser.add_argument("--pythonpath", help=argparse.SUPPRESS)
    for flag in ("--traceback", "--no-color", "--force-color", "--skip-checks"):
        parser.add_argument(flag, action="store_true", help=argparse.SUPPRESS)


def _line_writer(stream: Any) -> Writer:
    def write(line: str) -> None:
        stream.write(line if line.endswith("\n") else line + "\n")
    return write


def main(argv: Sequence[str]) -> int:
    """Run the file command in ``argv`` (``["manage.py", "lint", PATH, …]``); return the exit code."""
    name = argv[1]
    module = command_module(name)
    prog = f"{argv[0].rsplit('/', 1)[-1]} {name}"
    parser = argparse.ArgumentParser(prog=prog, description=module.HELP)
    module.add_arguments(parser)
    _django_options(parser)
    options = vars(parser.parse_args(list(argv[2:])))
    # A command-line run builds hundreds of thousands of small objects (a parsed 5,000-message
    # file, its model, tens of thousands of findings) and exits: the cyclic collector's passes
    # over that growing heap cost a third of the reading time, and reference counting alone
    # frees what it must.
    gc.disable()
    code: int = module.run(options, _line_writer(sys.stdout), _line_writer(sys.stderr))
    sys.stdout.flush()
    return code
