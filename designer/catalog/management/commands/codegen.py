"""``manage.py codegen``: see ``designer.cli.codegen`` (runs without Django from ``manage.py``)."""
from designer.catalog.management.filecommand import FileCommand


class Command(FileCommand):
    cli_name = "codegen"
