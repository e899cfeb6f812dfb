"""``manage.py lint``: see ``designer.cli.lint`` (runs without Django from ``manage.py``)."""
from designer.catalog.management.filecommand import FileCommand


class Command(FileCommand):
    cli_name = "lint"
