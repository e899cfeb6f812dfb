"""The Django side of the file-based commands: a management command that wraps a ``designer.cli`` module.

``manage.py`` runs these commands without Django (see ``designer.cli``); this wrapper keeps them
available to ``call_command`` and ``manage.py help`` with the same options, output and exit codes.
"""
from __future__ import annotations

import sys
from types import ModuleType
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandParser

from designer.cli import command_module


class FileCommand(BaseCommand):
    """A management command whose work is ``designer.cli.<cli_name>.run``."""

    cli_name: ClassVar[str] = ""
    # No system checks: they would import the URLconf and check the database config, and these
    # commands must run in CI on a bare checkout with no database at all.
    requires_system_checks: ClassVar[list[str]] = []  # type: ignore[misc]
    requires_migrations_checks = False

    @property
    def cli(self) -> ModuleType:
        return command_module(self.cli_name)

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = self.cli.HELP
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        self.cli.add_arguments(parser)

    def run_cli(self, options: dict[str, Any], **extra: Any) -> None:
        code = self.cli.run(options, self.stdout.write, self.stderr.write, **extra)
        if code:
            sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        self.run_cli(options)
